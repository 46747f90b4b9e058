package dev.jnx.exla;

import dev.jnx.Backend;
import dev.jnx.Compiler;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Executable;
import dev.jnx.defn.TracedFunction;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A debugging mode ({@link ExlaCompiler#validating(Tolerance)}): every call of a function
 * compiled by it runs the compiled executable and also the reference {@link Evaluator} on the
 * same arguments, and throws a {@link ValidationException} naming the function, the output,
 * the first differing element and both values when they disagree beyond the tolerance.
 *
 * <p>Cost: each call also interprets the whole graph in Java on the host (typically 10 to
 * 1000 times slower than XLA, and device arguments are copied to the host first), and each
 * result is read back to the host to be compared. Use it to find where compiled results go
 * wrong, not in production.
 */
public final class ValidatingCompiler implements Compiler {
    private final Compiler underTest;
    private final Tolerance tolerance;

    /** Validates {@code underTest} (an Exla compiler, or in tests one with a deliberately wrong lowering). */
    ValidatingCompiler(Compiler underTest, Tolerance tolerance) {
        this.underTest = Objects.requireNonNull(underTest, "validating: compiler");
        this.tolerance = Objects.requireNonNull(tolerance, "validating: tolerance");
    }

    @Override
    public Executable compile(TracedFunction function) {
        Executable compiled = underTest.compile(function);
        Executable reference = Evaluator.compiler().compile(function);
        return arguments -> {
            // The reference reads the arguments first: the compiled run may consume donated buffers.
            List<Tensor> want = reference.run(arguments);
            List<Tensor> got = compiled.run(arguments);
            for (int i = 0; i < got.size(); i++) {
                Optional<Tolerance.Difference> d = tolerance.difference(want.get(i), got.get(i));
                if (d.isPresent()) {
                    throw new ValidationException(name(), function.name(), i, d.get(), tolerance);
                }
            }
            return got;
        };
    }

    /** The tolerance results are checked with. */
    public Tolerance tolerance() {
        return tolerance;
    }

    @Override
    public String name() {
        return underTest.name() + "+validating";
    }

    @Override
    public Backend backend() {
        return underTest.backend();
    }

    @Override
    public Backend batchBackend() {
        return underTest.batchBackend();
    }

    @Override
    public String toString() {
        return "ValidatingCompiler[" + underTest + ", " + tolerance + "]";
    }
}
