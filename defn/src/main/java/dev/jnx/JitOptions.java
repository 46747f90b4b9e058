package dev.jnx;

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
 * @param donatedArguments   the argument positions whose buffers each call gives up (jax.jit's
 *                           {@code donate_argnums}): every leaf of those arguments is donated
 */
public record JitOptions(String name, int warnAfterTemplates, java.util.Set<Integer> donatedArguments) {
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
        donatedArguments = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(donatedArguments));
        for (int i : donatedArguments) {
            if (i < 0) {
                throw new IllegalArgumentException("JitOptions: donated argument index " + i + " is negative");
            }
        }
    }

    /** The default options for a function called {@code name}. */
    public static JitOptions of(String name) {
        return new JitOptions(name, DEFAULT_WARN_AFTER_TEMPLATES, java.util.Set.of());
    }

    /** These options with another name. */
    public JitOptions named(String name) {
        return new JitOptions(name, warnAfterTemplates, donatedArguments);
    }

    /** These options warning after {@code templates} compiled templates instead. */
    public JitOptions warningAfter(int templates) {
        return new JitOptions(name, templates, donatedArguments);
    }

    /** These options donating the arguments at {@code positions} (replacing earlier ones). */
    public JitOptions donating(int... positions) {
        java.util.Set<Integer> set = new java.util.TreeSet<>();
        for (int p : positions) {
            set.add(p);
        }
        return new JitOptions(name, warnAfterTemplates, set);
    }
}
