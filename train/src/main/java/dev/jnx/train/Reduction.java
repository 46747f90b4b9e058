package dev.jnx.train;

/** How a loss or metric folds its per-example values (Axon's {@code :reduction}). */
public enum Reduction {
    /** The mean over the examples: a scalar. */
    MEAN,
    /** The sum over the examples: a scalar. */
    SUM,
    /** No reduction: one value per example. */
    NONE
}
