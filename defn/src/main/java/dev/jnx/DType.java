package dev.jnx;

/**
 * The element types of Nx, with Nx's names ({@code f32}, {@code s64}, {@code bf16}, ...).
 *
 * <p>Predicates are {@link #U8}, as in Nx. Promotion follows {@code Nx.Type.merge}: the kind
 * with the higher precedence wins ({@code c > f > bf > s > u}); equal kinds take the larger
 * size; an unsigned and a signed integer merge into a signed integer wide enough for both.
 */
public enum DType {
    S8(Kind.SIGNED, 8), S16(Kind.SIGNED, 16), S32(Kind.SIGNED, 32), S64(Kind.SIGNED, 64),
    U8(Kind.UNSIGNED, 8), U16(Kind.UNSIGNED, 16), U32(Kind.UNSIGNED, 32), U64(Kind.UNSIGNED, 64),
    F16(Kind.FLOAT, 16), BF16(Kind.BFLOAT, 16), F32(Kind.FLOAT, 32), F64(Kind.FLOAT, 64),
    C64(Kind.COMPLEX, 64), C128(Kind.COMPLEX, 128);

    /** The family of an element type; its order is Nx's promotion precedence, lowest first. */
    public enum Kind { UNSIGNED, SIGNED, BFLOAT, FLOAT, COMPLEX }

    private final Kind kind;
    private final int bits;

    DType(Kind kind, int bits) {
        this.kind = kind;
        this.bits = bits;
    }

    /** The family of this type. */
    public Kind kind() {
        return kind;
    }

    /** Size of one element in bits. */
    public int bits() {
        return bits;
    }

    /** Size of one element in bytes. */
    public int byteSize() {
        return bits / 8;
    }

    /** Nx's short name, such as {@code f32} or {@code bf16}. */
    public String nxName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True for signed and unsigned integers. */
    public boolean isInteger() {
        return kind == Kind.SIGNED || kind == Kind.UNSIGNED;
    }

    /** True for f16, bf16, f32 and f64 (not complex). */
    public boolean isFloat() {
        return kind == Kind.FLOAT || kind == Kind.BFLOAT;
    }

    /** True for c64 and c128. */
    public boolean isComplex() {
        return kind == Kind.COMPLEX;
    }

    /** True for unsigned integers. */
    public boolean isUnsigned() {
        return kind == Kind.UNSIGNED;
    }

    /** The type named {@code name} in Nx's notation ({@code "f32"}, {@code "u8"}, ...). */
    public static DType of(String name) {
        for (DType t : values()) {
            if (t.nxName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("invalid numerical type: " + name
                + " (expected one of s8 s16 s32 s64 u8 u16 u32 u64 f16 bf16 f32 f64 c64 c128)");
    }

    /** The type of the given kind and size. */
    public static DType of(Kind kind, int bits) {
        for (DType t : values()) {
            if (t.kind == kind && t.bits == bits) {
                return t;
            }
        }
        throw new IllegalArgumentException("invalid numerical type: " + kind + " of " + bits + " bits");
    }

    /** {@code Nx.Type.merge}: the type both operands of a binary op are converted to. */
    public static DType merge(DType a, DType b) {
        if (a.kind == b.kind) {
            return a.bits >= b.bits ? a : b;
        }
        DType lo = a.kind.compareTo(b.kind) < 0 ? a : b;
        DType hi = lo == a ? b : a;
        if (lo.kind == Kind.UNSIGNED && hi.kind == Kind.SIGNED) {
            return of(Kind.SIGNED, Math.max(Math.min(lo.bits * 2, 64), hi.bits));
        }
        return hi;
    }

    /**
     * {@code Nx.Type.merge_number}: the type of a binary op between a tensor of this type and a
     * Java number, keeping the tensor's type where the number fits.
     */
    public DType mergeNumber(Number n) {
        boolean integral = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
        if (!integral) {
            return isInteger() ? F32 : this;
        }
        long v = n.longValue();
        return switch (kind) {
            case UNSIGNED -> v >= 0 ? of(Kind.UNSIGNED, Math.max(unsignedBits(v), bits))
                    : of(Kind.SIGNED, Math.max(signedBits(v), Math.min(bits * 2, 64)));
            case SIGNED -> of(Kind.SIGNED, Math.max(signedBits(v), bits));
            case BFLOAT, FLOAT, COMPLEX -> this;
        };
    }

    /** {@code Nx.Type.to_floating}: integers become f32, floating types stay. */
    public DType toFloating() {
        return isInteger() ? merge(this, F32) : this;
    }

    /** {@code Nx.Type.to_aggregate}: small integers widen to 32 bits for sums and products. */
    public DType toAggregate() {
        return switch (kind) {
            case UNSIGNED -> bits == 64 ? S64 : U32;
            case SIGNED -> bits == 64 ? S64 : S32;
            case BFLOAT, FLOAT, COMPLEX -> this;
        };
    }

    /** {@code Nx.Type.to_real}: the real counterpart of complex types; integers become f32. */
    public DType toReal() {
        return switch (kind) {
            case COMPLEX -> bits == 128 ? F64 : F32;
            case BFLOAT, FLOAT -> this;
            case SIGNED, UNSIGNED -> F32;
        };
    }

    /** The default type of a Java number: int→s32, long→s64, float→f32, double→f64. */
    public static DType infer(Number n) {
        return switch (n) {
            case Byte b -> S8;
            case Short s -> S16;
            case Integer i -> S32;
            case Long l -> S64;
            case Float f -> F32;
            case Double d -> F64;
            default -> throw new IllegalArgumentException(
                    "unsupported number class " + n.getClass().getName() + " (expected byte, short, int, long, float or double)");
        };
    }

    private static int signedBits(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) return 8;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 16;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 32;
        return 64;
    }

    private static int unsignedBits(long v) {
        if (v <= 0xFFL) return 8;
        if (v <= 0xFFFFL) return 16;
        if (v <= 0xFFFF_FFFFL) return 32;
        return 64;
    }

    @Override
    public String toString() {
        return nxName();
    }
}
