package dev.jnx.grad;

import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.Arrays;
import java.util.List;

/** Gradient rules of the reductions, as in Nx's {@code Nx.Defn.Grad}. */
final class ReduceGrad {
    private ReduceGrad() {
    }

    /** The cotangent of the reduced operand: spread back over the reduced axes, as each op weighs them. */
    static List<Cotangent> reduce(Expr.Reduce r, Tensor g) {
        return List.of(new Cotangent(r.x(), operandCotangent(r, g)));
    }

    /** Nx has no gradient for a user function's reduction either. */
    static List<Cotangent> reduceFn(Expr.ReduceFn r, Tensor g) {
        throw new UnsupportedOperationException("grad of Nx.reduce with a user function is"
                + " not supported (as in Nx): use sum, product, reduceMax or reduceMin, whose gradients are known");
    }

    private static Tensor operandCotangent(Expr.Reduce r, Tensor g) {
        Tensor x = Tracing.tensor(r.x());
        Tensor gx = restoreReduced(g, r);
        return switch (r.op()) {
            case SUM -> gx;
            // As Nx: the gradient of the same product written as a tree of multiplications, which
            // never divides by x, so it is right at zeros (one or several) and to any order.
            case PRODUCT -> Grad.vjp(List.of(Tracing.nodeOf(productTree(x, r.axes()))), List.of(g), List.of(r.x())).get(0);
            case MAX, MIN -> {
                // Ties share the gradient evenly, as in Nx.
                Tensor hits = Nx.asType(Nx.equal(x, restoreReduced(Tracing.tensor(r), r)), g.type());
                Tensor count = restoreReduced(Nx.sum(hits, r.axes(), false), r);
                yield Nx.divide(Nx.multiply(gx, hits), count);
            }
        };
    }

    /**
     * The product of {@code x} over {@code axes} by halving: the reduced axes, moved to the front
     * and merged, are multiplied pairwise (an odd one out paired with 1) until one is left.
     */
    private static Tensor productTree(Tensor x, int[] axes) {
        int rank = x.rank();
        int[] perm = new int[rank];
        int[] kept = new int[rank - axes.length];
        int p = 0;
        int k = 0;
        int n = Shape.of(Arrays.stream(axes).map(x.shape()::dim).toArray()).intSize("product gradient", x.type());
        for (int a : axes) {
            perm[p++] = a;
        }
        for (int d = 0; d < rank; d++) {
            int dim = d;
            if (Arrays.stream(axes).noneMatch(a -> a == dim)) {
                perm[p++] = d;
                kept[k++] = x.shape().dim(d);
            }
        }
        if (n == 0) {
            return Nx.broadcast(Nx.scalar(1, x.type()), Shape.of(kept));
        }
        int[] merged = new int[kept.length + 1];
        merged[0] = n;
        System.arraycopy(kept, 0, merged, 1, kept.length);
        Tensor y = Nx.reshape(Nx.transpose(x, perm), Shape.of(merged));
        while (merged[0] > 1) {
            int half = (merged[0] + 1) / 2;
            int[] lengths = merged.clone();
            lengths[0] = half;
            int[] starts = new int[merged.length];
            Tensor first = Nx.slice(y, starts, lengths);
            starts = new int[merged.length];
            starts[0] = half;
            lengths = merged.clone();
            lengths[0] = merged[0] - half;
            Tensor second = Nx.slice(y, starts, lengths);
            if (lengths[0] < half) {
                int[][] padding = new int[merged.length][2];
                padding[0] = new int[] {0, 1};
                second = Nx.pad(second, Nx.scalar(1, x.type()), padding);
            }
            y = Nx.multiply(first, second);
            merged[0] = half;
        }
        return Nx.reshape(y, Shape.of(kept));
    }

    /** Broadcasts a reduced value back over the reduced axes of {@code r}'s operand. */
    private static Tensor restoreReduced(Tensor reduced, Expr.Reduce r) {
        Shape in = r.x().shape();
        int[] kept = in.dims();
        for (int a : r.axes()) {
            kept[a] = 1;
        }
        return Nx.broadcast(Nx.reshape(reduced, Shape.of(kept)), in);
    }
}
