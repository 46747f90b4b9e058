package dev.jnx.xla;

/**
 * Element type of a PJRT buffer; each constant's {@link #code()} is the value of the matching
 * {@code PJRT_Buffer_Type} constant of the PJRT C API.
 */
public enum ElementType {
    INVALID(0, 0), PRED(1, 1),
    S8(2, 1), S16(3, 2), S32(4, 4), S64(5, 8),
    U8(6, 1), U16(7, 2), U32(8, 4), U64(9, 8),
    F16(10, 2), F32(11, 4), F64(12, 8), BF16(13, 2),
    C64(14, 8), C128(15, 16),
    F8E5M2(16, 1), F8E4M3FN(17, 1), F8E4M3B11FNUZ(18, 1), F8E5M2FNUZ(19, 1), F8E4M3FNUZ(20, 1),
    // Sub-byte integers travel through host memory unpacked, one byte per element.
    S4(21, 1), U4(22, 1),
    TOKEN(23, 0),
    S2(24, 1), U2(25, 1),
    F8E4M3(26, 1), F8E3M4(27, 1), F8E8M0FNU(28, 1), F4E2M1FN(29, 1),
    S1(30, 1), U1(31, 1);

    private static final ElementType[] BY_CODE = new ElementType[32];

    static {
        for (ElementType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int byteSize;

    ElementType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** The {@code PJRT_Buffer_Type} value. */
    public int code() {
        return code;
    }

    /**
     * Bytes one element occupies in a dense host buffer; 0 for {@link #INVALID} and
     * {@link #TOKEN}, which have no host representation.
     */
    public long byteSize() {
        return byteSize;
    }

    /** Whether elements are narrower than a byte on the device (host copies are unpacked). */
    public boolean isSubByte() {
        return switch (this) {
            case S4, U4, S2, U2, S1, U1, F4E2M1FN -> true;
            default -> false;
        };
    }

    /**
     * The constant for a {@code PJRT_Buffer_Type} value.
     *
     * @throws IllegalArgumentException if the value names no known type
     */
    public static ElementType of(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new IllegalArgumentException("Unknown PJRT_Buffer_Type value " + code);
        }
        return BY_CODE[code];
    }
}
