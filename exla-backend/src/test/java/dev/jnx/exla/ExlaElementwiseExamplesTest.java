package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.ElementwiseExamplesTest;

/** Nx's documentation examples of the element-wise, type, reduction and sort functions, compiled by XLA. */
class ExlaElementwiseExamplesTest extends ElementwiseExamplesTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
