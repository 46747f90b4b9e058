package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.IndexingExamplesTest;

/** Nx's documentation examples of the shape, indexing, window and convolution functions, compiled by XLA. */
class ExlaIndexingExamplesTest extends IndexingExamplesTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
