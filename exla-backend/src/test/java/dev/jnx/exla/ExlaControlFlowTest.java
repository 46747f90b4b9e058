package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.ControlFlowTest;

/** whileLoop, cond, gradients through cond, stopGrad, customGrad and containers, compiled by XLA. */
class ExlaControlFlowTest extends ControlFlowTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
