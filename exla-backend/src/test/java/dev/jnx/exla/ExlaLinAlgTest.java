package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.LinAlgTest;

/** {@code Nx.LinAlg}'s examples, properties and gradient checks, compiled by XLA. */
class ExlaLinAlgTest extends LinAlgTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
