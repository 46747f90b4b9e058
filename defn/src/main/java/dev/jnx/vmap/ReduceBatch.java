package dev.jnx.vmap;

import dev.jnx.Tensor;
import dev.jnx.defn.Expr;

import java.util.List;

import static dev.jnx.vmap.Batching.countBelow;
import static dev.jnx.vmap.Batching.emit;
import static dev.jnx.vmap.Batching.insert;
import static dev.jnx.vmap.Batching.n;
import static dev.jnx.vmap.Batching.shift;

/**
 * Batching rules of the reductions, {@code dot_general} and the window ops: the examples' axis
 * stays where it is and is simply not reduced (a batch dimension of the dot, or a free one when
 * only one operand holds examples; a window of 1 along it).
 */
final class ReduceBatch {
    private ReduceBatch() {
    }

    static Batched reduce(Expr.Reduce r, Batched x) {
        int a = x.axis();
        int out = a - countBelow(r.axes(), a);
        Tensor v = x.value();
        return new Batched(emit(new Expr.Reduce(r.op(), n(v), shift(r.axes(), a), insert(r.shape(), out,
                v.shape().dim(a)), r.type())), out);
    }

    /**
     * Both operands batched: the examples' axes join the batch dimensions, first. One batched: its
     * examples' axis is a free one, which {@code dot_general} places among that operand's free dims.
     */
    static Batched dot(Expr.Dot d, Batched a, Batched b) {
        int nb = d.batchA().length;
        Tensor av = a.value();
        Tensor bv = b.value();
        if (a.isBatched() && b.isBatched()) {
            return new Batched(emit(new Expr.Dot(n(av), shift(d.contractA(), a.axis()),
                    insert(shift(d.batchA(), a.axis()), 0, a.axis()), n(bv), shift(d.contractB(), b.axis()),
                    insert(shift(d.batchB(), b.axis()), 0, b.axis()), insert(d.shape(), 0, av.shape().dim(a.axis())),
                    d.type())), 0);
        }
        int out;
        int size;
        if (a.isBatched()) {
            out = nb + countBelow(free(d.a().shape().rank(), d.contractA(), d.batchA()), a.axis());
            size = av.shape().dim(a.axis());
        } else {
            out = nb + free(d.a().shape().rank(), d.contractA(), d.batchA()).length
                    + countBelow(free(d.b().shape().rank(), d.contractB(), d.batchB()), b.axis());
            size = bv.shape().dim(b.axis());
        }
        int pa = a.isBatched() ? a.axis() : Integer.MAX_VALUE;
        int pb = b.isBatched() ? b.axis() : Integer.MAX_VALUE;
        return new Batched(emit(new Expr.Dot(n(av), shift(d.contractA(), pa), shift(d.batchA(), pa), n(bv),
                shift(d.contractB(), pb), shift(d.batchB(), pb), insert(d.shape(), out, size), d.type())), out);
    }

    static Batched reduceWindow(Batching b, Expr.ReduceWindow w, Batched x) {
        int a = x.axis();
        return new Batched(emit(new Expr.ReduceWindow(w.op(), n(x.value()), insert(w.window(), a, 1),
                insert(w.strides(), a, 1), insert(w.padLo(), a, 0), insert(w.padHi(), a, 0),
                insert(w.windowDilations(), a, 1), insert(w.shape(), a, b.size), w.type())), a);
    }

    /** Only the operand holds examples: the same function folds the same axes of each. */
    static Batched reduceFn(Batching b, Expr.ReduceFn r, List<Batched> args) {
        Batched x = args.get(0);
        int a = x.axis();
        int out = a - countBelow(r.axes(), a);
        return new Batched(emit(new Expr.ReduceFn(n(x.value()), n(args.get(1).value()), shift(r.axes(), a),
                b.shared(r.fn()), insert(r.shape(), out, b.size), r.type())), out);
    }

    /** Only the operand holds examples: the same function folds windows of 1 along their axis. */
    static Batched reduceWindowFn(Batching b, Expr.ReduceWindowFn w, List<Batched> args) {
        Batched x = args.get(0);
        int a = x.axis();
        return new Batched(emit(new Expr.ReduceWindowFn(n(x.value()), n(args.get(1).value()), b.shared(w.fn()),
                insert(w.window(), a, 1), insert(w.strides(), a, 1), insert(w.padLo(), a, 0), insert(w.padHi(), a, 0),
                insert(w.windowDilations(), a, 1), insert(w.shape(), a, b.size), w.type())), a);
    }

    /** The operand and source hold examples along axis 0, the initial value is shared. */
    static Batched selectAndScatter(Batching b, Expr.SelectAndScatter s, List<Batched> args) {
        Tensor x = args.get(0).atFront(b.size);
        Tensor source = args.get(1).atFront(b.size);
        return new Batched(emit(new Expr.SelectAndScatter(s.max(), n(x), n(source), n(args.get(2).value()),
                insert(s.window(), 0, 1), insert(s.strides(), 0, 1), insert(s.padLo(), 0, 0), insert(s.padHi(), 0, 0),
                insert(s.shape(), 0, b.size), s.type())), 0);
    }

    /** The axes of a rank-{@code rank} operand neither contracted nor batched, ascending. */
    private static int[] free(int rank, int[] contract, int[] batch) {
        return java.util.stream.IntStream.range(0, rank)
                .filter(d -> java.util.Arrays.stream(contract).noneMatch(c -> c == d)
                        && java.util.Arrays.stream(batch).noneMatch(c -> c == d))
                .toArray();
    }
}
