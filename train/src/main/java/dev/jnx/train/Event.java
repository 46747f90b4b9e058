package dev.jnx.train;

/** The points of a loop where handlers run ({@code Axon.Loop}'s events). */
public enum Event {
    /** Once, before the first epoch. */
    STARTED,
    /** Before each epoch's first batch. */
    EPOCH_STARTED,
    /** After each batch. */
    ITERATION_COMPLETED,
    /** After each epoch (and its validation, if any). */
    EPOCH_COMPLETED,
    /** Once, when the loop ends, halted or not. */
    COMPLETED
}
