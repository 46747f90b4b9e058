package dev.jnx.train;

import dev.jnx.Tensor;

/**
 * A loss: from targets and predictions to a scalar (already reduced, e.g. a batch mean) or to
 * per-example values of shape {@code [batch]} ({@link Reduction#NONE}), which a loop reduces
 * itself and can mask for a padded last batch. Traced, like every function a loop jits.
 */
@FunctionalInterface
public interface Loss {
    /** The loss of {@code yPred} against {@code yTrue}. */
    Tensor apply(Tensor yTrue, Tensor yPred);
}
