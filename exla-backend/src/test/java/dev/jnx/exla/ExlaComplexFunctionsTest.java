package dev.jnx.exla;

import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Defn.TensorFunction;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Complex elementary functions at large and infinite arguments (issue 14, fuzzer finding F7) and
 * atan2 of subnormals (F8) compiled by XLA, against the hand-checked C99 values defn's
 * ComplexFunctionsTest holds the reference evaluator to. Where XLA:CPU agrees both backends must
 * give them; where it does not (an overflowing e^|x| times an exact 0, or a finite result past
 * e^|x|'s range), the last group asserts XLA's answers as docs/coverage.md lists them.
 */
class ExlaComplexFunctionsTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;

    private static Tensor z(DType type, double... reIm) {
        double[] re = new double[reIm.length / 2];
        double[] im = new double[reIm.length / 2];
        for (int i = 0; i < re.length; i++) {
            re[i] = reIm[2 * i];
            im[i] = reIm[2 * i + 1];
        }
        return Nx.asType(Nx.complex(Nx.tensor(re), Nx.tensor(im)), type);
    }

    private static Tensor evaluated(TensorFunction f, Tensor x) {
        return Defn.jit(f).apply(x);
    }

    private static Tensor compiled(TensorFunction f, Tensor x) {
        return Defn.jit(f, Exla.compiler()).apply(x);
    }

    /** Parts within {@code relTol} of {@code expected} (re, im pairs); NaN matches NaN, infinities exactly. */
    private static void assertParts(String what, Tensor r, double relTol, double... expected) {
        Complex[] got = r.toComplexArray();
        assertEquals(expected.length / 2, got.length, what);
        for (int i = 0; i < got.length; i++) {
            double[] parts = {got[i].re(), got[i].im()};
            for (int k = 0; k < 2; k++) {
                double e = expected[2 * i + k];
                double g = parts[k];
                boolean ok = Double.isNaN(e) ? Double.isNaN(g) : e == g || Math.abs(e - g) <= relTol * Math.abs(e);
                assertTrue(ok, what + " on " + r.backend().name() + " [" + i + "]: expected " + expected[2 * i] + ", "
                        + expected[2 * i + 1] + "i, got " + got[i].re() + ", " + got[i].im() + "i");
            }
        }
    }

    private static void agree(String what, TensorFunction f, Tensor x, double relTol, double... expected) {
        for (Tensor r : List.of(evaluated(f, x), compiled(f, x))) {
            assertParts(what, r, relTol, expected);
        }
    }

    @Test
    void tanhAndTanOfLargePartsAreUnitsOnBothBackends() {
        agree("tanh(±3439 + 0i) c64", Nx::tanh, z(DType.C64, 3439, 0, -3439, 0), 0, 1, 0, -1, 0);
        agree("tanh c128 at ±800 and ±Inf", Nx::tanh, z(DType.C128, 800, 1, -800, 2, INF, 1, -INF, 3, INF, INF, NAN, 0, NAN, 1),
                0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0, NAN, 0, NAN, NAN);
        agree("tan(x ± i·large) c64", Nx::tan, z(DType.C64, 0.5, 100, 1, -3000), 0, 0, 1, 0, -1);
    }

    @Test
    void sqrtOfInfiniteAndHugePartsAgrees() {
        // C99: √(x ± i∞) = +∞ ± i∞; √(-∞ + iy) = 0 + i∞; √(1e308(1 + i)) = (√2·1e308)^½ e^(iπ/8).
        agree("sqrt c64 at infinities", Nx::sqrt, z(DType.C64, -1.5, -INF, NAN, INF, -INF, 2, INF, -2), 0,
                INF, -INF, INF, INF, 0, INF, INF, 0);
        double m = Math.sqrt(Math.sqrt(2)) * 1e154;
        agree("sqrt(1e308 + 1e308i) c128", Nx::sqrt, z(DType.C128, 1e308, 1e308), 1e-14,
                m * Math.cos(Math.PI / 8), m * Math.sin(Math.PI / 8));
    }

    @Test
    void asinhOfLargePartsAgrees() {
        double big = Math.log(2e10);
        agree("asinh(∓1e10) c64", Nx::asinh, z(DType.C64, -1e10, 0, 1e10, 0), 1e-7, -big, 0, big, 0);
        agree("asinh c128 of 1e300(1 + i), 1e10i, Inf", Nx::asinh, z(DType.C128, 1e300, 1e300, 0, 1e10, INF, 0), 1e-15,
                Math.log(2 * Math.sqrt(2)) + 300 * Math.log(10), Math.PI / 4, big, Math.PI / 2, INF, 0);
    }

    @Test
    void expm1AndSigmoidKeepTinyResults() {
        agree("expm1(1e-10(1 + i)) c128", Nx::expm1, z(DType.C128, 1e-10, 1e-10), 1e-15, 1e-10, 1e-10 + 1e-20);
        double e = Math.exp(-700);
        agree("sigmoid(-700 + i), sigmoid(-800 + i) c128", Nx::sigmoid, z(DType.C128, -700, 1, -800, 1), 1e-14,
                e * Math.cos(1), e * Math.sin(1), 0, 0);
    }

    @Test
    void acoshNearOneOnTheCutAndAtInfinityAgrees() {
        double delta = (1 + 1e-10) - 1;
        // On the cut (0.5 ± 0i) XLA ignores the zero's sign, as for acos/asin (issue 14 finding F3): +0 only here.
        agree("acosh c128", Nx::acosh, z(DType.C128, 1 + delta, 0, 0.5, 0, -1e10, 0), 1e-14,
                Math.sqrt(2 * delta) * (1 - delta / 12), 0, 0, Math.PI / 3, Math.log(2e10), Math.PI);
        agree("acosh c128 at infinities", Nx::acosh, z(DType.C128, INF, 0, 1, INF, -INF, 1), 0,
                INF, 0, INF, Math.PI / 2, INF, Math.PI);
        agree("acosh c128 at two infinite parts and beside NaN (fuzz seed 43192)", Nx::acosh,
                z(DType.C128, INF, INF, -INF, INF, INF, -INF, -INF, NAN, NAN, INF), 1e-15,
                INF, Math.PI / 4, INF, 3 * Math.PI / 4, INF, -Math.PI / 4, INF, NAN, INF, NAN);
    }

    @Test
    void sqrtOfASquareIsThePrincipalRootNotTheModulus() {
        // Fuzz seed 1695: XLA rewrote sqrt(a·a) to |a| (2.15 + 0i). √((1.25-1.75i)²) = 1.25-1.75i (re > 0);
        // √((-1.5-4.375i)²) = 1.5+4.375i, the root with re ≥ 0.
        TensorFunction f = x -> Nx.sqrt(Nx.multiply(x, x));
        agree("sqrt(z·z) c64", f, z(DType.C64, 1.25, -1.75, -1.5, -4.375, 0, 0), 1e-6, 1.25, -1.75, 1.5, 4.375, 0, 0);
        agree("sqrt(z·z) c128", f, z(DType.C128, 1.25, -1.75, -1.5, -4.375), 1e-15, 1.25, -1.75, 1.5, 4.375);
    }

    @Test
    void atanAtInfiniteAndNanPartsIsC99s() {
        // Fuzz seeds 2910, 7685; catan z = -i catanh(iz) (C99 Annex G): ±π/2 ± 0i at x ± i∞, NaN ± 0i at NaN ± i∞
        // (XLA's chlo.atan: -π/2), NaN + 0i at NaN + 0i, NaN + NaN·i at 0 + NaN·i (XLA's: π/2 + NaN·i).
        agree("atan c128 at infinite and NaN parts", Nx::atan,
                z(DType.C128, -1.75, INF, 1, -INF, -0.0, INF, NAN, INF, NAN, 0, 0, NAN), 0,
                -Math.PI / 2, 0, Math.PI / 2, -0.0, -Math.PI / 2, 0, NAN, 0, NAN, 0, NAN, NAN);
        // catan(±∞ + iy) = ±π/2 + i·(0 with y's sign), which acos(atan z) turned into ∓1.02i (seed 2910).
        agree("atan(±∞ + iy) c128", Nx::atan, z(DType.C128, INF, 2, INF, -2, -INF, 2, -INF, -0.0), 0,
                Math.PI / 2, 0, Math.PI / 2, -0.0, -Math.PI / 2, 0, -Math.PI / 2, -0.0);
        agree("atan(-1.75 + i∞) c64", Nx::atan, z(DType.C64, -1.75, INF), 1e-7, -Math.PI / 2, 0);
        // atan(x + iy) = atan2(2x, 1 - x² - y²)/2 + i·log((x² + (y+1)²) / (x² + (y-1)²))/4.
        agree("atan(1 + 2i) c128", Nx::atan, z(DType.C128, 1, 2), 1e-15, (Math.PI - Math.atan(0.5)) / 2, Math.log(5) / 4);
        // On the cut, -0 picks the side (XLA's chlo.atanh read a -0 imaginary part as +0): atan(±0 - 2i) is
        // ±π/2 - i·atanh(1/2), atanh(1/2) = log 3 / 2; atan(-0 + 2i) = -π/2 + i·atanh(1/2).
        agree("atan(±0 ∓ 2i) c128", Nx::atan, z(DType.C128, -0.0, -2, 0, -2, -0.0, 2), 1e-15,
                -Math.PI / 2, -Math.log(3) / 2, Math.PI / 2, -Math.log(3) / 2, -Math.PI / 2, Math.log(3) / 2);
    }

    @Test
    void absAndSignBesideANanPartAreC99sAndNxs() {
        // Fuzz seeds 8482, 436: cabs = hypot, +Inf at an infinite part even beside a NaN, NaN beside a NaN otherwise
        // (XLA's abs gave 2.5·√2 at 2.5 + NaN·i, NaN at NaN + i∞); a c64 modulus past f32's range is +Inf.
        for (TensorFunction f : List.<TensorFunction>of(x -> Defn.jit(Nx::abs).apply(x), x -> Defn.jit(Nx::abs,
                Exla.compiler()).apply(x))) {
            assertArrayEquals(new double[] {NAN, INF, INF, NAN, 5},
                    f.apply(z(DType.C128, 2.5, NAN, NAN, INF, INF, NAN, NAN, 1, 3, -4)).toDoubleArray(), 0);
            assertArrayEquals(new double[] {NAN, INF, 5},
                    f.apply(z(DType.C64, -2.5, NAN, 3e38, 3e38, -3, 4)).toDoubleArray(), 0);
        }
        // sign z = z / |z| (Nx): NaN + NaN·i beside a NaN part (XLA's gave -0.707 + NaN·i at -1 + NaN·i).
        agree("sign c128 beside NaN", Nx::sign, z(DType.C128, -1, NAN, NAN, 2, -INF, NAN, 3, -4, 0, 0), 1e-15,
                NAN, NAN, NAN, NAN, NAN, NAN, 0.6, -0.8, 0, 0);
        agree("sign c64 beside NaN", Nx::sign, z(DType.C64, -2.5, NAN, 3, 4), 1e-7, NAN, NAN, 0.6, 0.8);
    }

    @Test
    void divisionAtInfiniteAndHugePartsIsC99sOnBothBackends() {
        // Fuzz seeds 15558, 17310, 17482 (the reference gave NaN + NaN·i): finite/∞ is 0, ∞/finite ∞ in the direction
        // of (a + bi)(c - di), as C99 Annex G's _Cdivide recovers them; defn's ComplexFunctionsTest checks the signs.
        Tensor y = z(DType.C128, INF, 0, 0, INF, 2, -1, 1, 1);
        agree("divide by and of infinities c128", q -> Nx.divide(q, y), z(DType.C128, 3, -2, -1, 2, INF, 0, -INF, 1), 0,
                0, 0, 0, 0, INF, INF, -INF, INF);
        agree("divide by a real Infinity c64", q -> Nx.divide(q, Nx.tensor(new float[] {Float.POSITIVE_INFINITY})),
                z(DType.C64, 5, -7), 0, 0, 0);
        // |c|² + |d|² would overflow past 1e154 and underflow under 1e-154.
        Tensor big = z(DType.C128, 2e300, 0, 1e200, 1e200, 3e-300, 4e-300);
        agree("divide by huge and tiny parts c128", q -> Nx.divide(q, big), z(DType.C128, 4e300, 2e300, 1, 1, 1, 0),
                1e-15, 2, 1, 1e-200, 0, 1.2e299, -1.6e299);
    }

    @Test
    void atan2OfSubnormalsIsTheFlushedAnswerOnXla() {
        // XLA:CPU flushes subnormals (DAZ): atan2(d, d) is atan2(±0, ±0) there (it was NaN), the reference keeps d.
        // The second operand both a parameter (atan2(x, x)) and a constant (a compare on it would fold without DAZ).
        float d = 1e-40f;
        Tensor x = Nx.tensor(new float[] {d, -d, d, 1, 0});
        Tensor constant = Nx.tensor(new float[] {d, -d, -d, d, 0});
        float quarter = (float) (Math.PI / 4);
        float pi = (float) Math.PI;
        assertArrayEquals(new float[] {quarter, -3 * quarter, quarter, quarter, 0}, evaluated(t -> Nx.atan2(t, t), x).toFloatArray());
        assertArrayEquals(new float[] {0, -pi, 0, quarter, 0}, compiled(t -> Nx.atan2(t, t), x).toFloatArray());
        assertArrayEquals(new float[] {0, -pi, pi, pi / 2, 0}, compiled(t -> Nx.atan2(t, constant), x).toFloatArray());
        Tensor x64 = Nx.tensor(new double[] {1e-310, -1e-310, 2, -0.0});
        assertArrayEquals(new double[] {0, -Math.PI, Math.PI / 4, -Math.PI}, compiled(t -> Nx.atan2(t, t), x64).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {Math.PI / 4, -3 * Math.PI / 4, Math.PI / 4, -Math.PI},
                evaluated(t -> Nx.atan2(t, t), x64).toDoubleArray(), 1e-15);
    }

    // ------------------------------------------------------------------ XLA:CPU's own (docs/coverage.md)

    @Test
    void xlaMultipliesAnOverflowedExponentialByAnExactZero() {
        // C99 (and the reference): cosh(x + 0i) = cosh x + 0i, also where cosh x overflows; XLA gives Inf·0 = NaN.
        Tensor c64 = z(DType.C64, 262, 0);
        assertParts("cosh(262 + 0i) c64, reference", evaluated(Nx::cosh, c64), 0, INF, 0);
        assertParts("cosh(262 + 0i) c64, XLA", compiled(Nx::cosh, c64), 0, INF, NAN);
        Tensor c128 = z(DType.C128, -1000, 0);
        assertParts("sinh(-1000 + 0i), reference", evaluated(Nx::sinh, c128), 0, -INF, 0);
        assertParts("sinh(-1000 + 0i), XLA", compiled(Nx::sinh, c128), 0, -INF, NAN);
        // sin(0 + 1000i) = -i sinh(-1000 + 0i) = 0 + Inf·i; C99's cexp(-Inf + Inf·i) = ±0 ± 0i.
        Tensor imaginary = z(DType.C128, 0, 1000);
        assertParts("sin(1000i), reference", evaluated(Nx::sin, imaginary), 0, 0, INF);
        assertParts("sin(1000i), XLA", compiled(Nx::sin, imaginary), 0, NAN, INF);
        Tensor corner = z(DType.C128, -INF, INF);
        assertParts("exp(-Inf + Inf·i), reference", evaluated(Nx::exp, corner), 0, 0, 0);
        assertParts("exp(-Inf + Inf·i), XLA", compiled(Nx::exp, corner), 0, NAN, NAN);
        Tensor nanIm = z(DType.C128, INF, NAN);
        assertParts("sigmoid(Inf + NaN·i) = 1 / (1 + e^(-Inf + NaN·i)), reference", evaluated(Nx::sigmoid, nanIm), 0, 1, 0);
        assertParts("sigmoid(Inf + NaN·i), XLA", compiled(Nx::sigmoid, nanIm), 0, NAN, NAN);
    }

    @Test
    void xlaOverflowsWhereOnlyTheExponentialDoes() {
        // cosh(710.5 + 0.5i) = e^710.5/2 · (cos 0.5 + i sin 0.5) ≈ 1.62e308 + 8.83e307i; e^710.5 alone overflows.
        double c = Math.exp(709) * (Math.exp(1.5) / 2 * Math.cos(0.5));
        double s = Math.exp(709) * (Math.exp(1.5) / 2 * Math.sin(0.5));
        Tensor x = z(DType.C128, 710.5, 0.5);
        assertParts("cosh, reference", evaluated(Nx::cosh, x), 1e-14, c, s);
        assertParts("cosh, XLA", compiled(Nx::cosh, x), 0, INF, INF);
        Tensor y = z(DType.C128, 710, 1);
        assertParts("exp(710 + i), reference", evaluated(Nx::exp, y), 1e-14, Math.exp(709) * (Math.E * Math.cos(1)), INF);
        assertParts("exp(710 + i), XLA", compiled(Nx::exp, y), 0, INF, INF);
    }
}
