package dev.jnx.train;

/** What a handler tells the loop to do next (Axon's {@code :continue}, {@code :halt_epoch}, {@code :halt_loop}). */
public enum Control {
    /** Go on. */
    CONTINUE,
    /** End the current epoch now (its completion handlers still run). */
    HALT_EPOCH,
    /** End the loop after this event. */
    HALT_LOOP
}
