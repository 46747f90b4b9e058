package dev.jnx.vmap;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;

import java.util.ArrayList;
import java.util.List;

import static dev.jnx.vmap.Batching.bind;
import static dev.jnx.vmap.Batching.insert;
import static dev.jnx.vmap.Batching.n;
import static dev.jnx.vmap.Batching.shift;

/**
 * Batching rules of the shape primitives: the examples' axis is kept in place (slice, pad,
 * reverse, dynamic slices) or becomes the result's first axis (reshape, transpose,
 * broadcast), so no rule copies data that the unbatched op would not.
 */
final class ShapeBatch {
    private ShapeBatch() {
    }

    static Batched reshape(Batching b, Expr.Reshape r, Batched x) {
        Tensor v = x.atFront(b.size);
        return new Batched(bind(new Expr.Reshape(n(v), insert(r.shape(), 0, b.size)), v), 0);
    }

    /** The examples' axis becomes result axis 0, in the same transpose. */
    static Batched transpose(Expr.Transpose t, Batched x) {
        int[] perm = insert(shift(t.axes(), x.axis()), 0, x.axis());
        Tensor v = x.value();
        return new Batched(bind(new Expr.Transpose(n(v), perm, insert(t.shape(), 0, v.shape().dim(x.axis()))), v), 0);
    }

    /** The examples' axis maps to result axis 0, in the same broadcast. */
    static Batched broadcast(Batching b, Expr.Broadcast e, Batched x) {
        int[] axes = new int[e.axes().length + 1];
        for (int d = 0, k = 0; d < axes.length; d++) {
            axes[d] = d == x.axis() ? 0 : e.axes()[k++] + 1;
        }
        Tensor v = x.value();
        return new Batched(bind(new Expr.Broadcast(n(v), insert(e.shape(), 0, b.size), axes), v), 0);
    }

    static Batched slice(Batching b, Expr.Slice s, Batched x) {
        int a = x.axis();
        Tensor v = x.value();
        return new Batched(bind(new Expr.Slice(n(v), insert(s.starts(), a, 0), insert(s.limits(), a, b.size),
                insert(s.strides(), a, 1), insert(s.shape(), a, b.size), s.type()), v), a);
    }

    /** A pad by a value shared by every example; a batched pad value goes per example. */
    static Batched pad(Expr.Pad p, Batched x, Tensor value) {
        int a = x.axis();
        Tensor v = x.value();
        return new Batched(bind(new Expr.Pad(n(v), n(value), insert(p.lo(), a, 0), insert(p.hi(), a, 0),
                insert(p.interior(), a, 0), insert(p.shape(), a, v.shape().dim(a)), p.type()), v, value), a);
    }

    static Batched concatenate(Batching b, Expr.Concatenate c, List<Batched> args) {
        ElementwiseBatch.Aligned al = ElementwiseBatch.align(b, args);
        List<Expr> xs = new ArrayList<>();
        for (Tensor t : al.values()) {
            xs.add(n(t));
        }
        int axis = shift(new int[] {c.axis()}, al.axis())[0];
        return new Batched(bind(new Expr.Concatenate(xs, axis, insert(c.shape(), al.axis(), b.size), c.type()),
                al.values()), al.axis());
    }

    static Batched reverse(Expr.Reverse r, Batched x) {
        Tensor v = x.value();
        return new Batched(bind(new Expr.Reverse(n(v), shift(r.axes(), x.axis()), v.shape(), r.type()), v), x.axis());
    }

    /** Starts shared by every example: the window spans the examples' whole axis. */
    static Batched dynamicSlice(Batching b, Expr.DynamicSlice s, List<Batched> args) {
        Batched x = args.get(0);
        int a = x.axis();
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x.value());
        List<Expr> starts = startsWithZero(s.starts(), args.subList(1, args.size()), a, inputs);
        return new Batched(bind(new Expr.DynamicSlice(n(x.value()), starts, insert(s.sizes(), a, b.size),
                insert(s.shape(), a, b.size), s.type()), inputs.toArray(new Tensor[0])), a);
    }

    /** Starts shared by every example: each example's update goes to its own example. */
    static Batched dynamicUpdateSlice(Batching b, Expr.DynamicUpdateSlice s, List<Batched> args) {
        ElementwiseBatch.Aligned al = ElementwiseBatch.align(b, args.subList(0, 2));
        Tensor x = al.values()[0];
        Tensor update = al.values()[1];
        List<Tensor> inputs = new ArrayList<>(List.of(x, update));
        List<Expr> starts = startsWithZero(s.starts(), args.subList(2, args.size()), al.axis(), inputs);
        return new Batched(bind(new Expr.DynamicUpdateSlice(n(x), n(update), starts, x.shape(), s.type()),
                inputs.toArray(new Tensor[0])), al.axis());
    }

    /** The start nodes with a zero start for the examples' axis {@code at}; adds the start values to {@code inputs}. */
    private static List<Expr> startsWithZero(List<Expr> original, List<Batched> starts, int at, List<Tensor> inputs) {
        DType type = original.isEmpty() ? DType.S32 : original.get(0).type();
        List<Expr> out = new ArrayList<>();
        for (Batched s : starts) {
            out.add(n(s.value()));
            inputs.add(s.value());
        }
        out.add(at, n(Nx.scalar(0, type)));
        return out;
    }
}
