package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;

import java.util.Arrays;
import java.util.function.BinaryOperator;

/**
 * Reference kernels of the reductions {@link Expr.Reduce} (sums of real and complex values
 * accumulated as {@link Accumulator} does) and {@link Expr.ReduceFn} (a user function folding
 * each group in row-major order), and the axis bookkeeping they share.
 */
final class ReduceEval {
    private ReduceEval() {
    }

    static HostData reduce(Expr.Reduce r, HostData x) {
        Shape in = r.x().shape();
        int[] outStrideOnIn = outStridesOnInput(in, r.axes());
        int[] inStrides = in.strides();
        Accumulator[] accs = new Accumulator[r.shape().size()];
        for (int o = 0; o < accs.length; o++) {
            accs[o] = new Accumulator(r.type()).reset(r.op());
        }
        for (int i = 0; i < in.size(); i++) {
            accs[IndexingEval.project(i, inStrides, in, outStrideOnIn)].accept(x, i);
        }
        Out out = new Out(r.shape(), r.type());
        for (int o = 0; o < accs.length; o++) {
            accs[o].store(out.seg, o);
        }
        return out.done();
    }

    /** {@code Nx.reduce} with a user function {@code fn} (accumulator, element), starting each group from {@code init}. */
    static HostData reduceFn(Expr.ReduceFn r, HostData x, HostData init, BinaryOperator<HostData> fn) {
        DType t = r.type();
        Shape in = r.x().shape();
        int[] outStrideOnIn = outStridesOnInput(in, r.axes());
        int[] inStrides = in.strides();
        int w = t.byteSize();
        byte[] src = x.toByteArray();
        HostData[] accs = new HostData[r.shape().size()];
        Arrays.fill(accs, init);
        for (int i = 0; i < in.size(); i++) {
            int o = IndexingEval.project(i, inStrides, in, outStrideOnIn);
            HostData elem = new HostData(Arrays.copyOfRange(src, i * w, (i + 1) * w));
            accs[o] = fn.apply(accs[o], elem);
        }
        byte[] dst = new byte[accs.length * w];
        for (int o = 0; o < accs.length; o++) {
            System.arraycopy(accs[o].toByteArray(), 0, dst, o * w, w);
        }
        return new HostData(dst);
    }

    /** Output strides laid over the input's dimensions: 0 on reduced axes. */
    static int[] outStridesOnInput(Shape in, int[] axes) {
        boolean[] reduced = new boolean[in.rank()];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] outStrideOnIn = new int[in.rank()];
        int acc = 1;
        for (int d = in.rank() - 1; d >= 0; d--) {
            if (!reduced[d]) {
                outStrideOnIn[d] = acc;
                acc *= in.dim(d);
            }
        }
        return outStrideOnIn;
    }
}
