package dev.jnx.train.data;

import dev.jnx.Tensor;

/**
 * One batch of a {@link Dataset}: inputs, targets and a mask with 1 for each real example and
 * 0 for the padding of a padded last batch, so every batch has the same shapes (one compiled
 * step) and padding can be left out of losses and metrics.
 *
 * @param x    the inputs, {@code [batch, ...]}
 * @param y    the targets, {@code [batch, ...]}
 * @param mask f32 {@code [batch]}
 */
public record Batch(Tensor x, Tensor y, Tensor mask) implements AutoCloseable {
    /** Releases the batch's device memory now (a no-op on the host). */
    @Override
    public void close() {
        x.close();
        y.close();
        mask.close();
    }
}
