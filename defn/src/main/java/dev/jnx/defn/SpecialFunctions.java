package dev.jnx.defn;

/** erf, erfc and erf⁻¹ in double precision for the reference backend (java.lang.Math has none). */
final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private SpecialFunctions() {
    }

    /** The error function. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a < 2.5) {
            return Math.copySign(erfSeries(a), x);
        }
        return Math.copySign(1 - erfcFraction(a), x);
    }

    /** The complementary error function 1 - erf(x), accurate where it is tiny. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2 - erfc(-x);
        }
        return x < 2.5 ? 1 - erfSeries(x) : erfcFraction(x);
    }

    /** The inverse error function: ±Inf at ±1, NaN outside [-1, 1]. */
    static double erfInv(double y) {
        if (Double.isNaN(y) || y < -1 || y > 1) {
            return Double.NaN;
        }
        if (y == 1 || y == -1) {
            return Math.copySign(Double.POSITIVE_INFINITY, y);
        }
        // Giles' single-precision approximation, then Newton steps on erf to double precision.
        double w = -Math.log((1 - y) * (1 + y));
        double p;
        if (w < 5) {
            w -= 2.5;
            p = 2.81022636e-08;
            p = 3.43273939e-07 + p * w;
            p = -3.5233877e-06 + p * w;
            p = -4.39150654e-06 + p * w;
            p = 0.00021858087 + p * w;
            p = -0.00125372503 + p * w;
            p = -0.00417768164 + p * w;
            p = 0.246640727 + p * w;
            p = 1.50140941 + p * w;
        } else {
            w = Math.sqrt(w) - 3;
            p = -0.000200214257;
            p = 0.000100950558 + p * w;
            p = 0.00134934322 + p * w;
            p = -0.00367342844 + p * w;
            p = 0.00573950773 + p * w;
            p = -0.0076224613 + p * w;
            p = 0.00943887047 + p * w;
            p = 1.00167406 + p * w;
            p = 2.83297682 + p * w;
        }
        double x = p * y;
        for (int i = 0; i < 3; i++) {
            double err = Math.abs(x) < 2.5 ? erf(x) - y : (y > 0 ? -(erfc(x) - (1 - y)) : erfc(-x) - (1 + y));
            double step = err / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
            if (!Double.isFinite(step)) {
                break;
            }
            x -= step;
        }
        return x;
    }

    /** erf(x) = 2/√π e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): positive terms, no cancellation, for 0 ≤ x < 2.5. */
    private static double erfSeries(double x) {
        double term = x;
        double sum = x;
        double x2 = x * x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** erfc by its continued fraction (modified Lentz), for x ≥ 2.5. */
    private static double erfcFraction(double x) {
        if (x > 27) {
            return 0;
        }
        // erfc x = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
