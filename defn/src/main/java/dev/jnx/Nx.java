package dev.jnx;

import dev.jnx.defn.Expr;
import dev.jnx.defn.Expr.BinaryOp;
import dev.jnx.defn.Expr.ReduceOp;
import dev.jnx.defn.Expr.UnaryOp;
import dev.jnx.defn.Tracing;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static dev.jnx.defn.Tracing.bind;
import static dev.jnx.defn.Tracing.nodeOf;

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

    /** A f32 vector over a copy of {@code values}. */
    public static Tensor tensor(float[] values) {
        Objects.requireNonNull(values, "tensor: argument values");
        return HostArrays.flat(values, DType.F32, null);
    }

    /** A f64 vector over a copy of {@code values}. */
    public static Tensor tensor(double[] values) {
        Objects.requireNonNull(values, "tensor: argument values");
        return HostArrays.flat(values, DType.F64, null);
    }

    /** A s32 vector over a copy of {@code values}. */
    public static Tensor tensor(int[] values) {
        Objects.requireNonNull(values, "tensor: argument values");
        return HostArrays.flat(values, DType.S32, null);
    }

    /** A s64 vector over a copy of {@code values}. */
    public static Tensor tensor(long[] values) {
        Objects.requireNonNull(values, "tensor: argument values");
        return HostArrays.flat(values, DType.S64, null);
    }

    /**
     * A f32 tensor of shape {@code dims} over a copy of {@code data}, row-major, copied in bulk
     * (as fast as copying the array). No dims make a scalar of a one-element array.
     *
     * @throws IllegalArgumentException if {@code data.length} is not the number of elements of {@code dims}
     */
    public static Tensor tensor(float[] data, int... dims) {
        Objects.requireNonNull(data, "tensor: argument data");
        Objects.requireNonNull(dims, "tensor: argument dims");
        return HostArrays.flat(data, DType.F32, dims);
    }

    /** A f64 tensor of shape {@code dims} over a copy of {@code data}, as {@link #tensor(float[], int...)}. */
    public static Tensor tensor(double[] data, int... dims) {
        Objects.requireNonNull(data, "tensor: argument data");
        Objects.requireNonNull(dims, "tensor: argument dims");
        return HostArrays.flat(data, DType.F64, dims);
    }

    /** A s32 tensor of shape {@code dims} over a copy of {@code data}, as {@link #tensor(float[], int...)}. */
    public static Tensor tensor(int[] data, int... dims) {
        Objects.requireNonNull(data, "tensor: argument data");
        Objects.requireNonNull(dims, "tensor: argument dims");
        return HostArrays.flat(data, DType.S32, dims);
    }

    /** A s64 tensor of shape {@code dims} over a copy of {@code data}, as {@link #tensor(float[], int...)}. */
    public static Tensor tensor(long[] data, int... dims) {
        Objects.requireNonNull(data, "tensor: argument data");
        Objects.requireNonNull(dims, "tensor: argument dims");
        return HostArrays.flat(data, DType.S64, dims);
    }

    /** A s16 tensor of shape {@code dims} over a copy of {@code data}, as {@link #tensor(float[], int...)}. */
    public static Tensor tensor(short[] data, int... dims) {
        Objects.requireNonNull(data, "tensor: argument data");
        Objects.requireNonNull(dims, "tensor: argument dims");
        return HostArrays.flat(data, DType.S16, dims);
    }

    /**
     * A s8 tensor of shape {@code dims} over a copy of {@code data}, as {@link #tensor(float[], int...)};
     * for raw bytes of another type (u8 pixels, f32 from a file) use {@link #fromBinary}.
     */
    public static Tensor tensor(byte[] data, int... dims) {
        Objects.requireNonNull(data, "tensor: argument data");
        Objects.requireNonNull(dims, "tensor: argument dims");
        return HostArrays.flat(data, DType.S8, dims);
    }

    /**
     * A tensor from nested Java arrays ({@code float[][]}, {@code int[][][]}, ...) or a number;
     * the innermost element type decides the type: float→f32, double→f64, int→s32, long→s64,
     * short→s16, byte→s8. Arrays of primitives are copied row by row in bulk.
     */
    public static Tensor tensor(Object values) {
        Objects.requireNonNull(values, "tensor: argument values");
        return tensor(values, HostArrays.defaultType(values));
    }

    /**
     * A tensor of type {@code type} from nested Java arrays or a number, converting each value
     * as {@link #asType} does (arrays of primitives are copied in bulk first).
     */
    public static Tensor tensor(Object values, DType type) {
        Objects.requireNonNull(values, "tensor: argument values");
        Objects.requireNonNull(type, "tensor: argument type");
        if (values instanceof Tensor t) {
            return asType(t, type);
        }
        if (values instanceof Number n) {
            return scalar(n, type);
        }
        if (values instanceof Complex z) {
            return reshape(tensor(new Complex[] {z}, type), Shape.scalar());
        }
        if (!values.getClass().isArray()) {
            throw new IllegalArgumentException("Nx.tensor: expected a number or a (nested) Java array, got "
                    + values.getClass().getName());
        }
        return HostArrays.nested(values, type);
    }

    /**
     * A vector over a copy of raw bytes, each element in {@code type}'s little-endian binary
     * layout ({@code Nx.from_binary}).
     *
     * @throws IllegalArgumentException if the byte count is not a multiple of the element size
     */
    public static Tensor fromBinary(byte[] data, DType type) {
        Objects.requireNonNull(data, "from_binary: argument data");
        Objects.requireNonNull(type, "from_binary: argument type");
        return HostArrays.fromBinary(MemorySegment.ofArray(data), type, null);
    }

    /**
     * A tensor of shape {@code dims} over a copy of raw bytes, row-major, each element in
     * {@code type}'s little-endian binary layout ({@code Nx.from_binary} then {@code Nx.reshape}).
     *
     * @throws IllegalArgumentException if the byte count is not that of {@code type} and {@code dims}
     */
    public static Tensor fromBinary(byte[] data, DType type, int... dims) {
        Objects.requireNonNull(data, "from_binary: argument data");
        Objects.requireNonNull(type, "from_binary: argument type");
        Objects.requireNonNull(dims, "from_binary: argument dims");
        return HostArrays.fromBinary(MemorySegment.ofArray(data), type, dims);
    }

    /** {@link #fromBinary(byte[], DType)} over the buffer's remaining bytes (its position is left as it is). */
    public static Tensor fromBinary(ByteBuffer data, DType type) {
        Objects.requireNonNull(data, "from_binary: argument data");
        Objects.requireNonNull(type, "from_binary: argument type");
        return HostArrays.fromBinary(MemorySegment.ofBuffer(data), type, null);
    }

    /** {@link #fromBinary(byte[], DType, int...)} over the buffer's remaining bytes (its position is left as it is). */
    public static Tensor fromBinary(ByteBuffer data, DType type, int... dims) {
        Objects.requireNonNull(data, "from_binary: argument data");
        Objects.requireNonNull(type, "from_binary: argument type");
        Objects.requireNonNull(dims, "from_binary: argument dims");
        return HostArrays.fromBinary(MemorySegment.ofBuffer(data), type, dims);
    }

    /** {@link #fromBinary(byte[], DType)} over the bytes of a heap or native segment. */
    public static Tensor fromBinary(MemorySegment data, DType type) {
        Objects.requireNonNull(data, "from_binary: argument data");
        Objects.requireNonNull(type, "from_binary: argument type");
        return HostArrays.fromBinary(data, type, null);
    }

    /** {@link #fromBinary(byte[], DType, int...)} over the bytes of a heap or native segment. */
    public static Tensor fromBinary(MemorySegment data, DType type, int... dims) {
        Objects.requireNonNull(data, "from_binary: argument data");
        Objects.requireNonNull(type, "from_binary: argument type");
        Objects.requireNonNull(dims, "from_binary: argument dims");
        return HostArrays.fromBinary(data, type, dims);
    }

    /** A scalar of the number's default type (int→s32, long→s64, float→f32, double→f64). */
    public static Tensor scalar(Number value) {
        Objects.requireNonNull(value, "scalar: argument value");
        return scalar(value, DType.infer(value));
    }

    /** A scalar of type {@code type}. */
    public static Tensor scalar(Number value, DType type) {
        Objects.requireNonNull(value, "scalar: argument value");
        Objects.requireNonNull(type, "scalar: argument type");
        return Tensor.of(Shape.scalar(), type, HostData.scalar(value, type));
    }

    /** A tensor of {@code shape} with every element equal to {@code value}. */
    public static Tensor fill(Shape shape, Number value, DType type) {
        Objects.requireNonNull(shape, "fill: argument shape");
        Objects.requireNonNull(value, "fill: argument value");
        Objects.requireNonNull(type, "fill: argument type");
        return broadcast(scalar(value, type), shape);
    }

    /** Counts 0, 1, 2, ... over the flattened {@code shape} ({@code Nx.iota(shape)}). */
    public static Tensor iota(Shape shape, DType type) {
        Objects.requireNonNull(shape, "iota: argument shape");
        Objects.requireNonNull(type, "iota: argument type");
        return bind(new Expr.Iota(shape, type, -1));
    }

    /** Counts along {@code axis}: each element is its index on that axis ({@code Nx.iota(shape, axis: a)}). */
    public static Tensor iota(Shape shape, DType type, int axis) {
        Objects.requireNonNull(shape, "iota: argument shape");
        Objects.requireNonNull(type, "iota: argument type");
        return bind(new Expr.Iota(shape, type, shape.normalizeAxis(axis, "iota")));
    }

    // ---------------------------------------------------------------- element-wise

    /** Element-wise {@code a + b} with broadcasting. */
    public static Tensor add(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "add: argument a");
        Objects.requireNonNull(b, "add: argument b");
        return arithmetic(BinaryOp.ADD, a, b);
    }

    /** {@code a + b} with a number. */
    public static Tensor add(Tensor a, Number b) {
        Objects.requireNonNull(a, "add: argument a");
        Objects.requireNonNull(b, "add: argument b");
        return add(a, numberLike(a, b));
    }

    /** {@code a + b} with a number. */
    public static Tensor add(Number a, Tensor b) {
        Objects.requireNonNull(a, "add: argument a");
        Objects.requireNonNull(b, "add: argument b");
        return add(numberLike(b, a), b);
    }

    /** Element-wise {@code a - b} with broadcasting. */
    public static Tensor subtract(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "subtract: argument a");
        Objects.requireNonNull(b, "subtract: argument b");
        return arithmetic(BinaryOp.SUBTRACT, a, b);
    }

    /** {@code a - b} with a number. */
    public static Tensor subtract(Tensor a, Number b) {
        Objects.requireNonNull(a, "subtract: argument a");
        Objects.requireNonNull(b, "subtract: argument b");
        return subtract(a, numberLike(a, b));
    }

    /** {@code a - b} with a number. */
    public static Tensor subtract(Number a, Tensor b) {
        Objects.requireNonNull(a, "subtract: argument a");
        Objects.requireNonNull(b, "subtract: argument b");
        return subtract(numberLike(b, a), b);
    }

    /** Element-wise {@code a * b} with broadcasting. */
    public static Tensor multiply(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "multiply: argument a");
        Objects.requireNonNull(b, "multiply: argument b");
        return arithmetic(BinaryOp.MULTIPLY, a, b);
    }

    /** {@code a * b} with a number. */
    public static Tensor multiply(Tensor a, Number b) {
        Objects.requireNonNull(a, "multiply: argument a");
        Objects.requireNonNull(b, "multiply: argument b");
        return multiply(a, numberLike(a, b));
    }

    /** {@code a * b} with a number. */
    public static Tensor multiply(Number a, Tensor b) {
        Objects.requireNonNull(a, "multiply: argument a");
        Objects.requireNonNull(b, "multiply: argument b");
        return multiply(numberLike(b, a), b);
    }

    /** Element-wise {@code a / b}; always floating point, as in Nx (integers become f32). */
    public static Tensor divide(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "divide: argument a");
        Objects.requireNonNull(b, "divide: argument b");
        DType t = DType.merge(a.type(), b.type()).toFloating();
        return binary(BinaryOp.DIVIDE, "divide", a, b, t);
    }

    /** {@code a / b} with a number. */
    public static Tensor divide(Tensor a, Number b) {
        Objects.requireNonNull(a, "divide: argument a");
        Objects.requireNonNull(b, "divide: argument b");
        return divide(a, numberLike(a, b));
    }

    /** {@code a / b} with a number. */
    public static Tensor divide(Number a, Tensor b) {
        Objects.requireNonNull(a, "divide: argument a");
        Objects.requireNonNull(b, "divide: argument b");
        return divide(numberLike(b, a), b);
    }

    /** Element-wise maximum with broadcasting (NaN wins, as in XLA); not defined for complex types. */
    public static Tensor max(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "max: argument a");
        Objects.requireNonNull(b, "max: argument b");
        return ordered(BinaryOp.MAX, "max", a, b);
    }

    /** Element-wise maximum with a number. */
    public static Tensor max(Tensor a, Number b) {
        Objects.requireNonNull(a, "max: argument a");
        Objects.requireNonNull(b, "max: argument b");
        return max(a, numberLike(a, b));
    }

    /** Element-wise minimum with broadcasting (NaN wins, as in XLA); not defined for complex types. */
    public static Tensor min(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "min: argument a");
        Objects.requireNonNull(b, "min: argument b");
        return ordered(BinaryOp.MIN, "min", a, b);
    }

    /** Element-wise minimum with a number. */
    public static Tensor min(Tensor a, Number b) {
        Objects.requireNonNull(a, "min: argument a");
        Objects.requireNonNull(b, "min: argument b");
        return min(a, numberLike(a, b));
    }

    /** Element-wise {@code a == b}: a u8 tensor of 1s and 0s. */
    public static Tensor equal(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "equal: argument a");
        Objects.requireNonNull(b, "equal: argument b");
        return comparison(BinaryOp.EQUAL, "equal", a, b);
    }

    /** {@link #equal(Tensor, Tensor)} with a number. */
    public static Tensor equal(Tensor a, Number b) {
        Objects.requireNonNull(a, "equal: argument a");
        Objects.requireNonNull(b, "equal: argument b");
        return equal(a, numberLike(a, b));
    }

    /** Element-wise {@code a != b}: a u8 tensor of 1s and 0s. */
    public static Tensor notEqual(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "not_equal: argument a");
        Objects.requireNonNull(b, "not_equal: argument b");
        return comparison(BinaryOp.NOT_EQUAL, "not_equal", a, b);
    }

    /** {@link #notEqual(Tensor, Tensor)} with a number. */
    public static Tensor notEqual(Tensor a, Number b) {
        Objects.requireNonNull(a, "not_equal: argument a");
        Objects.requireNonNull(b, "not_equal: argument b");
        return notEqual(a, numberLike(a, b));
    }

    /** Element-wise {@code a < b}: a u8 tensor of 1s and 0s. */
    public static Tensor less(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "less: argument a");
        Objects.requireNonNull(b, "less: argument b");
        return ordered(BinaryOp.LESS, "less", a, b);
    }

    /** {@link #less(Tensor, Tensor)} with a number. */
    public static Tensor less(Tensor a, Number b) {
        Objects.requireNonNull(a, "less: argument a");
        Objects.requireNonNull(b, "less: argument b");
        return less(a, numberLike(a, b));
    }

    /** Element-wise {@code a <= b}: a u8 tensor of 1s and 0s. */
    public static Tensor lessEqual(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "less_equal: argument a");
        Objects.requireNonNull(b, "less_equal: argument b");
        return ordered(BinaryOp.LESS_EQUAL, "less_equal", a, b);
    }

    /** {@link #lessEqual(Tensor, Tensor)} with a number. */
    public static Tensor lessEqual(Tensor a, Number b) {
        Objects.requireNonNull(a, "less_equal: argument a");
        Objects.requireNonNull(b, "less_equal: argument b");
        return lessEqual(a, numberLike(a, b));
    }

    /** Element-wise {@code a > b}: a u8 tensor of 1s and 0s. */
    public static Tensor greater(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "greater: argument a");
        Objects.requireNonNull(b, "greater: argument b");
        return ordered(BinaryOp.GREATER, "greater", a, b);
    }

    /** {@link #greater(Tensor, Tensor)} with a number. */
    public static Tensor greater(Tensor a, Number b) {
        Objects.requireNonNull(a, "greater: argument a");
        Objects.requireNonNull(b, "greater: argument b");
        return greater(a, numberLike(a, b));
    }

    /** Element-wise {@code a >= b}: a u8 tensor of 1s and 0s. */
    public static Tensor greaterEqual(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "greater_equal: argument a");
        Objects.requireNonNull(b, "greater_equal: argument b");
        return ordered(BinaryOp.GREATER_EQUAL, "greater_equal", a, b);
    }

    /** {@link #greaterEqual(Tensor, Tensor)} with a number. */
    public static Tensor greaterEqual(Tensor a, Number b) {
        Objects.requireNonNull(a, "greater_equal: argument a");
        Objects.requireNonNull(b, "greater_equal: argument b");
        return greaterEqual(a, numberLike(a, b));
    }

    /** Element-wise {@code -x}. */
    public static Tensor negate(Tensor x) {
        Objects.requireNonNull(x, "negate: argument x");
        return unary(UnaryOp.NEGATE, x, x.type());
    }

    /** Element-wise e^x; integers become f32. */
    public static Tensor exp(Tensor x) {
        Objects.requireNonNull(x, "exp: argument x");
        return unary(UnaryOp.EXP, x, x.type().toFloating());
    }

    /** Element-wise natural logarithm; integers become f32. */
    public static Tensor log(Tensor x) {
        Objects.requireNonNull(x, "log: argument x");
        return unary(UnaryOp.LOG, x, x.type().toFloating());
    }

    /** Element-wise square root; integers become f32. */
    public static Tensor sqrt(Tensor x) {
        Objects.requireNonNull(x, "sqrt: argument x");
        return unary(UnaryOp.SQRT, x, x.type().toFloating());
    }

    /** Element-wise hyperbolic tangent; integers become f32. */
    public static Tensor tanh(Tensor x) {
        Objects.requireNonNull(x, "tanh: argument x");
        return unary(UnaryOp.TANH, x, x.type().toFloating());
    }

    // ---------------------------------------------------------------- element-wise math (ElementwiseEval, ElementwiseGrad)

    /** Element-wise absolute value ({@code Nx.abs}); complex gives its magnitude in the real type. */
    public static Tensor abs(Tensor x) {
        Objects.requireNonNull(x, "abs: argument x");
        if (x.type().isUnsigned()) {
            return x;
        }
        return unaryTo(UnaryOp.ABS, x, x.type(), x.type().isComplex() ? x.type().toReal() : x.type());
    }

    /** Element-wise sign: -1, 0 or 1 ({@code Nx.sign}); NaN stays NaN. */
    public static Tensor sign(Tensor x) {
        Objects.requireNonNull(x, "sign: argument x");
        return unary(UnaryOp.SIGN, x, x.type());
    }

    /** Element-wise ceiling ({@code Nx.ceil}); integers are returned unchanged. */
    public static Tensor ceil(Tensor x) {
        Objects.requireNonNull(x, "ceil: argument x");
        return rounding(UnaryOp.CEIL, "ceil", x);
    }

    /** Element-wise floor ({@code Nx.floor}); integers are returned unchanged. */
    public static Tensor floor(Tensor x) {
        Objects.requireNonNull(x, "floor: argument x");
        return rounding(UnaryOp.FLOOR, "floor", x);
    }

    /** Rounds to the nearest integer, halves away from zero ({@code Nx.round}); integers are unchanged. */
    public static Tensor round(Tensor x) {
        Objects.requireNonNull(x, "round: argument x");
        return rounding(UnaryOp.ROUND, "round", x);
    }

    /** Element-wise e^x - 1, accurate near 0 ({@code Nx.expm1}). */
    public static Tensor expm1(Tensor x) {
        Objects.requireNonNull(x, "expm1: argument x");
        return floating(UnaryOp.EXPM1, "expm1", x, true);
    }

    /** Element-wise log(1 + x), accurate near 0 ({@code Nx.log1p}). */
    public static Tensor log1p(Tensor x) {
        Objects.requireNonNull(x, "log1p: argument x");
        return floating(UnaryOp.LOG1P, "log1p", x, true);
    }

    /** Element-wise logarithm in {@code base} ({@code Nx.log(t, base)}). */
    public static Tensor log(Tensor x, Number base) {
        Objects.requireNonNull(x, "log: argument x");
        Objects.requireNonNull(base, "log: argument base");
        Tensor l = log(x);
        return divide(l, scalar(Math.log(base.doubleValue()), l.type()));
    }

    /** Element-wise base-2 logarithm ({@code Nx.log2}). */
    public static Tensor log2(Tensor x) {
        Objects.requireNonNull(x, "log2: argument x");
        Tensor l = log(x);
        return divide(l, scalar(Math.log(2), l.type()));
    }

    /** Element-wise base-10 logarithm ({@code Nx.log10}). */
    public static Tensor log10(Tensor x) {
        Objects.requireNonNull(x, "log10: argument x");
        Tensor l = log(x);
        return divide(l, scalar(Math.log(10), l.type()));
    }

    /** Element-wise logistic function 1 / (1 + e^-x) ({@code Nx.sigmoid}). */
    public static Tensor sigmoid(Tensor x) {
        Objects.requireNonNull(x, "sigmoid: argument x");
        return floating(UnaryOp.SIGMOID, "sigmoid", x, true);
    }

    /** Element-wise 1 / sqrt(x) ({@code Nx.rsqrt}). */
    public static Tensor rsqrt(Tensor x) {
        Objects.requireNonNull(x, "rsqrt: argument x");
        return floating(UnaryOp.RSQRT, "rsqrt", x, true);
    }

    /** Element-wise cube root ({@code Nx.cbrt}). */
    public static Tensor cbrt(Tensor x) {
        Objects.requireNonNull(x, "cbrt: argument x");
        return floating(UnaryOp.CBRT, "cbrt", x, false);
    }

    /** Element-wise sine ({@code Nx.sin}). */
    public static Tensor sin(Tensor x) {
        Objects.requireNonNull(x, "sin: argument x");
        return floating(UnaryOp.SIN, "sin", x, true);
    }

    /** Element-wise cosine ({@code Nx.cos}). */
    public static Tensor cos(Tensor x) {
        Objects.requireNonNull(x, "cos: argument x");
        return floating(UnaryOp.COS, "cos", x, true);
    }

    /** Element-wise tangent ({@code Nx.tan}). */
    public static Tensor tan(Tensor x) {
        Objects.requireNonNull(x, "tan: argument x");
        return floating(UnaryOp.TAN, "tan", x, true);
    }

    /** Element-wise arcsine ({@code Nx.asin}). */
    public static Tensor asin(Tensor x) {
        Objects.requireNonNull(x, "asin: argument x");
        return floating(UnaryOp.ASIN, "asin", x, true);
    }

    /** Element-wise arccosine ({@code Nx.acos}). */
    public static Tensor acos(Tensor x) {
        Objects.requireNonNull(x, "acos: argument x");
        return floating(UnaryOp.ACOS, "acos", x, true);
    }

    /** Element-wise arctangent ({@code Nx.atan}). */
    public static Tensor atan(Tensor x) {
        Objects.requireNonNull(x, "atan: argument x");
        return floating(UnaryOp.ATAN, "atan", x, true);
    }

    /** Element-wise hyperbolic sine ({@code Nx.sinh}). */
    public static Tensor sinh(Tensor x) {
        Objects.requireNonNull(x, "sinh: argument x");
        return floating(UnaryOp.SINH, "sinh", x, true);
    }

    /** Element-wise hyperbolic cosine ({@code Nx.cosh}). */
    public static Tensor cosh(Tensor x) {
        Objects.requireNonNull(x, "cosh: argument x");
        return floating(UnaryOp.COSH, "cosh", x, true);
    }

    /** Element-wise inverse hyperbolic sine ({@code Nx.asinh}). */
    public static Tensor asinh(Tensor x) {
        Objects.requireNonNull(x, "asinh: argument x");
        return floating(UnaryOp.ASINH, "asinh", x, true);
    }

    /** Element-wise inverse hyperbolic cosine ({@code Nx.acosh}). */
    public static Tensor acosh(Tensor x) {
        Objects.requireNonNull(x, "acosh: argument x");
        return floating(UnaryOp.ACOSH, "acosh", x, true);
    }

    /** Element-wise inverse hyperbolic tangent ({@code Nx.atanh}). */
    public static Tensor atanh(Tensor x) {
        Objects.requireNonNull(x, "atanh: argument x");
        return floating(UnaryOp.ATANH, "atanh", x, true);
    }

    /** Element-wise error function ({@code Nx.erf}). */
    public static Tensor erf(Tensor x) {
        Objects.requireNonNull(x, "erf: argument x");
        return floating(UnaryOp.ERF, "erf", x, false);
    }

    /** Element-wise complementary error function 1 - erf(x) ({@code Nx.erfc}). */
    public static Tensor erfc(Tensor x) {
        Objects.requireNonNull(x, "erfc: argument x");
        return floating(UnaryOp.ERFC, "erfc", x, false);
    }

    /** Element-wise inverse error function ({@code Nx.erf_inv}). */
    public static Tensor erfInv(Tensor x) {
        Objects.requireNonNull(x, "erf_inv: argument x");
        return floating(UnaryOp.ERF_INV, "erf_inv", x, false);
    }

    /** 1 where an element is NaN, else 0, as u8 ({@code Nx.is_nan}). */
    public static Tensor isNan(Tensor x) {
        Objects.requireNonNull(x, "is_nan: argument x");
        return unaryTo(UnaryOp.IS_NAN, x, x.type(), DType.U8);
    }

    /** 1 where an element is +Inf or -Inf, else 0, as u8 ({@code Nx.is_infinity}). */
    public static Tensor isInfinity(Tensor x) {
        Objects.requireNonNull(x, "is_infinity: argument x");
        return unaryTo(UnaryOp.IS_INFINITY, x, x.type(), DType.U8);
    }

    /** Element-wise bitwise complement of an integer tensor ({@code Nx.bitwise_not}). */
    public static Tensor bitwiseNot(Tensor x) {
        Objects.requireNonNull(x, "bitwise_not: argument x");
        return unary(UnaryOp.BITWISE_NOT, requireInteger("bitwise_not", x), x.type());
    }

    /** The number of set bits of each integer element ({@code Nx.population_count}). */
    public static Tensor populationCount(Tensor x) {
        Objects.requireNonNull(x, "population_count: argument x");
        return unary(UnaryOp.POPULATION_COUNT, requireInteger("population_count", x), x.type());
    }

    /** The number of leading zero bits of each integer element ({@code Nx.count_leading_zeros}). */
    public static Tensor countLeadingZeros(Tensor x) {
        Objects.requireNonNull(x, "count_leading_zeros: argument x");
        return unary(UnaryOp.COUNT_LEADING_ZEROS, requireInteger("count_leading_zeros", x), x.type());
    }

    /** The real part, as a floating tensor ({@code Nx.real}); integers become f32. */
    public static Tensor real(Tensor x) {
        Objects.requireNonNull(x, "real: argument x");
        if (x.type().isComplex()) {
            return unaryTo(UnaryOp.REAL, x, x.type(), x.type().toReal());
        }
        return x.type().isFloat() ? x : asType(x, DType.F32);
    }

    /** The imaginary part, as a floating tensor ({@code Nx.imag}); zeros for real tensors. */
    public static Tensor imag(Tensor x) {
        Objects.requireNonNull(x, "imag: argument x");
        if (x.type().isComplex()) {
            return unaryTo(UnaryOp.IMAG, x, x.type(), x.type().toReal());
        }
        return broadcast(scalar(0, x.type().toFloating()), x.shape());
    }

    /** The complex conjugate, as a complex tensor ({@code Nx.conjugate}). */
    public static Tensor conjugate(Tensor x) {
        Objects.requireNonNull(x, "conjugate: argument x");
        DType c = toComplex(x.type());
        return unary(UnaryOp.CONJUGATE, x, c);
    }

    /** The angle of each element in the complex plane, atan2(imag, real) ({@code Nx.phase}). */
    public static Tensor phase(Tensor x) {
        Objects.requireNonNull(x, "phase: argument x");
        Tensor r = real(x);
        return atan2(imag(x), r);
    }

    /** A complex tensor from real and imaginary parts with broadcasting ({@code Nx.complex}). */
    public static Tensor complex(Tensor re, Tensor im) {
        Objects.requireNonNull(re, "complex: argument re");
        Objects.requireNonNull(im, "complex: argument im");
        if (re.type().isComplex() || im.type().isComplex()) {
            throw new IllegalArgumentException("complex: expected real tensors, got " + re.type() + re.shape()
                    + " and " + im.type() + im.shape());
        }
        DType out = toComplex(DType.merge(re.type(), im.type()).toFloating());
        DType part = out.toReal();
        Shape shape = broadcastShapes(re.shape(), im.shape(), "complex");
        Tensor a = broadcast(asType(re, part), shape);
        Tensor b = broadcast(asType(im, part), shape);
        return bind(new Expr.Binary(BinaryOp.COMPLEX, nodeOf(a), nodeOf(b), shape, out), a, b);
    }

    /** Reinterprets the bits of each element as {@code type} of the same width ({@code Nx.bitcast}). */
    public static Tensor bitcast(Tensor x, DType type) {
        Objects.requireNonNull(x, "bitcast: argument x");
        Objects.requireNonNull(type, "bitcast: argument type");
        if (x.type().isComplex() || type.isComplex()) {
            throw new IllegalArgumentException("bitcast: complex types are not supported, got " + x.type() + x.shape()
                    + " to " + type);
        }
        if (x.type().bits() != type.bits()) {
            throw new IllegalArgumentException("bitcast: input type width must match new type width, got "
                    + x.type() + x.shape() + " (" + x.type().bits() + " bits) and " + type + " (" + type.bits() + " bits)");
        }
        if (x.type() == type) {
            return x;
        }
        return bind(new Expr.Bitcast(nodeOf(x), x.shape(), type), x);
    }

    // ---------------------------------------------------------------- element-wise binary

    /** Integer division truncating toward zero ({@code Nx.quotient}); integers only. */
    public static Tensor quotient(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "quotient: argument a");
        Objects.requireNonNull(b, "quotient: argument b");
        requireInteger("quotient", a, b);
        return binary(BinaryOp.DIVIDE, "quotient", a, b, DType.merge(a.type(), b.type()));
    }

    /** {@link #quotient(Tensor, Tensor)} with a number. */
    public static Tensor quotient(Tensor a, Number b) {
        Objects.requireNonNull(a, "quotient: argument a");
        Objects.requireNonNull(b, "quotient: argument b");
        return quotient(a, numberLike(a, b));
    }

    /** Remainder of the truncating division, with the sign of the dividend ({@code Nx.remainder}). */
    public static Tensor remainder(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "remainder: argument a");
        Objects.requireNonNull(b, "remainder: argument b");
        DType t = DType.merge(a.type(), b.type());
        requireNotComplex("remainder", t, a, b);
        return binary(BinaryOp.REMAINDER, "remainder", a, b, t);
    }

    /** {@link #remainder(Tensor, Tensor)} with a number. */
    public static Tensor remainder(Tensor a, Number b) {
        Objects.requireNonNull(a, "remainder: argument a");
        Objects.requireNonNull(b, "remainder: argument b");
        return remainder(a, numberLike(a, b));
    }

    /** Element-wise a to the power b ({@code Nx.pow}); integer powers stay integers. */
    public static Tensor pow(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "pow: argument a");
        Objects.requireNonNull(b, "pow: argument b");
        return binary(BinaryOp.POW, "pow", a, b, DType.merge(a.type(), b.type()));
    }

    /** {@link #pow(Tensor, Tensor)} with a number exponent. */
    public static Tensor pow(Tensor a, Number b) {
        Objects.requireNonNull(a, "pow: argument a");
        Objects.requireNonNull(b, "pow: argument b");
        return pow(a, numberLike(a, b));
    }

    /** {@link #pow(Tensor, Tensor)} with a number base. */
    public static Tensor pow(Number a, Tensor b) {
        Objects.requireNonNull(a, "pow: argument a");
        Objects.requireNonNull(b, "pow: argument b");
        return pow(numberLike(b, a), b);
    }

    /** The angle of the point (b, a), atan(a / b) in the right quadrant ({@code Nx.atan2}). */
    public static Tensor atan2(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "atan2: argument a");
        Objects.requireNonNull(b, "atan2: argument b");
        DType t = DType.merge(a.type(), b.type()).toFloating();
        requireNotComplex("atan2", t, a, b);
        return binary(BinaryOp.ATAN2, "atan2", a, b, t);
    }

    /** {@link #atan2(Tensor, Tensor)} with a number. */
    public static Tensor atan2(Tensor a, Number b) {
        Objects.requireNonNull(a, "atan2: argument a");
        Objects.requireNonNull(b, "atan2: argument b");
        return atan2(a, numberLike(a, b));
    }

    /** Element-wise bitwise and of integers ({@code Nx.bitwise_and}). */
    public static Tensor bitwiseAnd(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "bitwise_and: argument a");
        Objects.requireNonNull(b, "bitwise_and: argument b");
        return bitwise(BinaryOp.BITWISE_AND, "bitwise_and", a, b);
    }

    /** {@link #bitwiseAnd(Tensor, Tensor)} with a number. */
    public static Tensor bitwiseAnd(Tensor a, Number b) {
        Objects.requireNonNull(a, "bitwise_and: argument a");
        Objects.requireNonNull(b, "bitwise_and: argument b");
        return bitwiseAnd(a, numberLike(a, b));
    }

    /** Element-wise bitwise or of integers ({@code Nx.bitwise_or}). */
    public static Tensor bitwiseOr(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "bitwise_or: argument a");
        Objects.requireNonNull(b, "bitwise_or: argument b");
        return bitwise(BinaryOp.BITWISE_OR, "bitwise_or", a, b);
    }

    /** {@link #bitwiseOr(Tensor, Tensor)} with a number. */
    public static Tensor bitwiseOr(Tensor a, Number b) {
        Objects.requireNonNull(a, "bitwise_or: argument a");
        Objects.requireNonNull(b, "bitwise_or: argument b");
        return bitwiseOr(a, numberLike(a, b));
    }

    /** Element-wise bitwise exclusive or of integers ({@code Nx.bitwise_xor}). */
    public static Tensor bitwiseXor(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "bitwise_xor: argument a");
        Objects.requireNonNull(b, "bitwise_xor: argument b");
        return bitwise(BinaryOp.BITWISE_XOR, "bitwise_xor", a, b);
    }

    /** {@link #bitwiseXor(Tensor, Tensor)} with a number. */
    public static Tensor bitwiseXor(Tensor a, Number b) {
        Objects.requireNonNull(a, "bitwise_xor: argument a");
        Objects.requireNonNull(b, "bitwise_xor: argument b");
        return bitwiseXor(a, numberLike(a, b));
    }

    /** Shifts integers left by b bits; counts outside [0, bits) give 0 ({@code Nx.left_shift}). */
    public static Tensor leftShift(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "left_shift: argument a");
        Objects.requireNonNull(b, "left_shift: argument b");
        return bitwise(BinaryOp.LEFT_SHIFT, "left_shift", a, b);
    }

    /** {@link #leftShift(Tensor, Tensor)} with a number. */
    public static Tensor leftShift(Tensor a, Number b) {
        Objects.requireNonNull(a, "left_shift: argument a");
        Objects.requireNonNull(b, "left_shift: argument b");
        return leftShift(a, numberLike(a, b));
    }

    /** Shifts integers right by b bits: arithmetic for signed, logical for unsigned ({@code Nx.right_shift}). */
    public static Tensor rightShift(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "right_shift: argument a");
        Objects.requireNonNull(b, "right_shift: argument b");
        return bitwise(BinaryOp.RIGHT_SHIFT, "right_shift", a, b);
    }

    /** {@link #rightShift(Tensor, Tensor)} with a number. */
    public static Tensor rightShift(Tensor a, Number b) {
        Objects.requireNonNull(a, "right_shift: argument a");
        Objects.requireNonNull(b, "right_shift: argument b");
        return rightShift(a, numberLike(a, b));
    }

    /** 1 where both are non-zero, else 0, as u8 ({@code Nx.logical_and}). */
    public static Tensor logicalAnd(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "logical_and: argument a");
        Objects.requireNonNull(b, "logical_and: argument b");
        return bitwiseAnd(truthy(a), truthy(b));
    }

    /** 1 where either is non-zero, else 0, as u8 ({@code Nx.logical_or}). */
    public static Tensor logicalOr(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "logical_or: argument a");
        Objects.requireNonNull(b, "logical_or: argument b");
        return bitwiseOr(truthy(a), truthy(b));
    }

    /** 1 where exactly one is non-zero, else 0, as u8 ({@code Nx.logical_xor}). */
    public static Tensor logicalXor(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "logical_xor: argument a");
        Objects.requireNonNull(b, "logical_xor: argument b");
        return bitwiseXor(truthy(a), truthy(b));
    }

    /** 1 where x is zero, else 0, as u8 ({@code Nx.logical_not}). */
    public static Tensor logicalNot(Tensor x) {
        Objects.requireNonNull(x, "logical_not: argument x");
        return equal(x, scalar(0, x.type()));
    }

    /**
     * {@code pred ? onTrue : onFalse} element-wise with broadcasting ({@code Nx.select}); a
     * non-zero predicate is true; the result has the merged type of the branches.
     */
    public static Tensor select(Tensor pred, Tensor onTrue, Tensor onFalse) {
        Objects.requireNonNull(pred, "select: argument pred");
        Objects.requireNonNull(onTrue, "select: argument onTrue");
        Objects.requireNonNull(onFalse, "select: argument onFalse");
        if (pred.type().isComplex()) {
            throw new IllegalArgumentException("select: the predicate must be a real tensor, got " + pred.type() + pred.shape());
        }
        DType t = DType.merge(onTrue.type(), onFalse.type());
        Shape shape = broadcastShapes(broadcastShapes(pred.shape(), onTrue.shape(), "select"), onFalse.shape(), "select");
        Tensor p = pred.type() == DType.U8 ? pred : notEqual(pred, scalar(0, pred.type()));
        return elementwise(shape, n -> new Expr.Select(n[0], n[1], n[2]), p, asType(onTrue, t), asType(onFalse, t));
    }

    /** {@link #select(Tensor, Tensor, Tensor)} with numbers as branches. */
    public static Tensor select(Tensor pred, Number onTrue, Number onFalse) {
        Objects.requireNonNull(pred, "select: argument pred");
        Objects.requireNonNull(onTrue, "select: argument onTrue");
        Objects.requireNonNull(onFalse, "select: argument onFalse");
        return select(pred, scalar(onTrue), scalar(onFalse));
    }

    /** Limits each element to [min, max] ({@code Nx.clip}); min and max are scalars. */
    public static Tensor clip(Tensor x, Tensor min, Tensor max) {
        Objects.requireNonNull(x, "clip: argument x");
        Objects.requireNonNull(min, "clip: argument min");
        Objects.requireNonNull(max, "clip: argument max");
        if (min.rank() != 0 || max.rank() != 0) {
            throw new IllegalArgumentException("clip: min and max must be scalars, got " + min.type() + min.shape()
                    + " and " + max.type() + max.shape());
        }
        DType t = DType.merge(x.type(), DType.merge(min.type(), max.type()));
        requireNotComplex("clip", t, x, min, max);
        Tensor v = asType(x, t);
        Tensor lo = asType(min, t);
        Tensor hi = asType(max, t);
        Tensor below = select(less(v, lo), lo, v);
        return select(greater(below, hi), hi, below);
    }

    /** {@link #clip(Tensor, Tensor, Tensor)} with number bounds. */
    public static Tensor clip(Tensor x, Number min, Number max) {
        Objects.requireNonNull(x, "clip: argument x");
        Objects.requireNonNull(min, "clip: argument min");
        Objects.requireNonNull(max, "clip: argument max");
        return clip(x, numberLike(x, min), numberLike(x, max));
    }

    // ---------------------------------------------------------------- more reductions (Reductions)

    /** 1 if every element is non-zero, else 0, as u8 ({@code Nx.all}). */
    public static Tensor all(Tensor x) {
        Objects.requireNonNull(x, "all: argument x");
        return all(x, allAxes(x), false);
    }

    /** {@code Nx.all} over {@code axes}. */
    public static Tensor all(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "all: argument x");
        Objects.requireNonNull(axes, "all: argument axes");
        return reduce(ReduceOp.MIN, "all", truthy(x), axes, keepAxes);
    }

    /** 1 if any element is non-zero, else 0, as u8 ({@code Nx.any}). */
    public static Tensor any(Tensor x) {
        Objects.requireNonNull(x, "any: argument x");
        return any(x, allAxes(x), false);
    }

    /** {@code Nx.any} over {@code axes}. */
    public static Tensor any(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "any: argument x");
        Objects.requireNonNull(axes, "any: argument axes");
        return reduce(ReduceOp.MAX, "any", truthy(x), axes, keepAxes);
    }

    /** The flat index of the largest element, as s32 ({@code Nx.argmax}); the first NaN wins. */
    public static Tensor argmax(Tensor x) {
        Objects.requireNonNull(x, "argmax: argument x");
        return Reductions.argReduce(true, x, null, false, false, DType.S32);
    }

    /**
     * The index of the largest element along {@code axis} ({@code Nx.argmax(t, axis:, tie_break:,
     * keep_axis:, type:)}); {@code tieHigh} takes the last of equal elements instead of the first.
     */
    public static Tensor argmax(Tensor x, int axis, boolean tieHigh, boolean keepAxis, DType type) {
        Objects.requireNonNull(x, "argmax: argument x");
        Objects.requireNonNull(type, "argmax: argument type");
        return Reductions.argReduce(true, x, axis, tieHigh, keepAxis, type);
    }

    /** The flat index of the smallest element, as s32 ({@code Nx.argmin}); the first NaN wins. */
    public static Tensor argmin(Tensor x) {
        Objects.requireNonNull(x, "argmin: argument x");
        return Reductions.argReduce(false, x, null, false, false, DType.S32);
    }

    /** The index of the smallest element along {@code axis} ({@code Nx.argmin}, options as {@link #argmax(Tensor, int, boolean, boolean, DType)}). */
    public static Tensor argmin(Tensor x, int axis, boolean tieHigh, boolean keepAxis, DType type) {
        Objects.requireNonNull(x, "argmin: argument x");
        Objects.requireNonNull(type, "argmin: argument type");
        return Reductions.argReduce(false, x, axis, tieHigh, keepAxis, type);
    }

    /** The mean of all elements weighted by {@code weights} of the same shape ({@code Nx.weighted_mean}). */
    public static Tensor weightedMean(Tensor x, Tensor weights) {
        Objects.requireNonNull(x, "weighted_mean: argument x");
        Objects.requireNonNull(weights, "weighted_mean: argument weights");
        return Reductions.weightedMean(x, weights, null, false);
    }

    /** The weighted mean over {@code axes}; weights have x's shape or the shape of those axes ({@code Nx.weighted_mean}). */
    public static Tensor weightedMean(Tensor x, Tensor weights, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "weighted_mean: argument x");
        Objects.requireNonNull(weights, "weighted_mean: argument weights");
        Objects.requireNonNull(axes, "weighted_mean: argument axes");
        return Reductions.weightedMean(x, weights, axes, keepAxes);
    }

    /** The population variance of all elements ({@code Nx.variance}). */
    public static Tensor variance(Tensor x) {
        Objects.requireNonNull(x, "variance: argument x");
        return variance(x, allAxes(x), 0, false);
    }

    /** The variance over {@code axes} with {@code ddof} delta degrees of freedom ({@code Nx.variance}). */
    public static Tensor variance(Tensor x, int[] axes, int ddof, boolean keepAxes) {
        Objects.requireNonNull(x, "variance: argument x");
        Objects.requireNonNull(axes, "variance: argument axes");
        return Reductions.variance(x, axes, ddof, keepAxes);
    }

    /** The population standard deviation of all elements ({@code Nx.standard_deviation}). */
    public static Tensor standardDeviation(Tensor x) {
        Objects.requireNonNull(x, "standard_deviation: argument x");
        return sqrt(variance(x));
    }

    /** The standard deviation over {@code axes} with {@code ddof} ({@code Nx.standard_deviation}). */
    public static Tensor standardDeviation(Tensor x, int[] axes, int ddof, boolean keepAxes) {
        Objects.requireNonNull(x, "standard_deviation: argument x");
        Objects.requireNonNull(axes, "standard_deviation: argument axes");
        return sqrt(variance(x, axes, ddof, keepAxes));
    }

    /** log(sum(exp(x))) over all elements, computed stably ({@code Nx.logsumexp}). */
    public static Tensor logsumexp(Tensor x) {
        Objects.requireNonNull(x, "logsumexp: argument x");
        return logsumexp(x, allAxes(x), false);
    }

    /** {@code Nx.logsumexp} over {@code axes}. */
    public static Tensor logsumexp(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "logsumexp: argument x");
        Objects.requireNonNull(axes, "logsumexp: argument axes");
        return Reductions.logsumexp(x, axes, keepAxes);
    }

    /** The median of all elements ({@code Nx.median}); the mean of the middle two for an even count. */
    public static Tensor median(Tensor x) {
        Objects.requireNonNull(x, "median: argument x");
        return Reductions.median(x, null, false);
    }

    /** The median along {@code axis} ({@code Nx.median(t, axis:, keep_axis:)}). */
    public static Tensor median(Tensor x, int axis, boolean keepAxis) {
        Objects.requireNonNull(x, "median: argument x");
        return Reductions.median(x, axis, keepAxis);
    }

    /** The most frequent element; the smallest among equally frequent ones ({@code Nx.mode}). */
    public static Tensor mode(Tensor x) {
        Objects.requireNonNull(x, "mode: argument x");
        return Reductions.mode(x, null, false);
    }

    /** The most frequent element along {@code axis} ({@code Nx.mode(t, axis:, keep_axis:)}). */
    public static Tensor mode(Tensor x, int axis, boolean keepAxis) {
        Objects.requireNonNull(x, "mode: argument x");
        return Reductions.mode(x, axis, keepAxis);
    }

    /**
     * Folds all elements with {@code fn}, starting from the scalar {@code init} ({@code Nx.reduce});
     * {@code fn} is traced once over scalars into a region and must be associative.
     */
    public static Tensor reduce(Tensor x, Number init, java.util.function.BinaryOperator<Tensor> fn) {
        Objects.requireNonNull(x, "reduce: argument x");
        Objects.requireNonNull(init, "reduce: argument init");
        Objects.requireNonNull(fn, "reduce: argument fn");
        return reduce(x, init, allAxes(x), false, fn);
    }

    /** {@code Nx.reduce} over {@code axes}. */
    public static Tensor reduce(Tensor x, Number init, int[] axes, boolean keepAxes,
                                java.util.function.BinaryOperator<Tensor> fn) {
        Objects.requireNonNull(x, "reduce: argument x");
        Objects.requireNonNull(init, "reduce: argument init");
        Objects.requireNonNull(axes, "reduce: argument axes");
        Objects.requireNonNull(fn, "reduce: argument fn");
        return Reductions.reduceFn(x, scalar(init, x.type()), axes, keepAxes, fn);
    }

    // ---------------------------------------------------------------- sort family (Reductions)

    /** Sorts along axis 0, ascending ({@code Nx.sort}). */
    public static Tensor sort(Tensor x) {
        Objects.requireNonNull(x, "sort: argument x");
        return sort(x, 0, false);
    }

    /** Sorts along {@code axis}, stably, ascending or {@code descending} ({@code Nx.sort}); NaN sorts last. */
    public static Tensor sort(Tensor x, int axis, boolean descending) {
        Objects.requireNonNull(x, "sort: argument x");
        return Reductions.sort(x, axis, descending);
    }

    /** The indices that sort along axis 0, as s32 ({@code Nx.argsort}). */
    public static Tensor argsort(Tensor x) {
        Objects.requireNonNull(x, "argsort: argument x");
        return argsort(x, 0, false);
    }

    /** The indices that stably sort along {@code axis}, as s32 ({@code Nx.argsort}). */
    public static Tensor argsort(Tensor x, int axis, boolean descending) {
        Objects.requireNonNull(x, "argsort: argument x");
        return argsort(x, axis, descending, DType.S32);
    }

    /** {@code Nx.argsort} with the index type. */
    public static Tensor argsort(Tensor x, int axis, boolean descending, DType type) {
        Objects.requireNonNull(x, "argsort: argument x");
        Objects.requireNonNull(type, "argsort: argument type");
        return Reductions.argsort(x, axis, descending, type);
    }

    /** The {@code k} largest elements along the last axis and their s32 indices ({@code Nx.top_k}). */
    public static Tensor[] topK(Tensor x, int k) {
        Objects.requireNonNull(x, "top_k: argument x");
        return Reductions.topK(x, k);
    }

    /** Running sum along axis 0 ({@code Nx.cumulative_sum}). */
    public static Tensor cumulativeSum(Tensor x) {
        Objects.requireNonNull(x, "cumulative_sum: argument x");
        return cumulativeSum(x, 0, false);
    }

    /** Running sum along {@code axis}, from the end if {@code reverse} ({@code Nx.cumulative_sum}). */
    public static Tensor cumulativeSum(Tensor x, int axis, boolean reverse) {
        Objects.requireNonNull(x, "cumulative_sum: argument x");
        return Reductions.cumulative(ReduceOp.SUM, "cumulative_sum", x, axis, reverse);
    }

    /** Running product along axis 0 ({@code Nx.cumulative_product}). */
    public static Tensor cumulativeProduct(Tensor x) {
        Objects.requireNonNull(x, "cumulative_product: argument x");
        return cumulativeProduct(x, 0, false);
    }

    /** Running product along {@code axis} ({@code Nx.cumulative_product}). */
    public static Tensor cumulativeProduct(Tensor x, int axis, boolean reverse) {
        Objects.requireNonNull(x, "cumulative_product: argument x");
        return Reductions.cumulative(ReduceOp.PRODUCT, "cumulative_product", x, axis, reverse);
    }

    /** Running maximum along axis 0 ({@code Nx.cumulative_max}). */
    public static Tensor cumulativeMax(Tensor x) {
        Objects.requireNonNull(x, "cumulative_max: argument x");
        return cumulativeMax(x, 0, false);
    }

    /** Running maximum along {@code axis} ({@code Nx.cumulative_max}). */
    public static Tensor cumulativeMax(Tensor x, int axis, boolean reverse) {
        Objects.requireNonNull(x, "cumulative_max: argument x");
        return Reductions.cumulative(ReduceOp.MAX, "cumulative_max", x, axis, reverse);
    }

    /** Running minimum along axis 0 ({@code Nx.cumulative_min}). */
    public static Tensor cumulativeMin(Tensor x) {
        Objects.requireNonNull(x, "cumulative_min: argument x");
        return cumulativeMin(x, 0, false);
    }

    /** Running minimum along {@code axis} ({@code Nx.cumulative_min}). */
    public static Tensor cumulativeMin(Tensor x, int axis, boolean reverse) {
        Objects.requireNonNull(x, "cumulative_min: argument x");
        return Reductions.cumulative(ReduceOp.MIN, "cumulative_min", x, axis, reverse);
    }

    // ---- helpers of the element-wise block

    private static Tensor unaryTo(UnaryOp op, Tensor x, DType operand, DType result) {
        Tensor c = asType(x, operand);
        return bind(new Expr.Unary(op, nodeOf(c), c.shape(), result), x);
    }

    private static Tensor rounding(UnaryOp op, String name, Tensor x) {
        if (x.type().isInteger()) {
            return x;
        }
        requireNotComplex(name, x.type(), x);
        return unary(op, x, x.type());
    }

    private static Tensor floating(UnaryOp op, String name, Tensor x, boolean complexOk) {
        if (!complexOk) {
            requireNotComplex(name, x.type(), x);
        }
        return unary(op, x, x.type().toFloating());
    }

    private static Tensor bitwise(BinaryOp op, String name, Tensor a, Tensor b) {
        requireInteger(name, a, b);
        return binary(op, name, a, b, DType.merge(a.type(), b.type()));
    }

    /** u8 1 where x is non-zero. */
    private static Tensor truthy(Tensor x) {
        return x.type() == DType.U8 ? notEqual(x, scalar(0, DType.U8)) : notEqual(x, scalar(0, x.type()));
    }

    static DType toComplex(DType t) {
        return t == DType.F64 || t == DType.C128 ? DType.C128 : DType.C64;
    }

    private static Tensor requireInteger(String op, Tensor... xs) {
        for (Tensor x : xs) {
            if (!x.type().isInteger()) {
                throw new IllegalArgumentException(op + " expects integer tensors, got " + describe(xs)
                        + " (convert with Nx.asType)");
            }
        }
        return xs[0];
    }

    private static void requireNotComplex(String op, DType t, Tensor... xs) {
        if (t.isComplex()) {
            throw new IllegalArgumentException(op + " is not defined for complex types, got " + describe(xs));
        }
    }

    static String describe(Tensor... xs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : " and ").append(xs[i].type()).append(xs[i].shape());
        }
        return s.toString();
    }

    /** Nx's reduction of {@code axes} with {@code op}; for the op helpers of this package. */
    static Tensor reduceAxes(ReduceOp op, String name, Tensor x, int[] axes, boolean keepAxes) {
        return reduce(op, name, x, axes, keepAxes);
    }

    /**
     * Converts every element to {@code type} ({@code Nx.as_type}): floats to integers truncate and
     * saturate (NaN becomes 0); complex to real keeps the real part.
     */
    public static Tensor asType(Tensor x, DType type) {
        Objects.requireNonNull(x, "as_type: argument x");
        Objects.requireNonNull(type, "as_type: argument type");
        if (x.type() == type) {
            return x;
        }
        return bind(new Expr.Convert(nodeOf(x), type), x);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements; integer types widen as in Nx ({@code s8} sums to {@code s32}). */
    public static Tensor sum(Tensor x) {
        Objects.requireNonNull(x, "sum: argument x");
        return sum(x, allAxes(x), false);
    }

    /** Sum over {@code axes}, keeping them as size-1 dimensions if {@code keepAxes}. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "sum: argument x");
        Objects.requireNonNull(axes, "sum: argument axes");
        return reduce(ReduceOp.SUM, "sum", asType(x, x.type().toAggregate()), axes, keepAxes);
    }

    /** Product of all elements; integer types widen as in Nx. */
    public static Tensor product(Tensor x) {
        Objects.requireNonNull(x, "product: argument x");
        return product(x, allAxes(x), false);
    }

    /** Product over {@code axes}. */
    public static Tensor product(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "product: argument x");
        Objects.requireNonNull(axes, "product: argument axes");
        return reduce(ReduceOp.PRODUCT, "product", asType(x, x.type().toAggregate()), axes, keepAxes);
    }

    /** The mean of all elements, in a floating type. */
    public static Tensor mean(Tensor x) {
        Objects.requireNonNull(x, "mean: argument x");
        return mean(x, allAxes(x), false);
    }

    /** The mean over {@code axes}, in a floating type ({@code Nx.mean}). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "mean: argument x");
        Objects.requireNonNull(axes, "mean: argument axes");
        long count = 1;
        for (int a : x.shape().normalizeAxes(axes, "mean")) {
            count *= x.shape().dim(a);
        }
        Tensor f = asType(x, x.type().toFloating());
        return divide(sum(f, axes, keepAxes), scalar(count, f.type()));
    }

    /** Largest element; {@code -Inf} (or the type's minimum) for an empty tensor. */
    public static Tensor reduceMax(Tensor x) {
        Objects.requireNonNull(x, "reduce_max: argument x");
        return reduceMax(x, allAxes(x), false);
    }

    /** Largest element over {@code axes}. */
    public static Tensor reduceMax(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "reduce_max: argument x");
        Objects.requireNonNull(axes, "reduce_max: argument axes");
        return reduce(ReduceOp.MAX, "reduce_max", x, axes, keepAxes);
    }

    /** Smallest element; {@code Inf} (or the type's maximum) for an empty tensor. */
    public static Tensor reduceMin(Tensor x) {
        Objects.requireNonNull(x, "reduce_min: argument x");
        return reduceMin(x, allAxes(x), false);
    }

    /** Smallest element over {@code axes}. */
    public static Tensor reduceMin(Tensor x, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(x, "reduce_min: argument x");
        Objects.requireNonNull(axes, "reduce_min: argument axes");
        return reduce(ReduceOp.MIN, "reduce_min", x, axes, keepAxes);
    }

    // ---------------------------------------------------------------- dot

    /**
     * Nx's {@code dot}: vector·vector gives a scalar, matrix·vector a vector, matrix·matrix a
     * matrix; in general the last axis of {@code a} contracts with the second-to-last axis of
     * {@code b} (its only axis if {@code b} is a vector). A scalar operand multiplies.
     */
    public static Tensor dot(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "dot: argument a");
        Objects.requireNonNull(b, "dot: argument b");
        if (a.rank() == 0 || b.rank() == 0) {
            return multiply(a, b);
        }
        int cb = b.rank() == 1 ? 0 : b.rank() - 2;
        return dot(a, new int[] {a.rank() - 1}, new int[0], b, new int[] {cb}, new int[0]);
    }

    /** Contracts {@code axesA} of {@code a} with {@code axesB} of {@code b}. */
    public static Tensor dot(Tensor a, int[] axesA, Tensor b, int[] axesB) {
        Objects.requireNonNull(a, "dot: argument a");
        Objects.requireNonNull(axesA, "dot: argument axesA");
        Objects.requireNonNull(b, "dot: argument b");
        Objects.requireNonNull(axesB, "dot: argument axesB");
        return dot(a, axesA, new int[0], b, axesB, new int[0]);
    }

    /**
     * The general {@code dot}: contracts {@code contractA} with {@code contractB} and batches
     * over {@code batchA}/{@code batchB}. The result holds the batch dimensions, then the free
     * dimensions of {@code a}, then those of {@code b}.
     */
    public static Tensor dot(Tensor a, int[] contractA, int[] batchA, Tensor b, int[] contractB, int[] batchB) {
        Objects.requireNonNull(a, "dot: argument a");
        Objects.requireNonNull(contractA, "dot: argument contractA");
        Objects.requireNonNull(batchA, "dot: argument batchA");
        Objects.requireNonNull(b, "dot: argument b");
        Objects.requireNonNull(contractB, "dot: argument contractB");
        Objects.requireNonNull(batchB, "dot: argument batchB");
        int[] ca = a.shape().normalizeAxes(contractA, "dot");
        int[] ba = a.shape().normalizeAxes(batchA, "dot");
        int[] cb = b.shape().normalizeAxes(contractB, "dot");
        int[] bb = b.shape().normalizeAxes(batchB, "dot");
        requireDisjoint(a, ca, ba);
        requireDisjoint(b, cb, bb);
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
        Shape out = shapeOf(dims);
        return bind(new Expr.Dot(nodeOf(asType(a, t)), ca, ba, nodeOf(asType(b, t)), cb, bb, out), a, b);
    }

    // ---------------------------------------------------------------- shape

    /** The same elements in row-major order under {@code shape}, which must have the same size. */
    public static Tensor reshape(Tensor x, Shape shape) {
        Objects.requireNonNull(x, "reshape: argument x");
        Objects.requireNonNull(shape, "reshape: argument shape");
        if (x.shape().longSize() != shape.longSize()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + x.type() + x.shape() + " ("
                    + x.shape().longSize() + " elements) to " + shape + " (" + shape.longSize() + " elements)");
        }
        if (x.shape().equals(shape)) {
            return x;
        }
        return bind(new Expr.Reshape(nodeOf(x), shape), x);
    }

    /** Reverses the order of the dimensions. */
    public static Tensor transpose(Tensor x) {
        Objects.requireNonNull(x, "transpose: argument x");
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axes.length - 1 - i;
        }
        return transpose(x, axes);
    }

    /** Permutes the dimensions: result dimension {@code i} is dimension {@code axes[i]} of {@code x}. */
    public static Tensor transpose(Tensor x, int[] axes) {
        Objects.requireNonNull(x, "transpose: argument x");
        Objects.requireNonNull(axes, "transpose: argument axes");
        int[] ax = x.shape().normalizeAxes(axes, "transpose");
        if (ax.length != x.rank()) {
            throw new IllegalArgumentException("transpose: axes " + Arrays.toString(axes) + " must name each of the "
                    + x.rank() + " axes of " + x.type() + x.shape() + " once");
        }
        int[] dims = new int[ax.length];
        for (int i = 0; i < ax.length; i++) {
            dims[i] = x.shape().dim(ax[i]);
        }
        return bind(new Expr.Transpose(nodeOf(x), ax, Shape.of(dims)), x);
    }

    /** Broadcasts {@code x} to {@code shape}, aligning dimensions from the right (each 1 or equal). */
    public static Tensor broadcast(Tensor x, Shape shape) {
        Objects.requireNonNull(x, "broadcast: argument x");
        Objects.requireNonNull(shape, "broadcast: argument shape");
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
        Objects.requireNonNull(x, "broadcast: argument x");
        Objects.requireNonNull(shape, "broadcast: argument shape");
        Objects.requireNonNull(axes, "broadcast: argument axes");
        if (axes.length != x.rank()) {
            throw new IllegalArgumentException("broadcast: axes " + Arrays.toString(axes) + " must map each of the "
                    + x.rank() + " dimensions of " + x.type() + x.shape());
        }
        int[] ax = shape.normalizeAxes(axes, "broadcast");
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
        return bind(new Expr.Broadcast(nodeOf(x), shape, ax), x);
    }

    /** The shape that {@code a} and {@code b} broadcast to under Nx's rules, naming {@code op} on failure. */
    public static Shape broadcastShapes(Shape a, Shape b, String op) {
        Objects.requireNonNull(a, "broadcast_shapes: argument a");
        Objects.requireNonNull(b, "broadcast_shapes: argument b");
        Objects.requireNonNull(op, "broadcast_shapes: argument op");
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

    // ---------------------------------------------------------------- vectorization (Vectorization)

    /**
     * Turns the leading axes of {@code t} into vectorized axes named {@code names}, outermost
     * first, after any it has ({@code Nx.vectorize}): {@code Nx.vectorize(Nx.iota(Shape.of(2, 3)), "x")}
     * is two entries of shape {@code [3]}. Every op then applies to each entry separately and
     * matches the vectorized axes of its operands by name, broadcasting an absent axis (or one
     * of size 1): {@code Nx.add(vectorized[x: 4] s32, [0, 1])} is {@code vectorized[x: 4] s32[2]}.
     * {@link Tensor#shape()} is one entry's shape, {@link Tensor#vectorizedAxes()} lists the axes.
     *
     * @throws IllegalArgumentException if {@code t} is a scalar, has fewer axes than names, or a
     *                                  name is already one of its vectorized axes
     */
    public static Tensor vectorize(Tensor t, String... names) {
        Objects.requireNonNull(names, "vectorize: argument names");
        List<VectorizedAxis> spec = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            spec.add(new VectorizedAxis(Objects.requireNonNull(names[i], "vectorize: name " + i), VectorizedAxis.AUTO));
        }
        return Vectorization.vectorize(t, spec);
    }

    /**
     * {@link #vectorize(Tensor, String...)} checking sizes ({@code Nx.vectorize(t, x: 2)}): an
     * axis of size {@link VectorizedAxis#AUTO} takes the tensor's size.
     *
     * @throws IllegalArgumentException as there, or if an axis's size is not the tensor's
     */
    public static Tensor vectorize(Tensor t, List<VectorizedAxis> axes) {
        return Vectorization.vectorize(t, axes);
    }

    /**
     * The plain tensor holding every entry of {@code t}, its vectorized axes leading
     * ({@code Nx.devectorize(t, keep_names: false)}); {@code t} itself if it is not vectorized.
     */
    public static Tensor devectorize(Tensor t) {
        return Vectorization.devectorize(t);
    }

    /**
     * {@code t}'s entries regrouped under the vectorized axes {@code targetAxes}, each entry of
     * {@code t}'s shape ({@code Nx.revectorize(t, target_axes)}); one axis may be
     * {@link VectorizedAxis#AUTO}, taking the size left over. The elements keep their row-major order.
     *
     * @throws IllegalArgumentException if the sizes do not hold {@code t}'s elements or two axes are AUTO
     */
    public static Tensor revectorize(Tensor t, List<VectorizedAxis> targetAxes) {
        return Vectorization.revectorize(t, targetAxes, null);
    }

    /** {@link #revectorize(Tensor, List)} with entries of shape {@code targetShape} ({@code target_shape:}). */
    public static Tensor revectorize(Tensor t, List<VectorizedAxis> targetAxes, Shape targetShape) {
        Objects.requireNonNull(targetShape, "revectorize: argument targetShape");
        return Vectorization.revectorize(t, targetAxes, targetShape);
    }

    /** {@link #reshapeVectors(List, boolean)} without aligning ranks. */
    public static List<Tensor> reshapeVectors(List<Tensor> tensors) {
        return Vectorization.reshapeVectors(tensors, false, false);
    }

    /**
     * The tensors with the same vectorized axes, in order of first appearance, each absent one
     * added with size 1 ({@code Nx.reshape_vectors}); with {@code alignRanks} their inner shapes
     * also get leading 1s up to the largest rank. No data moves but into that order.
     *
     * @throws IllegalArgumentException if one name has two sizes, neither 1
     */
    public static List<Tensor> reshapeVectors(List<Tensor> tensors, boolean alignRanks) {
        return Vectorization.reshapeVectors(tensors, alignRanks, false);
    }

    /** {@link #broadcastVectors(List, boolean)} without aligning ranks. */
    public static List<Tensor> broadcastVectors(List<Tensor> tensors) {
        return Vectorization.reshapeVectors(tensors, false, true);
    }

    /**
     * {@link #reshapeVectors(List, boolean)} with every vectorized axis broadcast to its full
     * size ({@code Nx.broadcast_vectors}): the tensors end with equal vectorized axes, their inner
     * shapes unchanged (or rank-aligned).
     *
     * @throws IllegalArgumentException if one name has two sizes, neither 1
     */
    public static List<Tensor> broadcastVectors(List<Tensor> tensors, boolean alignRanks) {
        return Vectorization.reshapeVectors(tensors, alignRanks, true);
    }

    // ---------------------------------------------------------------- shape and indexing (IndexingOps)

    /** Removes every size-1 axis ({@code Nx.squeeze}). */
    public static Tensor squeeze(Tensor x) {
        Objects.requireNonNull(x, "squeeze: argument x");
        return IndexingOps.squeeze(x, null);
    }

    /** Removes the given size-1 axes ({@code Nx.squeeze(t, axes: ...)}). */
    public static Tensor squeeze(Tensor x, int... axes) {
        Objects.requireNonNull(x, "squeeze: argument x");
        Objects.requireNonNull(axes, "squeeze: argument axes");
        return IndexingOps.squeeze(x, axes);
    }

    /** Inserts a size-1 axis at {@code axis} ({@code Nx.new_axis}). */
    public static Tensor newAxis(Tensor x, int axis) {
        Objects.requireNonNull(x, "new_axis: argument x");
        return IndexingOps.newAxis(x, axis);
    }

    /** All elements as a vector ({@code Nx.flatten}). */
    public static Tensor flatten(Tensor x) {
        Objects.requireNonNull(x, "flatten: argument x");
        return IndexingOps.flatten(x, null);
    }

    /** Merges the given consecutive axes into one ({@code Nx.flatten(t, axes: ...)}). */
    public static Tensor flatten(Tensor x, int... axes) {
        Objects.requireNonNull(x, "flatten: argument x");
        Objects.requireNonNull(axes, "flatten: argument axes");
        return IndexingOps.flatten(x, axes);
    }

    /** Repeats the tensor {@code repetitions[i]} times along each axis ({@code Nx.tile}). */
    public static Tensor tile(Tensor x, int... repetitions) {
        Objects.requireNonNull(x, "tile: argument x");
        Objects.requireNonNull(repetitions, "tile: argument repetitions");
        return IndexingOps.tile(x, repetitions);
    }

    /**
     * Pads with {@code value}: one {@code {lo, hi}} or {@code {lo, hi, interior}} entry per axis;
     * negative edges crop ({@code Nx.pad}).
     */
    public static Tensor pad(Tensor x, Number value, int[]... config) {
        Objects.requireNonNull(x, "pad: argument x");
        Objects.requireNonNull(value, "pad: argument value");
        Objects.requireNonNull(config, "pad: argument config");
        return IndexingOps.pad(x, scalar(value, x.type().mergeNumber(value)), config);
    }

    /** {@link #pad(Tensor, Number, int[]...)} with a scalar tensor as the padding value. */
    public static Tensor pad(Tensor x, Tensor value, int[]... config) {
        Objects.requireNonNull(x, "pad: argument x");
        Objects.requireNonNull(value, "pad: argument value");
        Objects.requireNonNull(config, "pad: argument config");
        return IndexingOps.pad(x, value, config);
    }

    /** Reverses every axis ({@code Nx.reverse}). */
    public static Tensor reverse(Tensor x) {
        Objects.requireNonNull(x, "reverse: argument x");
        return IndexingOps.reverse(x, null);
    }

    /** Reverses the given axes ({@code Nx.reverse(t, axes: ...)}). */
    public static Tensor reverse(Tensor x, int... axes) {
        Objects.requireNonNull(x, "reverse: argument x");
        Objects.requireNonNull(axes, "reverse: argument axes");
        return IndexingOps.reverse(x, axes);
    }

    /** Joins tensors along axis 0, merging their types ({@code Nx.concatenate}). */
    public static Tensor concatenate(List<Tensor> tensors) {
        Objects.requireNonNull(tensors, "concatenate: argument tensors");
        return IndexingOps.concatenate(tensors, 0);
    }

    /** Joins tensors along {@code axis} ({@code Nx.concatenate(ts, axis: ...)}). */
    public static Tensor concatenate(List<Tensor> tensors, int axis) {
        Objects.requireNonNull(tensors, "concatenate: argument tensors");
        return IndexingOps.concatenate(tensors, axis);
    }

    /** Stacks equally shaped tensors along a new leading axis ({@code Nx.stack}). */
    public static Tensor stack(List<Tensor> tensors) {
        Objects.requireNonNull(tensors, "stack: argument tensors");
        return IndexingOps.stack(tensors, 0);
    }

    /** Stacks equally shaped tensors along a new axis {@code axis} ({@code Nx.stack(ts, axis: ...)}). */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        Objects.requireNonNull(tensors, "stack: argument tensors");
        return IndexingOps.stack(tensors, axis);
    }

    /** Splits along axis 0 before {@code index} (negative counts from the end) ({@code Nx.split}). */
    public static Tensor[] split(Tensor x, int index) {
        Objects.requireNonNull(x, "split: argument x");
        return IndexingOps.split(x, index, 0);
    }

    /** Splits along {@code axis} before {@code index} ({@code Nx.split(t, n, axis: ...)}). */
    public static Tensor[] split(Tensor x, int index, int axis) {
        Objects.requireNonNull(x, "split: argument x");
        return IndexingOps.split(x, index, axis);
    }

    /** Splits along {@code axis} at {@code ceil(fraction * size)} ({@code Nx.split(t, 0.5, axis: ...)}). */
    public static Tensor[] split(Tensor x, double fraction, int axis) {
        Objects.requireNonNull(x, "split: argument x");
        return IndexingOps.split(x, fraction, axis);
    }

    /**
     * The window of {@code lengths} at static {@code starts}, each start clipped so the window
     * fits ({@code Nx.slice}).
     */
    public static Tensor slice(Tensor x, int[] starts, int[] lengths) {
        Objects.requireNonNull(x, "slice: argument x");
        Objects.requireNonNull(starts, "slice: argument starts");
        Objects.requireNonNull(lengths, "slice: argument lengths");
        return IndexingOps.slice(x, starts, lengths, null);
    }

    /** {@link #slice(Tensor, int[], int[])} taking every {@code strides[d]}-th element ({@code strides:}). */
    public static Tensor slice(Tensor x, int[] starts, int[] lengths, int[] strides) {
        Objects.requireNonNull(x, "slice: argument x");
        Objects.requireNonNull(starts, "slice: argument starts");
        Objects.requireNonNull(lengths, "slice: argument lengths");
        Objects.requireNonNull(strides, "slice: argument strides");
        return IndexingOps.slice(x, starts, lengths, strides);
    }

    /**
     * {@code Nx.slice} with run-time starts: each an integer or a scalar integer tensor, clamped
     * so the window fits ({@code stablehlo.dynamic_slice}).
     */
    public static Tensor slice(Tensor x, Object[] starts, int[] lengths) {
        Objects.requireNonNull(x, "slice: argument x");
        Objects.requireNonNull(starts, "slice: argument starts");
        Objects.requireNonNull(lengths, "slice: argument lengths");
        return IndexingOps.slice(x, starts, lengths, null);
    }

    /** {@link #slice(Tensor, Object[], int[])} with strides. */
    public static Tensor slice(Tensor x, Object[] starts, int[] lengths, int[] strides) {
        Objects.requireNonNull(x, "slice: argument x");
        Objects.requireNonNull(starts, "slice: argument starts");
        Objects.requireNonNull(lengths, "slice: argument lengths");
        Objects.requireNonNull(strides, "slice: argument strides");
        return IndexingOps.slice(x, starts, lengths, strides);
    }

    /** {@code length} elements from {@code start} (an integer or scalar tensor) along {@code axis} ({@code Nx.slice_along_axis}). */
    public static Tensor sliceAlongAxis(Tensor x, Object start, int length, int axis) {
        Objects.requireNonNull(x, "slice_along_axis: argument x");
        Objects.requireNonNull(start, "slice_along_axis: argument start");
        return IndexingOps.sliceAlongAxis(x, start, length, axis, 1);
    }

    /** {@link #sliceAlongAxis(Tensor, Object, int, int)} with a stride. */
    public static Tensor sliceAlongAxis(Tensor x, Object start, int length, int axis, int stride) {
        Objects.requireNonNull(x, "slice_along_axis: argument x");
        Objects.requireNonNull(start, "slice_along_axis: argument start");
        return IndexingOps.sliceAlongAxis(x, start, length, axis, stride);
    }

    /** {@code x} with {@code slice} written at {@code starts} (integers or scalar tensors), clamped to fit ({@code Nx.put_slice}). */
    public static Tensor putSlice(Tensor x, Object[] starts, Tensor slice) {
        Objects.requireNonNull(x, "put_slice: argument x");
        Objects.requireNonNull(starts, "put_slice: argument starts");
        Objects.requireNonNull(slice, "put_slice: argument slice");
        return IndexingOps.putSlice(x, starts, slice);
    }

    /** {@link #putSlice(Tensor, Object[], Tensor)} with static starts. */
    public static Tensor putSlice(Tensor x, int[] starts, Tensor slice) {
        Objects.requireNonNull(x, "put_slice: argument x");
        Objects.requireNonNull(starts, "put_slice: argument starts");
        Objects.requireNonNull(slice, "put_slice: argument slice");
        return IndexingOps.putSlice(x, Arrays.stream(starts).boxed().toArray(), slice);
    }

    /** Elements of {@code x} at the index vectors along the last axis of {@code indices} ({@code Nx.gather}). */
    public static Tensor gather(Tensor x, Tensor indices) {
        Objects.requireNonNull(x, "gather: argument x");
        Objects.requireNonNull(indices, "gather: argument indices");
        return IndexingOps.gather(x, indices, null);
    }

    /** {@link #gather(Tensor, Tensor)} addressing the given (increasing) {@code axes} ({@code axes:}). */
    public static Tensor gather(Tensor x, Tensor indices, int... axes) {
        Objects.requireNonNull(x, "gather: argument x");
        Objects.requireNonNull(indices, "gather: argument indices");
        Objects.requireNonNull(axes, "gather: argument axes");
        return IndexingOps.gather(x, indices, axes);
    }

    /** Adds {@code updates} into {@code x} at {@code indices}, skipping positions out of range ({@code Nx.indexed_add}). */
    public static Tensor indexedAdd(Tensor x, Tensor indices, Tensor updates) {
        Objects.requireNonNull(x, "indexed_add: argument x");
        Objects.requireNonNull(indices, "indexed_add: argument indices");
        Objects.requireNonNull(updates, "indexed_add: argument updates");
        return IndexingOps.indexed(Expr.ScatterOp.ADD, "indexed_add", x, indices, updates, null);
    }

    /** {@link #indexedAdd(Tensor, Tensor, Tensor)} addressing the given {@code axes}. */
    public static Tensor indexedAdd(Tensor x, Tensor indices, Tensor updates, int... axes) {
        Objects.requireNonNull(x, "indexed_add: argument x");
        Objects.requireNonNull(indices, "indexed_add: argument indices");
        Objects.requireNonNull(updates, "indexed_add: argument updates");
        Objects.requireNonNull(axes, "indexed_add: argument axes");
        return IndexingOps.indexed(Expr.ScatterOp.ADD, "indexed_add", x, indices, updates, axes);
    }

    /** Writes {@code updates} into {@code x} at {@code indices} ({@code Nx.indexed_put}). */
    public static Tensor indexedPut(Tensor x, Tensor indices, Tensor updates) {
        Objects.requireNonNull(x, "indexed_put: argument x");
        Objects.requireNonNull(indices, "indexed_put: argument indices");
        Objects.requireNonNull(updates, "indexed_put: argument updates");
        return IndexingOps.indexed(Expr.ScatterOp.PUT, "indexed_put", x, indices, updates, null);
    }

    /** {@link #indexedPut(Tensor, Tensor, Tensor)} addressing the given {@code axes}. */
    public static Tensor indexedPut(Tensor x, Tensor indices, Tensor updates, int... axes) {
        Objects.requireNonNull(x, "indexed_put: argument x");
        Objects.requireNonNull(indices, "indexed_put: argument indices");
        Objects.requireNonNull(updates, "indexed_put: argument updates");
        Objects.requireNonNull(axes, "indexed_put: argument axes");
        return IndexingOps.indexed(Expr.ScatterOp.PUT, "indexed_put", x, indices, updates, axes);
    }

    /** Elements at {@code indices} along axis 0; the indices' axes replace it ({@code Nx.take}). */
    public static Tensor take(Tensor x, Tensor indices) {
        Objects.requireNonNull(x, "take: argument x");
        Objects.requireNonNull(indices, "take: argument indices");
        return IndexingOps.take(x, indices, 0);
    }

    /** Elements at {@code indices} along {@code axis} ({@code Nx.take(t, i, axis: ...)}). */
    public static Tensor take(Tensor x, Tensor indices, int axis) {
        Objects.requireNonNull(x, "take: argument x");
        Objects.requireNonNull(indices, "take: argument indices");
        return IndexingOps.take(x, indices, axis);
    }

    /** Elements at {@code indices} (same rank as {@code x}) along {@code axis} ({@code Nx.take_along_axis}). */
    public static Tensor takeAlongAxis(Tensor x, Tensor indices, int axis) {
        Objects.requireNonNull(x, "take_along_axis: argument x");
        Objects.requireNonNull(indices, "take_along_axis: argument indices");
        return IndexingOps.takeAlongAxis(x, indices, axis);
    }

    /** Differences of neighbours along the last axis ({@code Nx.diff}). */
    public static Tensor diff(Tensor x) {
        Objects.requireNonNull(x, "diff: argument x");
        return IndexingOps.diff(x, 1, -1);
    }

    /** The {@code order}-th differences along {@code axis} ({@code Nx.diff(t, order: n, axis: a)}). */
    public static Tensor diff(Tensor x, int order, int axis) {
        Objects.requireNonNull(x, "diff: argument x");
        return IndexingOps.diff(x, order, axis);
    }

    /** A u8 {@code n}x{@code m} matrix of ones at and below diagonal {@code k} ({@code Nx.tri}). */
    public static Tensor tri(int n, int m, int k) {
        return IndexingOps.tri(n, m, k);
    }

    /** The lower triangle of the last two axes, zero above diagonal {@code k} ({@code Nx.tril}). */
    public static Tensor tril(Tensor x, int k) {
        Objects.requireNonNull(x, "tril: argument x");
        return IndexingOps.tril(x, k, true);
    }

    /** The upper triangle of the last two axes, zero below diagonal {@code k} ({@code Nx.triu}). */
    public static Tensor triu(Tensor x, int k) {
        Objects.requireNonNull(x, "triu: argument x");
        return IndexingOps.tril(x, k, false);
    }

    /** The s32 {@code n}x{@code n} identity matrix ({@code Nx.eye}). */
    public static Tensor eye(int n) {
        return IndexingOps.eye(Shape.of(n, n), DType.S32);
    }

    /** Identity matrices over the last two axes of {@code shape} ({@code Nx.eye(shape, type: t)}). */
    public static Tensor eye(Shape shape, DType type) {
        Objects.requireNonNull(shape, "eye: argument shape");
        Objects.requireNonNull(type, "eye: argument type");
        return IndexingOps.eye(shape, type);
    }

    /** {@code n} evenly spaced f32 values from {@code start} to {@code stop} inclusive ({@code Nx.linspace}). */
    public static Tensor linspace(Number start, Number stop, int n) {
        Objects.requireNonNull(start, "linspace: argument start");
        Objects.requireNonNull(stop, "linspace: argument stop");
        return linspace(start, stop, n, DType.F32, true);
    }

    /** {@code n} evenly spaced values of {@code type}, including {@code stop} if {@code endpoint} ({@code Nx.linspace}). */
    public static Tensor linspace(Number start, Number stop, int n, DType type, boolean endpoint) {
        Objects.requireNonNull(start, "linspace: argument start");
        Objects.requireNonNull(stop, "linspace: argument stop");
        Objects.requireNonNull(type, "linspace: argument type");
        return IndexingOps.linspace(scalar(start, DType.F64), scalar(stop, DType.F64), n, type, endpoint);
    }

    /** {@link #linspace(Number, Number, int, DType, boolean)} between equally shaped tensors, along a new last axis. */
    public static Tensor linspace(Tensor start, Tensor stop, int n, DType type, boolean endpoint) {
        Objects.requireNonNull(start, "linspace: argument start");
        Objects.requireNonNull(stop, "linspace: argument stop");
        Objects.requireNonNull(type, "linspace: argument type");
        return IndexingOps.linspace(start, stop, n, type, endpoint);
    }

    /** A square matrix with {@code x} (over its last axis) on diagonal {@code offset} ({@code Nx.make_diagonal}). */
    public static Tensor makeDiagonal(Tensor x, int offset) {
        Objects.requireNonNull(x, "make_diagonal: argument x");
        return IndexingOps.makeDiagonal(x, offset);
    }

    /** Diagonal {@code offset} of the last two axes ({@code Nx.take_diagonal}). */
    public static Tensor takeDiagonal(Tensor x, int offset) {
        Objects.requireNonNull(x, "take_diagonal: argument x");
        return IndexingOps.takeDiagonal(x, offset);
    }

    /** Matrix {@code x} with {@code diagonal} written on diagonal {@code offset} ({@code Nx.put_diagonal}). */
    public static Tensor putDiagonal(Tensor x, Tensor diagonal, int offset) {
        Objects.requireNonNull(x, "put_diagonal: argument x");
        Objects.requireNonNull(diagonal, "put_diagonal: argument diagonal");
        return IndexingOps.putDiagonal(x, diagonal, offset);
    }

    /** Every element of {@code a} times every element of {@code b}, as a matrix ({@code Nx.outer}). */
    public static Tensor outer(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "outer: argument a");
        Objects.requireNonNull(b, "outer: argument b");
        return IndexingOps.outer(a, b);
    }

    /** Convolution of {@code x} [batch, channels, spatial...] with {@code kernel} [out, in, spatial...] ({@code Nx.conv}). */
    public static Tensor conv(Tensor x, Tensor kernel) {
        Objects.requireNonNull(x, "conv: argument x");
        Objects.requireNonNull(kernel, "conv: argument kernel");
        return IndexingOps.conv(x, kernel, ConvOptions.defaults());
    }

    /** {@code Nx.conv} with strides, padding, dilations, groups and permutations. */
    public static Tensor conv(Tensor x, Tensor kernel, ConvOptions options) {
        Objects.requireNonNull(x, "conv: argument x");
        Objects.requireNonNull(kernel, "conv: argument kernel");
        Objects.requireNonNull(options, "conv: argument options");
        return IndexingOps.conv(x, kernel, options);
    }

    /** Sum over each window ({@code Nx.window_sum}). */
    public static Tensor windowSum(Tensor x, int[] window, WindowOptions options) {
        Objects.requireNonNull(x, "window_sum: argument x");
        Objects.requireNonNull(window, "window_sum: argument window");
        Objects.requireNonNull(options, "window_sum: argument options");
        return IndexingOps.windowReduce(Expr.ReduceOp.SUM, "window_sum", x, window, options);
    }

    /** Mean over each window, in a floating type ({@code Nx.window_mean}). */
    public static Tensor windowMean(Tensor x, int[] window, WindowOptions options) {
        Objects.requireNonNull(x, "window_mean: argument x");
        Objects.requireNonNull(window, "window_mean: argument window");
        Objects.requireNonNull(options, "window_mean: argument options");
        return divide(windowSum(x, window, options), java.util.Arrays.stream(window).reduce(1, (p, q) -> p * q));
    }

    /** Largest element of each window; padding is the type's minimum ({@code Nx.window_max}). */
    public static Tensor windowMax(Tensor x, int[] window, WindowOptions options) {
        Objects.requireNonNull(x, "window_max: argument x");
        Objects.requireNonNull(window, "window_max: argument window");
        Objects.requireNonNull(options, "window_max: argument options");
        return IndexingOps.windowReduce(Expr.ReduceOp.MAX, "window_max", x, window, options);
    }

    /** Smallest element of each window ({@code Nx.window_min}). */
    public static Tensor windowMin(Tensor x, int[] window, WindowOptions options) {
        Objects.requireNonNull(x, "window_min: argument x");
        Objects.requireNonNull(window, "window_min: argument window");
        Objects.requireNonNull(options, "window_min: argument options");
        return IndexingOps.windowReduce(Expr.ReduceOp.MIN, "window_min", x, window, options);
    }

    /** Product over each window ({@code Nx.window_product}). */
    public static Tensor windowProduct(Tensor x, int[] window, WindowOptions options) {
        Objects.requireNonNull(x, "window_product: argument x");
        Objects.requireNonNull(window, "window_product: argument window");
        Objects.requireNonNull(options, "window_product: argument options");
        return IndexingOps.windowReduce(Expr.ReduceOp.PRODUCT, "window_product", x, window, options);
    }

    /**
     * Folds each window of {@code x} with {@code fn}, starting from the scalar {@code init}
     * ({@code Nx.window_reduce}); padding holds {@code init}. {@code fn} is traced once over two
     * scalars (accumulator, element) of {@code x}'s type into a region and must be associative
     * and commutative, as the order is unspecified. No gradient, as in Nx.
     */
    public static Tensor windowReduce(Tensor x, Number init, int[] window, WindowOptions options,
                                      java.util.function.BinaryOperator<Tensor> fn) {
        Objects.requireNonNull(x, "window_reduce: argument x");
        Objects.requireNonNull(init, "window_reduce: argument init");
        Objects.requireNonNull(window, "window_reduce: argument window");
        Objects.requireNonNull(options, "window_reduce: argument options");
        Objects.requireNonNull(fn, "window_reduce: argument fn");
        return IndexingOps.windowReduceFn(x, scalar(init, x.type()), window, options, fn);
    }

    /** {@code Nx.window_reduce} with Nx's default options: strides 1, valid padding, no dilation. */
    public static Tensor windowReduce(Tensor x, Number init, int[] window, java.util.function.BinaryOperator<Tensor> fn) {
        Objects.requireNonNull(x, "window_reduce: argument x");
        Objects.requireNonNull(init, "window_reduce: argument init");
        Objects.requireNonNull(window, "window_reduce: argument window");
        Objects.requireNonNull(fn, "window_reduce: argument fn");
        return windowReduce(x, init, window, WindowOptions.defaults(), fn);
    }

    /**
     * Adds each element of {@code source} at the largest element of its window of {@code x},
     * over a tensor filled with {@code init} ({@code Nx.window_scatter_max}).
     */
    public static Tensor windowScatterMax(Tensor x, Tensor source, Number init, int[] window, WindowOptions options) {
        Objects.requireNonNull(x, "window_scatter_max: argument x");
        Objects.requireNonNull(source, "window_scatter_max: argument source");
        Objects.requireNonNull(init, "window_scatter_max: argument init");
        Objects.requireNonNull(window, "window_scatter_max: argument window");
        Objects.requireNonNull(options, "window_scatter_max: argument options");
        return IndexingOps.windowScatter(true, x, source, scalar(init, x.type().mergeNumber(init)), window, options);
    }

    /** Like {@link #windowScatterMax} at the smallest element of each window ({@code Nx.window_scatter_min}). */
    public static Tensor windowScatterMin(Tensor x, Tensor source, Number init, int[] window, WindowOptions options) {
        Objects.requireNonNull(x, "window_scatter_min: argument x");
        Objects.requireNonNull(source, "window_scatter_min: argument source");
        Objects.requireNonNull(init, "window_scatter_min: argument init");
        Objects.requireNonNull(window, "window_scatter_min: argument window");
        Objects.requireNonNull(options, "window_scatter_min: argument options");
        return IndexingOps.windowScatter(false, x, source, scalar(init, x.type().mergeNumber(init)), window, options);
    }

    // ---------------------------------------------------------------- comparisons of whole tensors

    /** {@code Nx.all_close(a, b)} with rtol 1e-5, atol 1e-8, NaNs unequal: 1 (u8) if every element is close. */
    public static Tensor allClose(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "all_close: argument a");
        Objects.requireNonNull(b, "all_close: argument b");
        return allClose(a, b, 1e-5, 1e-8, false);
    }

    /**
     * {@code Nx.all_close(a, b, rtol:, atol:, equal_nan:)}: 1 (u8) if {@code |a - b| <= atol + rtol·|b|}
     * for every element; infinities are close only to themselves; NaNs to each other only if
     * {@code equalNan}. For integers, {@code |b|} is taken in f64 so the most negative value does
     * not overflow.
     */
    public static Tensor allClose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        Objects.requireNonNull(a, "all_close: argument a");
        Objects.requireNonNull(b, "all_close: argument b");
        boolean integers = a.type().isInteger() && b.type().isInteger();
        Tensor absB = abs(integers ? asType(b, DType.F64) : b);
        Tensor close = lessEqual(abs(subtract(a, b)), add(multiply(absB, rtol), atol));
        if (integers) {
            return all(close);
        }
        close = select(logicalOr(isInfinity(a), isInfinity(b)), equal(a, b), close);
        return all(equalNan ? logicalOr(logicalAnd(isNan(a), isNan(b)), close) : close);
    }

    /** {@code Nx.covariance(t)}: the covariance matrix of the columns of {@code t} (shape [.., n, d]), ddof 0. */
    public static Tensor covariance(Tensor t) {
        Objects.requireNonNull(t, "covariance: argument t");
        return covariance(t, 0);
    }

    /** {@code Nx.covariance(t, ddof:)}: the divisor is {@code n - ddof}. */
    public static Tensor covariance(Tensor t, int ddof) {
        Objects.requireNonNull(t, "covariance: argument t");
        if (t.rank() < 2) {
            throw new IllegalArgumentException("covariance: expected input tensor of rank at least 2, got "
                    + t.type() + t.shape());
        }
        return covariance(t, mean(t, new int[] {-2}, false), ddof);
    }

    /** {@code Nx.covariance(t, mean, ddof:)} with the column means given ({@code [.., d]}, broadcastable). */
    public static Tensor covariance(Tensor t, Tensor mean, int ddof) {
        Objects.requireNonNull(t, "covariance: argument t");
        Objects.requireNonNull(mean, "covariance: argument mean");
        if (t.rank() < 2) {
            throw new IllegalArgumentException("covariance: expected input tensor of rank at least 2, got "
                    + t.type() + t.shape());
        }
        if (mean.rank() == 0) {
            throw new IllegalArgumentException("covariance: expected mean of rank at least 1, got " + mean.type() + mean.shape());
        }
        if (ddof < 0) {
            throw new IllegalArgumentException("covariance: expected ddof to be a non-negative integer, got " + ddof);
        }
        Tensor x = subtract(t, newAxis(mean, -2));
        Tensor left = x.type().isComplex() ? conjugate(x) : x;
        int[] batch = new int[x.rank() - 2];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i;
        }
        Tensor sum = dot(left, new int[] {x.rank() - 2}, batch, x, new int[] {x.rank() - 2}, batch);
        return divide(sum, t.shape().dim(-2) - ddof);
    }

    // ---------------------------------------------------------------- internals

    private static Tensor arithmetic(BinaryOp op, Tensor a, Tensor b) {
        return binary(op, op.name().toLowerCase(java.util.Locale.ROOT), a, b, DType.merge(a.type(), b.type()));
    }

    private static Tensor comparison(BinaryOp op, String name, Tensor a, Tensor b) {
        return binary(op, name, a, b, DType.merge(a.type(), b.type()));
    }

    /** An op that needs an order of the elements, which complex numbers lack (Nx refuses them). */
    private static Tensor ordered(BinaryOp op, String name, Tensor a, Tensor b) {
        DType t = DType.merge(a.type(), b.type());
        requireNotComplex(name, t, a, b);
        return binary(op, name, a, b, t);
    }

    private static Tensor binary(BinaryOp op, String name, Tensor a, Tensor b, DType operandType) {
        Shape shape = broadcastShapes(a.shape(), b.shape(), name);
        return elementwise(shape, n -> new Expr.Binary(op, n[0], n[1]), asType(a, operandType), asType(b, operandType));
    }

    /**
     * Binds the element-wise node {@code node} builds over {@code xs} broadcast to {@code shape}.
     * Concrete operands are broadcast in the op's own computation: {@code Nx.multiply(deviceX, 0.9)}
     * sends a scalar to the device, not an x-sized host tensor.
     */
    private static Tensor elementwise(Shape shape, java.util.function.Function<Expr[], Expr> node, Tensor... xs) {
        boolean traced = false;
        for (Tensor x : xs) {
            traced |= x.data() instanceof Expr;
        }
        Expr[] nodes = new Expr[xs.length];
        Tensor[] inputs = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            inputs[i] = traced ? operand(xs[i], shape) : xs[i];
            nodes[i] = traced ? nodeOf(inputs[i]) : broadcastNode(xs[i], shape);
        }
        return bind(node.apply(nodes), inputs);
    }

    /** The node of concrete {@code x} broadcast to {@code shape} (trailing axes), left for the op's backend to compute. */
    private static Expr broadcastNode(Tensor x, Shape shape) {
        if (x.shape().equals(shape)) {
            return nodeOf(x);
        }
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = shape.rank() - x.rank() + i;
        }
        return new Expr.Broadcast(nodeOf(x), shape, axes);
    }

    /**
     * A traced element-wise op's operand broadcast to {@code shape}. A concrete one enters the
     * graph as a constant first, so that its broadcast is a graph node: {@code Nx.multiply(x, 0.9)}
     * keeps a scalar constant instead of evaluating an x-sized one, which tracing, lowering and
     * XLA would all pay for.
     */
    private static Tensor operand(Tensor x, Shape shape) {
        boolean keepSmall = !(x.data() instanceof Expr) && !x.isVectorized() && !x.shape().equals(shape);
        return broadcast(keepSmall ? Tracing.record(new Expr.Constant(x)) : x, shape);
    }

    private static Tensor unary(UnaryOp op, Tensor x, DType type) {
        return bind(new Expr.Unary(op, nodeOf(asType(x, type))), x);
    }

    private static Tensor reduce(ReduceOp op, String name, Tensor x, int[] axes, boolean keepAxes) {
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            requireNotComplex(name, x.type(), x);
        }
        int[] sorted = x.shape().normalizeAxes(axes, name);
        Arrays.sort(sorted);
        int[] kept = new int[x.rank()];
        List<Integer> outDims = new ArrayList<>();
        for (int d = 0; d < x.rank(); d++) {
            boolean reduced = Arrays.binarySearch(sorted, d) >= 0;
            kept[d] = reduced ? 1 : x.shape().dim(d);
            if (!reduced) {
                outDims.add(x.shape().dim(d));
            }
        }
        Shape out = shapeOf(outDims);
        Tensor r = sorted.length == 0 ? x : bind(new Expr.Reduce(op, nodeOf(x), sorted, out), x);
        return keepAxes ? reshape(r, Shape.of(kept)) : r;
    }

    private static void requireDisjoint(Tensor x, int[] contract, int[] batch) {
        for (int c : contract) {
            if (indexOf(batch, c) >= 0) {
                throw new IllegalArgumentException("dot: axis " + c + " of " + describe(x)
                        + " is both a contraction axis " + Arrays.toString(contract) + " and a batch axis "
                        + Arrays.toString(batch));
            }
        }
    }

    private static void addFree(List<Integer> dims, Shape s, int[] contract, int[] batch) {
        for (int d = 0; d < s.rank(); d++) {
            if (indexOf(contract, d) < 0 && indexOf(batch, d) < 0) {
                dims.add(s.dim(d));
            }
        }
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** A shape from collected dimensions (a loop, not a stream: tracing runs this cold, per op). */
    private static Shape shapeOf(List<Integer> dims) {
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i);
        }
        return Shape.of(d);
    }

    private static int[] allAxes(Tensor x) {
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes;
    }

    /** A scalar for {@code n} in the type that Nx gives a binary op between {@code t} and {@code n}. */
    private static Tensor numberLike(Tensor t, Number n) {
        return scalar(n, t.type().mergeNumber(n));
    }

    // ---- FFT family (FftOps) ----

    /** A {@code length} for the FFT functions meaning the next power of two of the axis size ({@code :power_of_two}). */
    public static final int POWER_OF_TWO = -1;

    /** The discrete Fourier transform along the last axis, as a complex tensor ({@code Nx.fft}). */
    public static Tensor fft(Tensor x) {
        Objects.requireNonNull(x, "fft: argument x");
        return fft(x, x.rank() == 0 ? 1 : x.shape().dim(-1), -1);
    }

    /** The DFT along {@code axis}, zero-padded or truncated to {@code length} (or {@link #POWER_OF_TWO}) first. */
    public static Tensor fft(Tensor x, int length, int axis) {
        Objects.requireNonNull(x, "fft: argument x");
        return FftOps.fft(false, x, length, axis);
    }

    /** The inverse DFT along the last axis, scaled by 1/n ({@code Nx.ifft}). */
    public static Tensor ifft(Tensor x) {
        Objects.requireNonNull(x, "ifft: argument x");
        return ifft(x, x.rank() == 0 ? 1 : x.shape().dim(-1), -1);
    }

    /** The inverse DFT along {@code axis}, zero-padded or truncated to {@code length} (or {@link #POWER_OF_TWO}) first. */
    public static Tensor ifft(Tensor x, int length, int axis) {
        Objects.requireNonNull(x, "ifft: argument x");
        return FftOps.fft(true, x, length, axis);
    }

    /** The 2-D DFT over the last two axes ({@code Nx.fft2}). */
    public static Tensor fft2(Tensor x) {
        Objects.requireNonNull(x, "fft2: argument x");
        return FftOps.fft2(false, x, null, new int[] {-2, -1});
    }

    /** The 2-D DFT over {@code axes}, each padded or truncated to its entry of {@code lengths} (null keeps the sizes). */
    public static Tensor fft2(Tensor x, int[] lengths, int[] axes) {
        Objects.requireNonNull(x, "fft2: argument x");
        Objects.requireNonNull(axes, "fft2: argument axes");
        return FftOps.fft2(false, x, lengths, axes);
    }

    /** The inverse 2-D DFT over the last two axes ({@code Nx.ifft2}). */
    public static Tensor ifft2(Tensor x) {
        Objects.requireNonNull(x, "ifft2: argument x");
        return FftOps.fft2(true, x, null, new int[] {-2, -1});
    }

    /** The inverse 2-D DFT over {@code axes}, with {@code lengths} as in {@link #fft2(Tensor, int[], int[])}. */
    public static Tensor ifft2(Tensor x, int[] lengths, int[] axes) {
        Objects.requireNonNull(x, "ifft2: argument x");
        Objects.requireNonNull(axes, "ifft2: argument axes");
        return FftOps.fft2(true, x, lengths, axes);
    }

    /** The DFT of a real tensor along the last axis, keeping the first n/2+1 terms ({@code Nx.rfft}). */
    public static Tensor rfft(Tensor x) {
        Objects.requireNonNull(x, "rfft: argument x");
        return rfft(x, x.rank() == 0 ? 1 : x.shape().dim(-1), -1);
    }

    /** {@link #rfft(Tensor)} along {@code axis} of a signal padded or truncated to {@code length} (or {@link #POWER_OF_TWO}). */
    public static Tensor rfft(Tensor x, int length, int axis) {
        Objects.requireNonNull(x, "rfft: argument x");
        return FftOps.rfft(x, length, axis);
    }

    /** The real signal of length 2(m-1) whose one-sided spectrum along the last axis is {@code x} ({@code Nx.irfft}). */
    public static Tensor irfft(Tensor x) {
        Objects.requireNonNull(x, "irfft: argument x");
        return FftOps.irfft(x, null, -1);
    }

    /** {@link #irfft(Tensor)} along {@code axis} with the output {@code length} given (odd lengths recover odd signals). */
    public static Tensor irfft(Tensor x, int length, int axis) {
        Objects.requireNonNull(x, "irfft: argument x");
        return FftOps.irfft(x, length, axis);
    }

    // ---- serialization (Nx.serialize / Nx.deserialize) ----

    /**
     * The bytes of a tensor or any container of tensors ({@code Nx.serialize}): types, shapes,
     * values and the container's structure, in a versioned, checksummed format (see
     * {@code Serialization}). Device tensors are read back to the host for it.
     *
     * @throws IllegalArgumentException for a traced tensor, or a map key that is not a String, Integer or Long
     */
    public static byte[] serialize(Object container) {
        Objects.requireNonNull(container, "serialize: argument container");
        return Serialization.serialize(container);
    }

    /**
     * The container {@link #serialize} wrote, with host tensors ({@code Nx.deserialize}); records
     * and arrays are rebuilt as their classes (which must be on the class path).
     *
     * @throws IllegalArgumentException naming the problem if the bytes are truncated, corrupt,
     *                                  of another format version, or name a missing class
     */
    public static Object deserialize(byte[] bytes) {
        Objects.requireNonNull(bytes, "deserialize: argument bytes");
        return Serialization.deserialize(bytes);
    }

    // ---- backends (Nx.backend_transfer / Nx.backend_copy) ----

    /**
     * Moves {@code t} to {@code backend}: the result lives there, and device memory {@code t}
     * held on another backend is released ({@link Backend#transfer}).
     */
    public static Tensor backendTransfer(Tensor t, Backend backend) {
        Objects.requireNonNull(t, "backend_transfer: argument t");
        Objects.requireNonNull(backend, "backend_transfer: argument backend");
        return t.isVectorized() ? vectorize(backend.transfer(devectorize(t)), t.vectorizedAxes()) : backend.transfer(t);
    }

    /** Moves {@code t} to the host ({@link Backend#HOST}), releasing its device memory. */
    public static Tensor backendTransfer(Tensor t) {
        Objects.requireNonNull(t, "backend_transfer: argument t");
        return backendTransfer(t, Backend.HOST);
    }

    /** Copies {@code t} to {@code backend}; {@code t} stays valid ({@link Backend#copy}). */
    public static Tensor backendCopy(Tensor t, Backend backend) {
        Objects.requireNonNull(t, "backend_copy: argument t");
        Objects.requireNonNull(backend, "backend_copy: argument backend");
        return t.isVectorized() ? vectorize(backend.copy(devectorize(t)), t.vectorizedAxes()) : backend.copy(t);
    }

    /** Copies {@code t} to the host ({@link Backend#HOST}); {@code t} stays valid. */
    public static Tensor backendCopy(Tensor t) {
        Objects.requireNonNull(t, "backend_copy: argument t");
        return backendCopy(t, Backend.HOST);
    }
}
