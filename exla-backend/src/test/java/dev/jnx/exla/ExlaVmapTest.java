package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.VmapTest;

/** Every batching rule, per-example gradients and batched control flow, jitted and compiled by XLA, against the per-example loop. */
class ExlaVmapTest extends VmapTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
