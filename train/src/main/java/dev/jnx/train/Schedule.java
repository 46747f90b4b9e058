package dev.jnx.train;

import dev.jnx.Tensor;

/**
 * A learning-rate schedule: the value at an update count (an s32 scalar, 0 for the first
 * update), traced into the step. {@link Schedules} has Optax's and Polaris's schedules.
 */
@FunctionalInterface
public interface Schedule {
    /** The value at update {@code count}, an f32 scalar. */
    Tensor at(Tensor count);
}
