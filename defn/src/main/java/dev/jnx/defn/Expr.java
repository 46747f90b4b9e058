package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.TensorData;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
    // Every node stores its shape and type: deriving them from operands would make each
    // query walk the graph, quadratic on long chains.
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
    record Unary(UnaryOp op, Expr x, Shape shape, DType type) implements Expr {
        /** The op on {@code x}, of x's shape and type. */
        public Unary(UnaryOp op, Expr x) {
            this(op, x, x.shape(), x.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** An element-wise function of two operands of equal shape and type. */
    record Binary(BinaryOp op, Expr a, Expr b, Shape shape, DType type) implements Expr {
        /** The op on {@code a} and {@code b}: of their type, or u8 for comparisons. */
        public Binary(BinaryOp op, Expr a, Expr b) {
            this(op, a, b, a.shape(), op.isComparison() ? DType.U8 : a.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(a, b);
        }
    }

    /** Reduces the given (sorted, distinct) axes away with an associative op. */
    record Reduce(ReduceOp op, Expr x, int[] axes, Shape shape, DType type) implements Expr {
        /** Reduces {@code axes} of {@code x} to {@code shape}, keeping x's type. */
        public Reduce(ReduceOp op, Expr x, int[] axes, Shape shape) {
            this(op, x, axes, shape, x.type());
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
    record Dot(Expr a, int[] contractA, int[] batchA, Expr b, int[] contractB, int[] batchB, Shape shape, DType type)
            implements Expr {
        /** The dot of {@code a} and {@code b}, of their type. */
        public Dot(Expr a, int[] contractA, int[] batchA, Expr b, int[] contractB, int[] batchB, Shape shape) {
            this(a, contractA, batchA, b, contractB, batchB, shape, a.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(a, b);
        }
    }

    /** The same elements in row-major order under a new shape of equal size. */
    record Reshape(Expr x, Shape shape, DType type) implements Expr {
        /** {@code x} under {@code shape}. */
        public Reshape(Expr x, Shape shape) {
            this(x, shape, x.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** Permutes dimensions: result dimension {@code i} is operand dimension {@code axes[i]}. */
    record Transpose(Expr x, int[] axes, Shape shape, DType type) implements Expr {
        /** {@code x} with its dimensions permuted into {@code shape}. */
        public Transpose(Expr x, int[] axes, Shape shape) {
            this(x, axes, shape, x.type());
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
    record Broadcast(Expr x, Shape shape, int[] axes, DType type) implements Expr {
        /** {@code x} broadcast to {@code shape}. */
        public Broadcast(Expr x, Shape shape, int[] axes) {
            this(x, shape, axes, x.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** Element-wise conversion to another type ({@code Nx.as_type}). */
    record Convert(Expr x, DType type, Shape shape) implements Expr {
        /** {@code x} converted to {@code type}. */
        public Convert(Expr x, DType type) {
            this(x, type, x.shape());
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /** The value of {@code x}, through which no gradient flows ({@code Nx.Defn.Kernel.stop_grad}). */
    record StopGrad(Expr x, Shape shape, DType type) implements Expr {
        /** {@code x} without gradient. */
        public StopGrad(Expr x) {
            this(x, x.shape(), x.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * The value of {@code x}, whose gradient with respect to {@code inputs} is given by
     * {@code rule}: from the cotangent of {@code x} to one cotangent per input
     * ({@code Nx.Defn.Kernel.custom_grad}).
     */
    record CustomGrad(Expr x, List<Expr> inputs, Function<Tensor, List<Tensor>> rule, Shape shape, DType type)
            implements Expr {
        /** {@code x} with the gradient {@code rule}. */
        public CustomGrad(Expr x, List<Expr> inputs, Function<Tensor, List<Tensor>> rule) {
            this(x, List.copyOf(inputs), rule, x.shape(), x.type());
        }

        @Override
        public List<Expr> operands() {
            List<Expr> ops = new ArrayList<>(inputs.size() + 1);
            ops.add(x);
            ops.addAll(inputs);
            return ops;
        }
    }

    /** Output {@code index} of a node with several results (a loop or a conditional). */
    record Element(Multi source, int index) implements Expr {
        @Override
        public Shape shape() {
            return source.outputs().get(index).shape();
        }

        @Override
        public DType type() {
            return source.outputs().get(index).type();
        }

        /** The source's operands: all of them are needed before any of its results. */
        @Override
        public List<Expr> operands() {
            return source.operands();
        }
    }

    /**
     * A sub-function of a control-flow node. {@code parameters} are its own arguments;
     * {@code captured} are nodes of the enclosing graph that it reads, passed in as values
     * so that the region's graph is closed over its parameters and captures.
     */
    record Region(List<Parameter> parameters, List<Expr> outputs, List<Expr> captured) {
        /** Makes the lists immutable. */
        public Region {
            parameters = List.copyOf(parameters);
            outputs = List.copyOf(outputs);
            captured = List.copyOf(captured);
        }
    }

    /** A node with several results, read through {@link Element}s. */
    sealed interface Multi permits While, Cond {
        /** The enclosing graph's nodes read by this node. */
        List<Expr> operands();

        /** Templates of the results (the nodes of one region that produce them). */
        List<Expr> outputs();
    }

    /**
     * {@code state = initial; while (condition(state) != 0) state = body(state)}: the
     * condition returns a u8 scalar, the body a state of the same shapes and types.
     */
    record While(List<Expr> initial, Region condition, Region body) implements Multi {
        @Override
        public List<Expr> operands() {
            List<Expr> ops = new ArrayList<>(initial);
            ops.addAll(condition.captured());
            ops.addAll(body.captured());
            return ops;
        }

        @Override
        public List<Expr> outputs() {
            return body.outputs();
        }
    }

    /**
     * Runs branch {@code index} (an s32 scalar; out of range means the last branch, as in
     * {@code stablehlo.case}); branches take no parameters and agree in result shapes and types.
     */
    record Cond(Expr index, List<Region> branches) implements Multi {
        @Override
        public List<Expr> operands() {
            List<Expr> ops = new ArrayList<>();
            ops.add(index);
            for (Region r : branches) {
                ops.addAll(r.captured());
            }
            return ops;
        }

        @Override
        public List<Expr> outputs() {
            return branches.get(0).outputs();
        }
    }

    /** Element-wise functions of one operand. */
    enum UnaryOp { NEGATE, EXP, LOG, SQRT, TANH }

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
