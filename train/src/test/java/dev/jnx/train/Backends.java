package dev.jnx.train;

import dev.jnx.Compiler;
import dev.jnx.defn.Evaluator;
import dev.jnx.exla.Exla;

import java.util.stream.Stream;

/** The compilers every train test runs on: the reference backend and XLA. */
final class Backends {
    private Backends() {
    }

    static Stream<Compiler> both() {
        return Stream.of(Evaluator.compiler(), Exla.compiler());
    }
}
