package dev.jnx;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/** The dimensions of a tensor; immutable, compared by value. A rank-0 shape is a scalar. */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** The shape with the given dimensions; each must be non-negative. */
    public static Shape of(int... dims) {
        Objects.requireNonNull(dims, "Shape.of: argument dims");
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("invalid shape " + Arrays.toString(dims)
                        + ": dimension " + i + " is negative");
            }
        }
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** The rank-0 shape. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis, "dim")];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Number of elements (1 for a scalar) as an int, for host code; fails past 2^31-1 elements,
     * which a device tensor may have: sizes on the way to a device are {@link #longSize()}, and
     * host code names its op with {@link #intSize(String, DType)}.
     */
    public int size() {
        long n = longSize();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + this + " has " + n + " elements, more than 2^31-1"
                    + " (use longSize() for the count)");
        }
        return (int) n;
    }

    /**
     * Number of elements as an int, for host code that holds them in a Java array or counts them
     * with an int; fails naming {@code op}, {@code type}, this shape and the limit past 2^31-1.
     */
    public int intSize(String op, DType type) {
        Objects.requireNonNull(op, "Shape.intSize: argument op");
        Objects.requireNonNull(type, "Shape.intSize: argument type");
        long n = longSize();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + type + this + " has " + n + " elements, more than the "
                    + Integer.MAX_VALUE + " (2^31-1) a Java array or an int dimension holds");
        }
        return (int) n;
    }

    /** Number of elements as a long, saturating at {@link Long#MAX_VALUE}: for sizes checked against a limit. */
    public long longSize() {
        long n = 1;
        for (int d : dims) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return zeroSized() ? 0 : Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    /** Bytes of a dense {@code type} tensor of this shape, saturating at {@link Long#MAX_VALUE} as {@link #longSize()}. */
    public long byteSize(DType type) {
        Objects.requireNonNull(type, "Shape.byteSize: argument type");
        long n = longSize();
        return n > Long.MAX_VALUE / type.byteSize() ? Long.MAX_VALUE : n * type.byteSize();
    }

    private boolean zeroSized() {
        for (int d : dims) {
            if (d == 0) {
                return true;
            }
        }
        return false;
    }

    /** Row-major strides in elements. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Resolves a possibly negative axis against this rank, naming {@code op} on failure. */
    public int normalizeAxis(int axis, String op) {
        Objects.requireNonNull(op, "Shape.normalizeAxis: argument op");
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + this
                    + " (rank " + dims.length + ")");
        }
        return a;
    }

    /**
     * Resolves possibly negative axes against this rank, naming {@code op} on failure: each must
     * be in range and none may repeat (Nx's {@code normalize_axes}).
     */
    public int[] normalizeAxes(int[] axes, String op) {
        Objects.requireNonNull(axes, "Shape.normalizeAxes: argument axes");
        Objects.requireNonNull(op, "Shape.normalizeAxes: argument op");
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = normalizeAxis(axes[i], op);
            for (int j = 0; j < i; j++) {
                if (out[j] == out[i]) {
                    throw new IllegalArgumentException(op + ": axis " + axes[i] + " given twice in "
                            + Arrays.toString(axes) + " for shape " + this);
                }
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Nx's notation: {@code [2][3]}, empty for a scalar. */
    @Override
    public String toString() {
        return Arrays.stream(dims).mapToObj(d -> "[" + d + "]").collect(Collectors.joining());
    }
}
