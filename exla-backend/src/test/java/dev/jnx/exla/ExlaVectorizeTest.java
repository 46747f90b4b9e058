package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.VectorizeTest;

/**
 * Nx's vectorized axes on XLA: eager ops on device tensors (each op's batched node compiled by
 * {@link ExlaBackend}) and jitted functions compiled by {@link Exla#compiler()}, against the
 * per-entry loop on the reference backend.
 */
class ExlaVectorizeTest extends VectorizeTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
