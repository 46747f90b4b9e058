package dev.jnx.exla;

/**
 * Thrown by a {@linkplain ExlaCompiler#validating(Tolerance) validating compiler} when a
 * compiled result disagrees with the reference evaluator's beyond the {@link Tolerance}.
 */
public final class ValidationException extends RuntimeException {
    private final String function;
    private final int output;
    private final Tolerance.Difference difference;

    ValidationException(String compiler, String function, int output, Tolerance.Difference difference,
                        Tolerance tolerance) {
        super(compiler + ": function " + function + ", output " + output + " differs from the reference evaluator: "
                + difference + " (" + tolerance + ")");
        this.function = function;
        this.output = output;
        this.difference = difference;
    }

    /** The name of the jitted function. */
    public String function() {
        return function;
    }

    /** The index of the differing output among the function's flattened outputs. */
    public int output() {
        return output;
    }

    /** The first differing element and both values. */
    public Tolerance.Difference difference() {
        return difference;
    }
}
