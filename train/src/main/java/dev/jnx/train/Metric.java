package dev.jnx.train;

import dev.jnx.Tensor;

/**
 * A metric: from targets and predictions to a scalar (the batch's value) or to per-example
 * values of shape {@code [batch]}. Loops keep a running mean of it, weighting each batch by its
 * number of examples; per-example values let them mask a padded last batch.
 */
@FunctionalInterface
public interface Metric {
    /** The metric of {@code yPred} against {@code yTrue}. */
    Tensor apply(Tensor yTrue, Tensor yPred);
}
