package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.VectorizeControlFlowTest;

/** Vectorized loops, conditionals and custom gradients on XLA: device operands and jitted functions. */
class ExlaVectorizeControlFlowTest extends VectorizeControlFlowTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
