package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.TensorData;

import java.util.List;

/**
 * A node of the expression graph that tracing records: the primitive op vocabulary of jnx.
 *
 * <p>Every Nx function is built from these primitives. Each concern — the reference
 * {@link Evaluator}, the StableHLO lowering, gradients — handles them in an exhaustive
 * {@code switch}, so a primitive without a rule is a compile error. Operands of element-wise
 * primitives already have equal shapes and types: the {@link dev.jnx.Nx} layer inserts the
 * broadcasts and conversions. Nodes are compared by identity; a graph is a DAG whose shared
 * nodes are evaluated and lowered once.
 */
public sealed interface Expr extends TensorData {
    /** Shape of the value this node computes. */
    Shape shape();

    /** Element type of the value this node computes. */
    DType type();

    /** The nodes this one reads, in order. */
    List<Expr> operands();

    @Override
    default String backendName() {
        return "expr";
    }

    @Override
    default HostData toHost(Shape shape, DType type) {
        throw new IllegalStateException("cannot read the values of a traced tensor " + type + shape
                + " inside a defn function: values exist only when the compiled function runs");
    }

    /** The {@code index}-th flattened argument of the traced function. */
    record Parameter(int index, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of();
        }
    }

    /** A concrete tensor captured by the trace (a {@code stablehlo.constant}). */
    record Constant(Tensor value) implements Expr {
        @Override
        public Shape shape() {
            return value.shape();
        }

        @Override
        public DType type() {
            return value.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of();
        }
    }

    /** Counts up along {@code axis}: element index along that axis, converted to {@code type}. */
    record Iota(Shape shape, DType type, int axis) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of();
        }
    }

    /** An element-wise function of one operand; the result type is the operand's. */
    record Unary(UnaryOp op, Expr x) implements Expr {
        @Override
        public Shape shape() {
            return x.shape();
        }

        @Override
        public DType type() {
            return x.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** An element-wise function of two operands of equal shape and type. */
    record Binary(BinaryOp op, Expr a, Expr b) implements Expr {
        @Override
        public Shape shape() {
            return a.shape();
        }

        /** The operands' type, or u8 for comparisons. */
        @Override
        public DType type() {
            return op.isComparison() ? DType.U8 : a.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of(a, b);
        }
    }

    /** Reduces the given (sorted, distinct) axes away with an associative op. */
    record Reduce(ReduceOp op, Expr x, int[] axes, Shape shape) implements Expr {
        @Override
        public DType type() {
            return x.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * {@code dot_general}: contracts {@code contractA} of {@code a} with {@code contractB} of
     * {@code b}, batching over {@code batchA}/{@code batchB}. Both operands have the result
     * type; the result dims are batch dims, then a's free dims, then b's free dims.
     */
    record Dot(Expr a, int[] contractA, int[] batchA, Expr b, int[] contractB, int[] batchB, Shape shape)
            implements Expr {
        @Override
        public DType type() {
            return a.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of(a, b);
        }
    }

    /** The same elements in row-major order under a new shape of equal size. */
    record Reshape(Expr x, Shape shape) implements Expr {
        @Override
        public DType type() {
            return x.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** Permutes dimensions: result dimension {@code i} is operand dimension {@code axes[i]}. */
    record Transpose(Expr x, int[] axes, Shape shape) implements Expr {
        @Override
        public DType type() {
            return x.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * Broadcasts {@code x} into {@code shape}: operand dimension {@code i} maps to result
     * dimension {@code axes[i]} and must be 1 or equal to it ({@code broadcast_in_dim}).
     */
    record Broadcast(Expr x, Shape shape, int[] axes) implements Expr {
        @Override
        public DType type() {
            return x.type();
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** Element-wise conversion to another type ({@code Nx.as_type}). */
    record Convert(Expr x, DType type) implements Expr {
        @Override
        public Shape shape() {
            return x.shape();
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** Element-wise functions of one operand. */
    enum UnaryOp { NEGATE, EXP, LOG }

    /** Element-wise functions of two operands. */
    enum BinaryOp {
        ADD, SUBTRACT, MULTIPLY, DIVIDE, MAX, MIN,
        EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL;

        /** True for ops whose result is a u8 predicate (1 or 0). */
        public boolean isComparison() {
            return ordinal() >= EQUAL.ordinal();
        }
    }

    /** Associative reductions. */
    enum ReduceOp { SUM, PRODUCT, MAX, MIN }
}
