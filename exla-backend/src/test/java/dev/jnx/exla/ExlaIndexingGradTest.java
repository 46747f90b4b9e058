package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.IndexingGradTest;

/** Gradients of the shape and indexing primitives compiled by XLA, against the reference backend's. */
class ExlaIndexingGradTest extends IndexingGradTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
