package dev.jnx;

import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Expr.BinaryOp;
import dev.jnx.defn.Expr.ReduceOp;
import dev.jnx.defn.Expr.UnaryOp;
import dev.jnx.defn.Tracing;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tensor operations of Nx, as static Java functions with Nx's names in camelCase.
 *
 * <p>Each function checks its arguments, applies Nx's type promotion and broadcasting, and
 * builds a primitive {@link Expr} node. On concrete tensors the node is evaluated at once by
 * the reference backend; on tensors being traced by {@code Defn.jit} the node is recorded and
 * becomes part of the compiled function. Java numbers mix with tensors as Nx's numbers do:
 * they take the tensor's type where they fit ({@code Nx.Type.merge_number}).
 */
public final class Nx {
    private Nx() {
    }

    // ---------------------------------------------------------------- creation

    /** A f32 vector. */
    public static Tensor tensor(float[] values) {
        return tensor(values, DType.F32);
    }

    /** A f64 vector. */
    public static Tensor tensor(double[] values) {
        return tensor(values, DType.F64);
    }

    /** A s32 vector. */
    public static Tensor tensor(int[] values) {
        return tensor(values, DType.S32);
    }

    /** A s64 vector. */
    public static Tensor tensor(long[] values) {
        return tensor(values, DType.S64);
    }

    /**
     * A tensor from nested Java arrays ({@code float[][]}, {@code int[][][]}, ...) or a number;
     * the innermost element type decides the type: float→f32, double→f64, int→s32, long→s64,
     * short→s16, byte→s8.
     */
    public static Tensor tensor(Object values) {
        return tensor(values, defaultType(values));
    }

    /** A tensor of type {@code type} from nested Java arrays or a number, converting each value. */
    public static Tensor tensor(Object values, DType type) {
        if (values instanceof Tensor t) {
            return asType(t, type);
        }
        if (values instanceof Number n) {
            return scalar(n, type);
        }
        if (values == null || !values.getClass().isArray()) {
            throw new IllegalArgumentException("Nx.tensor: expected a number or a (nested) Java array, got "
                    + (values == null ? "null" : values.getClass().getName()));
        }
        List<Integer> dims = new ArrayList<>();
        Object level = values;
        while (level != null && level.getClass().isArray()) {
            int n = Array.getLength(level);
            dims.add(n);
            level = n > 0 ? Array.get(level, 0) : null;
            if (n == 0) {
                // An empty level: the remaining dimensions come from the array's static type.
                Class<?> c = values.getClass();
                for (int i = 0; i < dims.size(); i++) {
                    c = c.getComponentType();
                }
                while (c.isArray()) {
                    dims.add(0);
                    c = c.getComponentType();
                }
            }
        }
        Shape shape = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
        byte[] bytes = new byte[shape.size() * type.byteSize()];
        MemorySegment out = MemorySegment.ofArray(bytes);
        int[] next = {0};
        fill(values, 0, shape, type, out, next);
        return Tensor.of(shape, type, new HostData(bytes));
    }

    /** A scalar of the number's default type (int→s32, long→s64, float→f32, double→f64). */
    public static Tensor scalar(Number value) {
        return scalar(value, DType.infer(value));
    }

    /** A scalar of type {@code type}. */
    public static Tensor scalar(Number value, DType type) {
        byte[] bytes = new byte[type.byteSize()];
        write(MemorySegment.ofArray(bytes), type, 0, value);
        return Tensor.of(Shape.scalar(), type, new HostData(bytes));
    }

    /** A tensor of {@code shape} with every element equal to {@code value}. */
    public static Tensor fill(Shape shape, Number value, DType type) {
        return broadcast(scalar(value, type), shape);
    }

    /** Counts 0, 1, 2, ... over the flattened {@code shape} ({@code Nx.iota(shape)}). */
    public static Tensor iota(Shape shape, DType type) {
        return apply(new Expr.Iota(shape, type, -1));
    }

    /** Counts along {@code axis}: each element is its index on that axis ({@code Nx.iota(shape, axis: a)}). */
    public static Tensor iota(Shape shape, DType type, int axis) {
        return apply(new Expr.Iota(shape, type, shape.normalizeAxis(axis, "iota")));
    }

    // ---------------------------------------------------------------- element-wise

    /** Element-wise {@code a + b} with broadcasting. */
    public static Tensor add(Tensor a, Tensor b) {
        return arithmetic(BinaryOp.ADD, a, b);
    }

    /** {@code a + b} with a number. */
    public static Tensor add(Tensor a, Number b) {
        return add(a, numberLike(a, b));
    }

    /** {@code a + b} with a number. */
    public static Tensor add(Number a, Tensor b) {
        return add(numberLike(b, a), b);
    }

    /** Element-wise {@code a - b} with broadcasting. */
    public static Tensor subtract(Tensor a, Tensor b) {
        return arithmetic(BinaryOp.SUBTRACT, a, b);
    }

    /** {@code a - b} with a number. */
    public static Tensor subtract(Tensor a, Number b) {
        return subtract(a, numberLike(a, b));
    }

    /** {@code a - b} with a number. */
    public static Tensor subtract(Number a, Tensor b) {
        return subtract(numberLike(b, a), b);
    }

    /** Element-wise {@code a * b} with broadcasting. */
    public static Tensor multiply(Tensor a, Tensor b) {
        return arithmetic(BinaryOp.MULTIPLY, a, b);
    }

    /** {@code a * b} with a number. */
    public static Tensor multiply(Tensor a, Number b) {
        return multiply(a, numberLike(a, b));
    }

    /** {@code a * b} with a number. */
    public static Tensor multiply(Number a, Tensor b) {
        return multiply(numberLike(b, a), b);
    }

    /** Element-wise {@code a / b}; always floating point, as in Nx (integers become f32). */
    public static Tensor divide(Tensor a, Tensor b) {
        DType t = DType.merge(a.type(), b.type()).toFloating();
        return binary(BinaryOp.DIVIDE, "divide", a, b, t);
    }

    /** {@code a / b} with a number. */
    public static Tensor divide(Tensor a, Number b) {
        return divide(a, numberLike(a, b));
    }

    /** {@code a / b} with a number. */
    public static Tensor divide(Number a, Tensor b) {
        return divide(numberLike(b, a), b);
    }

    /** Element-wise maximum with broadcasting (NaN wins, as in XLA). */
    public static Tensor max(Tensor a, Tensor b) {
        return arithmetic(BinaryOp.MAX, a, b);
    }

    /** Element-wise maximum with a number. */
    public static Tensor max(Tensor a, Number b) {
        return max(a, numberLike(a, b));
    }

    /** Element-wise minimum with broadcasting (NaN wins, as in XLA). */
    public static Tensor min(Tensor a, Tensor b) {
        return arithmetic(BinaryOp.MIN, a, b);
    }

    /** Element-wise minimum with a number. */
    public static Tensor min(Tensor a, Number b) {
        return min(a, numberLike(a, b));
    }

    /** Element-wise {@code a == b}: a u8 tensor of 1s and 0s. */
    public static Tensor equal(Tensor a, Tensor b) {
        return comparison(BinaryOp.EQUAL, "equal", a, b);
    }

    /** {@link #equal(Tensor, Tensor)} with a number. */
    public static Tensor equal(Tensor a, Number b) {
        return equal(a, numberLike(a, b));
    }

    /** Element-wise {@code a != b}: a u8 tensor of 1s and 0s. */
    public static Tensor notEqual(Tensor a, Tensor b) {
        return comparison(BinaryOp.NOT_EQUAL, "not_equal", a, b);
    }

    /** {@link #notEqual(Tensor, Tensor)} with a number. */
    public static Tensor notEqual(Tensor a, Number b) {
        return notEqual(a, numberLike(a, b));
    }

    /** Element-wise {@code a < b}: a u8 tensor of 1s and 0s. */
    public static Tensor less(Tensor a, Tensor b) {
        return comparison(BinaryOp.LESS, "less", a, b);
    }

    /** {@link #less(Tensor, Tensor)} with a number. */
    public static Tensor less(Tensor a, Number b) {
        return less(a, numberLike(a, b));
    }

    /** Element-wise {@code a <= b}: a u8 tensor of 1s and 0s. */
    public static Tensor lessEqual(Tensor a, Tensor b) {
        return comparison(BinaryOp.LESS_EQUAL, "less_equal", a, b);
    }

    /** {@link #lessEqual(Tensor, Tensor)} with a number. */
    public static Tensor lessEqual(Tensor a, Number b) {
        return lessEqual(a, numberLike(a, b));
    }

    /** Element-wise {@code a > b}: a u8 tensor of 1s and 0s. */
    public static Tensor greater(Tensor a, Tensor b) {
        return comparison(BinaryOp.GREATER, "greater", a, b);
    }

    /** {@link #greater(Tensor, Tensor)} with a number. */
    public static Tensor greater(Tensor a, Number b) {
        return greater(a, numberLike(a, b));
    }

    /** Element-wise {@code a >= b}: a u8 tensor of 1s and 0s. */
    public static Tensor greaterEqual(Tensor a, Tensor b) {
        return comparison(BinaryOp.GREATER_EQUAL, "greater_equal", a, b);
    }

    /** {@link #greaterEqual(Tensor, Tensor)} with a number. */
    public static Tensor greaterEqual(Tensor a, Number b) {
        return greaterEqual(a, numberLike(a, b));
    }

    /** Element-wise {@code -x}. */
    public static Tensor negate(Tensor x) {
        return unary(UnaryOp.NEGATE, x, x.type());
    }

    /** Element-wise e^x; integers become f32. */
    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, x, x.type().toFloating());
    }

    /** Element-wise natural logarithm; integers become f32. */
    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, x, x.type().toFloating());
    }

    /** Element-wise square root; integers become f32. */
    public static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, x, x.type().toFloating());
    }

    /** Element-wise hyperbolic tangent; integers become f32. */
    public static Tensor tanh(Tensor x) {
        return unary(UnaryOp.TANH, x, x.type().toFloating());
    }

    /** Converts every element to {@code type} (floats to integers truncate and saturate; NaN becomes 0). */
    public static Tensor asType(Tensor x, DType type) {
        if (x.type() == type) {
            return x;
        }
        return apply(new Expr.Convert(expr(x), type), x);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements; integer types widen as in Nx ({@code s8} sums to {@code s32}). */
    public static Tensor sum(Tensor x) {
        return sum(x, allAxes(x), false);
    }

    /** Sum over {@code axes}, keeping them as size-1 dimensions if {@code keepAxes}. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepAxes) {
        return reduce(ReduceOp.SUM, "sum", asType(x, x.type().toAggregate()), axes, keepAxes);
    }

    /** Product of all elements; integer types widen as in Nx. */
    public static Tensor product(Tensor x) {
        return product(x, allAxes(x), false);
    }

    /** Product over {@code axes}. */
    public static Tensor product(Tensor x, int[] axes, boolean keepAxes) {
        return reduce(ReduceOp.PRODUCT, "product", asType(x, x.type().toAggregate()), axes, keepAxes);
    }

    /** The mean of all elements, in a floating type. */
    public static Tensor mean(Tensor x) {
        return mean(x, allAxes(x), false);
    }

    /** The mean over {@code axes}, in a floating type ({@code Nx.mean}). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepAxes) {
        int count = 1;
        for (int a : normalizeAxes(x.shape(), axes, "mean")) {
            count *= x.shape().dim(a);
        }
        Tensor f = asType(x, x.type().toFloating());
        return divide(sum(f, axes, keepAxes), scalar(count, f.type()));
    }

    /** Largest element; {@code -Inf} (or the type's minimum) for an empty tensor. */
    public static Tensor reduceMax(Tensor x) {
        return reduceMax(x, allAxes(x), false);
    }

    /** Largest element over {@code axes}. */
    public static Tensor reduceMax(Tensor x, int[] axes, boolean keepAxes) {
        return reduce(ReduceOp.MAX, "reduce_max", x, axes, keepAxes);
    }

    /** Smallest element; {@code Inf} (or the type's maximum) for an empty tensor. */
    public static Tensor reduceMin(Tensor x) {
        return reduceMin(x, allAxes(x), false);
    }

    /** Smallest element over {@code axes}. */
    public static Tensor reduceMin(Tensor x, int[] axes, boolean keepAxes) {
        return reduce(ReduceOp.MIN, "reduce_min", x, axes, keepAxes);
    }

    // ---------------------------------------------------------------- dot

    /**
     * Nx's {@code dot}: vector·vector gives a scalar, matrix·vector a vector, matrix·matrix a
     * matrix; in general the last axis of {@code a} contracts with the second-to-last axis of
     * {@code b} (its only axis if {@code b} is a vector). A scalar operand multiplies.
     */
    public static Tensor dot(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            return multiply(a, b);
        }
        int cb = b.rank() == 1 ? 0 : b.rank() - 2;
        return dot(a, new int[] {a.rank() - 1}, new int[0], b, new int[] {cb}, new int[0]);
    }

    /** Contracts {@code axesA} of {@code a} with {@code axesB} of {@code b}. */
    public static Tensor dot(Tensor a, int[] axesA, Tensor b, int[] axesB) {
        return dot(a, axesA, new int[0], b, axesB, new int[0]);
    }

    /**
     * The general {@code dot}: contracts {@code contractA} with {@code contractB} and batches
     * over {@code batchA}/{@code batchB}. The result holds the batch dimensions, then the free
     * dimensions of {@code a}, then those of {@code b}.
     */
    public static Tensor dot(Tensor a, int[] contractA, int[] batchA, Tensor b, int[] contractB, int[] batchB) {
        int[] ca = normalizeAxes(a.shape(), contractA, "dot");
        int[] ba = normalizeAxes(a.shape(), batchA, "dot");
        int[] cb = normalizeAxes(b.shape(), contractB, "dot");
        int[] bb = normalizeAxes(b.shape(), batchB, "dot");
        if (ca.length != cb.length || ba.length != bb.length) {
            throw new IllegalArgumentException("dot: " + a.type() + a.shape() + " and " + b.type() + b.shape()
                    + " need as many contraction axes (" + Arrays.toString(ca) + " vs " + Arrays.toString(cb)
                    + ") and batch axes (" + Arrays.toString(ba) + " vs " + Arrays.toString(bb) + ") on each side");
        }
        for (int i = 0; i < ca.length; i++) {
            if (a.shape().dim(ca[i]) != b.shape().dim(cb[i])) {
                throw new IllegalArgumentException("dot: cannot contract axis " + ca[i] + " of " + a.type() + a.shape()
                        + " (size " + a.shape().dim(ca[i]) + ") with axis " + cb[i] + " of " + b.type() + b.shape()
                        + " (size " + b.shape().dim(cb[i]) + "): sizes must match");
            }
        }
        for (int i = 0; i < ba.length; i++) {
            if (a.shape().dim(ba[i]) != b.shape().dim(bb[i])) {
                throw new IllegalArgumentException("dot: batch axis " + ba[i] + " of " + a.type() + a.shape()
                        + " and axis " + bb[i] + " of " + b.type() + b.shape() + " differ in size");
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int x : ba) {
            dims.add(a.shape().dim(x));
        }
        addFree(dims, a.shape(), ca, ba);
        addFree(dims, b.shape(), cb, bb);
        DType t = DType.merge(a.type(), b.type());
        Shape out = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
        return apply(new Expr.Dot(expr(asType(a, t)), ca, ba, expr(asType(b, t)), cb, bb, out), a, b);
    }

    // ---------------------------------------------------------------- shape

    /** The same elements in row-major order under {@code shape}, which must have the same size. */
    public static Tensor reshape(Tensor x, Shape shape) {
        if (x.shape().size() != shape.size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + x.type() + x.shape() + " ("
                    + x.shape().size() + " elements) to " + shape + " (" + shape.size() + " elements)");
        }
        if (x.shape().equals(shape)) {
            return x;
        }
        return apply(new Expr.Reshape(expr(x), shape), x);
    }

    /** Reverses the order of the dimensions. */
    public static Tensor transpose(Tensor x) {
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axes.length - 1 - i;
        }
        return transpose(x, axes);
    }

    /** Permutes the dimensions: result dimension {@code i} is dimension {@code axes[i]} of {@code x}. */
    public static Tensor transpose(Tensor x, int[] axes) {
        int[] ax = normalizeAxes(x.shape(), axes, "transpose");
        if (ax.length != x.rank()) {
            throw new IllegalArgumentException("transpose: axes " + Arrays.toString(axes) + " must name each of the "
                    + x.rank() + " axes of " + x.type() + x.shape() + " once");
        }
        int[] dims = new int[ax.length];
        for (int i = 0; i < ax.length; i++) {
            dims[i] = x.shape().dim(ax[i]);
        }
        return apply(new Expr.Transpose(expr(x), ax, Shape.of(dims)), x);
    }

    /** Broadcasts {@code x} to {@code shape}, aligning dimensions from the right (each 1 or equal). */
    public static Tensor broadcast(Tensor x, Shape shape) {
        if (x.rank() > shape.rank()) {
            throw new IllegalArgumentException("broadcast: cannot broadcast " + x.type() + x.shape() + " to " + shape
                    + ": the target has lower rank");
        }
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = shape.rank() - x.rank() + i;
        }
        return broadcast(x, shape, axes);
    }

    /** Broadcasts {@code x} to {@code shape}, dimension {@code i} of {@code x} going to {@code axes[i]}. */
    public static Tensor broadcast(Tensor x, Shape shape, int[] axes) {
        if (axes.length != x.rank()) {
            throw new IllegalArgumentException("broadcast: axes " + Arrays.toString(axes) + " must map each of the "
                    + x.rank() + " dimensions of " + x.type() + x.shape());
        }
        int[] ax = normalizeAxes(shape, axes, "broadcast");
        for (int i = 0; i < ax.length; i++) {
            if (i > 0 && ax[i] <= ax[i - 1]) {
                throw new IllegalArgumentException("broadcast: axes " + Arrays.toString(axes) + " must be increasing");
            }
            int d = x.shape().dim(i);
            if (d != 1 && d != shape.dim(ax[i])) {
                throw new IllegalArgumentException("broadcast: cannot broadcast " + x.type() + x.shape() + " to " + shape
                        + " with axes " + Arrays.toString(axes) + ": dimension " + i + " has size " + d
                        + ", expected 1 or " + shape.dim(ax[i]));
            }
        }
        if (x.shape().equals(shape)) {
            return x;
        }
        return apply(new Expr.Broadcast(expr(x), shape, ax), x);
    }

    /** The shape that {@code a} and {@code b} broadcast to under Nx's rules, naming {@code op} on failure. */
    public static Shape broadcastShapes(Shape a, Shape b, String op) {
        int rank = Math.max(a.rank(), b.rank());
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": cannot broadcast shapes " + a + " and " + b
                        + ": dimension " + i + " (from the left of the result) has sizes " + da + " and " + db
                        + ", expected equal sizes or 1");
            }
            dims[i] = da == 1 ? db : da;
        }
        return Shape.of(dims);
    }

    // ---------------------------------------------------------------- internals

    private static Tensor arithmetic(BinaryOp op, Tensor a, Tensor b) {
        return binary(op, op.name().toLowerCase(java.util.Locale.ROOT), a, b, DType.merge(a.type(), b.type()));
    }

    private static Tensor comparison(BinaryOp op, String name, Tensor a, Tensor b) {
        return binary(op, name, a, b, DType.merge(a.type(), b.type()));
    }

    private static Tensor binary(BinaryOp op, String name, Tensor a, Tensor b, DType operandType) {
        Shape shape = broadcastShapes(a.shape(), b.shape(), name);
        Tensor ca = broadcast(asType(a, operandType), shape);
        Tensor cb = broadcast(asType(b, operandType), shape);
        return apply(new Expr.Binary(op, expr(ca), expr(cb)), ca, cb);
    }

    private static Tensor unary(UnaryOp op, Tensor x, DType type) {
        return apply(new Expr.Unary(op, expr(asType(x, type))), x);
    }

    private static Tensor reduce(ReduceOp op, String name, Tensor x, int[] axes, boolean keepAxes) {
        int[] ax = normalizeAxes(x.shape(), axes, name);
        int[] sorted = ax.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(name + ": axis " + sorted[i] + " given twice in "
                        + Arrays.toString(axes) + " for " + x.type() + x.shape());
            }
        }
        int[] kept = new int[x.rank()];
        List<Integer> outDims = new ArrayList<>();
        for (int d = 0; d < x.rank(); d++) {
            boolean reduced = Arrays.binarySearch(sorted, d) >= 0;
            kept[d] = reduced ? 1 : x.shape().dim(d);
            if (!reduced) {
                outDims.add(x.shape().dim(d));
            }
        }
        Shape out = Shape.of(outDims.stream().mapToInt(Integer::intValue).toArray());
        Tensor r = sorted.length == 0 ? x : apply(new Expr.Reduce(op, expr(x), sorted, out), x);
        return keepAxes ? reshape(r, Shape.of(kept)) : r;
    }

    private static void addFree(List<Integer> dims, Shape s, int[] contract, int[] batch) {
        for (int d = 0; d < s.rank(); d++) {
            final int axis = d;
            if (Arrays.stream(contract).noneMatch(c -> c == axis) && Arrays.stream(batch).noneMatch(c -> c == axis)) {
                dims.add(s.dim(d));
            }
        }
    }

    private static int[] allAxes(Tensor x) {
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    private static int[] normalizeAxes(Shape shape, int[] axes, String op) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = shape.normalizeAxis(axes[i], op);
        }
        return out;
    }

    /** A scalar for {@code n} in the type that Nx gives a binary op between {@code t} and {@code n}. */
    private static Tensor numberLike(Tensor t, Number n) {
        return scalar(n, t.type().mergeNumber(n));
    }

    /** The node standing for {@code t} in a graph: its traced node, or a constant. */
    private static Expr expr(Tensor t) {
        return t.data() instanceof Expr e ? e : new Expr.Constant(t);
    }

    /**
     * Records {@code node} if any input is traced, else evaluates it on the reference backend.
     */
    private static Tensor apply(Expr node, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.data() instanceof Expr) {
                return Tracing.record(node);
            }
        }
        return Evaluator.evaluate(node);
    }

    private static DType defaultType(Object values) {
        if (values instanceof Number n) {
            return DType.infer(n);
        }
        if (values instanceof Tensor t) {
            return t.type();
        }
        Class<?> c = values == null ? null : values.getClass();
        while (c != null && c.isArray()) {
            c = c.getComponentType();
        }
        if (c == float.class || c == Float.class) return DType.F32;
        if (c == double.class || c == Double.class) return DType.F64;
        if (c == int.class || c == Integer.class) return DType.S32;
        if (c == long.class || c == Long.class) return DType.S64;
        if (c == short.class || c == Short.class) return DType.S16;
        if (c == byte.class || c == Byte.class) return DType.S8;
        throw new IllegalArgumentException("Nx.tensor: cannot infer a type for "
                + (values == null ? "null" : values.getClass().getSimpleName())
                + " (expected numbers or arrays of float, double, int, long, short or byte)");
    }

    private static void fill(Object level, int axis, Shape shape, DType type, MemorySegment out, int[] next) {
        if (axis == shape.rank()) {
            if (!(level instanceof Number n)) {
                throw new IllegalArgumentException("Nx.tensor: expected a number at depth " + axis + ", got "
                        + (level == null ? "null" : level.getClass().getSimpleName()));
            }
            write(out, type, next[0]++, n);
            return;
        }
        if (level == null || !level.getClass().isArray() || Array.getLength(level) != shape.dim(axis)) {
            throw new IllegalArgumentException("Nx.tensor: ragged nested arrays: expected " + shape.dim(axis)
                    + " elements at depth " + axis + " to build shape " + shape);
        }
        for (int i = 0; i < shape.dim(axis); i++) {
            fill(Array.get(level, i), axis + 1, shape, type, out, next);
        }
    }

    private static void write(MemorySegment out, DType type, int i, Number n) {
        if (n instanceof Double || n instanceof Float) {
            HostData.setDouble(out, type, i, n.doubleValue());
        } else if (type.isInteger()) {
            HostData.setLong(out, type, i, n.longValue());
        } else {
            HostData.setDouble(out, type, i, n.longValue());
        }
    }

    // ---- backends (Nx.backend_transfer / Nx.backend_copy) ----

    /**
     * Moves {@code t} to {@code backend}: the result lives there, and device memory {@code t}
     * held on another backend is released ({@link Backend#transfer}).
     */
    public static Tensor backendTransfer(Tensor t, Backend backend) {
        return java.util.Objects.requireNonNull(backend, "backend").transfer(java.util.Objects.requireNonNull(t, "t"));
    }

    /** Moves {@code t} to the host ({@link Backend#HOST}), releasing its device memory. */
    public static Tensor backendTransfer(Tensor t) {
        return backendTransfer(t, Backend.HOST);
    }

    /** Copies {@code t} to {@code backend}; {@code t} stays valid ({@link Backend#copy}). */
    public static Tensor backendCopy(Tensor t, Backend backend) {
        return java.util.Objects.requireNonNull(backend, "backend").copy(java.util.Objects.requireNonNull(t, "t"));
    }

    /** Copies {@code t} to the host ({@link Backend#HOST}); {@code t} stays valid. */
    public static Tensor backendCopy(Tensor t) {
        return backendCopy(t, Backend.HOST);
    }
}
