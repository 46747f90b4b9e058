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
 *
 * <p>Each family of primitives has one file per concern: {@code FooEval} (reference kernel),
 * {@code FooGrad} (gradient rule, returning {@code Cotangent} pairs) and exla's {@code LowerFoo}
 * (lowering), for Elementwise (unary, binary, select, bitcast, convert), Reduce, Sort, Indexing
 * (shape, indexing, window and convolution ops), LinAlg (dot, Cholesky, triangular solve), Fft
 * and ControlFlow (while, cond).
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

    /** The graph computing this node, as {@link GraphPrinter} prints it. */
    @Override
    default java.util.Optional<String> inspectGraph() {
        return java.util.Optional.of(GraphPrinter.print(this));
    }

    @Override
    default dev.jnx.Backend backend() {
        return ExprBackend.INSTANCE;
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
     * The value of {@code x} with a {@code tag} for the passes over the graph; it computes
     * nothing (Nx's {@code :metadata}). {@code Defn.valueAndGrad} tags each variable it
     * differentiates with respect to ({@link #GRAD_VARIABLE}): that gradient stops there, and
     * those of enclosing differentiations flow through.
     */
    record Metadata(Expr x, String tag, Shape shape, DType type) implements Expr {
        /** The tag of the variables of a differentiation. */
        public static final String GRAD_VARIABLE = "grad_variable";

        /** {@code x} tagged with {@code tag}. */
        public Metadata(Expr x, String tag) {
            this(x, tag, x.shape(), x.type());
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

        /** The source: a walk of the graph meets it once, before any of its elements. */
        @Override
        public List<Expr> operands() {
            return List.of(source);
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

    /**
     * A node with several results, read through {@link Element}s; a graph node like any other,
     * whose operands are the enclosing graph's nodes it reads. Each pass over the graph computes
     * all its results when {@link Graph#postOrder} reaches it, ahead of its elements. It has no
     * single shape or type: only its elements are tensors.
     */
    sealed interface Multi extends Expr permits While, Cond {
        /** Templates of the results (the nodes of one region that produce them). */
        List<Expr> outputs();

        @Override
        default Shape shape() {
            throw new UnsupportedOperationException(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " has " + outputs().size() + " results and no single shape: read them through Expr.Element");
        }

        @Override
        default DType type() {
            throw new UnsupportedOperationException(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + " has " + outputs().size() + " results and no single type: read them through Expr.Element");
        }
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

    /**
     * The discrete Fourier transform (or, with {@code inverse}, its inverse scaled by 1/n) of
     * each vector along the last axis of the complex {@code x}; shape and type unchanged
     * ({@code stablehlo.fft} FFT/IFFT). Nx's length, axis, fft2, rfft and irfft are built on it.
     */
    record Fft(boolean inverse, Expr x, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    // ---- linear algebra primitives; kernels in LinAlgEval, rules in LinAlgGrad, Nx.LinAlg in dev.jnx.LinAlg

    /**
     * The lower Cholesky factor {@code L} (zeros above the diagonal) of each symmetric
     * positive-definite matrix in the last two axes of the float {@code x}; only x's lower
     * triangle is read ({@code stablehlo.cholesky}, {@code lower = true}).
     */
    record Cholesky(Expr x, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * Solves {@code op(a)·x = b} ({@code leftSide}) or {@code x·op(a) = b} for each matrix in the
     * last two axes, reading only the {@code lower} (or upper) triangle of {@code a};
     * {@code op} transposes when {@code transposeA}. Same rank and batch dims, float type
     * ({@code stablehlo.triangular_solve}).
     */
    record TriangularSolve(Expr a, Expr b, boolean leftSide, boolean lower, boolean transposeA, Shape shape, DType type)
            implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(a, b);
        }
    }

    // ---- shape and indexing primitives; their kernels live in IndexingEval, rules in IndexingGrad

    /** Elements {@code starts[d], starts[d] + strides[d], ...} below {@code limits[d]} ({@code stablehlo.slice}). */
    record Slice(Expr x, int[] starts, int[] limits, int[] strides, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * A window of {@code sizes} at run-time starts (one integer scalar per dimension, all of one
     * type), each clamped to {@code [0, dim - size]} so the window fits ({@code stablehlo.dynamic_slice}).
     */
    record DynamicSlice(Expr x, List<Expr> starts, int[] sizes, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            List<Expr> ops = new ArrayList<>(starts.size() + 1);
            ops.add(x);
            ops.addAll(starts);
            return ops;
        }
    }

    /** {@code x} with {@code update} written at run-time starts, clamped so it fits ({@code stablehlo.dynamic_update_slice}). */
    record DynamicUpdateSlice(Expr x, Expr update, List<Expr> starts, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            List<Expr> ops = new ArrayList<>(starts.size() + 2);
            ops.add(x);
            ops.add(update);
            ops.addAll(starts);
            return ops;
        }
    }

    /** Pads with the scalar {@code value}: {@code lo}/{@code hi} at the edges (negative crops) and {@code interior} between elements. */
    record Pad(Expr x, Expr value, int[] lo, int[] hi, int[] interior, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x, value);
        }
    }

    /** Operands of one type and rank joined along {@code axis} ({@code stablehlo.concatenate}). */
    record Concatenate(List<Expr> xs, int axis, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return xs;
        }
    }

    /** Reverses the order of elements along {@code axes} ({@code stablehlo.reverse}). */
    record Reverse(Expr x, int[] axes, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * {@code Nx.gather}: each vector along the last dimension of the integer {@code indices}
     * addresses {@code axes} of {@code x} (clamped into range); the result has the indices'
     * leading dimensions, then the dimensions of {@code x} not in {@code axes} ({@code stablehlo.gather}).
     */
    record Gather(Expr x, Expr indices, int[] axes, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x, indices);
        }
    }

    /**
     * {@code Nx.indexed_add} / {@code indexed_put}: {@code updates} (indices' leading dimensions,
     * then the dimensions of {@code x} not in {@code axes}) combined into {@code x} at the
     * addressed positions; out-of-range positions are skipped ({@code stablehlo.scatter}).
     */
    record Scatter(ScatterOp op, Expr x, Expr indices, Expr updates, int[] axes, Shape shape, DType type)
            implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x, indices, updates);
        }
    }

    /**
     * {@code Nx.conv} ({@code stablehlo.convolution}). The permutations give, for the standard
     * layouts input [batch, feature, spatial...], kernel [out, in, spatial...] and output
     * [batch, feature, spatial...], which actual axis plays each role.
     */
    record Conv(Expr x, Expr kernel, int[] strides, int[] padLo, int[] padHi, int[] inputDilation,
                int[] kernelDilation, int featureGroups, int batchGroups, int[] inputPermutation,
                int[] kernelPermutation, int[] outputPermutation, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x, kernel);
        }
    }

    /** Reduces each window with an associative op; padding holds the op's identity ({@code stablehlo.reduce_window}). */
    record ReduceWindow(ReduceOp op, Expr x, int[] window, int[] strides, int[] padLo, int[] padHi,
                        int[] windowDilations, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * {@code Nx.window_reduce}: folds each window of {@code x}, starting from the scalar
     * {@code init}, with {@code fn}, a region of two scalar parameters (accumulator, element)
     * returning one scalar, all of {@code x}'s type; padding holds {@code init}
     * ({@code stablehlo.reduce_window} with the user function as its body).
     */
    record ReduceWindowFn(Expr x, Expr init, Region fn, int[] window, int[] strides, int[] padLo, int[] padHi,
                          int[] windowDilations, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            List<Expr> ops = new ArrayList<>(fn.captured().size() + 2);
            ops.add(x);
            ops.add(init);
            ops.addAll(fn.captured());
            return ops;
        }
    }

    /**
     * {@code Nx.window_scatter_max/min}: each element of {@code source} is added, over the scalar
     * {@code init}, at the first largest (smallest) element of its window of {@code x}
     * ({@code stablehlo.select_and_scatter}).
     */
    record SelectAndScatter(boolean max, Expr x, Expr source, Expr init, int[] window, int[] strides, int[] padLo,
                            int[] padHi, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x, source, init);
        }
    }

    /** How {@link Scatter} combines an update with the value already there. */
    enum ScatterOp { ADD, PUT }

    /**
     * Element-wise functions of one operand. The result type is the operand's except for
     * {@code IS_NAN}/{@code IS_INFINITY} (u8) and {@code ABS}/{@code REAL}/{@code IMAG} of a
     * complex operand (its real type); the Nx layer decides it and stores it in the node.
     */
    enum UnaryOp {
        NEGATE, EXP, LOG, SQRT, TANH,
        ABS, SIGN, CEIL, FLOOR, ROUND, EXPM1, LOG1P, SIGMOID, RSQRT, CBRT,
        SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, ERFC, ERF_INV,
        IS_NAN, IS_INFINITY, BITWISE_NOT, POPULATION_COUNT, COUNT_LEADING_ZEROS, REAL, IMAG, CONJUGATE
    }

    /** Element-wise functions of two operands. */
    enum BinaryOp {
        ADD, SUBTRACT, MULTIPLY, DIVIDE, MAX, MIN,
        // DIVIDE truncates on integers (Nx.quotient); REMAINDER takes the dividend's sign;
        // RIGHT_SHIFT is arithmetic on signed and logical on unsigned types.
        POW, REMAINDER, ATAN2, BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT, COMPLEX,
        EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL;

        /** True for ops whose result is a u8 predicate (1 or 0). */
        public boolean isComparison() {
            return ordinal() >= EQUAL.ordinal();
        }
    }

    /** Associative reductions. */
    enum ReduceOp { SUM, PRODUCT, MAX, MIN }

    // ---- element-wise, type and sort primitives beyond the arithmetic core (ElementwiseEval/Grad, SortEval/Grad)

    /** {@code pred ? onTrue : onFalse} element-wise; {@code pred} is u8 (non-zero is true), all of one shape. */
    record Select(Expr pred, Expr onTrue, Expr onFalse, Shape shape, DType type) implements Expr {
        /** The select of equally shaped operands, of the branches' type. */
        public Select(Expr pred, Expr onTrue, Expr onFalse) {
            this(pred, onTrue, onFalse, onTrue.shape(), onTrue.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(pred, onTrue, onFalse);
        }
    }

    /** The bits of each element reinterpreted as another type of the same width ({@code Nx.bitcast}). */
    record Bitcast(Expr x, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            return List.of(x);
        }
    }

    /**
     * {@code values} reordered along {@code axis} so that {@code keys} are sorted, stably
     * (ascending, or descending), in the total order -NaN &lt; -Inf &lt; ... &lt; -0 &lt; +0 &lt; ... &lt;
     * +Inf &lt; NaN. {@code Nx.sort} has {@code values == keys}; {@code Nx.argsort} has an iota.
     */
    record Sort(Expr keys, Expr values, int axis, boolean descending, Shape shape, DType type) implements Expr {
        /** Sorts {@code values} by {@code keys}; the result has the values' shape and type. */
        public Sort(Expr keys, Expr values, int axis, boolean descending) {
            this(keys, values, axis, descending, values.shape(), values.type());
        }

        @Override
        public List<Expr> operands() {
            return List.of(keys, values);
        }
    }

    /**
     * {@code Nx.reduce} with a user function: folds {@code axes} of {@code x}, starting from the
     * scalar {@code init}, with {@code fn}, a region of two scalar parameters (accumulator,
     * element) returning one scalar, all of {@code x}'s type.
     */
    record ReduceFn(Expr x, Expr init, int[] axes, Region fn, Shape shape, DType type) implements Expr {
        @Override
        public List<Expr> operands() {
            List<Expr> ops = new ArrayList<>(fn.captured().size() + 2);
            ops.add(x);
            ops.add(init);
            ops.addAll(fn.captured());
            return ops;
        }
    }
}
