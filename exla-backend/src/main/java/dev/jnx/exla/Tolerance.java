package dev.jnx.exla;

import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.Objects;
import java.util.Optional;

/**
 * When a compiled result counts as equal to the reference evaluator's: the rule shared by
 * {@link ExlaCompiler#validating(Tolerance)} and the project's differential fuzzer.
 *
 * <ul>
 *   <li>Shapes and types must be equal.</li>
 *   <li>Integer types (predicates are u8) must be bit-exact.</li>
 *   <li>Floating types, and each part of a complex number: NaN equals NaN whatever its sign
 *       or payload (XLA does not preserve either); an infinity equals only the same infinity.
 *       Finite values agree when {@code |got - want| <= r * max(1, |want|)} (for complex numbers
 *       with finite parts, |·| is the modulus: an error in one part is judged against the size
 *       of the number, as complex arithmetic spreads it between the parts), with the relative
 *       tolerance {@code r} of the type: 1e-12 for f64/c128, 5e-6 for f32/c64 (tens of ulps:
 *       XLA:CPU evaluates transcendental functions with its own approximations), 1e-2 for
 *       f16/bf16 (XLA may keep intermediates of a fused computation in f32). The absolute
 *       floor of {@code r} for values below 1 also covers XLA:CPU's flushing of subnormal
 *       results to zero.</li>
 * </ul>
 *
 * <p>A tolerance {@link #scaled(double)} by a factor multiplies every relative tolerance.
 */
public final class Tolerance {
    private static final Tolerance DEFAULTS = new Tolerance(1);

    private final double factor;

    private Tolerance(double factor) {
        this.factor = factor;
    }

    /** The rule above with its default tolerances. */
    public static Tolerance defaults() {
        return DEFAULTS;
    }

    /**
     * This rule with every relative tolerance multiplied by {@code factor}.
     *
     * @throws IllegalArgumentException if {@code factor} is not a positive finite number
     */
    public Tolerance scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("Tolerance.scaled: expected a positive finite factor, got " + factor);
        }
        return new Tolerance(this.factor * factor);
    }

    /** The relative tolerance of finite values of {@code type} (0 for integer types: exact). */
    public double relative(DType type) {
        Objects.requireNonNull(type, "Tolerance.relative: type");
        return switch (type) {
            case F64, C128 -> 1e-12 * factor;
            case F32, C64 -> 5e-6 * factor;
            case F16, BF16 -> 1e-2 * factor;
            case S8, S16, S32, S64, U8, U16, U32, U64 -> 0;
        };
    }

    /** Whether two real values of a floating type agree under this rule. */
    public boolean close(DType type, double want, double got) {
        if (Double.isNaN(want) || Double.isNaN(got)) {
            return Double.isNaN(want) && Double.isNaN(got);
        }
        if (Double.isInfinite(want) || Double.isInfinite(got)) {
            return want == got;
        }
        return Math.abs(got - want) <= relative(type) * Math.max(1, Math.abs(want));
    }

    /**
     * Where a result differs from the expected one: the first element (row-major) outside the
     * rule, or a shape or type that differs.
     *
     * @param index the element's coordinates, e.g. {@code [1, 0]} ({@code []} for a scalar);
     *              null when the shapes or types differ
     * @param expected the expected value (or type and shape), as text
     * @param actual   the value (or type and shape) found, as text
     */
    public record Difference(int[] index, String expected, String actual) {
        /** "element [1, 0]: expected 2.0, got 2.5", or the shapes/types that differ. */
        @Override
        public String toString() {
            return (index == null ? "" : "element " + java.util.Arrays.toString(index) + ": ") + "expected "
                    + expected + ", got " + actual;
        }
    }

    /** The first difference between {@code want} (the reference) and {@code got}, if any. */
    public Optional<Difference> difference(Tensor want, Tensor got) {
        Objects.requireNonNull(want, "Tolerance.difference: want");
        Objects.requireNonNull(got, "Tolerance.difference: got");
        if (want.type() != got.type() || !want.shape().equals(got.shape())) {
            return Optional.of(new Difference(null, want.type() + "" + want.shape(), got.type() + "" + got.shape()));
        }
        DType t = want.type();
        Shape s = want.shape();
        if (t.isInteger()) {
            long[] w = want.toLongArray();
            long[] g = got.toLongArray();
            for (int i = 0; i < w.length; i++) {
                if (w[i] != g[i]) {
                    return Optional.of(new Difference(coordinates(s, i), integer(t, w[i]), integer(t, g[i])));
                }
            }
            return Optional.empty();
        }
        Complex[] w = want.toComplexArray();
        Complex[] g = got.toComplexArray();
        for (int i = 0; i < w.length; i++) {
            if (!(t.isComplex() ? closeComplex(t, w[i], g[i])
                    : close(t, w[i].re(), g[i].re()))) {
                return Optional.of(new Difference(coordinates(s, i), real(t, w[i]), real(t, g[i])));
            }
        }
        return Optional.empty();
    }

    private boolean closeComplex(DType t, Complex want, Complex got) {
        boolean finite = Double.isFinite(want.re()) && Double.isFinite(want.im()) && Double.isFinite(got.re())
                && Double.isFinite(got.im());
        if (!finite) {
            return close(t, want.re(), got.re()) && close(t, want.im(), got.im());
        }
        double error = Math.hypot(got.re() - want.re(), got.im() - want.im());
        return error <= relative(t) * Math.max(1, Math.hypot(want.re(), want.im()));
    }

    private static String integer(DType t, long v) {
        return t == DType.U64 ? Long.toUnsignedString(v) : Long.toString(v);
    }

    private static String real(DType t, Complex c) {
        return t.isComplex() ? c.toString() : Double.toString(c.re());
    }

    /** The row-major coordinates of flat element {@code flat} of {@code s}. */
    static int[] coordinates(Shape s, int flat) {
        int[] idx = new int[s.rank()];
        for (int a = s.rank() - 1; a >= 0; a--) {
            idx[a] = flat % s.dim(a);
            flat /= s.dim(a);
        }
        return idx;
    }

    @Override
    public String toString() {
        return "Tolerance[f64 " + relative(DType.F64) + ", f32 " + relative(DType.F32) + ", f16/bf16 "
                + relative(DType.F16) + "]";
    }
}
