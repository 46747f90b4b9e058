package dev.jnx;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/**
 * An immutable n-dimensional array: a {@link Shape}, a {@link DType} and the values held by
 * some backend ({@link TensorData}). Create tensors with {@link Nx#tensor}; compute with
 * {@link Nx}'s static functions; {@code Nx.tensor(float[], int...)} and {@link Nx#fromBinary} copy
 * Java arrays and raw bytes in bulk. Inside a function being traced by {@code Defn.jit}, tensors
 * are symbolic and their values cannot be read.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final DType type;
    private final TensorData data;
    /** Empty for a plain tensor, which is then its data's shape too: no cost off the vectorized path. */
    private final List<VectorizedAxis> vectorized;
    /** The shape the data has: the vectorized axes' sizes, then {@link #shape}. */
    private final Shape dataShape;

    private Tensor(Shape shape, DType type, TensorData data, List<VectorizedAxis> vectorized, Shape dataShape) {
        this.shape = shape;
        this.type = type;
        this.data = data;
        this.vectorized = vectorized;
        this.dataShape = dataShape;
    }

    /** A tensor over values held by a backend; for backend implementations. */
    public static Tensor of(Shape shape, DType type, TensorData data) {
        Objects.requireNonNull(shape, "Tensor.of: argument shape");
        Objects.requireNonNull(type, "Tensor.of: argument type");
        Objects.requireNonNull(data, "Tensor.of: argument data");
        checkHostSize(shape, type, data);
        return new Tensor(shape, type, data, List.of(), shape);
    }

    /**
     * A vectorized tensor ({@link Nx#vectorize(Tensor, String...)}): each entry of the
     * {@code vectorized} axes is a tensor of {@code shape}; {@code data} holds all of them, the
     * vectorized axes leading. With no vectorized axes it is {@link #of(Shape, DType, TensorData)}.
     *
     * @throws IllegalArgumentException if two vectorized axes share a name or an axis is {@link VectorizedAxis#AUTO}
     */
    public static Tensor of(Shape shape, DType type, TensorData data, List<VectorizedAxis> vectorized) {
        Objects.requireNonNull(vectorized, "Tensor.of: argument vectorized");
        if (vectorized.isEmpty()) {
            return of(shape, type, data);
        }
        Objects.requireNonNull(shape, "Tensor.of: argument shape");
        Objects.requireNonNull(type, "Tensor.of: argument type");
        Objects.requireNonNull(data, "Tensor.of: argument data");
        List<VectorizedAxis> axes = List.copyOf(vectorized);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (VectorizedAxis a : axes) {
            if (a.size() == VectorizedAxis.AUTO || !names.add(a.name())) {
                throw new IllegalArgumentException("Tensor.of: vectorized axes " + axes + " must have distinct names and"
                        + " sizes");
            }
        }
        Shape full = VectorizedAxis.fullShape(axes, shape);
        checkHostSize(full, type, data);
        return new Tensor(shape, type, data, axes, full);
    }

    private static void checkHostSize(Shape shape, DType type, TensorData data) {
        if (data instanceof HostData h && h.byteSize() != shape.byteSize(type)) {
            throw new IllegalArgumentException("host data of " + h.byteSize() + " bytes does not hold "
                    + type + shape + " (" + shape.byteSize(type) + " bytes)");
        }
    }

    /** The dimensions; of one entry for a vectorized tensor (Nx's {@code shape}), see {@link #vectorizedAxes()}. */
    public Shape shape() {
        return shape;
    }

    /**
     * The vectorized axes, outermost first (Nx's {@code vectorized_axes}): empty unless the
     * tensor was made by {@link Nx#vectorize(Tensor, String...)} or an op on a vectorized tensor.
     */
    public List<VectorizedAxis> vectorizedAxes() {
        return vectorized;
    }

    /** Whether the tensor has vectorized axes. */
    public boolean isVectorized() {
        return !vectorized.isEmpty();
    }

    /** The shape of {@link #data()}: the vectorized axes' sizes, then {@link #shape()}; the shape for a plain tensor. */
    public Shape dataShape() {
        return dataShape;
    }

    /** The element type. */
    public DType type() {
        return type;
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** Number of elements; fails past 2^31-1, which a device tensor may have ({@link #longSize()}). */
    public int size() {
        return shape.size();
    }

    /** Number of elements as a long, however many there are. */
    public long longSize() {
        return shape.longSize();
    }

    /**
     * Where the values live: {@link Backend#HOST}, a device backend, or while tracing the
     * {@code expr} backend of symbolic tensors; {@code Nx.backendTransfer(t, other.backend())}
     * moves {@code t} to where {@code other} is.
     */
    public Backend backend() {
        return data.backend();
    }

    /** The backend's handle on the values; for backend implementations. */
    public TensorData data() {
        return data;
    }

    /**
     * The pieces the values are split into across devices (a sharded tensor's per-device
     * shards, in partition order); a tensor held in one place is its own only shard.
     */
    public List<Tensor> shards() {
        return data.shards(this);
    }

    /** The values on the host (of every entry of a vectorized tensor), copying them from a device if needed. */
    public HostData host() {
        return data.toHost(dataShape, type);
    }

    /** Releases device memory held by this tensor; a no-op for host tensors. Idempotent. */
    @Override
    public void close() {
        if (data instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + type + dataShape + " on " + backend().name() + " failed", e);
            }
        }
    }

    /** All values converted to float, row-major; f32 values are copied in bulk. */
    public float[] toFloatArray() {
        int n = dataShape.intSize("toFloatArray", type);
        HostData h = host();
        float[] out = new float[n];
        if (type == DType.F32) {
            MemorySegment.copy(h.segment(), HostData.F32, 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) h.getDouble(type, i);
        }
        return out;
    }

    /** All values converted to double, row-major; f64 values are copied in bulk. */
    public double[] toDoubleArray() {
        int n = dataShape.intSize("toDoubleArray", type);
        HostData h = host();
        double[] out = new double[n];
        if (type == DType.F64) {
            MemorySegment.copy(h.segment(), HostData.F64, 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = h.getDouble(type, i);
        }
        return out;
    }

    /** All values converted to int (floats truncated), row-major; s32 and u32 bits are copied in bulk. */
    public int[] toIntArray() {
        int n = dataShape.intSize("toIntArray", type);
        HostData h = host();
        int[] out = new int[n];
        if (type == DType.S32 || type == DType.U32) {
            MemorySegment.copy(h.segment(), HostData.I32, 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) h.getLong(type, i);
        }
        return out;
    }

    /** All values converted to long (floats truncated; u64 as its bits), row-major; s64 and u64 are copied in bulk. */
    public long[] toLongArray() {
        int n = dataShape.intSize("toLongArray", type);
        HostData h = host();
        long[] out = new long[n];
        if (type == DType.S64 || type == DType.U64) {
            MemorySegment.copy(h.segment(), HostData.I64, 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = h.getLong(type, i);
        }
        return out;
    }

    /** All values as complex numbers (imaginary part 0 for real types), row-major. */
    public Complex[] toComplexArray() {
        int n = dataShape.intSize("toComplexArray", type);
        HostData h = host();
        Complex[] out = new Complex[n];
        for (int i = 0; i < out.length; i++) {
            out[i] = h.getComplex(type, i);
        }
        return out;
    }

    /** The raw little-endian bytes, row-major. */
    public byte[] toByteArray() {
        return host().toByteArray();
    }

    /** The single value of a scalar (or one-element) tensor as a double. */
    public double toDouble() {
        if (dataShape.longSize() != 1) {
            throw new IllegalStateException("toDouble: expected a tensor with one element, got " + type + shape);
        }
        return host().getDouble(type, 0);
    }

    /** A read-only view of the host bytes. */
    public MemorySegment hostSegment() {
        return host().segment();
    }

    /**
     * Laid out like Nx's inspect: the type and shape, then the nested values.
     * <pre>
     * #Nx.Tensor&lt;
     *   f32[2]
     *   [1.0, 2.0]
     * &gt;
     * </pre>
     * A traced tensor prints the graph that computes it, as Nx inspects an {@code Nx.Defn.Expr}.
     */
    @Override
    public String toString() {
        java.util.Optional<String> graph = data.inspectGraph();
        if (graph.isPresent()) {
            return graph.get();
        }
        StringBuilder sb = new StringBuilder("#Nx.Tensor<\n  ");
        if (isVectorized()) {
            sb.append(VectorizedAxis.describe(vectorized)).append("\n  ");
        }
        sb.append(type).append(shape);
        Backend backend = backend();
        if (backend != Backend.HOST) {
            sb.append(' ').append(backend.name());
        }
        sb.append("\n  ");
        appendValues(sb, host(), 0, 0, 1);
        return sb.append("\n>").toString();
    }

    /**
     * The value of a one-element tensor as Nx writes a number: {@code 2.0}, {@code -3},
     * {@code 1.0+2.0i}, {@code NaN}; how a printed graph shows a scalar constant.
     */
    public String toNumberString() {
        if (dataShape.longSize() != 1) {
            throw new IllegalStateException("toNumberString: expected a tensor with one element, got " + type + shape);
        }
        StringBuilder sb = new StringBuilder();
        appendElement(sb, host(), 0);
        return sb.toString();
    }

    private void appendValues(StringBuilder sb, HostData h, int axis, int offset, int indent) {
        if (axis == dataShape.rank()) {
            appendElement(sb, h, offset);
            return;
        }
        int n = dataShape.dim(axis);
        int stride = dataShape.strides()[axis];
        boolean inner = axis == dataShape.rank() - 1;
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (!inner) {
                sb.append('\n').append("  ".repeat(indent + 1));
            }
            appendValues(sb, h, axis + 1, offset + i * stride, indent + 1);
            if (i < n - 1) {
                sb.append(inner ? ", " : ",");
            }
        }
        if (!inner && n > 0) {
            sb.append('\n').append("  ".repeat(indent));
        }
        sb.append(']');
    }

    private void appendElement(StringBuilder sb, HostData h, int i) {
        if (type.isInteger()) {
            long v = h.getLong(type, i);
            sb.append(type == DType.U64 ? Long.toUnsignedString(v) : Long.toString(v));
            return;
        }
        if (type.isComplex()) {
            double re = h.getDouble(type, i);
            double im = h.getImag(type, i);
            boolean f64 = type == DType.C128;
            sb.append(Complex.format(re, f64)).append(im < 0 || (im == 0 && 1 / im < 0) ? "-" : "+")
                    .append(Complex.format(Math.abs(im), f64)).append('i');
            return;
        }
        double v = h.getDouble(type, i);
        if (Double.isNaN(v)) {
            sb.append("NaN");
        } else if (Double.isInfinite(v)) {
            sb.append(v > 0 ? "Inf" : "-Inf");
        } else if (type == DType.F64) {
            sb.append(v);
        } else {
            sb.append((float) v);
        }
    }
}
