package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.GradTest;

/** Every gradient rule compiled by XLA, against the reference backend's gradient. */
class ExlaGradTest extends GradTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
