package dev.jnx;

import java.util.Arrays;
import java.util.Objects;

/**
 * Options of Nx's window functions ({@code window_sum}, {@code window_max}, ...,
 * {@code window_scatter_max}): strides, padding and window dilations. Immutable; each
 * setter returns a new value. Defaults are Nx's: strides 1, {@code :valid} padding, no dilation.
 */
public final class WindowOptions {
    final int[] strides;
    final String padding;
    final int[][] explicitPadding;
    final int[] windowDilations;

    private WindowOptions(int[] strides, String padding, int[][] explicitPadding, int[] windowDilations) {
        this.strides = strides;
        this.padding = padding;
        this.explicitPadding = explicitPadding;
        this.windowDilations = windowDilations;
    }

    /** Nx's defaults: strides 1, valid padding, window dilations 1. */
    public static WindowOptions defaults() {
        return new WindowOptions(null, "valid", null, null);
    }

    /** The step between windows, per axis (one value means every axis). */
    public WindowOptions strides(int... s) {
        Objects.requireNonNull(s, "WindowOptions.strides: argument s");
        return new WindowOptions(s.clone(), padding, explicitPadding, windowDilations);
    }

    /** {@code "valid"} (no padding) or {@code "same"} (the output keeps the input's shape at stride 1). */
    public WindowOptions padding(String mode) {
        Objects.requireNonNull(mode, "WindowOptions.padding: argument mode");
        if (!mode.equals("valid") && !mode.equals("same")) {
            throw new IllegalArgumentException("invalid padding mode " + mode + ": expected valid, same or {lo, hi} pairs");
        }
        return new WindowOptions(strides, mode, null, windowDilations);
    }

    /** Explicit padding: one {@code {lo, hi}} pair per axis. */
    public WindowOptions padding(int[]... loHi) {
        Objects.requireNonNull(loHi, "WindowOptions.padding: argument loHi");
        for (int[] p : loHi) {
            if (p.length != 2) {
                throw new IllegalArgumentException("padding must be {lo, hi} pairs, got " + Arrays.toString(p));
            }
        }
        return new WindowOptions(strides, null, loHi.clone(), windowDilations);
    }

    /** Spacing between window elements, per axis (one value means every axis). */
    public WindowOptions windowDilations(int... d) {
        Objects.requireNonNull(d, "WindowOptions.windowDilations: argument d");
        return new WindowOptions(strides, padding, explicitPadding, d.clone());
    }
}
