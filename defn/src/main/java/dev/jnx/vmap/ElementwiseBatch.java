package dev.jnx.vmap;

import dev.jnx.Tensor;
import dev.jnx.defn.Expr;

import java.util.List;

import static dev.jnx.vmap.Batching.bind;
import static dev.jnx.vmap.Batching.n;

/**
 * Batching rules of the element-wise primitives and of those that act on trailing axes (sort
 * along an axis, FFT, Cholesky, triangular solve): the op runs once over the whole batch.
 */
final class ElementwiseBatch {
    private ElementwiseBatch() {
    }

    static Batched unary(Expr.Unary u, Batched x) {
        Tensor v = x.value();
        return new Batched(bind(new Expr.Unary(u.op(), n(v), v.shape(), u.type()), v), x.axis());
    }

    static Batched binary(Batching b, Expr.Binary e, List<Batched> args) {
        Aligned al = align(b, args);
        Tensor x = al.values[0];
        return new Batched(bind(new Expr.Binary(e.op(), n(x), n(al.values[1]), x.shape(), e.type()), al.values), al.axis);
    }

    static Batched select(Batching b, Expr.Select s, List<Batched> args) {
        Aligned al = align(b, args);
        Tensor[] v = al.values;
        return new Batched(bind(new Expr.Select(n(v[0]), n(v[1]), n(v[2]), v[1].shape(), s.type()), v), al.axis);
    }

    static Batched convert(Expr.Convert c, Batched x) {
        Tensor v = x.value();
        return new Batched(bind(new Expr.Convert(n(v), c.type(), v.shape()), v), x.axis());
    }

    static Batched bitcast(Expr.Bitcast c, Batched x) {
        Tensor v = x.value();
        return new Batched(bind(new Expr.Bitcast(n(v), v.shape(), c.type()), v), x.axis());
    }

    /** The same tag on the whole batch. */
    static Batched metadata(Expr.Metadata m, Batched x) {
        Tensor v = x.value();
        return new Batched(bind(new Expr.Metadata(n(v), m.tag()), v), x.axis());
    }

    static Batched stopGrad(Batched x) {
        Tensor v = x.value();
        return new Batched(bind(new Expr.StopGrad(n(v)), v), x.axis());
    }

    static Batched sort(Batching b, Expr.Sort s, List<Batched> args) {
        Aligned al = align(b, args);
        Tensor[] v = al.values;
        int axis = Batching.shift(new int[] {s.axis()}, al.axis)[0];
        return new Batched(bind(new Expr.Sort(n(v[0]), n(v[1]), axis, s.descending()), v), al.axis);
    }

    /** The examples go first: the transform runs along the last axis, which must stay last. */
    static Batched fft(Batching b, Expr.Fft f, Batched x) {
        Tensor v = x.atFront(b.size);
        return new Batched(bind(new Expr.Fft(f.inverse(), n(v), v.shape(), f.type()), v), 0);
    }

    static Batched cholesky(Batching b, Expr.Cholesky c, Batched x) {
        Tensor v = x.atFront(b.size);
        return new Batched(bind(new Expr.Cholesky(n(v), v.shape(), c.type()), v), 0);
    }

    static Batched triangularSolve(Batching b, Expr.TriangularSolve t, List<Batched> args) {
        Tensor a = args.get(0).atFront(b.size);
        Tensor y = args.get(1).atFront(b.size);
        return new Batched(bind(new Expr.TriangularSolve(n(a), n(y), t.leftSide(), t.lower(), t.transposeA(),
                y.shape(), t.type()), a, y), 0);
    }

    /** Operands of equal per-example shape, all with the examples along {@code axis}. */
    record Aligned(Tensor[] values, int axis) {
    }

    /**
     * The operands batched along one axis: their common one if they all have it, else axis 0
     * (moving or broadcasting the others there).
     */
    static Aligned align(Batching b, List<Batched> args) {
        int axis = args.get(0).axis();
        for (Batched a : args) {
            if (a.axis() != axis) {
                axis = 0;
                break;
            }
        }
        Tensor[] values = new Tensor[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = args.get(i).at(axis, b.size);
        }
        return new Aligned(values, axis);
    }
}
