package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Shape;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The expression graph of one traced call: its parameters (one per flattened argument, in
 * order) and its flattened outputs. This is what a {@link Compiler} receives.
 *
 * @param name       a readable name of the function, for messages and module names
 * @param parameters the parameters, {@code parameters.get(i).index() == i}
 * @param outputs    the result nodes, flattened in container order
 * @param donated    indices of parameters whose argument buffers the caller gives up
 *                   ({@code jax.jit}'s donate_argnums, per flattened leaf): a compiler may
 *                   reuse them for outputs, and the caller's tensors are closed after a call
 * @param batched    indices of parameters whose leading dimension indexes independent
 *                   examples (a batch of data): a data-parallel compiler splits them across
 *                   devices, others ignore the hint
 */
public record TracedFunction(String name, List<Expr.Parameter> parameters, List<Expr> outputs, Set<Integer> donated,
                             Set<Integer> batched) {
    /** Checks that the parameters are numbered 0..n-1 in order and the donated ones exist. */
    public TracedFunction {
        parameters = List.copyOf(parameters);
        outputs = List.copyOf(outputs);
        donated = Collections.unmodifiableSortedSet(new TreeSet<>(donated));
        batched = Collections.unmodifiableSortedSet(new TreeSet<>(batched));
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).index() != i) {
                throw new IllegalArgumentException("parameter " + i + " has index " + parameters.get(i).index());
            }
        }
        for (Set<Integer> marked : List.of(donated, batched)) {
            for (int i : marked) {
                if (i < 0 || i >= parameters.size()) {
                    throw new IllegalArgumentException(name + ": " + (marked == donated ? "donated" : "batched")
                            + " parameter " + i + " does not exist (the function has " + parameters.size() + " parameters)");
                }
            }
        }
    }

    /** A function that donates nothing and marks no batch. */
    public TracedFunction(String name, List<Expr.Parameter> parameters, List<Expr> outputs) {
        this(name, parameters, outputs, Set.of(), Set.of());
    }

    /** This function with {@code donated} parameters donated. */
    public TracedFunction donating(Set<Integer> donated) {
        return new TracedFunction(name, parameters, outputs, donated, batched);
    }

    /** This function with {@code batched} parameters marked as batches of examples. */
    public TracedFunction batching(Set<Integer> batched) {
        return new TracedFunction(name, parameters, outputs, donated, batched);
    }

    /** The graph, printed as Nx inspects an expression ({@link GraphPrinter}). */
    @Override
    public String toString() {
        return GraphPrinter.print(this);
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
