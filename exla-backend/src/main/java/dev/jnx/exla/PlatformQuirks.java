package dev.jnx.exla;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The workarounds the lowering emits for one PJRT platform's XLA compiler, registered by platform
 * name: each {@link Quirk} is a known difference of that compiler from StableHLO's (and Nx's)
 * semantics, and the lowering works around it only where it was observed.
 *
 * @param platform the PJRT platform name, lower case ({@code cpu}, {@code cuda}, ...)
 * @param quirks   what that platform needs
 */
record PlatformQuirks(String platform, Set<Quirk> quirks) {
    /** One compiler's difference that the lowering works around. */
    enum Quirk {
        /**
         * {@code maximum} and {@code minimum} drop a NaN second operand, element-wise and in
         * reduction bodies alike (XLA:CPU, TF 2.18): the lowering selects NaN operands explicitly.
         */
        NAN_DROPPING_EXTREMUM,
        /**
         * f32/f64 subnormals are flushed in arithmetic (DAZ) but the atan2 expansion tells them from
         * 0, so atan2 of two subnormals divided 0 by 0 (XLA:CPU): the lowering selects the atan2 of
         * the flushed zeros there.
         */
        FLUSHED_SUBNORMAL_ATAN2,
        /**
         * The simplifier's rewrite of {@code log(sqrt(a))} and {@code log(rsqrt(a))} to
         * {@code ±0.5·log(a)} names its new instruction "log", and on XLA:CPU's thunk runtime a
         * kernel of that name shadows libm's log and calls itself until the stack runs out: the
         * lowering puts an optimization barrier between the two.
         */
        LOG_KERNEL_SHADOWS_LIBM,
        /**
         * A loop fusion whose output buffer is one of its inputs (a donated parameter aliased to
         * an element-wise update of it) gets LLVM's runtime overlap check, which fails when output
         * and input are the same memory, so it runs its scalar loop (XLA:CPU, TF 2.18: an Adam
         * step with donated state is 1.25–1.3× slower). The lowering aliases a donated parameter
         * only to an output not computed by such a loop; jnx still closes it after the call.
         */
        IN_PLACE_LOOP_NOT_VECTORIZED
    }

    /** Where each quirk was observed; a platform not listed needs none. */
    private static final Map<String, Set<Quirk>> REGISTRY = Map.of(
            "cpu", EnumSet.allOf(Quirk.class));

    /** The quirks of the bundled XLA:CPU plugin. */
    static final PlatformQuirks CPU = of("cpu");

    PlatformQuirks {
        quirks = Set.copyOf(quirks);
    }

    /** The quirks registered for the PJRT platform {@code platformName} (any case); none for an unlisted one. */
    static PlatformQuirks of(String platformName) {
        String name = platformName.toLowerCase(Locale.ROOT);
        return new PlatformQuirks(name, REGISTRY.getOrDefault(name, Set.of()));
    }

    /** Whether this platform needs the workaround for {@code quirk}. */
    boolean has(Quirk quirk) {
        return quirks.contains(quirk);
    }
}
