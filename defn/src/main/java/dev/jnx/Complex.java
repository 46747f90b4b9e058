package dev.jnx;

/**
 * A complex number, the element of {@code c64} and {@code c128} tensors ({@code Complex.new(re, im)}
 * in Elixir). {@code Nx.tensor} takes (nested arrays of) these; {@link Tensor#toComplexArray()}
 * reads them back.
 *
 * @param re the real part
 * @param im the imaginary part
 */
public record Complex(double re, double im) {
    /** The complex number {@code re + im·i}. */
    public static Complex of(double re, double im) {
        return new Complex(re, im);
    }

    /** Nx's notation: {@code 1.0+2.0i}, {@code 1.0-2.0i}, {@code NaN+Infi}. */
    @Override
    public String toString() {
        return format(re, false) + (im < 0 || (im == 0 && 1 / im < 0) ? "-" + format(-im, false) : "+" + format(im, false)) + "i";
    }

    static String format(double v, boolean f64) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Inf" : "-Inf";
        }
        return f64 ? Double.toString(v) : Float.toString((float) v);
    }
}
