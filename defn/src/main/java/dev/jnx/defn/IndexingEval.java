package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * The reference kernels of the shape and indexing primitives (slice, pad, gather, scatter,
 * convolution, window reductions, ...), with XLA's semantics: start indices clamped into
 * range for dynamic slices and gathers, out-of-range scatter updates skipped, padding of
 * window reductions holding the op's identity. Element-by-element and simple on purpose.
 */
public final class IndexingEval {
    private IndexingEval() {
    }

    /** Row-major coordinates of linear index {@code i} in {@code s}, into {@code idx}. */
    private static void unravel(int i, Shape s, int[] idx) {
        for (int d = s.rank() - 1; d >= 0; d--) {
            int n = s.dim(d);
            idx[d] = i % n;
            i /= n;
        }
    }

    private static int ravel(int[] idx, int[] strides) {
        int o = 0;
        for (int d = 0; d < idx.length; d++) {
            o += idx[d] * strides[d];
        }
        return o;
    }

    private static void copy(byte[] src, int from, byte[] dst, int to, int es) {
        System.arraycopy(src, from * es, dst, to * es, es);
    }

    private static long scalar(HostData h, DType t) {
        return h.getLong(t, 0);
    }

    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    static HostData slice(Expr.Slice e, HostData x) {
        Shape out = e.shape();
        int es = e.type().byteSize();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[out.size() * es];
        int[] in = e.x().shape().strides();
        int[] idx = new int[out.rank()];
        for (int o = 0; o < out.size(); o++) {
            unravel(o, out, idx);
            int i = 0;
            for (int d = 0; d < idx.length; d++) {
                i += (e.starts()[d] + idx[d] * e.strides()[d]) * in[d];
            }
            copy(src, i, dst, o, es);
        }
        return new HostData(dst);
    }

    private static int[] starts(List<Expr> starts, Map<Expr, HostData> v, Shape x, int[] sizes) {
        int[] s = new int[starts.size()];
        for (int d = 0; d < s.length; d++) {
            Expr st = starts.get(d);
            s[d] = clamp(scalar(v.get(st), st.type()), 0, x.dim(d) - sizes[d]);
        }
        return s;
    }

    static HostData dynamicSlice(Expr.DynamicSlice e, Map<Expr, HostData> v) {
        Shape out = e.shape();
        int[] start = starts(e.starts(), v, e.x().shape(), e.sizes());
        int es = e.type().byteSize();
        byte[] src = v.get(e.x()).toByteArray();
        byte[] dst = new byte[out.size() * es];
        int[] in = e.x().shape().strides();
        int[] idx = new int[out.rank()];
        for (int o = 0; o < out.size(); o++) {
            unravel(o, out, idx);
            int i = 0;
            for (int d = 0; d < idx.length; d++) {
                i += (start[d] + idx[d]) * in[d];
            }
            copy(src, i, dst, o, es);
        }
        return new HostData(dst);
    }

    static HostData dynamicUpdateSlice(Expr.DynamicUpdateSlice e, Map<Expr, HostData> v) {
        Shape us = e.update().shape();
        int[] start = starts(e.starts(), v, e.x().shape(), us.dims());
        int es = e.type().byteSize();
        byte[] dst = v.get(e.x()).toByteArray();
        byte[] src = v.get(e.update()).toByteArray();
        int[] out = e.shape().strides();
        int[] idx = new int[us.rank()];
        for (int u = 0; u < us.size(); u++) {
            unravel(u, us, idx);
            int o = 0;
            for (int d = 0; d < idx.length; d++) {
                o += (start[d] + idx[d]) * out[d];
            }
            copy(src, u, dst, o, es);
        }
        return new HostData(dst);
    }

    static HostData pad(Expr.Pad e, HostData x, HostData value) {
        Shape out = e.shape();
        Shape in = e.x().shape();
        int es = e.type().byteSize();
        byte[] val = value.toByteArray();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[out.size() * es];
        for (int o = 0; o < out.size(); o++) {
            System.arraycopy(val, 0, dst, o * es, es);
        }
        int[] os = out.strides();
        int[] idx = new int[in.rank()];
        outer:
        for (int i = 0; i < in.size(); i++) {
            unravel(i, in, idx);
            int o = 0;
            for (int d = 0; d < idx.length; d++) {
                int p = e.lo()[d] + idx[d] * (e.interior()[d] + 1);
                if (p < 0 || p >= out.dim(d)) {
                    continue outer;
                }
                o += p * os[d];
            }
            copy(src, i, dst, o, es);
        }
        return new HostData(dst);
    }

    static HostData concatenate(Expr.Concatenate e, Map<Expr, HostData> v) {
        Shape out = e.shape();
        int es = e.type().byteSize();
        byte[] dst = new byte[out.size() * es];
        int[] os = out.strides();
        int offset = 0;
        for (Expr x : e.xs()) {
            Shape in = x.shape();
            byte[] src = v.get(x).toByteArray();
            int[] idx = new int[in.rank()];
            for (int i = 0; i < in.size(); i++) {
                unravel(i, in, idx);
                idx[e.axis()] += offset;
                copy(src, i, dst, ravel(idx, os), es);
            }
            offset += in.dim(e.axis());
        }
        return new HostData(dst);
    }

    static HostData reverse(Expr.Reverse e, HostData x) {
        Shape s = e.shape();
        int es = e.type().byteSize();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[s.size() * es];
        int[] st = s.strides();
        int[] idx = new int[s.rank()];
        for (int i = 0; i < s.size(); i++) {
            unravel(i, s, idx);
            for (int a : e.axes()) {
                idx[a] = s.dim(a) - 1 - idx[a];
            }
            copy(src, i, dst, ravel(idx, st), es);
        }
        return new HostData(dst);
    }

    /** The operand dimensions not addressed by {@code axes}, in order. */
    public static int[] windowAxes(int rank, int[] axes) {
        int[] w = new int[rank - axes.length];
        for (int d = 0, k = 0; d < rank; d++) {
            boolean addressed = false;
            for (int a : axes) {
                addressed |= a == d;
            }
            if (!addressed) {
                w[k++] = d;
            }
        }
        return w;
    }

    static HostData gather(Expr.Gather e, HostData x, HostData indices) {
        Shape out = e.shape();
        Shape xs = e.x().shape();
        Shape is = e.indices().shape();
        DType it = e.indices().type();
        int nb = is.rank() - 1;
        int k = is.dim(nb);
        int[] win = windowAxes(xs.rank(), e.axes());
        int es = e.type().byteSize();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[out.size() * es];
        int[] xst = xs.strides();
        int[] idx = new int[out.rank()];
        int[] xi = new int[xs.rank()];
        for (int o = 0; o < out.size(); o++) {
            unravel(o, out, idx);
            int batch = 0;
            for (int d = 0; d < nb; d++) {
                batch = batch * is.dim(d) + idx[d];
            }
            for (int j = 0; j < k; j++) {
                int a = e.axes()[j];
                xi[a] = clamp(indices.getLong(it, batch * k + j), 0, xs.dim(a) - 1);
            }
            for (int j = 0; j < win.length; j++) {
                xi[win[j]] = idx[nb + j];
            }
            copy(src, ravel(xi, xst), dst, o, es);
        }
        return new HostData(dst);
    }

    static HostData scatter(Expr.Scatter e, HostData x, HostData indices, HostData updates) {
        Shape xs = e.shape();
        Shape us = e.updates().shape();
        Shape is = e.indices().shape();
        DType it = e.indices().type();
        DType t = e.type();
        int nb = is.rank() - 1;
        int k = is.dim(nb);
        int[] win = windowAxes(xs.rank(), e.axes());
        byte[] dst = x.toByteArray();
        MemorySegment seg = MemorySegment.ofArray(dst);
        HostData view = new HostData(dst);
        int[] xst = xs.strides();
        int[] idx = new int[us.rank()];
        int[] xi = new int[xs.rank()];
        Accumulator acc = new Accumulator(t);
        outer:
        for (int u = 0; u < us.size(); u++) {
            unravel(u, us, idx);
            int batch = 0;
            for (int d = 0; d < nb; d++) {
                batch = batch * is.dim(d) + idx[d];
            }
            for (int j = 0; j < k; j++) {
                int a = e.axes()[j];
                long p = indices.getLong(it, batch * k + j);
                if (p < 0 || p >= xs.dim(a)) {
                    continue outer; // XLA skips updates whose window falls outside the operand
                }
                xi[a] = (int) p;
            }
            for (int j = 0; j < win.length; j++) {
                xi[win[j]] = idx[nb + j];
            }
            int o = ravel(xi, xst);
            if (e.op() == Expr.ScatterOp.PUT) {
                System.arraycopy(updates.toByteArray(), u * t.byteSize(), dst, o * t.byteSize(), t.byteSize());
            } else {
                acc.reset(Expr.ReduceOp.SUM).accept(view, o).accept(updates, u).store(seg, o);
            }
        }
        return new HostData(dst);
    }

    static HostData conv(Expr.Conv e, HostData x, HostData w) {
        DType t = e.type();
        Shape xs = e.x().shape();
        Shape ks = e.kernel().shape();
        Shape os = e.shape();
        int n = xs.rank() - 2;
        int[] ip = e.inputPermutation();
        int[] kp = e.kernelPermutation();
        int[] op = e.outputPermutation();
        int[] xst = xs.strides();
        int[] kst = ks.strides();
        int outBatch = os.dim(op[0]);
        int cout = ks.dim(kp[0]);
        int kin = ks.dim(kp[1]);
        int fg = e.featureGroups();
        int bg = e.batchGroups();
        int[] kdims = new int[n];
        int kSize = 1;
        for (int j = 0; j < n; j++) {
            kdims[j] = ks.dim(kp[2 + j]);
            kSize *= kdims[j];
        }
        byte[] bytes = new byte[os.size() * t.byteSize()];
        MemorySegment out = MemorySegment.ofArray(bytes);
        int[] oi = new int[os.rank()];
        int[] kk = new int[n];
        Accumulator acc = new Accumulator(t);
        for (int o = 0; o < os.size(); o++) {
            unravel(o, os, oi);
            int b = oi[op[0]];
            int f = oi[op[1]];
            int inBatch = bg > 1 ? (f / (cout / bg)) * outBatch + b : b;
            int c0 = fg > 1 ? (f / (cout / fg)) * kin : 0;
            acc.reset(Expr.ReduceOp.SUM);
            for (int kl = 0; kl < kSize; kl++) {
                int rem = kl;
                for (int j = n - 1; j >= 0; j--) {
                    kk[j] = rem % kdims[j];
                    rem /= kdims[j];
                }
                int xBase = inBatch * xst[ip[0]];
                boolean inside = true;
                for (int j = 0; j < n && inside; j++) {
                    int p = oi[op[2 + j]] * e.strides()[j] + kk[j] * e.kernelDilation()[j] - e.padLo()[j];
                    int dil = e.inputDilation()[j];
                    if (p < 0 || p % dil != 0 || p / dil >= xs.dim(ip[2 + j])) {
                        inside = false;
                    } else {
                        xBase += (p / dil) * xst[ip[2 + j]];
                    }
                }
                int kBase = f * kst[kp[0]];
                for (int j = 0; j < n; j++) {
                    kBase += kk[j] * kst[kp[2 + j]];
                }
                for (int c = 0; c < kin; c++) {
                    int ki = kBase + c * kst[kp[1]];
                    if (inside) {
                        acc.acceptProduct(x, xBase + (c0 + c) * xst[ip[1]], w, ki);
                    } else {
                        // Padding and input-dilation holes are zeros that multiply the kernel, as
                        // StableHLO's pad-then-convolve definition and Nx say: 0·NaN = NaN.
                        acc.acceptZeroTimes(w, ki);
                    }
                }
            }
            acc.store(out, o);
        }
        return new HostData(bytes);
    }

    static HostData reduceWindow(Expr.ReduceWindow e, HostData x) {
        DType t = e.type();
        Shape xs = e.x().shape();
        Shape os = e.shape();
        int r = xs.rank();
        int[] xst = xs.strides();
        Shape ws = Shape.of(e.window());
        byte[] bytes = new byte[os.size() * t.byteSize()];
        MemorySegment out = MemorySegment.ofArray(bytes);
        int[] oi = new int[r];
        int[] wi = new int[r];
        Accumulator acc = new Accumulator(t);
        for (int o = 0; o < os.size(); o++) {
            unravel(o, os, oi);
            acc.reset(e.op());
            for (int wl = 0; wl < ws.size(); wl++) {
                unravel(wl, ws, wi);
                int xi = 0;
                boolean inside = true;
                for (int d = 0; d < r && inside; d++) {
                    int p = oi[d] * e.strides()[d] + wi[d] * e.windowDilations()[d] - e.padLo()[d];
                    inside = p >= 0 && p < xs.dim(d);
                    xi += p * xst[d];
                }
                if (!inside) {
                    continue; // padding holds the identity
                }
                acc.accept(x, xi);
            }
            acc.store(out, o);
        }
        return new HostData(bytes);
    }

    /**
     * {@code Nx.window_reduce}: folds each window, in row-major order, from {@code init} with
     * {@code fn} (accumulator, element); positions in the padding read {@code init}, as in StableHLO's spec and Nx.
     */
    static HostData reduceWindowFn(Expr.ReduceWindowFn e, HostData x, HostData init,
                                   java.util.function.BinaryOperator<HostData> fn) {
        int w = e.type().byteSize();
        Shape xs = e.x().shape();
        Shape os = e.shape();
        int r = xs.rank();
        int[] xst = xs.strides();
        Shape ws = Shape.of(e.window());
        byte[] src = x.toByteArray();
        byte[] bytes = new byte[os.size() * w];
        int[] oi = new int[r];
        int[] wi = new int[r];
        for (int o = 0; o < os.size(); o++) {
            unravel(o, os, oi);
            HostData acc = init;
            for (int wl = 0; wl < ws.size(); wl++) {
                unravel(wl, ws, wi);
                int xi = 0;
                boolean inside = true;
                for (int d = 0; d < r && inside; d++) {
                    int p = oi[d] * e.strides()[d] + wi[d] * e.windowDilations()[d] - e.padLo()[d];
                    inside = p >= 0 && p < xs.dim(d);
                    xi += p * xst[d];
                }
                HostData elem = inside ? new HostData(java.util.Arrays.copyOfRange(src, xi * w, (xi + 1) * w)) : init;
                acc = fn.apply(acc, elem);
            }
            System.arraycopy(acc.toByteArray(), 0, bytes, o * w, w);
        }
        return new HostData(bytes);
    }

    static HostData selectAndScatter(Expr.SelectAndScatter e, HostData x, HostData source, HostData init) {
        DType t = e.type();
        Shape xs = e.x().shape();
        Shape ss = e.source().shape();
        int r = xs.rank();
        int[] xst = xs.strides();
        Shape ws = Shape.of(e.window());
        int es = t.byteSize();
        byte[] bytes = new byte[xs.size() * es];
        byte[] iv = init.toByteArray();
        for (int i = 0; i < xs.size(); i++) {
            System.arraycopy(iv, 0, bytes, i * es, es);
        }
        MemorySegment out = MemorySegment.ofArray(bytes);
        HostData view = new HostData(bytes);
        int[] si = new int[r];
        int[] wi = new int[r];
        Accumulator acc = new Accumulator(t);
        for (int s = 0; s < ss.size(); s++) {
            unravel(s, ss, si);
            int best = -1;
            for (int wl = 0; wl < ws.size(); wl++) {
                unravel(wl, ws, wi);
                int xi = 0;
                boolean inside = true;
                for (int d = 0; d < r && inside; d++) {
                    int p = si[d] * e.strides()[d] + wi[d] - e.padLo()[d];
                    inside = p >= 0 && p < xs.dim(d);
                    xi += p * xst[d];
                }
                // The first element wins ties: XLA keeps the current selection while select(current, new) holds (GE/LE).
                if (inside && (best < 0 || !selects(e.max(), t, x, best, xi))) {
                    best = xi;
                }
            }
            if (best < 0) {
                continue;
            }
            acc.reset(Expr.ReduceOp.SUM).accept(view, best).accept(source, s).store(out, best);
        }
        return new HostData(bytes);
    }

    /** {@code select(current, candidate)}: GE for max, LE for min (false when either is NaN). */
    private static boolean selects(boolean max, DType t, HostData x, int current, int candidate) {
        if (t.isInteger()) {
            long a = x.getLong(t, current);
            long b = x.getLong(t, candidate);
            int cmp = t.isUnsigned() ? Long.compareUnsigned(a, b) : Long.compare(a, b);
            return max ? cmp >= 0 : cmp <= 0;
        }
        double a = x.getDouble(t, current);
        double b = x.getDouble(t, candidate);
        return max ? a >= b : a <= b;
    }

    // ---------------------------------------------------------------- transpose, broadcast

    /** Maps linear index {@code i} of a tensor with {@code strides} through other per-dimension strides. */
    static int project(int i, int[] strides, Shape shape, int[] target) {
        int o = 0;
        for (int d = 0; d < strides.length; d++) {
            int idx = (i / strides[d]) % shape.dim(d);
            o += idx * target[d];
        }
        return o;
    }

    static HostData transpose(Expr.Transpose t, HostData x) {
        Shape in = t.x().shape();
        int[] inStrides = in.strides();
        // Result dimension i walks operand dimension axes[i].
        int[] target = new int[in.rank()];
        int[] outStrides = t.shape().strides();
        for (int i = 0; i < in.rank(); i++) {
            target[t.axes()[i]] = outStrides[i];
        }
        return permute(x, in, inStrides, target, t.shape(), t.type());
    }

    private static HostData permute(HostData x, Shape in, int[] inStrides, int[] target, Shape outShape, DType type) {
        int es = type.byteSize();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[outShape.size() * es];
        for (int i = 0; i < in.size(); i++) {
            int o = project(i, inStrides, in, target);
            System.arraycopy(src, i * es, dst, o * es, es);
        }
        return new HostData(dst);
    }

    static HostData broadcast(Expr.Broadcast b, HostData x) {
        Shape out = b.shape();
        Shape in = b.x().shape();
        int[] inStrides = in.strides();
        // Operand strides laid over the result's dimensions; 0 where a dimension is new or expanded.
        int[] target = new int[out.rank()];
        for (int i = 0; i < in.rank(); i++) {
            target[b.axes()[i]] = in.dim(i) == 1 ? 0 : inStrides[i];
        }
        int es = b.type().byteSize();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[out.size() * es];
        int[] outStrides = out.strides();
        for (int o = 0; o < out.size(); o++) {
            int i = project(o, outStrides, out, target);
            System.arraycopy(src, i * es, dst, o * es, es);
        }
        return new HostData(dst);
    }
}
