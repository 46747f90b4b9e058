package dev.jnx.defn;

import dev.jnx.Backend;
import dev.jnx.Compiler;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.VectorizedAxis;

import java.util.ArrayList;
import java.util.List;

/**
 * What the vectorized-axes suites share: where their eager operands live and which compiler
 * their jitted functions use (the reference backend here; exla-backend's subclasses override
 * both to rerun them on XLA), and how they name vectorized axes.
 */
abstract class VectorizedSuite {
    /** The compiler the jitted functions of these tests use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    /** Where the eager operands live: the compiler's own backend. */
    final Backend backend() {
        return compiler().backend();
    }

    /** {@code t} (its vectorized axes kept) on {@link #backend()}. */
    Tensor on(Tensor t) {
        return backend() == Backend.HOST ? t : Nx.backendCopy(t, backend());
    }

    /** Vectorized axes from alternating names and sizes: {@code axes("x", 2, "y", 3)}. */
    static List<VectorizedAxis> axes(Object... nameSize) {
        List<VectorizedAxis> out = new ArrayList<>();
        for (int i = 0; i < nameSize.length; i += 2) {
            out.add(VectorizedAxis.of((String) nameSize[i], (Integer) nameSize[i + 1]));
        }
        return out;
    }
}
