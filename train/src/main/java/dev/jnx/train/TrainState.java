package dev.jnx.train;

import dev.jnx.Tensor;

import java.util.Map;

/**
 * Where training stands: the model's parameters (with its state entries), the optimizer's
 * state, and how far the loop got. {@link Loop#trainer} returns one from {@code run} and resumes
 * from one; {@link Checkpoint} saves and loads it.
 *
 * @param params         the model's parameters by layer ({@link Model#init})
 * @param optimizerState the optimizer's state ({@link Optimizer#init})
 * @param epoch          epochs completed
 * @param step           training steps (batches) completed over all epochs
 */
public record TrainState(Map<String, Map<String, Tensor>> params, Object optimizerState, int epoch, long step) {
}
