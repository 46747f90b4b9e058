package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.RandomTest;

/** Nx.Random's examples compiled by XLA: the same Threefry bits as the reference backend. */
class ExlaRandomTest extends RandomTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
