package dev.jnx.train;

/** Code run by a loop at an {@link Event}: logging, checkpoints, early stopping, plots. */
@FunctionalInterface
public interface Handler {
    /** Reacts to the event described by {@code state} and says whether the loop goes on. */
    Control handle(LoopState state);
}
