package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.VectorizeVmapTest;

/** vmap over vectorized arguments on XLA: device operands and jitted functions, against the Java loops. */
class ExlaVectorizeVmapTest extends VectorizeVmapTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
