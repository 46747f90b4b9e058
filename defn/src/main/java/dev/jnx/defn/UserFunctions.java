package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.List;
import java.util.function.BinaryOperator;

/** Traces user functions that primitives apply element by element (Nx.reduce's function) into regions. */
public final class UserFunctions {
    private UserFunctions() {
    }

    /**
     * Traces {@code fn} over two scalars of {@code type} into a region returning one scalar of
     * that type; it may read constants but no other traced values.
     *
     * @throws IllegalArgumentException naming {@code op} if the result is not such a scalar or
     *                                  the function reads traced values from outside
     */
    public static Expr.Region scalarBinary(String op, DType type, BinaryOperator<Tensor> fn) {
        Expr.Parameter a = new Expr.Parameter(0, Shape.scalar(), type);
        Expr.Parameter b = new Expr.Parameter(1, Shape.scalar(), type);
        Expr.Region r = Tracing.region(List.of(a, b), () -> {
            Tensor out = fn.apply(Tracing.tensor(a), Tracing.tensor(b));
            if (out == null || out.rank() != 0 || out.type() != type) {
                throw new IllegalArgumentException(op + ": the function must return a " + type + " scalar, got "
                        + (out == null ? "null" : out.type() + "" + out.shape()));
            }
            return List.of(Tracing.nodeOf(out));
        });
        if (!r.captured().isEmpty()) {
            throw new IllegalArgumentException(op + ": the function may only use its two arguments and constants, but it"
                    + " reads " + r.captured().size() + " traced value(s) from outside, e.g. "
                    + r.captured().get(0).type() + r.captured().get(0).shape());
        }
        return r;
    }
}
