package dev.jnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Java arrays and raw bytes into host tensors, for {@link Nx#tensor} and {@link Nx#fromBinary}.
 * Primitive arrays are copied in bulk, one {@link MemorySegment#copy} per innermost row (a
 * memcpy on little-endian hosts), then converted as {@link Nx#asType} does if another type was
 * asked for; only arrays of boxed numbers or {@link Complex} go element by element.
 */
final class HostArrays {
    private HostArrays() {
    }

    /** A tensor of shape {@code dims} (a vector if null) over a copy of the primitive array {@code data}. */
    static Tensor flat(Object data, DType natural, int[] dims) {
        int length = Array.getLength(data);
        Shape shape = dims == null ? Shape.of(length) : Shape.of(dims);
        if (shape.longSize() != length) {
            throw new IllegalArgumentException("Nx.tensor: shape " + shape + " needs " + shape.longSize() + " values, got a "
                    + data.getClass().getComponentType() + "[" + length + "]");
        }
        byte[] bytes = new byte[HostData.hostByteSize("Nx.tensor", shape, natural)];
        MemorySegment.copy(data, 0, MemorySegment.ofArray(bytes), layout(natural), 0, length);
        return Tensor.of(shape, natural, new HostData(bytes));
    }

    /** A tensor over a copy of {@code bytes}, element {@code i} in the type's little-endian layout. */
    static Tensor fromBinary(MemorySegment bytes, DType type, int[] dims) {
        long n = bytes.byteSize();
        Shape shape;
        if (dims != null) {
            shape = Shape.of(dims);
            if (n != shape.byteSize(type)) {
                throw new IllegalArgumentException("Nx.fromBinary: " + type + shape + " needs "
                        + shape.byteSize(type) + " bytes, got " + n);
            }
        } else if (n % type.byteSize() != 0 || n / type.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Nx.fromBinary: " + n + " bytes are not a whole number of " + type
                    + " elements (" + type.byteSize() + " bytes each) that fits a tensor");
        } else {
            shape = Shape.of((int) (n / type.byteSize()));
        }
        byte[] copy = new byte[HostData.hostByteSize("Nx.fromBinary", shape, type)];
        MemorySegment.copy(bytes, 0, MemorySegment.ofArray(copy), 0, n);
        return Tensor.of(shape, type, new HostData(copy));
    }

    /**
     * A tensor of {@code type} from nested Java arrays: those of a primitive type row by row in
     * bulk, others (boxed numbers, {@link Complex}) element by element.
     */
    static Tensor nested(Object values, DType type) {
        Shape shape = shapeOf(values);
        Class<?> leaf = values.getClass();
        while (leaf.isArray()) {
            leaf = leaf.getComponentType();
        }
        DType natural = leaf.isPrimitive() ? primitiveType(leaf) : null;
        if (natural == null) {
            byte[] bytes = new byte[HostData.hostByteSize("Nx.tensor", shape, type)];
            fillElements(values, 0, shape, type, MemorySegment.ofArray(bytes), new int[1]);
            return Tensor.of(shape, type, new HostData(bytes));
        }
        byte[] bytes = new byte[HostData.hostByteSize("Nx.tensor", shape, natural)];
        copyRows(values, 0, shape, natural, MemorySegment.ofArray(bytes), new long[1]);
        if (sameBits(natural, type)) {
            return Tensor.of(shape, type, new HostData(bytes));
        }
        return Nx.asType(Tensor.of(shape, natural, new HostData(bytes)), type);
    }

    /**
     * The default type of nested arrays or a number: the innermost element type decides
     * (float→f32, double→f64, int→s32, long→s64, short→s16, byte→s8, Complex→c64).
     */
    static DType defaultType(Object values) {
        if (values instanceof Number n) {
            return DType.infer(n);
        }
        if (values instanceof Tensor t) {
            return t.type();
        }
        Class<?> c = values.getClass();
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c == float.class || c == Float.class) return DType.F32;
        if (c == double.class || c == Double.class) return DType.F64;
        if (c == int.class || c == Integer.class) return DType.S32;
        if (c == long.class || c == Long.class) return DType.S64;
        if (c == short.class || c == Short.class) return DType.S16;
        if (c == byte.class || c == Byte.class) return DType.S8;
        if (c == Complex.class) return DType.C64;
        throw new IllegalArgumentException("Nx.tensor: cannot infer a type for "
                + (values == null ? "null" : values.getClass().getSimpleName())
                + " (expected numbers or arrays of float, double, int, long, short or byte)");
    }

    /** The Nx type of a primitive array element, or null for char and boolean. */
    private static DType primitiveType(Class<?> c) {
        if (c == float.class) return DType.F32;
        if (c == double.class) return DType.F64;
        if (c == int.class) return DType.S32;
        if (c == long.class) return DType.S64;
        if (c == short.class) return DType.S16;
        if (c == byte.class) return DType.S8;
        return null;
    }

    /** The little-endian layout of one element of a primitive array of {@code natural}'s Java type. */
    private static ValueLayout layout(DType natural) {
        return switch (natural) {
            case F32 -> HostData.F32;
            case F64 -> HostData.F64;
            case S32 -> HostData.I32;
            case S64 -> HostData.I64;
            case S16 -> HostData.I16;
            case S8 -> ValueLayout.JAVA_BYTE;
            case U8, U16, U32, U64, F16, BF16, C64, C128 ->
                    throw new IllegalArgumentException("no Java primitive array holds " + natural);
        };
    }

    /** Whether {@code to} stores values of {@code from} with the same bits: itself, or an integer's unsigned twin. */
    private static boolean sameBits(DType from, DType to) {
        return from == to || from.kind() == DType.Kind.SIGNED && to.isUnsigned() && from.bits() == to.bits();
    }

    /** The dimensions of nested arrays, read along their first elements; an empty level takes the rest from the static type. */
    private static Shape shapeOf(Object values) {
        List<Integer> dims = new ArrayList<>();
        Object level = values;
        while (level != null && level.getClass().isArray()) {
            int n = Array.getLength(level);
            dims.add(n);
            level = n > 0 ? Array.get(level, 0) : null;
            if (n == 0) {
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
        return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void copyRows(Object level, int axis, Shape shape, DType natural, MemorySegment out, long[] offset) {
        checkLevel(level, axis, shape);
        int n = shape.dim(axis);
        if (axis == shape.rank() - 1) {
            MemorySegment.copy(level, 0, out, layout(natural), offset[0], n);
            offset[0] += (long) n * natural.byteSize();
            return;
        }
        for (Object row : (Object[]) level) {
            copyRows(row, axis + 1, shape, natural, out, offset);
        }
    }

    private static void fillElements(Object level, int axis, Shape shape, DType type, MemorySegment out, int[] next) {
        if (axis == shape.rank()) {
            if (level instanceof Complex z) {
                if (!type.isComplex()) {
                    throw new IllegalArgumentException("Nx.tensor: cannot store the complex number " + z + " in a "
                            + type + " tensor (expected c64 or c128)");
                }
                HostData.setComplex(out, type, next[0]++, z.re(), z.im());
                return;
            }
            if (!(level instanceof Number n)) {
                throw new IllegalArgumentException("Nx.tensor: expected a number at depth " + axis + ", got "
                        + (level == null ? "null" : level.getClass().getSimpleName()));
            }
            HostData.write(out, type, next[0]++, n);
            return;
        }
        checkLevel(level, axis, shape);
        for (int i = 0; i < shape.dim(axis); i++) {
            fillElements(Array.get(level, i), axis + 1, shape, type, out, next);
        }
    }

    private static void checkLevel(Object level, int axis, Shape shape) {
        if (level == null || !level.getClass().isArray() || Array.getLength(level) != shape.dim(axis)) {
            throw new IllegalArgumentException("Nx.tensor: ragged nested arrays: expected " + shape.dim(axis)
                    + " elements at depth " + axis + " to build shape " + shape);
        }
    }
}
