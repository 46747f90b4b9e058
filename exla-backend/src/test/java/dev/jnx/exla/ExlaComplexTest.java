package dev.jnx.exla;

import dev.jnx.defn.ComplexEvaluatorTest;
import dev.jnx.defn.Compiler;

/** The complex kernels' hand-worked cases compiled by XLA, which must agree with the reference backend. */
class ExlaComplexTest extends ComplexEvaluatorTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
