package dev.jnx.defn;

import dev.jnx.Tensor;

import java.util.List;

/** A compiled {@link TracedFunction}, runnable many times with arguments of its template. */
public interface Executable {
    /**
     * Runs on flattened arguments matching the template's parameters in order.
     *
     * @return the flattened outputs, in the order of {@link TracedFunction#outputs()}
     * @throws IllegalArgumentException if an argument's shape or type differs from the template
     */
    List<Tensor> run(List<Tensor> arguments);
}
