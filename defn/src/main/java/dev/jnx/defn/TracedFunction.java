package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.Shape;

import java.util.List;

/**
 * The expression graph of one traced call: its parameters (one per flattened argument, in
 * order) and its flattened outputs. This is what a {@link Compiler} receives.
 *
 * @param name       a readable name of the function, for messages and module names
 * @param parameters the parameters, {@code parameters.get(i).index() == i}
 * @param outputs    the result nodes, flattened in container order
 */
public record TracedFunction(String name, List<Expr.Parameter> parameters, List<Expr> outputs) {
    /** Checks that the parameters are numbered 0..n-1 in order. */
    public TracedFunction {
        parameters = List.copyOf(parameters);
        outputs = List.copyOf(outputs);
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).index() != i) {
                throw new IllegalArgumentException("parameter " + i + " has index " + parameters.get(i).index());
            }
        }
    }

    /** Checks one argument against its parameter, naming the function, argument and mismatch. */
    public void checkArgument(int i, Shape shape, DType type) {
        Expr.Parameter p = parameters.get(i);
        if (!p.shape().equals(shape) || p.type() != type) {
            throw new IllegalArgumentException(name + ": argument " + i + " expected " + p.type() + p.shape()
                    + ", got " + type + shape);
        }
    }
}
