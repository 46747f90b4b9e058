package dev.jnx.defn;

import dev.jnx.Backend;
import dev.jnx.Tensor;

/**
 * The backend of symbolic tensors while a function is traced ({@link Tensor#backend()} of a
 * traced tensor). Nothing moves into a trace: concrete tensors enter as arguments of the
 * jitted function or are captured as constants where the traced code uses them.
 */
final class ExprBackend implements Backend {
    static final ExprBackend INSTANCE = new ExprBackend();

    private ExprBackend() {
    }

    @Override
    public String name() {
        return "expr";
    }

    /** @throws IllegalArgumentException always: a trace holds no values to move a tensor to */
    @Override
    public Tensor transfer(Tensor t) {
        throw refused("backend_transfer", t);
    }

    /** @throws IllegalArgumentException always: a trace holds no values to copy a tensor to */
    @Override
    public Tensor copy(Tensor t) {
        throw refused("backend_copy", t);
    }

    private static IllegalArgumentException refused(String op, Tensor t) {
        return new IllegalArgumentException(op + ": cannot move " + t.type() + t.shape() + " from " + t.backend().name()
                + " to expr, the backend of traced tensors; pass it to the jitted function as an argument, or use"
                + " it in the traced code directly (it is captured as a constant)");
    }

    @Override
    public String toString() {
        return "Backend[expr]";
    }
}
