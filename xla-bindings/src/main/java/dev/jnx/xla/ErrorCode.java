package dev.jnx.xla;

/** Status code of a PJRT error; values are those of the C API's {@code PJRT_Error_Code}. */
public enum ErrorCode {
    OK(0), CANCELLED(1), UNKNOWN(2), INVALID_ARGUMENT(3), DEADLINE_EXCEEDED(4), NOT_FOUND(5),
    ALREADY_EXISTS(6), PERMISSION_DENIED(7), RESOURCE_EXHAUSTED(8), FAILED_PRECONDITION(9),
    ABORTED(10), OUT_OF_RANGE(11), UNIMPLEMENTED(12), INTERNAL(13), UNAVAILABLE(14),
    DATA_LOSS(15), UNAUTHENTICATED(16);

    private static final ErrorCode[] BY_VALUE = values();

    private final int value;

    ErrorCode(int value) {
        this.value = value;
    }

    /** The {@code PJRT_Error_Code} value. */
    public int value() {
        return value;
    }

    /** The constant for a {@code PJRT_Error_Code} value; {@link #UNKNOWN} for values this API does not know. */
    public static ErrorCode of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
    }
}
