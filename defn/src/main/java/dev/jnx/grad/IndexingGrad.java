package dev.jnx.grad;

import dev.jnx.ConvOptions;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import dev.jnx.defn.Expr;
import dev.jnx.defn.IndexingEval;
import dev.jnx.defn.Tracing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gradient rules of the shape and indexing primitives, after {@code Nx.Defn.Grad}: slice pads
 * the cotangent, pad slices it, concatenate splits it, gather scatter-adds it, convolution
 * convolves it (Nx's {@code grad_conv}), window max scatters it to each window's first maximum.
 * Each returns its operands' {@link Cotangent}s; index operands get none.
 */
final class IndexingGrad {
    private IndexingGrad() {
    }

    private static Tensor t(Expr e) {
        return Tracing.tensor(e);
    }

    /** The cotangent of a reshape is the cotangent in the operand's shape. */
    static List<Cotangent> reshape(Expr.Reshape r, Tensor g) {
        return List.of(new Cotangent(r.x(), Nx.reshape(g, r.x().shape())));
    }

    static List<Cotangent> transpose(Expr.Transpose tr, Tensor g) {
        return List.of(new Cotangent(tr.x(), Nx.transpose(g, inverse(tr.axes()))));
    }

    /** Sums the cotangent over the dimensions the broadcast created or expanded. */
    static List<Cotangent> broadcast(Expr.Broadcast b, Tensor g) {
        return List.of(new Cotangent(b.x(), unbroadcast(g, b.x().shape(), b.axes())));
    }

    private static Tensor unbroadcast(Tensor g, Shape target, int[] axes) {
        Shape out = g.shape();
        List<Integer> summed = new ArrayList<>();
        int[] mapped = new int[out.rank()];
        Arrays.fill(mapped, -1);
        for (int i = 0; i < axes.length; i++) {
            mapped[axes[i]] = i;
        }
        for (int d = 0; d < out.rank(); d++) {
            if (mapped[d] < 0 || (target.dim(mapped[d]) == 1 && out.dim(d) != 1)) {
                summed.add(d);
            }
        }
        Tensor s = summed.isEmpty() ? g : Nx.sum(g, summed.stream().mapToInt(Integer::intValue).toArray(), false);
        return Nx.reshape(s, target);
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    static List<Cotangent> slice(Expr.Slice s, Tensor g) {
        int r = s.shape().rank();
        int[][] config = new int[r][];
        for (int d = 0; d < r; d++) {
            int out = s.shape().dim(d);
            int lo = s.starts()[d];
            int interior = s.strides()[d] - 1;
            int used = out == 0 ? 0 : out + (out - 1) * interior;
            config[d] = new int[] {lo, s.x().shape().dim(d) - lo - used, out == 0 ? 0 : interior};
        }
        return List.of(new Cotangent(s.x(), Nx.pad(g, 0, config)));
    }

    static List<Cotangent> dynamicSlice(Expr.DynamicSlice s, Tensor g) {
        Object[] starts = s.starts().stream().map(IndexingGrad::t).toArray();
        return List.of(new Cotangent(s.x(), Nx.putSlice(Grad.zeros(s.x()), starts, g)));
    }

    static List<Cotangent> dynamicUpdateSlice(Expr.DynamicUpdateSlice s, Tensor g) {
        Object[] starts = s.starts().stream().map(IndexingGrad::t).toArray();
        Tensor gx = Nx.putSlice(g, starts, Grad.zeros(s.update()));
        Tensor gu = Nx.slice(g, starts, s.update().shape().dims());
        return List.of(new Cotangent(s.x(), gx), new Cotangent(s.update(), gu));
    }

    static List<Cotangent> pad(Expr.Pad p, Tensor g) {
        int r = p.shape().rank();
        int[][] inverse = new int[r][];
        for (int d = 0; d < r; d++) {
            inverse[d] = new int[] {-p.lo()[d], -p.hi()[d], 0};
        }
        Tensor unpadded = Nx.pad(g, 0, inverse);
        int[] strides = new int[r];
        for (int d = 0; d < r; d++) {
            strides[d] = p.interior()[d] + 1;
        }
        Tensor gx = Nx.slice(unpadded, new int[r], unpadded.shape().dims(), strides);
        Tensor gv = Nx.subtract(Nx.sum(g), Nx.sum(gx));
        return List.of(new Cotangent(p.x(), gx), new Cotangent(p.value(), gv));
    }

    static List<Cotangent> concatenate(Expr.Concatenate c, Tensor g) {
        List<Cotangent> out = new ArrayList<>();
        int offset = 0;
        for (Expr x : c.xs()) {
            int n = x.shape().dim(c.axis());
            out.add(new Cotangent(x, Nx.sliceAlongAxis(g, offset, n, c.axis())));
            offset += n;
        }
        return out;
    }

    static List<Cotangent> reverse(Expr.Reverse r, Tensor g) {
        return List.of(new Cotangent(r.x(), Nx.reverse(g, r.axes())));
    }

    static List<Cotangent> gather(Expr.Gather e, Tensor g) {
        Shape is = e.indices().shape();
        int k = is.dim(is.rank() - 1);
        int n = 1;
        for (int d = 0; d < is.rank() - 1; d++) {
            n *= is.dim(d);
        }
        // Gather clamps indices into range; clamp them here too so each cotangent lands where its value came from.
        long[] bounds = new long[k];
        for (int j = 0; j < k; j++) {
            bounds[j] = e.x().shape().dim(e.axes()[j]) - 1;
        }
        Tensor idx = t(e.indices());
        Tensor clamped = Nx.min(Nx.max(idx, Nx.scalar(0, idx.type())), Nx.asType(Nx.tensor(bounds), idx.type()));
        int[] win = IndexingEval.windowAxes(e.x().shape().rank(), e.axes());
        int[] ushape = new int[1 + win.length];
        ushape[0] = n;
        for (int j = 0; j < win.length; j++) {
            ushape[1 + j] = e.x().shape().dim(win[j]);
        }
        Tensor updates = Nx.reshape(g, Shape.of(ushape));
        Tensor gx = Nx.indexedAdd(Grad.zeros(e.x()), Nx.reshape(clamped, Shape.of(n, k)), updates, e.axes());
        return List.of(new Cotangent(e.x(), gx));
    }

    static List<Cotangent> scatter(Expr.Scatter s, Tensor g) {
        Tensor idx = t(s.indices());
        Tensor gu = Nx.reshape(Nx.gather(g, idx, s.axes()), s.updates().shape());
        Tensor gx = switch (s.op()) {
            case ADD -> g;
            case PUT -> Nx.indexedPut(g, idx, Grad.zeros(s.updates()), s.axes());
        };
        return List.of(new Cotangent(s.x(), gx), new Cotangent(s.updates(), gu));
    }

    static List<Cotangent> reduceWindow(Expr.ReduceWindow w, Tensor g) {
        int r = w.shape().rank();
        return switch (w.op()) {
            case SUM -> {
                int[][] config = new int[r][];
                for (int d = 0; d < r; d++) {
                    int dw = (w.window()[d] - 1) * w.windowDilations()[d] + 1;
                    int outDilated = (w.shape().dim(d) - 1) * w.strides()[d] + 1;
                    int before = dw - w.padLo()[d] - 1;
                    int after = w.x().shape().dim(d) + dw - 1 - outDilated - before;
                    config[d] = new int[] {before, after, w.strides()[d] - 1};
                }
                Tensor padded = Nx.pad(g, 0, config);
                yield List.of(new Cotangent(w.x(), Nx.windowSum(padded, w.window(),
                        WindowOptions.defaults().windowDilations(w.windowDilations()))));
            }
            case MAX, MIN -> {
                if (Arrays.stream(w.windowDilations()).anyMatch(d -> d != 1)) {
                    throw new UnsupportedOperationException("grad of window_" + w.op().name().toLowerCase(java.util.Locale.ROOT)
                            + " with window dilations " + Arrays.toString(w.windowDilations())
                            + " is not supported (Nx's rule scatters to undilated windows)");
                }
                int[][] padding = new int[r][];
                for (int d = 0; d < r; d++) {
                    padding[d] = new int[] {w.padLo()[d], w.padHi()[d]};
                }
                WindowOptions o = WindowOptions.defaults().strides(w.strides()).padding(padding);
                Tensor x = t(w.x());
                yield List.of(new Cotangent(w.x(), w.op() == Expr.ReduceOp.MAX ? Nx.windowScatterMax(x, g, 0, w.window(), o)
                        : Nx.windowScatterMin(x, g, 0, w.window(), o)));
            }
            case PRODUCT -> throw new IllegalArgumentException("cannot compute the gradient of Nx.window_product (as in"
                    + " Nx): use Defn.stopGrad, or Defn.customGrad with a rule of your own");
        };
    }

    /** Nx has no gradient for a user function's window reduction either. */
    static List<Cotangent> reduceWindowFn(Expr.ReduceWindowFn w, Tensor g) {
        throw new UnsupportedOperationException("grad of Nx.window_reduce (a user"
                + " function) is not supported (as in Nx): use windowSum, windowMean, windowMax or windowMin,"
                + " whose gradients are known");
    }

    /**
     * window_scatter_max/min is linear in the source: each source element reads the cotangent
     * at the position its window selected (Nx's rule, with the selection of the primitive: the
     * first extremum of the window, padding never). The selection is piecewise constant in x,
     * which gets none; the init value is always a constant (a number in the API).
     */
    static List<Cotangent> selectAndScatter(Expr.SelectAndScatter s, Tensor g) {
        int r = s.x().shape().rank();
        int[][] padding = new int[r][];
        for (int d = 0; d < r; d++) {
            padding[d] = new int[] {s.padLo()[d], s.padHi()[d]};
        }
        Tensor x = Nx.pad(t(s.x()), Nx.scalar(0, s.x().type()), padding);
        Tensor cotangent = Nx.pad(g, Nx.scalar(0, g.type()), padding);
        Tensor inside = Nx.pad(Nx.broadcast(Nx.scalar(1, dev.jnx.DType.U8), s.x().shape()), 0, padding);
        // Slice lengths are spans of x: windows*stride apart, one element per window.
        int[] lengths = new int[r];
        for (int d = 0; d < r; d++) {
            lengths[d] = Math.max(0, (s.source().shape().dim(d) - 1) * s.strides()[d] + 1);
        }
        Shape window = Shape.of(s.window());
        Tensor best = null;
        Tensor picked = null;
        Tensor found = null;
        // The window's positions in row-major order, as the primitive visits them.
        for (int w = 0; w < window.size(); w++) {
            int[] start = new int[r];
            for (int d = r - 1, rest = w; d >= 0; rest /= window.dim(d), d--) {
                start[d] = rest % window.dim(d);
            }
            Tensor xw = Nx.slice(x, start, lengths, s.strides());
            Tensor gw = Nx.slice(cotangent, start, lengths, s.strides());
            Tensor in = Nx.slice(inside, start, lengths, s.strides());
            if (best == null) {
                best = xw;
                picked = Nx.multiply(gw, Nx.asType(in, g.type()));
                found = in;
                continue;
            }
            // A later position wins unless the current one still compares GE (LE): the primitive's select.
            Tensor keeps = s.max() ? Nx.greaterEqual(best, xw) : Nx.lessEqual(best, xw);
            Tensor take = Nx.logicalAnd(in, Nx.logicalOr(Nx.logicalNot(found), Nx.logicalNot(keeps)));
            best = Nx.select(take, xw, best);
            picked = Nx.select(take, gw, picked);
            found = Nx.logicalOr(found, in);
        }
        return List.of(new Cotangent(s.source(), picked));
    }

    // ---------------------------------------------------------------- conv, after Nx's grad_conv

    static List<Cotangent> conv(Expr.Conv c, Tensor g) {
        int r = c.shape().rank();
        int n = r - 2;
        int[] ip = c.inputPermutation();
        int[] kp = c.kernelPermutation();
        int[] op = c.outputPermutation();
        int fg = c.featureGroups();
        int bg = c.batchGroups();
        Tensor x = t(c.x());
        Tensor y = t(c.kernel());
        int[] lhsS = new int[n];
        int[] rhsS = new int[n];
        int[] outS = new int[n];
        int[] rhsSpatialAxes = new int[n];
        for (int j = 0; j < n; j++) {
            lhsS[j] = c.x().shape().dim(ip[2 + j]);
            rhsS[j] = c.kernel().shape().dim(kp[2 + j]);
            outS[j] = c.shape().dim(op[2 + j]);
            rhsSpatialAxes[j] = kp[2 + j];
        }
        Tensor rhs = y;
        int groups = fg > 1 ? fg : bg;
        if (groups > 1) {
            rhs = reshapeAxisInto(kp[0], kp[1], reshapeAxisOutOf(kp[0], groups, rhs));
        }
        int[][] lhsPadding = new int[n][];
        int[][] rhsPadding = new int[n][];
        for (int j = 0; j < n; j++) {
            int l = dilated(lhsS[j], c.inputDilation()[j]);
            int k = dilated(rhsS[j], c.kernelDilation()[j]);
            int o = dilated(outS[j], c.strides()[j]);
            int before = k - c.padLo()[j] - 1;
            lhsPadding[j] = new int[] {before, l + k - 1 - o - before};
            int total = o + k - l - 1;
            rhsPadding[j] = new int[] {c.padLo()[j], total - c.padLo()[j]};
        }
        int lhsFeatureGroups = bg > 1 ? bg : fg;
        int rhsFeatureGroups = bg > 1 ? bg : 1;
        int rhsBatchGroups = bg > 1 ? 1 : fg;
        Tensor reversed = Nx.reverse(rhs, rhsSpatialAxes);
        Tensor gx = Nx.conv(g, reversed, ConvOptions.defaults()
                .strides(c.inputDilation()).padding(lhsPadding).inputDilation(c.strides())
                .kernelDilation(c.kernelDilation()).inputPermutation(op).kernelPermutation(swap01(kp))
                .outputPermutation(ip).featureGroupSize(lhsFeatureGroups).batchGroupSize(1));
        if (bg > 1) {
            gx = reshapeAxisInto(ip[1], ip[0], reshapeAxisOutOf(ip[1], bg, gx));
        }
        Tensor gy = Nx.conv(x, g, ConvOptions.defaults()
                .strides(c.kernelDilation()).padding(rhsPadding).inputDilation(c.inputDilation())
                .kernelDilation(c.strides()).inputPermutation(swap01(ip)).kernelPermutation(swap01(op))
                .outputPermutation(swap01(kp)).featureGroupSize(rhsFeatureGroups).batchGroupSize(rhsBatchGroups));
        return List.of(new Cotangent(c.x(), gx), new Cotangent(c.kernel(), gy));
    }

    private static int dilated(int size, int dilation) {
        return size == 0 ? 0 : (size - 1) * dilation + 1;
    }

    private static int[] swap01(int[] p) {
        int[] q = p.clone();
        q[0] = p[1];
        q[1] = p[0];
        return q;
    }

    /** Splits axis {@code src} into [{@code size1}, rest] ({@code reshape_axis_out_of}). */
    private static Tensor reshapeAxisOutOf(int src, int size1, Tensor x) {
        int[] d = x.shape().dims();
        int[] nd = new int[d.length + 1];
        for (int i = 0, k = 0; i < d.length; i++) {
            if (i == src) {
                nd[k++] = size1;
                nd[k++] = d[i] / size1;
            } else {
                nd[k++] = d[i];
            }
        }
        return Nx.reshape(x, Shape.of(nd));
    }

    /** Moves axis {@code src} in front of axis {@code dst} and merges them ({@code reshape_axis_into}). */
    private static Tensor reshapeAxisInto(int src, int dst, Tensor x) {
        int r = x.rank();
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (i != src) {
                perm.add(i);
            }
        }
        perm.add(dst, src);
        int[] shape = new int[r - 1];
        for (int i = 0, k = 0; i < r; i++) {
            if (i != src) {
                shape[k++] = x.shape().dim(i);
            }
        }
        shape[dst] *= x.shape().dim(src);
        return Nx.reshape(Nx.transpose(x, perm.stream().mapToInt(Integer::intValue).toArray()), Shape.of(shape));
    }
}
