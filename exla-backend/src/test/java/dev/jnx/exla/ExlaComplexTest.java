package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.ComplexEvaluatorTest;

/** The complex kernels' hand-worked cases compiled by XLA, which must agree with the reference backend. */
class ExlaComplexTest extends ComplexEvaluatorTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
