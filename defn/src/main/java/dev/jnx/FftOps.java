package dev.jnx;

import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.Arrays;
import java.util.List;

/**
 * Nx's FFT family ({@code fft}, {@code ifft}, {@code fft2}, {@code ifft2}, {@code rfft},
 * {@code irfft}), behind {@link Nx}'s functions of those names. One primitive,
 * {@link Expr.Fft} along the last axis, does the transform; the {@code length} option pads
 * with zeros or truncates first, other axes are transposed last and back, and the 2-D and
 * real variants are compositions, as Nx's default implementations are.
 */
final class FftOps {
    private FftOps() {
    }

    /** {@code Nx.fft}/{@code Nx.ifft} of {@code x} along {@code axis}, padded or cut to {@code length}. */
    static Tensor fft(boolean inverse, Tensor x, int length, int axis) {
        String name = inverse ? "ifft" : "fft";
        if (x.rank() < 1) {
            throw new IllegalArgumentException(name + ": expected a tensor with rank > 0, got " + x.type() + x.shape());
        }
        int ax = x.shape().normalizeAxis(axis, name);
        int len = resolveLength(name, length, x.shape().dim(ax));
        Tensor c = fitLength(Nx.asType(x, Nx.toComplex(x.type())), ax, len);
        if (c.size() == 0) {
            return c;
        }
        int last = c.rank() - 1;
        int[] perm = moveToEnd(c.rank(), ax);
        Tensor moved = ax == last ? c : Nx.transpose(c, perm);
        Tensor r = Tracing.bind(new Expr.Fft(inverse, Tracing.nodeOf(moved), moved.shape(), moved.type()), moved);
        return ax == last ? r : Nx.transpose(r, inverse(perm));
    }

    /** {@code Nx.fft2}/{@code Nx.ifft2}: the transform along {@code axes[1]}, then along {@code axes[0]}. */
    static Tensor fft2(boolean inverse, Tensor x, int[] lengths, int[] axes) {
        String name = inverse ? "ifft2" : "fft2";
        if (x.rank() < 2) {
            throw new IllegalArgumentException(name + ": expected a tensor with rank > 1, got tensor with rank " + x.rank());
        }
        if (axes.length != 2) {
            throw new IllegalArgumentException(name + ": expected axes to be a list with 2 axes, got: " + Arrays.toString(axes));
        }
        if (lengths != null && lengths.length != 2) {
            throw new IllegalArgumentException(name + ": expected lengths to be a list of 2 lengths or Nx.POWER_OF_TWO, got: "
                    + Arrays.toString(lengths));
        }
        int[] ax = x.shape().normalizeAxes(axes, name);
        int a1 = ax[0];
        int a2 = ax[1];
        int l1 = lengths == null ? x.shape().dim(a1) : lengths[0];
        int l2 = lengths == null ? x.shape().dim(a2) : lengths[1];
        return fft(inverse, fft(inverse, x, l2, a2), l1, a1);
    }

    /** {@code Nx.rfft}: the fft of a real tensor, keeping the {@code length / 2 + 1} non-redundant terms. */
    static Tensor rfft(Tensor x, int length, int axis) {
        if (x.type().isComplex()) {
            throw new IllegalArgumentException("rfft expects a real tensor, got type: " + x.type());
        }
        if (x.rank() < 1) {
            throw new IllegalArgumentException("rfft: expected a tensor with rank > 0, got " + x.type() + x.shape());
        }
        int ax = x.shape().normalizeAxis(axis, "rfft");
        int len = resolveLength("rfft", length, x.shape().dim(ax));
        return Nx.sliceAlongAxis(fft(false, x, len, ax), 0, len / 2 + 1, ax);
    }

    /**
     * {@code Nx.irfft}: the real signal of length {@code length} (default {@code 2·(m-1)}) whose
     * one-sided spectrum is {@code x}: the missing half is the reversed conjugate, then ifft, real part.
     */
    static Tensor irfft(Tensor x, Integer length, int axis) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("irfft: expected a tensor with rank > 0, got " + x.type() + x.shape());
        }
        int ax = x.shape().normalizeAxis(axis, "irfft");
        int actual = x.shape().dim(ax);
        int n = length == null ? 2 * (actual - 1) : length;
        if (n <= 0) {
            throw new IllegalArgumentException("irfft: expected a positive integer as length, got: " + n
                    + (length == null ? " (from an axis of size " + actual + ")" : ""));
        }
        int m = n / 2 + 1;
        Tensor c = fitLength(Nx.asType(x, Nx.toComplex(x.type())), ax, m);
        int mirrorCount = n - m;
        Tensor mirror = Nx.reverse(Nx.conjugate(Nx.sliceAlongAxis(c, 1, mirrorCount, ax)), ax);
        Tensor full = mirrorCount == 0 ? c : Nx.concatenate(List.of(c, mirror), ax);
        return Nx.real(fft(true, full, n, ax));
    }

    /** Pads with zeros or truncates {@code c} along {@code axis} to {@code len}. */
    private static Tensor fitLength(Tensor c, int axis, int len) {
        int n = c.shape().dim(axis);
        if (len < n) {
            return Nx.sliceAlongAxis(c, 0, len, axis);
        }
        if (len > n) {
            int[][] config = new int[c.rank()][3];
            config[axis][1] = len - n;
            return Nx.pad(c, 0, config);
        }
        return c;
    }

    private static int resolveLength(String name, int length, int n) {
        if (length == Nx.POWER_OF_TWO) {
            return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
        }
        if (length <= 0) {
            throw new IllegalArgumentException(name + ": expected a positive integer or Nx.POWER_OF_TWO as length, got: "
                    + length);
        }
        return length;
    }

    private static int[] moveToEnd(int rank, int axis) {
        int[] perm = new int[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) {
            if (d != axis) {
                perm[k++] = d;
            }
        }
        perm[rank - 1] = axis;
        return perm;
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }
}
