package dev.jnx;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Tensor values held in a Java byte array, row-major, little-endian, each element in its
 * type's binary layout (Nx's BinaryBackend). The array is never mutated after construction.
 */
public final class HostData implements TensorData {
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The most bytes a host tensor holds: those of the largest Java byte array. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private final byte[] bytes;
    private final MemorySegment segment;

    /** Wraps {@code bytes}, which the caller must not modify afterwards. */
    public HostData(byte[] bytes) {
        this.bytes = bytes;
        this.segment = MemorySegment.ofArray(bytes);
    }

    /**
     * The bytes of host values of {@code type} and {@code shape}; fails naming {@code op}, the
     * type and shape and {@link #MAX_BYTES} when one byte array cannot hold them, before anything is allocated.
     */
    public static int hostByteSize(String op, Shape shape, DType type) {
        Objects.requireNonNull(op, "HostData.hostByteSize: argument op");
        Objects.requireNonNull(shape, "HostData.hostByteSize: argument shape");
        long n = shape.byteSize(type);
        if (n > MAX_BYTES) {
            throw new IllegalArgumentException(op + ": " + type + shape + " needs " + n + " bytes, more than the "
                    + MAX_BYTES + " a host tensor (one Java byte array) holds");
        }
        return (int) n;
    }

    /** One element of {@code type} holding {@code value}, converted as {@link #write}. */
    public static HostData scalar(Number value, DType type) {
        byte[] bytes = new byte[type.byteSize()];
        // A trace makes a scalar for every literal and gradient seed, mostly before the JIT has
        // compiled the segment accessors, which then cost far more than these shifts. The
        // conversions are write's: a Double or Float by its double value, others by their long value.
        boolean floating = value instanceof Double || value instanceof Float;
        if (type == DType.F32) {
            putLittleEndian(bytes, Float.floatToRawIntBits((float) (floating ? value.doubleValue() : value.longValue())));
        } else if (type == DType.F64) {
            putLittleEndian(bytes, Double.doubleToRawLongBits(floating ? value.doubleValue() : value.longValue()));
        } else if (!floating && type.isInteger()) {
            putLittleEndian(bytes, value.longValue()); // wrapped to the type's width, as setLong does
        } else {
            write(MemorySegment.ofArray(bytes), type, 0, value);
        }
        return new HostData(bytes);
    }

    /** The low {@code bytes.length} bytes of {@code bits}, least significant first. */
    private static void putLittleEndian(byte[] bytes, long bits) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (bits >>> (8 * i));
        }
    }

    /** A read-only view of the bytes, e.g. to copy them to a device. */
    public MemorySegment segment() {
        return segment.asReadOnly();
    }

    /** Number of bytes. */
    public int byteSize() {
        return bytes.length;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    @Override
    public Backend backend() {
        return Backend.HOST;
    }

    @Override
    public HostData toHost(Shape shape, DType type) {
        return this;
    }

    /**
     * Element {@code i} as a double (integers converted, unsigned read as unsigned; the real
     * part of a complex element, as Nx's {@code as_type} from complex to real takes it).
     */
    public double getDouble(DType type, int i) {
        return switch (type) {
            case F32 -> segment.getAtIndex(F32, i);
            case F64 -> segment.getAtIndex(F64, i);
            case F16 -> Float.float16ToFloat(segment.getAtIndex(I16, i));
            case BF16 -> Float.intBitsToFloat((segment.getAtIndex(I16, i) & 0xFFFF) << 16);
            case U64 -> unsignedToDouble(segment.getAtIndex(I64, i));
            case S8, S16, S32, S64, U8, U16, U32 -> getLong(type, i);
            case C64 -> segment.getAtIndex(F32, 2L * i);
            case C128 -> segment.getAtIndex(F64, 2L * i);
        };
    }

    /** The imaginary part of element {@code i}: 0 for real types. */
    public double getImag(DType type, int i) {
        return switch (type) {
            case C64 -> segment.getAtIndex(F32, 2L * i + 1);
            case C128 -> segment.getAtIndex(F64, 2L * i + 1);
            default -> 0.0;
        };
    }

    /** Element {@code i} as a complex number (imaginary part 0 for real types). */
    public Complex getComplex(DType type, int i) {
        return new Complex(getDouble(type, i), getImag(type, i));
    }

    /** Writes {@code re + im·i} into complex element {@code i}, rounding the parts to c64's f32 as needed. */
    public static void setComplex(MemorySegment s, DType type, int i, double re, double im) {
        switch (type) {
            case C64 -> {
                s.setAtIndex(F32, 2L * i, (float) re);
                s.setAtIndex(F32, 2L * i + 1, (float) im);
            }
            case C128 -> {
                s.setAtIndex(F64, 2L * i, re);
                s.setAtIndex(F64, 2L * i + 1, im);
            }
            default -> throw new IllegalArgumentException("setComplex: " + type + " is not a complex type");
        }
    }

    /** Element {@code i} as a long (floats truncated toward zero; u64 as its bit pattern). */
    public long getLong(DType type, int i) {
        return switch (type) {
            case S8 -> segment.get(B, i);
            case U8 -> segment.get(B, i) & 0xFFL;
            case S16 -> segment.getAtIndex(I16, i);
            case U16 -> segment.getAtIndex(I16, i) & 0xFFFFL;
            case S32 -> segment.getAtIndex(I32, i);
            case U32 -> segment.getAtIndex(I32, i) & 0xFFFF_FFFFL;
            case S64, U64 -> segment.getAtIndex(I64, i);
            case F16, BF16, F32, F64, C64, C128 -> (long) getDouble(type, i);
        };
    }

    /**
     * Writes a double into element {@code i}, rounding to the type (floats), saturating
     * (integers, NaN to 0) or as a complex with imaginary part 0.
     */
    public static void setDouble(MemorySegment s, DType type, int i, double v) {
        switch (type) {
            case F32 -> s.setAtIndex(F32, i, (float) v);
            case F64 -> s.setAtIndex(F64, i, v);
            case F16 -> s.setAtIndex(I16, i, Float.floatToFloat16((float) v));
            case BF16 -> s.setAtIndex(I16, i, floatToBf16((float) v));
            case S8, S16, S32, S64, U8, U16, U32, U64 -> setLong(s, type, i, saturate(type, v));
            case C64, C128 -> setComplex(s, type, i, v, 0);
        }
    }

    /** Writes a long into element {@code i}, wrapping integers to the type's width. */
    public static void setLong(MemorySegment s, DType type, int i, long v) {
        switch (type) {
            case S8, U8 -> s.set(B, i, (byte) v);
            case S16, U16 -> s.setAtIndex(I16, i, (short) v);
            case S32, U32 -> s.setAtIndex(I32, i, (int) v);
            case S64, U64 -> s.setAtIndex(I64, i, v);
            case F16, BF16, F32, F64 -> setDouble(s, type, i, type == DType.F64 ? (double) v : (float) v);
            case C64 -> setComplex(s, type, i, (float) v, 0);
            case C128 -> setComplex(s, type, i, (double) v, 0);
        }
    }

    /** Writes a Java number into element {@code i} of a {@code type} buffer, converting as {@link Nx#asType}. */
    static void write(MemorySegment out, DType type, int i, Number n) {
        if (n instanceof Double || n instanceof Float) {
            HostData.setDouble(out, type, i, n.doubleValue());
        } else if (type.isInteger()) {
            HostData.setLong(out, type, i, n.longValue());
        } else {
            HostData.setDouble(out, type, i, n.longValue());
        }
    }

    /** Float to integer conversion as XLA does it: NaN becomes 0, out-of-range values saturate. */
    static long saturate(DType type, double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return switch (type) {
            case S8 -> (long) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, v));
            case S16 -> (long) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            case S32 -> (long) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
            case S64 -> (long) v;
            case U8 -> (long) Math.max(0, Math.min(0xFF, v));
            case U16 -> (long) Math.max(0, Math.min(0xFFFF, v));
            case U32 -> (long) Math.max(0, Math.min(0xFFFF_FFFFL, v));
            case U64 -> v <= 0 ? 0 : v >= 0x1p64 ? -1L : v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v;
            default -> throw new IllegalArgumentException("not an integer type: " + type);
        };
    }

    /** Round-to-nearest-even float → bfloat16 bits, keeping NaN a NaN. */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

}
