package dev.jnx.train;

import dev.jnx.Nx;
import dev.jnx.Random;

/**
 * Parameter initializers after {@code Axon.Initializers}. The variance-scaling ones draw from
 * a uniform distribution of variance {@code scale / n}, or a normal one of that variance
 * (untruncated), with {@code n} the fan-in, the fan-out or their mean.
 */
public final class Initializers {
    private Initializers() {
    }

    /** All zeros (Axon's default for biases). */
    public static Initializer zeros() {
        return constant(0);
    }

    /** All ones. */
    public static Initializer ones() {
        return constant(1);
    }

    /** Every value {@code value}. */
    public static Initializer constant(double value) {
        return (key, shape, type, fanIn, fanOut) -> Nx.fill(shape, value, type);
    }

    /** Uniform in {@code [-scale, scale)}. */
    public static Initializer uniform(double scale) {
        return (key, shape, type, fanIn, fanOut) -> Random.uniform(key, shape, type, -scale, scale).value();
    }

    /** Normal with mean 0 and standard deviation {@code scale}. */
    public static Initializer normal(double scale) {
        return (key, shape, type, fanIn, fanOut) -> Random.normal(key, shape, type, 0.0, scale).value();
    }

    /** Glorot (Xavier) uniform: variance {@code 2 / (fanIn + fanOut)} (Axon's default for kernels). */
    public static Initializer glorotUniform() {
        return varianceScaling(1, Fan.AVERAGE, false);
    }

    /** Glorot (Xavier) normal: variance {@code 2 / (fanIn + fanOut)}. */
    public static Initializer glorotNormal() {
        return varianceScaling(1, Fan.AVERAGE, true);
    }

    /** He uniform: variance {@code 2 / fanIn}, for ReLU layers. */
    public static Initializer heUniform() {
        return varianceScaling(2, Fan.IN, false);
    }

    /** He normal: variance {@code 2 / fanIn}. */
    public static Initializer heNormal() {
        return varianceScaling(2, Fan.IN, true);
    }

    /** LeCun uniform: variance {@code 1 / fanIn}. */
    public static Initializer lecunUniform() {
        return varianceScaling(1, Fan.IN, false);
    }

    /** LeCun normal: variance {@code 1 / fanIn}. */
    public static Initializer lecunNormal() {
        return varianceScaling(1, Fan.IN, true);
    }

    /** Which fan divides the scale in {@link #varianceScaling}. */
    public enum Fan {
        /** The number of inputs per unit. */
        IN,
        /** The number of outputs per unit. */
        OUT,
        /** Their mean. */
        AVERAGE
    }

    /** Variance {@code scale / n} for the chosen fan {@code n}, normal or uniform ({@code variance_scaling}). */
    public static Initializer varianceScaling(double scale, Fan fan, boolean normal) {
        return (key, shape, type, fanIn, fanOut) -> {
            double n = switch (fan) {
                case IN -> fanIn;
                case OUT -> fanOut;
                case AVERAGE -> (fanIn + fanOut) / 2.0;
            };
            double variance = scale / Math.max(1, n);
            return normal ? Random.normal(key, shape, type, 0.0, Math.sqrt(variance)).value()
                    : Random.uniform(key, shape, type, -Math.sqrt(3 * variance), Math.sqrt(3 * variance)).value();
        };
    }
}
