package dev.jnx.train;

/**
 * An optimizer (Polaris's {@code {init_fn, update_fn}} pair, Optax's gradient transformation):
 * {@link #init} builds its state for a container of parameters, {@link #update} turns gradients
 * into updates and a new state. Both are plain jnx functions over any container, traced into a
 * jitted step like the rest of it; apply the updates with {@link Updates#applyUpdates}.
 * {@link Updates} has the building blocks and {@link Updates#chain} composes them;
 * {@link Optimizers} has the usual optimizers built from them.
 */
public interface Optimizer {
    /** The initial state for {@code params} (a container of tensors). */
    Object init(Object params);

    /**
     * The updates for {@code gradients} (a container shaped like the parameters) and the next state.
     *
     * @param state  what {@link #init} or the previous update returned
     * @param params the current parameters (some transformations read them, e.g. weight decay)
     */
    Update update(Object gradients, Object state, Object params);

    /**
     * The result of {@link #update}.
     *
     * @param updates a container shaped like the parameters, to add to them
     * @param state   the optimizer's next state
     */
    record Update(Object updates, Object state) {
    }
}
