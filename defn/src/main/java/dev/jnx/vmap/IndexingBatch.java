package dev.jnx.vmap;

import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;

import java.util.List;

import static dev.jnx.vmap.Batching.countBelow;
import static dev.jnx.vmap.Batching.emit;
import static dev.jnx.vmap.Batching.insert;
import static dev.jnx.vmap.Batching.n;
import static dev.jnx.vmap.Batching.shift;

/**
 * Batching rules of gather, scatter and convolution. When both the operand and the indices hold
 * examples, each index gains a leading coordinate, its example's number, that addresses the
 * operand's examples' axis (as JAX's gather batching rule does); a convolution folds the examples
 * into its own batch dimension, or into its feature groups when the kernel is batched.
 */
final class IndexingBatch {
    private IndexingBatch() {
    }

    static Batched gather(Batching b, Expr.Gather g, Batched x, Batched indices) {
        int leading = g.indices().shape().rank() - 1;
        if (!indices.isBatched()) {
            int a = x.axis();
            int out = leading + countBelow(windowAxes(g.x().shape().rank(), g.axes()), a);
            return new Batched(emit(new Expr.Gather(n(x.value()), n(indices.value()), shift(g.axes(), a),
                    insert(g.shape(), out, b.size), g.type())), out);
        }
        if (!x.isBatched()) {
            // The examples' axis must be a leading one of the indices, not their last (the coordinates).
            int a = indices.axis() == leading ? 0 : indices.axis();
            Tensor idx = indices.at(a, b.size);
            return new Batched(emit(new Expr.Gather(n(x.value()), n(idx), g.axes(), insert(g.shape(), a, b.size),
                    g.type())), a);
        }
        Tensor idx = withExampleCoordinate(b, indices.atFront(b.size));
        return new Batched(emit(new Expr.Gather(n(x.atFront(b.size)), n(idx), insert(shift(g.axes(), 0), 0, 0),
                insert(g.shape(), 0, b.size), g.type())), 0);
    }

    /**
     * Every operand goes to axis 0 and each index gains its example's coordinate; indices and
     * updates are then flattened to one list, so the scatter keeps the rank-2 indices Nx gives it.
     */
    static Batched scatter(Batching b, Expr.Scatter s, List<Batched> args) {
        Tensor x = args.get(0).atFront(b.size);
        Tensor idx = withExampleCoordinate(b, args.get(1).atFront(b.size));
        Tensor updates = args.get(2).atFront(b.size);
        int leading = idx.rank() - 1;
        int count = 1;
        for (int d = 0; d < leading; d++) {
            count *= idx.shape().dim(d);
        }
        idx = Nx.reshape(idx, Shape.of(count, idx.shape().dim(leading)));
        int[] window = updates.shape().dims();
        int[] flat = new int[window.length - leading + 1];
        flat[0] = count;
        System.arraycopy(window, leading, flat, 1, flat.length - 1);
        updates = Nx.reshape(updates, Shape.of(flat));
        return new Batched(emit(new Expr.Scatter(s.op(), n(x), n(idx), n(updates), insert(shift(s.axes(), 0), 0, 0),
                x.shape(), s.type())), 0);
    }

    /**
     * A shared kernel: the examples fold into the convolution's batch dimension. A batched kernel
     * (JAX's rule): the examples fold into the input and output feature dimensions, example-major,
     * with {@code examples × featureGroups} groups, so each example's kernel reads only its
     * example's features (a shared input is broadcast first).
     */
    static Batched conv(Batching b, Expr.Conv c, Batched x, Batched kernel) {
        int[] in = c.x().shape().dims();
        int[] k = c.kernel().shape().dims();
        int[] out = c.shape().dims();
        int fold;
        int groups = c.featureGroups();
        Tensor xs;
        Tensor ks;
        if (kernel.isBatched()) {
            int fi = c.inputPermutation()[1];
            int ko = c.kernelPermutation()[0];
            fold = c.outputPermutation()[1];
            in[fi] *= b.size;
            k[ko] *= b.size;
            groups *= b.size;
            xs = Nx.reshape(x.at(fi, b.size), Shape.of(in));
            ks = Nx.reshape(kernel.at(ko, b.size), Shape.of(k));
        } else {
            int ib = c.inputPermutation()[0];
            fold = c.outputPermutation()[0];
            in[ib] *= b.size;
            xs = Nx.reshape(x.at(ib, b.size), Shape.of(in));
            ks = kernel.value();
        }
        out[fold] *= b.size;
        Tensor y = emit(new Expr.Conv(n(xs), n(ks), c.strides(), c.padLo(), c.padHi(), c.inputDilation(),
                c.kernelDilation(), groups, c.batchGroups(), c.inputPermutation(), c.kernelPermutation(),
                c.outputPermutation(), Shape.of(out), c.type()));
        return new Batched(Nx.reshape(y, insert(c.shape(), fold, b.size)), fold);
    }

    /**
     * A dynamic slice whose starts differ between examples, as a gather (as JAX does): each
     * example's window, clamped to fit as the slice clamps it, is listed element by element.
     */
    static Batched dynamicSlice(Batching b, Expr.DynamicSlice s, List<Batched> args) {
        Tensor idx = windowIndices(b, s.x().shape(), s.sizes(), args.subList(1, args.size()));
        Batched x = args.get(0);
        int rank = s.x().shape().rank();
        int[] all = java.util.stream.IntStream.range(0, rank).toArray();
        if (!x.isBatched()) {
            return new Batched(emit(new Expr.Gather(n(x.value()), n(idx), all, insert(s.shape(), 0, b.size), s.type())), 0);
        }
        return new Batched(emit(new Expr.Gather(n(x.atFront(b.size)), n(withExampleCoordinate(b, idx)),
                insert(shift(all, 0), 0, 0), insert(s.shape(), 0, b.size), s.type())), 0);
    }

    /** A dynamic update slice whose starts differ between examples, as a scatter that puts each window element. */
    static Batched dynamicUpdateSlice(Batching b, Expr.DynamicUpdateSlice s, List<Batched> args) {
        Tensor x = args.get(0).atFront(b.size);
        Tensor update = args.get(1).atFront(b.size);
        int rank = s.shape().rank();
        Tensor idx = withExampleCoordinate(b, windowIndices(b, s.shape(), s.update().shape().dims(),
                args.subList(2, args.size())));
        int count = update.shape().size();
        idx = Nx.reshape(idx, Shape.of(count, rank + 1));
        int[] axes = java.util.stream.IntStream.rangeClosed(0, rank).toArray();
        return new Batched(emit(new Expr.Scatter(Expr.ScatterOp.PUT, n(x), n(idx), n(Nx.reshape(update, Shape.of(count))),
                axes, x.shape(), s.type())), 0);
    }

    /**
     * The coordinates of every element of each example's window of {@code sizes} in a value of
     * {@code shape}, its {@code starts} clamped so the window fits: s32[examples, sizes..., rank].
     */
    private static Tensor windowIndices(Batching b, Shape shape, int[] sizes, List<Batched> starts) {
        int rank = shape.rank();
        Shape grid = insert(Shape.of(sizes), 0, b.size);
        List<Tensor> coordinates = new java.util.ArrayList<>(rank);
        for (int d = 0; d < rank; d++) {
            Batched st = starts.get(d);
            Tensor start = Nx.clip(Nx.asType(st.value(), dev.jnx.DType.S32), 0, shape.dim(d) - sizes[d]);
            Tensor perExample = st.isBatched() ? Nx.broadcast(start, grid, new int[] {0}) : Nx.broadcast(start, grid);
            coordinates.add(Nx.add(perExample, Nx.iota(grid, dev.jnx.DType.S32, d + 1)));
        }
        return Nx.stack(coordinates, rank + 1);
    }

    /** {@code indices} (examples along axis 0) with each index prefixed by its example's number. */
    private static Tensor withExampleCoordinate(Batching b, Tensor indices) {
        int[] dims = indices.shape().dims();
        dims[dims.length - 1] = 1;
        Tensor example = Nx.iota(Shape.of(dims), indices.type(), 0);
        return Nx.concatenate(List.of(example, indices), dims.length - 1);
    }

    private static int[] windowAxes(int rank, int[] axes) {
        return java.util.stream.IntStream.range(0, rank)
                .filter(d -> java.util.Arrays.stream(axes).noneMatch(a -> a == d)).toArray();
    }
}
