package dev.jnx;

import java.util.Arrays;
import java.util.Objects;

/**
 * Options of {@link Nx#conv}: strides, padding ({@code "valid"}, {@code "same"} or explicit
 * {@code {lo, hi}} pairs per spatial axis), input and kernel dilation, feature and batch group
 * sizes, and the input/kernel/output permutations. Immutable; each setter returns a new value.
 * Defaults are Nx's.
 */
public final class ConvOptions {
    final int[] strides;
    final String padding;
    final int[][] explicitPadding;
    final int[] inputDilation;
    final int[] kernelDilation;
    final int featureGroupSize;
    final int batchGroupSize;
    final int[] inputPermutation;
    final int[] kernelPermutation;
    final int[] outputPermutation;

    private ConvOptions(int[] strides, String padding, int[][] explicitPadding, int[] inputDilation,
                        int[] kernelDilation, int featureGroupSize, int batchGroupSize, int[] inputPermutation,
                        int[] kernelPermutation, int[] outputPermutation) {
        this.strides = strides;
        this.padding = padding;
        this.explicitPadding = explicitPadding;
        this.inputDilation = inputDilation;
        this.kernelDilation = kernelDilation;
        this.featureGroupSize = featureGroupSize;
        this.batchGroupSize = batchGroupSize;
        this.inputPermutation = inputPermutation;
        this.kernelPermutation = kernelPermutation;
        this.outputPermutation = outputPermutation;
    }

    /** Nx's defaults: strides 1, valid padding, no dilation, one group, no permutation. */
    public static ConvOptions defaults() {
        return new ConvOptions(null, "valid", null, null, null, 1, 1, null, null, null);
    }

    /** Window steps per spatial axis (one value means every spatial axis). */
    public ConvOptions strides(int... s) {
        Objects.requireNonNull(s, "ConvOptions.strides: argument s");
        return new ConvOptions(s.clone(), padding, explicitPadding, inputDilation, kernelDilation, featureGroupSize,
                batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** {@code "valid"} or {@code "same"}. */
    public ConvOptions padding(String mode) {
        Objects.requireNonNull(mode, "ConvOptions.padding: argument mode");
        if (!mode.equals("valid") && !mode.equals("same")) {
            throw new IllegalArgumentException("invalid padding mode " + mode + ": expected valid, same or {lo, hi} pairs");
        }
        return new ConvOptions(strides, mode, null, inputDilation, kernelDilation, featureGroupSize,
                batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** Explicit {@code {lo, hi}} padding per spatial axis; values may be negative. */
    public ConvOptions padding(int[]... loHi) {
        Objects.requireNonNull(loHi, "ConvOptions.padding: argument loHi");
        for (int[] p : loHi) {
            if (p.length != 2) {
                throw new IllegalArgumentException("padding must be {lo, hi} pairs, got " + Arrays.toString(p));
            }
        }
        return new ConvOptions(strides, null, loHi.clone(), inputDilation, kernelDilation, featureGroupSize,
                batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** Input dilation per spatial axis (one value means every spatial axis). */
    public ConvOptions inputDilation(int... d) {
        Objects.requireNonNull(d, "ConvOptions.inputDilation: argument d");
        return new ConvOptions(strides, padding, explicitPadding, d.clone(), kernelDilation, featureGroupSize,
                batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** Kernel dilation per spatial axis (one value means every spatial axis). */
    public ConvOptions kernelDilation(int... d) {
        Objects.requireNonNull(d, "ConvOptions.kernelDilation: argument d");
        return new ConvOptions(strides, padding, explicitPadding, inputDilation, d.clone(), featureGroupSize,
                batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** Number of feature groups ({@code feature_group_size}). */
    public ConvOptions featureGroupSize(int g) {
        return new ConvOptions(strides, padding, explicitPadding, inputDilation, kernelDilation, g,
                batchGroupSize, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** Number of batch groups ({@code batch_group_size}). */
    public ConvOptions batchGroupSize(int g) {
        return new ConvOptions(strides, padding, explicitPadding, inputDilation, kernelDilation, featureGroupSize,
                g, inputPermutation, kernelPermutation, outputPermutation);
    }

    /** Which input axes are batch, feature, then spatial ({@code input_permutation}). */
    public ConvOptions inputPermutation(int... p) {
        Objects.requireNonNull(p, "ConvOptions.inputPermutation: argument p");
        return new ConvOptions(strides, padding, explicitPadding, inputDilation, kernelDilation, featureGroupSize,
                batchGroupSize, p.clone(), kernelPermutation, outputPermutation);
    }

    /** Which kernel axes are output feature, input feature, then spatial ({@code kernel_permutation}). */
    public ConvOptions kernelPermutation(int... p) {
        Objects.requireNonNull(p, "ConvOptions.kernelPermutation: argument p");
        return new ConvOptions(strides, padding, explicitPadding, inputDilation, kernelDilation, featureGroupSize,
                batchGroupSize, inputPermutation, p.clone(), outputPermutation);
    }

    /** Which output axes are batch, feature, then spatial ({@code output_permutation}). */
    public ConvOptions outputPermutation(int... p) {
        Objects.requireNonNull(p, "ConvOptions.outputPermutation: argument p");
        return new ConvOptions(strides, padding, explicitPadding, inputDilation, kernelDilation, featureGroupSize,
                batchGroupSize, inputPermutation, kernelPermutation, p.clone());
    }
}
