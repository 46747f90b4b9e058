package dev.jnx.defn;

import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference evaluator's complex elementary functions at large and infinite arguments (issue 14,
 * fuzzer finding F7), eagerly and jitted: C99 Annex G's special values, and finite results whose
 * textbook formulas overflow in between (cosh x past 710, |z|² past 1e154, Inf·0). Expected values
 * come from C99's tables and from identities other than the ones the evaluator computes with
 * (tanh(x+iy) = (sinh 2x + i sin 2y) / (cosh 2x + cos 2y), for instance).
 */
class ComplexFunctionsTest {
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

    /**
     * {@code f(x)} eagerly and jitted has the parts {@code expected} (re, im pairs), each within
     * {@code relTol} of its magnitude; an expected zero must match exactly, its sign included, and
     * NaN matches NaN.
     */
    private static void check(Defn.TensorFunction f, Tensor x, double relTol, double... expected) {
        for (Tensor r : new Tensor[] {f.apply(x), Defn.jit(f).apply(x)}) {
            Complex[] got = r.toComplexArray();
            assertEquals(expected.length / 2, got.length);
            for (int i = 0; i < got.length; i++) {
                String what = "element " + i + ": expected " + expected[2 * i] + ", " + expected[2 * i + 1] + "i, got "
                        + got[i].re() + ", " + got[i].im() + "i";
                assertPart(expected[2 * i], got[i].re(), relTol, what);
                assertPart(expected[2 * i + 1], got[i].im(), relTol, what);
            }
        }
    }

    private static void assertPart(double expected, double got, double relTol, String what) {
        if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0) {
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got), what);
        } else {
            assertEquals(expected, got, Math.abs(expected) * relTol, what);
        }
    }

    @Test
    void tanhOfALargeRealPartIsPlusOrMinusOne() {
        // The fuzzer's tanh(3439 + 0i) in c64 (sinh/cosh overflowed to NaN), and C99's ctanh(±Inf + iy) = ±1 + i0·sin 2y.
        check(Nx::tanh, z(DType.C64, 3439, 0, -3439, -0.0), 0, 1, 0, -1, -0.0);
        check(Nx::tanh, z(DType.C128, 800, 1, -800, 2, INF, 1, -INF, 3, INF, INF, NAN, 0, NAN, 1), 0,
                1, 0, -1, -0.0, 1, 0, -1, -0.0, 1, 0, NAN, 0, NAN, NAN);
    }

    @Test
    void tanhAgreesWithTheDoubleAngleIdentity() {
        double[] args = {0.5, 1, 20, -2, 21.5, 1.5707963267948966, -300, 0.25, 1e-10, 1e-10, -3, 0};
        double[] expected = new double[args.length];
        for (int i = 0; i < args.length; i += 2) {
            double den = Math.cosh(2 * args[i]) + Math.cos(2 * args[i + 1]);
            expected[i] = Math.sinh(2 * args[i]) / den;
            expected[i + 1] = Math.sin(2 * args[i + 1]) / den;
        }
        check(Nx::tanh, z(DType.C128, args), 1e-14, expected);
    }

    @Test
    void tanOfALargeImaginaryPartIsPlusOrMinusI() {
        // tan z = (sin 2x + i sinh 2y) / (cos 2x + cosh 2y): sin 2x / cosh 2y underflows to +0 for sin 2x > 0.
        check(Nx::tan, z(DType.C64, 0.5, 100, 1, -3000), 0, 0, 1, 0, -1);
        double[] args = {0.5, 5, 1, -20, -2, 0.75};
        double[] expected = new double[args.length];
        for (int i = 0; i < args.length; i += 2) {
            double den = Math.cos(2 * args[i]) + Math.cosh(2 * args[i + 1]);
            expected[i] = Math.sin(2 * args[i]) / den;
            expected[i + 1] = Math.sinh(2 * args[i + 1]) / den;
        }
        check(Nx::tan, z(DType.C128, args), 1e-14, expected);
    }

    @Test
    void coshAndSinhOnTheRealAxisKeepAZeroImaginaryPart() {
        // C99: ccosh(x + i0) = cosh x + i0·sinh x and csinh(x + i0) = sinh x + i0·cosh x, also once cosh x overflows
        // (cosh 262 is past f32's range; cosh 1000 past f64's), where Inf·sin 0 would be NaN.
        check(Nx::cosh, z(DType.C64, 262, 0, -262, 0), 0, INF, 0, INF, -0.0);
        check(Nx::cosh, z(DType.C128, 1000, 0, INF, 0, INF, 1), 0, INF, 0, INF, 0, INF, INF);
        check(Nx::sinh, z(DType.C128, -1000, 0, INF, -0.0, 0, INF, 1, INF), 0,
                -INF, 0, INF, -0.0, 0, NAN, NAN, NAN);
    }

    @Test
    void hyperbolicAndCircularFunctionsStayFiniteWhereOnlyCoshOverflows() {
        // cosh 710.5 ≈ 1.84e308 overflows, cosh 710.5 · cos 0.5 ≈ 1.62e308 does not: e^710.5/2 = e^709 · (e^1.5 / 2).
        double c = Math.exp(709) * (Math.exp(1.5) / 2 * Math.cos(0.5));
        double s = Math.exp(709) * (Math.exp(1.5) / 2 * Math.sin(0.5));
        check(Nx::cosh, z(DType.C128, 710.5, 0.5, -710.5, 0.5), 1e-14, c, s, c, -s);
        check(Nx::sinh, z(DType.C128, 710.5, 0.5, -710.5, -0.5), 1e-14, c, s, -c, -s);
        // cos z = cosh(iz), sin z = -i sinh(iz): cos(0.5 + 710.5i) = cosh 710.5 cos 0.5 - i sinh 710.5 sin 0.5.
        check(Nx::cos, z(DType.C128, 0.5, 710.5, 0, 1000), 1e-14, c, -s, INF, -0.0);
        check(Nx::sin, z(DType.C128, 0.5, 710.5, 0, 1000, 0, -INF), 1e-14, s, c, 0, INF, 0, -INF);
        // e^710 overflows, e^710 · cos 1 ≈ 1.21e308 does not (e^710 · sin 1 does).
        check(Nx::exp, z(DType.C128, 710, 1, -INF, INF, INF, NAN), 1e-14,
                Math.exp(709) * (Math.E * Math.cos(1)), INF, 0, 0, INF, NAN);
    }

    @Test
    void sqrtOfAnInfiniteImaginaryPartIsInfinite() {
        // C99: csqrt(x ± i∞) = +∞ ± i∞ for every x, NaN included (the fuzzer's sqrt(-1.5 - i∞) gave NaN - Inf·i).
        check(Nx::sqrt, z(DType.C64, -1.5, -INF, NAN, INF, -INF, 2, INF, -2), 0,
                INF, -INF, INF, INF, 0, INF, INF, -0.0);
        // rsqrt = 1/√z: 1/(0 - i∞) = 0 + 0i, 1/(+∞ - 0i) = 0 + 0i, 1/(+∞ + i∞) = 0 - 0i; the fuzzer's rsqrt(-Inf - 0i) gave NaN.
        check(Nx::rsqrt, z(DType.C128, -INF, -0.0, INF, -2, 1, INF, 4, 0), 0, 0, 0, 0, 0, 0, -0.0, 0.5, 0);
        // √(r e^iθ) = √r e^(iθ/2), r = |z| taken at a quarter of z (it overflows at full scale), θ = atan2(y, x).
        double[] z = {1e308, 1e308, -1e308, -1.7e308};
        double[] expected = new double[4];
        for (int i = 0; i < 4; i += 2) {
            double root = 2 * Math.sqrt(Math.hypot(z[i] / 4, z[i + 1] / 4));
            double theta = Math.atan2(z[i + 1], z[i]);
            expected[i] = root * Math.cos(theta / 2);
            expected[i + 1] = root * Math.sin(theta / 2);
        }
        check(Nx::sqrt, z(DType.C128, z), 1e-14, expected);
    }

    @Test
    void asinhOfLargePartsIsFinite() {
        // asinh x = -ln(-x + √(x² + 1)) for x < 0 is -ln(2e10) to 1e-21 at x = -1e10 (z + √(z² + 1) cancelled to 0,
        // giving -Inf); asinh z ≈ ln 2z for |z| ≫ 1, here ln(2√2·1e300) + iπ/4 (z² overflowed).
        double big = Math.log(2e10);
        check(Nx::asinh, z(DType.C64, -1e10, 0, 1e10, -0.0), 1e-7, -big, 0, big, -0.0);
        check(Nx::asinh, z(DType.C128, -1e10, 0, 1e300, 1e300, 0, 1e10, INF, 0), 1e-15,
                -big, 0, Math.log(2 * Math.sqrt(2)) + 300 * Math.log(10), Math.PI / 4,
                Math.log(2e10), Math.PI / 2, INF, 0);
    }

    @Test
    void expm1KeepsSmallArguments() {
        // e^z - 1 = z + z²/2 + z³/6 + …: for z = 1e-10 (1 + i), z² = 2i·1e-20 and z³ = 1e-30 (-2 + 2i), so
        // re = 1e-10 - 3.3e-31 and im = 1e-10 + 1e-20 + 3.3e-31; e^z rounds to 1 + z in f64 and loses them.
        check(Nx::expm1, z(DType.C128, 1e-10, 1e-10, 1e-300, -0.0), 1e-15, 1e-10, 1e-10 + 1e-20, 1e-300, -0.0);
        check(Nx::expm1, z(DType.C128, 2, 0.5), 1e-15, Math.exp(2) * Math.cos(0.5) - 1, Math.exp(2) * Math.sin(0.5));
    }

    @Test
    void sigmoidFarLeftOfZeroIsEToTheZ() {
        // σ(z) = e^z / (1 + e^z) = e^z (1 - e^z + …): e^-700 ≈ 1e-304, so σ(-700 + i) = e^-700 (cos 1 + i sin 1);
        // 1 / (1 + e^-z) overflowed e^-z (NaN at -800, 0 at -700), and σ(-800 + i) underflows to 0;
        // σ(800 + i) = 1 - e^-800 (cos 1 - i sin 1) + … has a positive, underflowed imaginary part.
        double e = Math.exp(-700);
        check(Nx::sigmoid, z(DType.C128, -700, 1, -800, 1, 800, 1, 0, 0), 1e-14,
                e * Math.cos(1), e * Math.sin(1), 0, 0, 1, 0, 0.5, 0);
    }

    @Test
    void acoshAtInfinitiesNearOneAndOnTheCut() {
        // C99: cacosh(+Inf + iy) = +Inf + 0i, cacosh(x + i∞) = +Inf + iπ/2, cacosh(-Inf + iy) = +Inf + iπ (y > 0);
        // acosh(1 + δ) = √(2δ)(1 - δ/12 + …); acosh(x - 0i) = -i·acos x on the cut |x| < 1 (conj symmetry).
        double delta = (1 + 1e-10) - 1; // exact: the double nearest 1 + 1e-10, less 1
        check(Nx::acosh, z(DType.C128, INF, 0, 1, INF, -INF, 1, 1 + delta, 0, 0.5, -0.0), 1e-15,
                INF, 0, INF, Math.PI / 2, INF, Math.PI, Math.sqrt(2 * delta) * (1 - delta / 12), 0, 0, -Math.PI / 3);
        // cacosh(±Inf + i∞) = +Inf + i(π/4, 3π/4), of y's sign when y = -∞; cacosh(±Inf + iNaN) = cacosh(NaN + i∞)
        // = +Inf + iNaN (Kahan's form gave π/2 at +Inf + i∞: fuzz seed 43192).
        check(Nx::acosh, z(DType.C128, INF, INF, -INF, INF, INF, -INF, -INF, NAN, NAN, INF), 0,
                INF, Math.PI / 4, INF, 3 * Math.PI / 4, INF, -Math.PI / 4, INF, NAN, INF, NAN);
        // Elsewhere the textbook log(z + √(z+1)·√(z-1)), with √ the principal root.
        double[] args = {2, 3, -0.5, 0.25, -3, -2, 1e150, 1e150};
        double[] expected = new double[args.length];
        for (int i = 0; i < args.length; i += 2) {
            Complex a = principalSqrt(args[i] + 1, args[i + 1]);
            Complex b = principalSqrt(args[i] - 1, args[i + 1]);
            double re = args[i] + a.re() * b.re() - a.im() * b.im();
            double im = args[i + 1] + a.re() * b.im() + a.im() * b.re();
            expected[i] = Math.log(Math.hypot(re, im));
            expected[i + 1] = Math.atan2(im, re);
        }
        check(Nx::acosh, z(DType.C128, args), 1e-14, expected);
    }

    @Test
    void atanOfAnInfiniteImaginaryPartIsPlusOrMinusHalfPi() {
        // C99 Annex G (catan z = -i catanh(iz)): catan(x ± i∞) = ±π/2 (x's sign) ± 0i for finite x, catan(NaN ± i∞)
        // = NaN ± 0i, catan(NaN + 0i) = NaN + 0i, catan(0 + NaN·i) = NaN + NaN·i (fuzz seeds 2910, 7685).
        check(Nx::atan, z(DType.C128, -1.75, INF, 1, -INF, -0.0, INF, NAN, INF, NAN, 0, 0, NAN), 0,
                -Math.PI / 2, 0, Math.PI / 2, -0.0, -Math.PI / 2, 0, NAN, 0, NAN, 0, NAN, NAN);
        // catan(±∞ + iy) = ±π/2 + i·(0 with y's sign); on the cut, atan(±0 - 2i) = ±π/2 - i·log 3 / 2.
        check(Nx::atan, z(DType.C128, INF, 2, INF, -2, -INF, -0.0, -0.0, -2, 0, -2), 1e-15,
                Math.PI / 2, 0, Math.PI / 2, -0.0, -Math.PI / 2, -0.0, -Math.PI / 2, -Math.log(3) / 2,
                Math.PI / 2, -Math.log(3) / 2);
        // Finite: atan(x + iy) = atan2(2x, 1 - x² - y²)/2 + i·log((x² + (y+1)²) / (x² + (y-1)²))/4, at 1 + 2i.
        check(Nx::atan, z(DType.C128, 1, 2), 1e-15, (Math.PI - Math.atan(0.5)) / 2, Math.log(5) / 4);
    }

    @Test
    void absAndSignBesideANanOrInfinitePart() {
        // cabs = hypot (C99): +Inf at an infinite part even beside a NaN, NaN beside a NaN otherwise (seed 8482).
        Tensor x = z(DType.C128, 2.5, NAN, NAN, INF, INF, NAN, -3, 4);
        for (Tensor r : new Tensor[] {Nx.abs(x), Defn.jit(Nx::abs).apply(x)}) {
            assertArrayEquals(new double[] {NAN, INF, INF, 5}, r.toDoubleArray(), 0);
        }
        // sign z = z / |z| (Nx): NaN + NaN·i beside a NaN part, Inf / Inf = NaN beside an infinite one (seed 436).
        check(Nx::sign, z(DType.C128, -1, NAN, -INF, NAN, INF, 1, 3, -4, 0, 0), 1e-15,
                NAN, NAN, NAN, NAN, NAN, 0, 0.6, -0.8, 0, 0);
    }

    @Test
    void sqrtOfASquareIsThePrincipalRoot() {
        // Seed 1695: √(z²) is z where re z > 0 and -z where re z < 0, never |z|.
        check(x -> Nx.sqrt(Nx.multiply(x, x)), z(DType.C128, 1.25, -1.75, -1.5, -4.375), 1e-15,
                1.25, -1.75, 1.5, 4.375);
    }

    @Test
    void divisionByAnInfinityIsASignedZeroAndOfAnInfinityIsInfinite() {
        // C99 Annex G (_Cdivide's recovery), hand-checked: (3 - 2i)/∞ = 0·(3·1 + (-2)·0) + 0·(-2·1 - 3·0)i = 0 - 0i;
        // (-1 + 2i)/(i∞): uc = 0, ud = 1, 0·(2) + 0·(-(-1))i = 0 + 0i; (1 + i)/(-∞ + i∞): 0·(-1 + 1) + 0·(-1 - 1)i
        // = 0 - 0i; ∞/(2 - i) = ∞·(2) + ∞·(0 - (-1))i; (-∞ + i)/(1 + i): ∞·(-1) + ∞·(0 + 1)i; x/0 stays NaN (Nx).
        Tensor x = z(DType.C128, 3, -2, -1, 2, 1, 1, INF, 0, -INF, 1, 1, 1);
        Tensor y = z(DType.C128, INF, 0, 0, INF, -INF, INF, 2, -1, 1, 1, 0, 0);
        Defn.TensorFunction f = q -> Nx.divide(q, y);
        check(f, x, 0, 0.0, -0.0, 0.0, 0.0, 0.0, -0.0, INF, INF, -INF, INF, NAN, NAN);
        // A real Infinity divisor promoted to complex (seed 17482): (5 - 7i)/(∞ + 0i) = 0 - 0i.
        check(q -> Nx.divide(q, Nx.tensor(new double[] {INF})), z(DType.C128, 5, -7), 0, 0.0, -0.0);
        // c64 as well: (1 + i)/(∞ + 0i) = 0 + 0i.
        check(q -> Nx.divide(q, Nx.asType(z(DType.C128, INF, 0), DType.C64)), z(DType.C64, 1, 1), 0, 0.0, 0.0);
    }

    @Test
    void divisionByPartsPast1e154DoesNotOverflow() {
        // |c|² + |d|² overflows past 1e154: (4e300 + 2e300i)/(2e300 + 0i) = 2 + i; (1 + i)/(1e200 + 1e200i) = 1e-200;
        // under 1e-154 it underflows: 1/(3e-300 + 4e-300i) = (3 - 4i)/25 · 1e300; and with subnormal parts
        // (6 + 8i)·m/((3 + 4i)·m) = 2 + 0i, m the least subnormal.
        double m = Double.MIN_VALUE;
        Tensor x = z(DType.C128, 4e300, 2e300, 1, 1, 1, 0, 6 * m, 8 * m);
        Tensor y = z(DType.C128, 2e300, 0, 1e200, 1e200, 3e-300, 4e-300, 3 * m, 4 * m);
        check(q -> Nx.divide(q, y), x, 1e-15, 2, 1, 1e-200, 0.0, 1.2e299, -1.6e299, 2, 0.0);
    }

    /** √z by polar form, away from the axes' special values. */
    private static Complex principalSqrt(double re, double im) {
        double r = Math.sqrt(Math.hypot(re, im));
        double theta = Math.atan2(im, re) / 2;
        return Complex.of(r * Math.cos(theta), r * Math.sin(theta));
    }
}
