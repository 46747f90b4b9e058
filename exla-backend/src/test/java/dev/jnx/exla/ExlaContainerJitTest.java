package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.ContainerJitTest;

/** Typed container jit and the Tree helpers, compiled by XLA. */
class ExlaContainerJitTest extends ContainerJitTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
