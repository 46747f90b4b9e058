package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.TrainingTest;

/** The seed's training step (SGD and Adam, linear regression and an MLP), compiled by XLA. */
class ExlaTrainingTest extends TrainingTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
