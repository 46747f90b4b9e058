package dev.jnx.train;

import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * What a {@link Handler} sees of a running loop. Metric values live on the compiler's device
 * between steps; {@link #metrics} and {@link #batchLoss} read them back when called (a few
 * scalars), so a handler that does not ask costs no host round trip.
 */
public final class LoopState {
    private final Event event;
    private final int epoch;
    private final int epochs;
    private final int iteration;
    private final int iterations;
    private final long step;
    private final double examplesPerSecond;
    private final Supplier<Map<String, Double>> metrics;
    private final DoubleSupplier batchLoss;
    private final Supplier<TrainState> trainState;

    LoopState(Event event, int epoch, int epochs, int iteration, int iterations, long step, double examplesPerSecond,
              Supplier<Map<String, Double>> metrics, DoubleSupplier batchLoss, Supplier<TrainState> trainState) {
        this.event = event;
        this.epoch = epoch;
        this.epochs = epochs;
        this.iteration = iteration;
        this.iterations = iterations;
        this.step = step;
        this.examplesPerSecond = examplesPerSecond;
        this.metrics = metrics;
        this.batchLoss = batchLoss;
        this.trainState = trainState;
    }

    /** The event being handled. */
    public Event event() {
        return event;
    }

    /** The current epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    /** The epoch the loop stops before (its {@code epochs} argument). */
    public int epochs() {
        return epochs;
    }

    /** Batches done in the current epoch. */
    public int iteration() {
        return iteration;
    }

    /** Batches per epoch. */
    public int iterations() {
        return iterations;
    }

    /** Training steps done over all epochs (batches, for an evaluator). */
    public long step() {
        return step;
    }

    /** Examples per second in the current epoch so far. */
    public double examplesPerSecond() {
        return examplesPerSecond;
    }

    /**
     * The running means of the loss and metrics over the current epoch's examples so far (read
     * from the device now); at {@link Event#EPOCH_COMPLETED} also the validation ones, prefixed
     * {@code validation_}.
     */
    public Map<String, Double> metrics() {
        return metrics.get();
    }

    /** The loss of the last batch (read from the device now); NaN before the first or for an evaluator. */
    public double batchLoss() {
        return batchLoss.getAsDouble();
    }

    /**
     * The training state now (its tensors may be device tensors the loop closes after the next
     * step: copy what must outlive the handler); {@code null} for an evaluator.
     */
    public TrainState trainState() {
        return trainState.get();
    }
}
