package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.GradSemanticsTest;

/** The gradients of {@link GradSemanticsTest} compiled by XLA, against the reference backend's. */
class ExlaGradSemanticsTest extends GradSemanticsTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
