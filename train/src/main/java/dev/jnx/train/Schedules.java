package dev.jnx.train;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;

/** Learning-rate schedules as functions of the update count ({@code Polaris.Schedules}, Optax's schedules). */
public final class Schedules {
    private Schedules() {
    }

    /** The same value at every step. */
    public static Schedule constant(double value) {
        return count -> Nx.scalar((float) value);
    }

    /**
     * {@code init * decayRate^((count - transitionBegin) / transitionSteps)} after
     * {@code transitionBegin} steps ({@code init} before); with {@code staircase} the exponent
     * is floored, so the value drops every {@code transitionSteps} steps.
     */
    public static Schedule exponentialDecay(double init, int transitionSteps, double decayRate, int transitionBegin,
                                            boolean staircase) {
        positive("exponentialDecay", "transitionSteps", transitionSteps);
        return count -> {
            Tensor p = Nx.divide(Nx.max(Nx.subtract(f32(count), transitionBegin), 0f), (float) transitionSteps);
            if (staircase) {
                p = Nx.floor(p);
            }
            return Nx.multiply(Nx.pow(Nx.scalar((float) decayRate), p), (float) init);
        };
    }

    /** {@link #exponentialDecay(double, int, double, int, boolean)} from step 0, smoothly. */
    public static Schedule exponentialDecay(double init, int transitionSteps, double decayRate) {
        return exponentialDecay(init, transitionSteps, decayRate, 0, false);
    }

    /**
     * {@code init * ((1 - alpha) * (1 + cos(pi * min(count, decaySteps) / decaySteps)) / 2 + alpha)}:
     * from {@code init} down to {@code alpha * init} over {@code decaySteps} steps.
     */
    public static Schedule cosineDecay(double init, int decaySteps, double alpha) {
        positive("cosineDecay", "decaySteps", decaySteps);
        return count -> {
            Tensor t = Nx.divide(Nx.min(f32(count), (float) decaySteps), (float) decaySteps);
            Tensor cosine = Nx.multiply(Nx.add(Nx.cos(Nx.multiply(t, (float) Math.PI)), 1f), 0.5f);
            return Nx.multiply(Nx.add(Nx.multiply(cosine, (float) (1 - alpha)), (float) alpha), (float) init);
        };
    }

    /**
     * {@code (init - end) * (1 - t / transitionSteps)^power + end} with
     * {@code t = clip(count - transitionBegin, 0, transitionSteps)}; {@code power} 1 is a linear ramp.
     */
    public static Schedule polynomialDecay(double init, double end, double power, int transitionSteps,
                                           int transitionBegin) {
        positive("polynomialDecay", "transitionSteps", transitionSteps);
        return count -> {
            Tensor t = Nx.clip(Nx.subtract(f32(count), (float) transitionBegin), 0f, (float) transitionSteps);
            Tensor frac = Nx.subtract(1f, Nx.divide(t, (float) transitionSteps));
            return Nx.add(Nx.multiply(Nx.pow(frac, (float) power), (float) (init - end)), (float) end);
        };
    }

    /** A linear ramp from {@code init} to {@code end} over {@code steps} steps, then {@code end}. */
    public static Schedule linear(double init, double end, int steps) {
        return polynomialDecay(init, end, 1, steps, 0);
    }

    /**
     * {@code first} until {@code boundary}, then {@code then} with the count restarted at 0
     * (Optax's {@code join_schedules} of two).
     */
    public static Schedule join(Schedule first, int boundary, Schedule then) {
        return count -> Nx.select(Nx.less(count, boundary), first.at(count), then.at(Nx.subtract(count, boundary)));
    }

    /**
     * Optax's {@code warmup_cosine_decay_schedule}: linear from {@code init} to {@code peak} over
     * {@code warmupSteps}, then cosine decay to {@code end} by step {@code decaySteps} (counted
     * from 0, warm-up included).
     */
    public static Schedule warmupCosineDecay(double init, double peak, int warmupSteps, int decaySteps, double end) {
        positive("warmupCosineDecay", "warmupSteps", warmupSteps);
        if (decaySteps <= warmupSteps) {
            throw new IllegalArgumentException("Schedules.warmupCosineDecay: decaySteps (" + decaySteps
                    + ") must exceed warmupSteps (" + warmupSteps + ")");
        }
        return join(linear(init, peak, warmupSteps), warmupSteps,
                cosineDecay(peak, decaySteps - warmupSteps, peak == 0 ? 0 : end / peak));
    }

    private static Tensor f32(Tensor count) {
        return Nx.asType(count, DType.F32);
    }

    private static void positive(String op, String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("Schedules." + op + ": " + name + " must be positive, got " + v);
        }
    }
}
