package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;

/**
 * The reference kernels of the element-wise primitives ({@link Expr.Unary}, {@link Expr.Binary},
 * {@link Expr.Select}, {@link Expr.Bitcast}) with XLA's semantics: floats computed in double and
 * rounded to the element type, integers wrapping at their width, shifts by a count outside
 * {@code [0, bits)} giving 0 (or the sign for arithmetic right shifts), integer division by 0
 * giving -1 and remainder by 0 the dividend.
 */
final class ElementwiseEval {
    private ElementwiseEval() {
    }

    // ------------------------------------------------------------------ unary

    static HostData unary(Expr.Unary u, HostData x) {
        DType in = u.x().type();
        DType t = u.type();
        int n = u.shape().size();
        Out out = new Out(u.shape(), t);
        for (int i = 0; i < n; i++) {
            if (in.isInteger()) {
                long r = integerUnary(u.op(), in, x.getLong(in, i));
                HostData.setLong(out.seg, t, i, r);
            } else if (in.isComplex()) {
                double[] r = complexUnary(u.op(), x.getDouble(in, i), x.getImag(in, i));
                if (t.isComplex()) {
                    HostData.setComplex(out.seg, t, i, r[0], r[1]);
                } else if (t.isInteger()) {
                    HostData.setLong(out.seg, t, i, (long) r[0]);
                } else {
                    HostData.setDouble(out.seg, t, i, r[0]);
                }
            } else {
                double r = floatUnary(u.op(), x.getDouble(in, i));
                if (t.isInteger()) {
                    HostData.setLong(out.seg, t, i, (long) r);
                } else {
                    HostData.setDouble(out.seg, t, i, r);
                }
            }
        }
        return out.done();
    }

    private static long mask(DType t) {
        return t.bits() == 64 ? -1L : (1L << t.bits()) - 1;
    }

    static long integerUnary(Expr.UnaryOp op, DType t, long a) {
        return switch (op) {
            case NEGATE -> -a;
            case ABS -> t.isUnsigned() ? a : Math.abs(a);
            case SIGN -> t.isUnsigned() ? (a != 0 ? 1 : 0) : Long.signum(a);
            case CEIL, FLOOR, ROUND, REAL, CONJUGATE -> a;
            case IMAG, IS_NAN, IS_INFINITY -> 0;
            case BITWISE_NOT -> ~a;
            case POPULATION_COUNT -> Long.bitCount(a & mask(t));
            case COUNT_LEADING_ZEROS -> Long.numberOfLeadingZeros(a & mask(t)) - (64 - t.bits());
            case EXP, LOG, SQRT, TANH, EXPM1, LOG1P, SIGMOID, RSQRT, CBRT, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH,
                 COSH, ASINH, ACOSH, ATANH, ERF, ERFC, ERF_INV -> throw new IllegalArgumentException(
                    op + " of integer type " + t + " must be converted to a floating type first");
        };
    }

    static double floatUnary(Expr.UnaryOp op, double a) {
        return switch (op) {
            case NEGATE -> -a;
            case EXP -> Math.exp(a);
            case LOG -> Math.log(a);
            case SQRT -> Math.sqrt(a);
            case TANH -> Math.tanh(a);
            case ABS -> Math.abs(a);
            case SIGN -> Math.signum(a);
            case CEIL -> Math.ceil(a);
            case FLOOR -> Math.floor(a);
            case ROUND -> roundHalfAwayFromZero(a);
            case EXPM1 -> Math.expm1(a);
            case LOG1P -> Math.log1p(a);
            case SIGMOID -> 1 / (1 + Math.exp(-a));
            case RSQRT -> 1 / Math.sqrt(a);
            case CBRT -> Math.cbrt(a);
            case SIN -> Math.sin(a);
            case COS -> Math.cos(a);
            case TAN -> Math.tan(a);
            case ASIN -> Math.asin(a);
            case ACOS -> Math.acos(a);
            case ATAN -> Math.atan(a);
            case SINH -> Math.sinh(a);
            case COSH -> Math.cosh(a);
            case ASINH -> asinh(a);
            case ACOSH -> acosh(a);
            case ATANH -> atanh(a);
            case ERF -> SpecialFunctions.erf(a);
            case ERFC -> SpecialFunctions.erfc(a);
            case ERF_INV -> SpecialFunctions.erfInv(a);
            case IS_NAN -> Double.isNaN(a) ? 1 : 0;
            case IS_INFINITY -> Double.isInfinite(a) ? 1 : 0;
            case REAL, CONJUGATE -> a;
            case IMAG -> 0;
            case BITWISE_NOT, POPULATION_COUNT, COUNT_LEADING_ZEROS -> throw new IllegalArgumentException(
                    op + " is defined for integer types only");
        };
    }

    static double roundHalfAwayFromZero(double a) {
        if (Double.isNaN(a) || Double.isInfinite(a)) {
            return a;
        }
        double m = Math.abs(a);
        double f = Math.floor(m);
        return Math.copySign(m - f >= 0.5 ? f + 1 : f, a);
    }

    static double asinh(double a) {
        double m = Math.abs(a);
        if (m > 1e150) {
            return Math.copySign(Math.log(m) + Math.log(2), a);
        }
        return Math.copySign(Math.log1p(m + m * m / (1 + Math.sqrt(1 + m * m))), a);
    }

    static double acosh(double a) {
        if (a > 1e150) {
            return Math.log(a) + Math.log(2);
        }
        return Math.log(a + Math.sqrt(a - 1) * Math.sqrt(a + 1));
    }

    static double atanh(double a) {
        return 0.5 * Math.log1p(2 * a / (1 - a));
    }

    /** A complex function as {re, im}; functions with a real result give {value, 0}. */
    static double[] complexUnary(Expr.UnaryOp op, double re, double im) {
        return switch (op) {
            case NEGATE -> c(-re, -im);
            case ABS -> c(Math.hypot(re, im), 0);
            case SIGN -> {
                double m = Math.hypot(re, im);
                yield m == 0 ? c(0, 0) : c(re / m, im / m);
            }
            case EXP -> cexp(re, im);
            // re(e^z - 1) = expm1(x)·cos y - 2 sin²(y/2): no cancellation near 0, where e^z rounds to 1.
            case EXPM1 -> {
                if (Math.abs(re) < 1) {
                    yield c(Math.expm1(re) * Math.cos(im) - 2 * square(Math.sin(im / 2)), Math.exp(re) * Math.sin(im));
                }
                double[] e = cexp(re, im);
                yield c(e[0] - 1, e[1]);
            }
            case LOG -> clog(re, im);
            // Near 0, log|1 + z| = log1p(re(2 + re) + im²) / 2 keeps the precision log(1 + z) loses.
            case LOG1P -> Math.hypot(re, im) < 0.5 ? c(0.5 * Math.log1p(re * (2 + re) + im * im), Math.atan2(im, 1 + re))
                    : clog(re + 1, im);
            case SQRT -> csqrt(re, im);
            case RSQRT -> {
                double[] s = csqrt(re, im);
                // 1 / (a + ib) = (a - ib) / |·|² is ±0 ∓ 0i for an infinite root (C99), not Inf / Inf = NaN.
                if (Double.isInfinite(s[0]) || Double.isInfinite(s[1])) {
                    yield c(Math.copySign(0, s[0]), Math.copySign(0, -s[1]));
                }
                yield cdiv(1, 0, s[0], s[1]);
            }
            // The circular functions are the hyperbolic ones of iz (C99 Annex G defines them so), which
            // carries over the special values: sin z = -i sinh(iz), cos z = cosh(iz), tan z = -i tanh(iz).
            case SIN -> iTimesNegated(csinh(-im, re));
            case COS -> ccosh(-im, re);
            case TAN -> iTimesNegated(ctanh(-im, re));
            case SINH -> csinh(re, im);
            case COSH -> ccosh(re, im);
            case TANH -> ctanh(re, im);
            // 1 / (1 + e^-z) overflows e^-z far left of 0, where the equal e^z / (1 + e^z) underflows instead.
            case SIGMOID -> {
                double[] e = cexp(-Math.abs(re), re < 0 ? im : -im);
                yield re < 0 ? cdiv(e[0], e[1], 1 + e[0], e[1]) : cdiv(1, 0, 1 + e[0], e[1]);
            }
            case ASIN -> {
                if (Double.isInfinite(re) || Double.isInfinite(im)) {
                    // C99 Annex G's casin at an infinite part: the argument of z for the real part
                    // (π/2 at +∞, π/4 at ∞+i∞, NaN beside a NaN), an infinite imaginary part of im's sign.
                    yield c(Math.atan2(re, Math.abs(im)), Math.copySign(Double.POSITIVE_INFINITY, im));
                }
                // Kahan's form, asin z = atan2(re z, re(√(1-z)·√(1+z))) + i·asinh(im(conj(√(1-z))·√(1+z))):
                // the textbook -i·log(iz + √(1-z²)) cancels to log 0 for large real z (asin(2e9) gave 0+Inf·i).
                double[] p = csqrt(1 - re, -im);
                double[] q = csqrt(1 + re, im);
                yield c(Math.atan2(re, p[0] * q[0] - p[1] * q[1]), asinh(p[0] * q[1] - p[1] * q[0]));
            }
            case ACOS -> {
                double[] a = complexUnary(Expr.UnaryOp.ASIN, re, im);
                yield c(Math.PI / 2 - a[0], -a[1]);
            }
            // atan z = -i atanh(iz) (C99 Annex G): catanh's special values give atan(x ± i∞) = ±π/2 ± 0i,
            // where i/2 (log(1 - iz) - log(1 + iz)) met ∞ - ∞ = NaN in the imaginary part.
            case ATAN -> iTimesNegated(complexUnary(Expr.UnaryOp.ATANH, -im, re));
            // asinh z = -i asin(iz) (C99 Annex G): Kahan's asin, where z² + 1 of log(z + √(z² + 1)) overflowed.
            case ASINH -> iTimesNegated(complexUnary(Expr.UnaryOp.ASIN, -im, re));
            case ACOSH -> {
                if (Double.isInfinite(re) || Double.isInfinite(im)) {
                    // C99 Annex G's cacosh at an infinite part: +Inf, and the argument of z in the upper
                    // half plane (π/4 at +Inf + i∞, π at -Inf + iy, NaN beside a NaN), of im's sign.
                    yield c(Double.POSITIVE_INFINITY, Math.copySign(Math.atan2(Math.abs(im), re), im));
                }
                // Kahan's form, acosh z = asinh(re(conj(√(z-1))·√(z+1))) + 2i·atan2(im √(z-1), re √(z+1)): the
                // textbook log(z + √(z+1)·√(z-1)) met Inf·0 at infinite parts and lost digits near z = 1.
                double[] p = csqrt(re - 1, im);
                double[] q = csqrt(re + 1, im);
                yield c(asinh(p[0] * q[0] + p[1] * q[1]), 2 * Math.atan2(p[1], q[0]));
            }
            case ATANH -> {
                if (Double.isInfinite(re) || Double.isInfinite(im) || re == 0 && Double.isNaN(im)) {
                    // C99 Annex G's catanh: ±0 + i·(±π/2) at any infinite part, NaN beside a NaN part
                    // (the real part stays ±0 beside a NaN imaginary one).
                    yield c(Math.copySign(0, re), Double.isNaN(im) ? Double.NaN : Math.copySign(Math.PI / 2, im));
                }
                // atanh z = (log(1 + z) - log(1 - z)) / 2
                double[] l1 = clog(1 + re, im);
                double[] l2 = clog(1 - re, -im);
                yield c((l1[0] - l2[0]) / 2, (l1[1] - l2[1]) / 2);
            }
            case REAL -> c(re, 0);
            case IMAG -> c(im, 0);
            case CONJUGATE -> c(re, -im);
            case IS_NAN -> c(Double.isNaN(re) || Double.isNaN(im) ? 1 : 0, 0);
            case IS_INFINITY -> c(Double.isInfinite(re) || Double.isInfinite(im) ? 1 : 0, 0);
            case CEIL, FLOOR, ROUND, CBRT, ERF, ERFC, ERF_INV, BITWISE_NOT, POPULATION_COUNT, COUNT_LEADING_ZEROS ->
                    throw new IllegalArgumentException(op + " is not defined for complex types");
        };
    }

    private static double[] c(double re, double im) {
        return new double[] {re, im};
    }

    private static double square(double a) {
        return a * a;
    }

    /** {@code -i·z}, as {re, im}. */
    private static double[] iTimesNegated(double[] z) {
        return c(z[1], -z[0]);
    }

    // C99's cexp: exact on the real axis, ±0 ± 0i and +Inf + NaN·i for an infinite x and a non-finite y.
    private static double[] cexp(double re, double im) {
        if (im == 0) {
            return c(Math.exp(re), im);
        }
        if (Double.isInfinite(re) && !Double.isFinite(im)) {
            return re < 0 ? c(0, 0) : c(re, Double.NaN);
        }
        if (re > 700) {
            // e^x overflows before e^x·cos y does for x just past 709; halves keep such products finite.
            double h = Math.exp(re / 2);
            return c(h * Math.cos(im) * h, h * Math.sin(im) * h);
        }
        double e = Math.exp(re);
        return c(e * Math.cos(im), e * Math.sin(im));
    }

    /**
     * {@code f·e^a / 2} for {@code a ≥ 20}, the value of {@code f·cosh a} and {@code f·sinh a} there to
     * double precision: as {@code (e^(a/2)·f/2)·e^(a/2)}, so that it is finite wherever the product is
     * (cosh a alone overflows past a = 710), and exactly {@code f} for {@code f = ±0} (not Inf·0 = NaN),
     * which C99 Annex G asks for on the real axis ({@code cosh(1000 + 0i) = Inf + 0i}).
     */
    private static double halfExpTimes(double a, double f) {
        if (f == 0) {
            return f;
        }
        double h = Math.exp(a / 2);
        return h * (f / 2) * h;
    }

    private static double coshTimes(double x, double f) {
        return Math.abs(x) < 20 ? Math.cosh(x) * f : halfExpTimes(Math.abs(x), f);
    }

    private static double sinhTimes(double x, double f) {
        return Math.abs(x) < 20 ? Math.sinh(x) * f : halfExpTimes(Math.abs(x), x < 0 ? -f : f);
    }

    // C99's csinh: a non-finite y gives NaN but for x = 0 (±0 + NaN·i) and x = ±Inf (±Inf + NaN·i).
    private static double[] csinh(double x, double y) {
        if (!Double.isFinite(y)) {
            return x == 0 || Double.isInfinite(x) ? c(x, Double.NaN) : c(Double.NaN, Double.NaN);
        }
        return c(sinhTimes(x, Math.cos(y)), coshTimes(x, Math.sin(y)));
    }

    // C99's ccosh: a non-finite y gives NaN but for x = 0 (NaN + 0i) and x = ±Inf (+Inf + NaN·i).
    private static double[] ccosh(double x, double y) {
        if (!Double.isFinite(y)) {
            return x == 0 ? c(Double.NaN, 0) : Double.isInfinite(x) ? c(Double.POSITIVE_INFINITY, Double.NaN)
                    : c(Double.NaN, Double.NaN);
        }
        return c(coshTimes(x, Math.cos(y)), sinhTimes(x, Math.sin(y)));
    }

    /**
     * tanh as Kahan's "Branch cuts for complex elementary functions" computes it, with t = tan y,
     * s = sinh x: (s·√(1 + s²)·(1 + t²) + i·t) / (1 + (1 + t²)·s²); sinh z / cosh z would be Inf / Inf
     * = NaN once cosh x overflows. Past |x| = 22, tanh x is ±1 in double and the imaginary part is
     * sin 2y·2e^(-2|x|).
     */
    private static double[] ctanh(double x, double y) {
        if (Double.isNaN(x)) {
            return c(x, y == 0 ? y : Double.NaN);
        }
        if (Double.isInfinite(x)) {
            return c(Math.copySign(1, x), Math.copySign(0, Double.isFinite(y) ? Math.sin(y) * Math.cos(y) : y));
        }
        if (!Double.isFinite(y)) {
            return c(x == 0 ? x : Double.NaN, Double.NaN);
        }
        if (Math.abs(x) >= 22) {
            double e = Math.exp(-Math.abs(x));
            return c(Math.copySign(1, x), 4 * Math.sin(y) * Math.cos(y) * e * e);
        }
        double t = Math.tan(y);
        double beta = 1 + t * t;
        double s = Math.sinh(x);
        double den = 1 + beta * s * s;
        return c(beta * Math.sqrt(1 + s * s) * s / den, t / den);
    }

    private static double[] clog(double re, double im) {
        return c(Math.log(Math.hypot(re, im)), Math.atan2(im, re));
    }

    private static double[] csqrt(double re, double im) {
        if (re == 0 && im == 0) {
            return c(0, im);
        }
        // C99: √(x ± Inf·i) = +Inf ± Inf·i for every x, NaN included.
        if (Double.isInfinite(im)) {
            return c(Double.POSITIVE_INFINITY, im);
        }
        // |z| + |x| overflows for parts near the largest double; √z = 2√(z/4) exactly.
        if (Math.max(Math.abs(re), Math.abs(im)) > 0x1p1020 && Double.isFinite(re)) {
            double[] q = csqrt(re / 4, im / 4);
            return c(2 * q[0], 2 * q[1]);
        }
        double m = Math.hypot(re, im);
        double a = Math.sqrt((m + Math.abs(re)) / 2);
        if (re >= 0) {
            return c(a, im / (2 * a));
        }
        return c(Math.abs(im) / (2 * a), Math.copySign(a, im));
    }

    /**
     * (a + bi) / (c + di) as C99 Annex G's sample {@code _Cdivide}: the divisor scaled by a power of
     * two so that c² + d² neither overflows past 1e154 nor underflows, and a NaN + NaN·i result
     * recovered where one side is infinite and the other finite: ∞/finite is ∞ in the direction of
     * (a + bi)(c - di), finite/∞ a signed zero. A zero divisor stays NaN + NaN·i (C99 and XLA give
     * infinities there; docs/coverage.md "Complex division by zero").
     */
    private static double[] cdiv(double a, double b, double c, double d) {
        int scale = divisorExponent(Math.max(Math.abs(c), Math.abs(d)));
        double sc = Math.scalb(c, -scale);
        double sd = Math.scalb(d, -scale);
        double den = sc * sc + sd * sd;
        double re = Math.scalb((a * sc + b * sd) / den, -scale);
        double im = Math.scalb((b * sc - a * sd) / den, -scale);
        if (Double.isNaN(re) && Double.isNaN(im) && den != 0) {
            if ((Double.isInfinite(a) || Double.isInfinite(b)) && Double.isFinite(c) && Double.isFinite(d)) {
                double ua = Math.copySign(Double.isInfinite(a) ? 1 : 0, a);
                double ub = Math.copySign(Double.isInfinite(b) ? 1 : 0, b);
                re = Double.POSITIVE_INFINITY * (ua * c + ub * d);
                im = Double.POSITIVE_INFINITY * (ub * c - ua * d);
            } else if ((Double.isInfinite(c) || Double.isInfinite(d)) && Double.isFinite(a) && Double.isFinite(b)) {
                double uc = Math.copySign(Double.isInfinite(c) ? 1 : 0, c);
                double ud = Math.copySign(Double.isInfinite(d) ? 1 : 0, d);
                re = 0.0 * (a * uc + b * ud);
                im = 0.0 * (b * uc - a * ud);
            }
        }
        return c(re, im);
    }

    /** logb of a divisor's larger part (subnormals included); 0, no scaling, for a zero, infinite or NaN one. */
    private static int divisorExponent(double m) {
        if (!(m > 0) || m == Double.POSITIVE_INFINITY) {
            return 0;
        }
        return m >= Double.MIN_NORMAL ? Math.getExponent(m) : Math.getExponent(m * 0x1p54) - 54;
    }

    private static double[] cmul(double a, double b, double c, double d) {
        return c(a * c - b * d, a * d + b * c);
    }

    // ------------------------------------------------------------------ binary

    static HostData binary(Expr.Binary b, HostData x, HostData y) {
        DType t = b.a().type();
        DType rt = b.type();
        int n = b.shape().size();
        Out out = new Out(b.shape(), rt);
        for (int i = 0; i < n; i++) {
            if (b.op() == Expr.BinaryOp.COMPLEX) {
                HostData.setComplex(out.seg, rt, i, x.getDouble(t, i), y.getDouble(t, i));
            } else if (t.isInteger()) {
                HostData.setLong(out.seg, rt, i, integerOp(b.op(), t, x.getLong(t, i), y.getLong(t, i)));
            } else if (t.isComplex()) {
                double[] r = complexOp(b.op(), x.getDouble(t, i), x.getImag(t, i), y.getDouble(t, i), y.getImag(t, i));
                if (b.op().isComparison()) {
                    HostData.setLong(out.seg, rt, i, (long) r[0]);
                } else {
                    HostData.setComplex(out.seg, rt, i, r[0], r[1]);
                }
            } else {
                double p = x.getDouble(t, i);
                double q = y.getDouble(t, i);
                if (b.op().isComparison()) {
                    int cmp = p < q ? -1 : p > q ? 1 : 0;
                    HostData.setLong(out.seg, rt, i, compare(b.op(), cmp, Double.isNaN(p) || Double.isNaN(q)));
                } else {
                    HostData.setDouble(out.seg, rt, i, floatOp(b.op(), p, q));
                }
            }
        }
        return out.done();
    }

    static double floatOp(Expr.BinaryOp op, double p, double q) {
        return switch (op) {
            case ADD -> p + q;
            case SUBTRACT -> p - q;
            case MULTIPLY -> p * q;
            case DIVIDE -> p / q;
            case MAX -> Math.max(p, q);
            case MIN -> Math.min(p, q);
            // IEEE 754 (and XLA): pow(1, y) is 1 for every y, NaN and ±Inf included; Java's is NaN.
            case POW -> p == 1 ? 1 : Math.pow(p, q);
            case REMAINDER -> p % q;
            case ATAN2 -> Math.atan2(p, q);
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT -> throw new IllegalArgumentException(
                    op + " is defined for integer types only");
            case COMPLEX, EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL ->
                    throw new IllegalStateException(op + " has no float result");
        };
    }

    static long integerOp(Expr.BinaryOp op, DType t, long p, long q) {
        boolean u = t.isUnsigned();
        int cmp = u ? Long.compareUnsigned(p, q) : Long.compare(p, q);
        int bits = t.bits();
        // A shift count outside [0, bits) (read as unsigned) shifts everything out, as in XLA.
        boolean shiftOut = u ? Long.compareUnsigned(q, bits) >= 0 : q < 0 || q >= bits;
        return switch (op) {
            case ADD -> p + q;
            case SUBTRACT -> p - q;
            case MULTIPLY -> p * q;
            // XLA: x / 0 is -1 (all bits set), and MIN / -1 wraps to MIN.
            case DIVIDE -> q == 0 ? -1 : u ? Long.divideUnsigned(p, q) : q == -1 ? -p : p / q;
            // XLA: x rem 0 is x, and MIN rem -1 is 0.
            case REMAINDER -> q == 0 ? p : u ? Long.remainderUnsigned(p, q) : q == -1 ? 0 : p % q;
            case MAX -> cmp >= 0 ? p : q;
            case MIN -> cmp <= 0 ? p : q;
            case POW -> integerPow(p, q, u);
            case BITWISE_AND -> p & q;
            case BITWISE_OR -> p | q;
            case BITWISE_XOR -> p ^ q;
            case LEFT_SHIFT -> shiftOut ? 0 : p << q;
            case RIGHT_SHIFT -> u ? (shiftOut ? 0 : (p & mask(t)) >>> q) : (shiftOut ? (p < 0 ? -1 : 0) : p >> q);
            case ATAN2 -> throw new IllegalArgumentException("atan2 of integer type " + t
                    + " must be converted to a floating type first");
            case COMPLEX -> throw new IllegalStateException("complex takes floating operands");
            case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> compare(op, cmp, false);
        };
    }

    /** Exponentiation by squaring; a negative exponent gives 0 unless the base is 1 or -1, as in XLA. */
    static long integerPow(long base, long exp, boolean unsigned) {
        if (!unsigned && exp < 0) {
            if (base == 1) {
                return 1;
            }
            if (base == -1) {
                return (exp & 1) == 0 ? 1 : -1;
            }
            return 0;
        }
        long r = 1;
        long b = base;
        long e = exp;
        while (e != 0) {
            if ((e & 1) != 0) {
                r *= b;
            }
            b *= b;
            e >>>= 1;
        }
        return r;
    }

    static long compare(Expr.BinaryOp op, int cmp, boolean unordered) {
        boolean r = switch (op) {
            case EQUAL -> !unordered && cmp == 0;
            case NOT_EQUAL -> unordered || cmp != 0;
            case LESS -> !unordered && cmp < 0;
            case LESS_EQUAL -> !unordered && cmp <= 0;
            case GREATER -> !unordered && cmp > 0;
            case GREATER_EQUAL -> !unordered && cmp >= 0;
            case ADD, SUBTRACT, MULTIPLY, DIVIDE, MAX, MIN, POW, REMAINDER, ATAN2, BITWISE_AND, BITWISE_OR, BITWISE_XOR,
                 LEFT_SHIFT, RIGHT_SHIFT, COMPLEX -> throw new IllegalStateException(op + " is not a comparison");
        };
        return r ? 1 : 0;
    }

    private static double[] complexOp(Expr.BinaryOp op, double a, double b, double c, double d) {
        return switch (op) {
            case ADD -> c(a + c, b + d);
            case SUBTRACT -> c(a - c, b - d);
            case MULTIPLY -> cmul(a, b, c, d);
            case DIVIDE -> cdiv(a, b, c, d);
            case POW -> {
                // 0^w is 1 for w = 0 and 0 where re(w) > 0; elsewhere there is no limit (NaN, as XLA's exp(w·log 0)).
                if (a == 0 && b == 0) {
                    yield c == 0 && d == 0 ? c(1, 0) : c > 0 ? c(0, 0) : c(Double.NaN, Double.NaN);
                }
                double[] l = clog(a, b);
                double[] m = cmul(l[0], l[1], c, d);
                yield cexp(m[0], m[1]);
            }
            case EQUAL -> c(a == c && b == d ? 1 : 0, 0);
            case NOT_EQUAL -> c(a == c && b == d ? 0 : 1, 0);
            // Complex numbers have no order; the rest are integer ops, or COMPLEX of two reals.
            case MAX, MIN, REMAINDER, ATAN2, BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT, COMPLEX,
                 LESS, LESS_EQUAL, GREATER, GREATER_EQUAL ->
                    throw new IllegalArgumentException(op + " is not defined for complex types");
        };
    }

    // ------------------------------------------------------------------ select, bitcast

    static HostData select(Expr.Select s, HostData pred, HostData onTrue, HostData onFalse) {
        int n = s.shape().size();
        int w = s.type().byteSize();
        byte[] t = onTrue.toByteArray();
        byte[] f = onFalse.toByteArray();
        byte[] out = new byte[n * w];
        DType pt = s.pred().type();
        for (int i = 0; i < n; i++) {
            System.arraycopy(pred.getLong(pt, i) != 0 ? t : f, i * w, out, i * w, w);
        }
        return new HostData(out);
    }

    /** Converts every element of {@code x} from {@code from} to {@code to} ({@code stablehlo.convert}). */
    static HostData convert(Shape shape, DType from, DType to, HostData x) {
        int n = shape.size();
        Out out = new Out(shape, to);
        for (int i = 0; i < n; i++) {
            if (to.isComplex()) {
                HostData.setComplex(out.seg, to, i, x.getDouble(from, i), x.getImag(from, i));
            } else if (from.isInteger() && to.isInteger()) {
                HostData.setLong(out.seg, to, i, x.getLong(from, i));
            } else {
                HostData.setDouble(out.seg, to, i, x.getDouble(from, i));
            }
        }
        return out.done();
    }
}
