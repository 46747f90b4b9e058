package dev.jnx.defn;

/**
 * The options of a {@link Jitted} function, as {@code jax.jit}'s keyword arguments: set them
 * with the jitted function's covariant methods ({@link Jitted#named},
 * {@link Jitted#withOptions}), each of which gives a new jitted function with an empty cache.
 *
 * @param name               the name in error messages, warnings and the StableHLO module
 *                           ({@code jit_<name>}); by default the method reference's target or
 *                           the method a lambda is written in ({@code Softmax.softmax},
 *                           {@code lambda in Train.main}), see {@link Defn#jit(Defn.TensorFunction)}
 * @param warnAfterTemplates compiling a template beyond this many logs one warning naming
 *                           where the templates differ ({@link #DEFAULT_WARN_AFTER_TEMPLATES})
 */
public record JitOptions(String name, int warnAfterTemplates) {
    /** Templates a function may compile before the recompile warning: a few shapes are normal, a new one per call is not. */
    public static final int DEFAULT_WARN_AFTER_TEMPLATES = 8;

    /** Checks that the name is not blank and the template count positive. */
    public JitOptions {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("JitOptions: a jitted function needs a non-blank name, got "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        if (warnAfterTemplates < 1) {
            throw new IllegalArgumentException("JitOptions: warnAfterTemplates must be at least 1, got " + warnAfterTemplates);
        }
    }

    /** The default options for a function called {@code name}. */
    public static JitOptions of(String name) {
        return new JitOptions(name, DEFAULT_WARN_AFTER_TEMPLATES);
    }

    /** These options with another name. */
    public JitOptions named(String name) {
        return new JitOptions(name, warnAfterTemplates);
    }

    /** These options warning after {@code templates} compiled templates instead. */
    public JitOptions warningAfter(int templates) {
        return new JitOptions(name, templates);
    }
}
