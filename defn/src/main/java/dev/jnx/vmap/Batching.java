package dev.jnx.vmap;

import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.Tracing;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a traced per-example graph with batched values (JAX's {@code BatchTrace}): each node
 * whose operands hold several examples runs its batching rule, which emits ops over the whole
 * batch through the op API; a node none of whose operands is batched is emitted again over the
 * new operands. Emitted ops are recorded when an operand is traced and computed otherwise, so
 * the result composes with {@code jit}, {@code grad} and another {@code vmap}.
 */
final class Batching {
    /** How many examples the batched values hold. */
    final int size;
    /** For an op on vectorized tensors, the entries it maps over; null for {@code vmap}. */
    private final VectorizedOps.Entries entries;
    private final Map<Expr, Batched> env = new IdentityHashMap<>();
    private final Map<Expr.Multi, List<Batched>> multis = new IdentityHashMap<>();

    Batching(int size) {
        this(size, null);
    }

    /** The batching of an op on vectorized tensors: a vectorized constant stands for its tensor's entries. */
    Batching(VectorizedOps.Entries entries) {
        this(entries.size(), entries);
    }

    private Batching(int size, VectorizedOps.Entries entries) {
        this.size = size;
        this.entries = entries;
    }

    /** Binds {@code node} (a parameter or capture) to {@code value}. */
    void put(Expr node, Batched value) {
        env.put(node, value);
    }

    /** The batched values of {@code roots}, evaluating the nodes not yet known, each once. */
    List<Batched> values(List<Expr> roots) {
        for (Expr e : Graph.postOrder(roots, env.keySet())) {
            if (e instanceof Expr.Multi m) {
                // No single value: its results are kept per node, for its elements.
                multi(m);
            } else {
                env.put(e, batch(e));
            }
        }
        List<Batched> out = new ArrayList<>(roots.size());
        for (Expr r : roots) {
            out.add(env.get(r));
        }
        return out;
    }

    /**
     * The outputs of region {@code r}'s graph with its parameters bound to {@code parameters} and
     * its captures to {@code captured}, emitted into the region or graph being traced now.
     */
    List<Batched> inner(Expr.Region r, List<Batched> parameters, List<Batched> captured) {
        Batching inner = new Batching(size, entries);
        for (int i = 0; i < parameters.size(); i++) {
            inner.put(r.parameters().get(i), parameters.get(i));
        }
        for (int k = 0; k < captured.size(); k++) {
            inner.put(r.captured().get(k), captured.get(k));
        }
        return inner.values(r.outputs());
    }

    /** Region {@code r} traced again over its own parameters with this graph's values of its captures, none batched. */
    Expr.Region shared(Expr.Region r) {
        List<Batched> captured = values(r.captured());
        List<Batched> parameters = r.parameters().stream().map(p -> Batched.shared(Tracing.tensor(p))).toList();
        return Tracing.region(r.parameters(), () -> inner(r, parameters, captured).stream().map(v -> {
            if (v.isBatched()) {
                throw new IllegalStateException("vmap: a region without batched inputs produced a batched value");
            }
            return Tracing.nodeOf(v.value());
        }).toList());
    }

    private Batched batch(Expr node) {
        if (node instanceof Expr.Element el) {
            return multi(el.source()).get(el.index());
        }
        if (node instanceof Expr.Constant c && c.value().isVectorized()) {
            if (entries == null) {
                throw new UnsupportedOperationException("vmap: the function reads a vectorized tensor ("
                        + c.value().vectorizedAxes() + " " + c.type() + c.shape() + ") inside a loop, branch or custom"
                        + " gradient; vmap takes plain tensors: devectorize it first");
            }
            return entries.of(c.value());
        }
        List<Batched> args = new ArrayList<>(node.operands().size());
        for (Expr op : node.operands()) {
            args.add(env.get(op));
        }
        if (!Batched.anyBatched(args) && !(node instanceof Expr.CustomGrad)) {
            return Batched.shared(rebind(node, args));
        }
        return rule(node, args);
    }

    private List<Batched> multi(Expr.Multi m) {
        List<Batched> done = multis.get(m);
        if (done != null) {
            return done;
        }
        List<Batched> args = new ArrayList<>(m.operands().size());
        for (Expr op : m.operands()) {
            args.add(env.get(op));
        }
        List<Batched> out = switch (m) {
            case Expr.While w -> ControlFlowBatch.whileLoop(this, w, args);
            case Expr.Cond c -> ControlFlowBatch.cond(this, c, args);
        };
        multis.put(m, out);
        return out;
    }

    /**
     * The batching rule of each primitive, given its operands of which at least one is batched.
     * Rules marked per example are correct but emit one op per example (see docs/coverage.md).
     */
    private Batched rule(Expr node, List<Batched> a) {
        return switch (node) {
            case Expr.Parameter _, Expr.Constant _, Expr.Iota _ ->
                    throw new IllegalStateException("vmap: a node without operands has no batched operand");
            case Expr.Element _, Expr.While _, Expr.Cond _ ->
                    throw new IllegalStateException("vmap: a loop or conditional is batched with all its results");
            case Expr.Metadata m -> ElementwiseBatch.metadata(m, a.get(0));
            case Expr.Unary u -> ElementwiseBatch.unary(u, a.get(0));
            case Expr.Binary b -> ElementwiseBatch.binary(this, b, a);
            case Expr.Select s -> ElementwiseBatch.select(this, s, a);
            case Expr.Convert c -> ElementwiseBatch.convert(c, a.get(0));
            case Expr.Bitcast b -> ElementwiseBatch.bitcast(b, a.get(0));
            case Expr.StopGrad s -> ElementwiseBatch.stopGrad(a.get(0));
            case Expr.Sort s -> ElementwiseBatch.sort(this, s, a);
            case Expr.Fft f -> ElementwiseBatch.fft(this, f, a.get(0));
            case Expr.Cholesky c -> ElementwiseBatch.cholesky(this, c, a.get(0));
            case Expr.TriangularSolve t -> ElementwiseBatch.triangularSolve(this, t, a);
            case Expr.CustomGrad c -> ControlFlowBatch.customGrad(this, c, a);
            case Expr.Reshape r -> ShapeBatch.reshape(this, r, a.get(0));
            case Expr.Transpose t -> ShapeBatch.transpose(t, a.get(0));
            case Expr.Broadcast b -> ShapeBatch.broadcast(this, b, a.get(0));
            case Expr.Slice s -> ShapeBatch.slice(this, s, a.get(0));
            case Expr.Pad p -> a.get(1).isBatched() ? perExample(p, a) : ShapeBatch.pad(p, a.get(0), a.get(1).value());
            case Expr.Concatenate c -> ShapeBatch.concatenate(this, c, a);
            case Expr.Reverse r -> ShapeBatch.reverse(r, a.get(0));
            case Expr.DynamicSlice s -> Batched.anyBatched(a.subList(1, a.size())) ? IndexingBatch.dynamicSlice(this, s, a)
                    : ShapeBatch.dynamicSlice(this, s, a);
            case Expr.DynamicUpdateSlice s -> Batched.anyBatched(a.subList(2, a.size()))
                    ? IndexingBatch.dynamicUpdateSlice(this, s, a) : ShapeBatch.dynamicUpdateSlice(this, s, a);
            case Expr.Reduce r -> ReduceBatch.reduce(r, a.get(0));
            case Expr.Dot d -> ReduceBatch.dot(d, a.get(0), a.get(1));
            case Expr.ReduceWindow w -> ReduceBatch.reduceWindow(this, w, a.get(0));
            case Expr.ReduceFn r -> Batched.anyBatched(a.subList(1, a.size())) ? perExample(r, a)
                    : ReduceBatch.reduceFn(this, r, a);
            case Expr.ReduceWindowFn w -> Batched.anyBatched(a.subList(1, a.size())) ? perExample(w, a)
                    : ReduceBatch.reduceWindowFn(this, w, a);
            case Expr.SelectAndScatter s -> a.get(2).isBatched() ? perExample(s, a)
                    : ReduceBatch.selectAndScatter(this, s, a);
            case Expr.Gather g -> IndexingBatch.gather(this, g, a.get(0), a.get(1));
            case Expr.Scatter s -> IndexingBatch.scatter(this, s, a);
            case Expr.Conv c -> c.batchGroups() != 1 ? perExample(c, a) : IndexingBatch.conv(this, c, a.get(0), a.get(1));
        };
    }

    /**
     * The generic rule: the op applied to each example's slice of its operands, the results
     * stacked along axis 0. Correct for any primitive, but it emits {@code size} ops.
     */
    private Batched perExample(Expr node, List<Batched> args) {
        List<Tensor> results = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            List<Batched> slices = new ArrayList<>(args.size());
            for (Batched a : args) {
                slices.add(a.isBatched()
                        ? Batched.shared(Nx.squeeze(Nx.sliceAlongAxis(a.value(), i, 1, a.axis()), a.axis())) : a);
            }
            results.add(rebind(node, slices));
        }
        return new Batched(Nx.stack(results), 0);
    }

    /** {@code node} emitted again over {@code args}, none batched: the same op with new operands. */
    private Tensor rebind(Expr node, List<Batched> args) {
        List<Tensor> v = new ArrayList<>(args.size());
        for (Batched b : args) {
            v.add(b.value());
        }
        return switch (node) {
            case Expr.Parameter p -> throw new IllegalStateException("vmap: parameter " + p.index() + " (" + p.type()
                    + p.shape() + ") of another trace is read by the batched function");
            case Expr.Constant c -> c.value();
            case Expr.Iota i -> emit(i, v);
            case Expr.Element _, Expr.While _, Expr.Cond _ ->
                    throw new IllegalStateException("vmap: a loop or conditional is batched with all its results");
            case Expr.CustomGrad c -> ControlFlowBatch.customGrad(this, c, args).value();
            case Expr.Metadata m -> emit(new Expr.Metadata(n(v, 0), m.tag(), m.shape(), m.type()), v);
            case Expr.Unary u -> emit(new Expr.Unary(u.op(), n(v, 0), u.shape(), u.type()), v);
            case Expr.Binary b -> emit(new Expr.Binary(b.op(), n(v, 0), n(v, 1), b.shape(), b.type()), v);
            case Expr.Select s -> emit(new Expr.Select(n(v, 0), n(v, 1), n(v, 2), s.shape(), s.type()), v);
            case Expr.Convert c -> emit(new Expr.Convert(n(v, 0), c.type(), c.shape()), v);
            case Expr.Bitcast b -> emit(new Expr.Bitcast(n(v, 0), b.shape(), b.type()), v);
            case Expr.StopGrad s -> emit(new Expr.StopGrad(n(v, 0), s.shape(), s.type()), v);
            case Expr.Sort s -> emit(new Expr.Sort(n(v, 0), n(v, 1), s.axis(), s.descending(), s.shape(), s.type()), v);
            case Expr.Fft f -> emit(new Expr.Fft(f.inverse(), n(v, 0), f.shape(), f.type()), v);
            case Expr.Cholesky c -> emit(new Expr.Cholesky(n(v, 0), c.shape(), c.type()), v);
            case Expr.TriangularSolve t -> emit(new Expr.TriangularSolve(n(v, 0), n(v, 1), t.leftSide(), t.lower(),
                    t.transposeA(), t.shape(), t.type()), v);
            case Expr.Reshape r -> emit(new Expr.Reshape(n(v, 0), r.shape(), r.type()), v);
            case Expr.Transpose t -> emit(new Expr.Transpose(n(v, 0), t.axes(), t.shape(), t.type()), v);
            case Expr.Broadcast b -> emit(new Expr.Broadcast(n(v, 0), b.shape(), b.axes(), b.type()), v);
            case Expr.Slice s -> emit(new Expr.Slice(n(v, 0), s.starts(), s.limits(), s.strides(), s.shape(), s.type()), v);
            case Expr.Pad p -> emit(new Expr.Pad(n(v, 0), n(v, 1), p.lo(), p.hi(), p.interior(), p.shape(), p.type()), v);
            case Expr.Concatenate c -> emit(new Expr.Concatenate(nodes(v), c.axis(), c.shape(), c.type()), v);
            case Expr.Reverse r -> emit(new Expr.Reverse(n(v, 0), r.axes(), r.shape(), r.type()), v);
            case Expr.DynamicSlice s -> emit(new Expr.DynamicSlice(n(v, 0), nodes(v.subList(1, v.size())), s.sizes(),
                    s.shape(), s.type()), v);
            case Expr.DynamicUpdateSlice s -> emit(new Expr.DynamicUpdateSlice(n(v, 0), n(v, 1),
                    nodes(v.subList(2, v.size())), s.shape(), s.type()), v);
            case Expr.Reduce r -> emit(new Expr.Reduce(r.op(), n(v, 0), r.axes(), r.shape(), r.type()), v);
            case Expr.Dot d -> emit(new Expr.Dot(n(v, 0), d.contractA(), d.batchA(), n(v, 1), d.contractB(), d.batchB(),
                    d.shape(), d.type()), v);
            case Expr.ReduceWindow w -> emit(new Expr.ReduceWindow(w.op(), n(v, 0), w.window(), w.strides(), w.padLo(),
                    w.padHi(), w.windowDilations(), w.shape(), w.type()), v);
            case Expr.ReduceFn r -> emit(new Expr.ReduceFn(n(v, 0), n(v, 1), r.axes(), shared(r.fn()), r.shape(), r.type()), v);
            case Expr.ReduceWindowFn w -> emit(new Expr.ReduceWindowFn(n(v, 0), n(v, 1), shared(w.fn()), w.window(),
                    w.strides(), w.padLo(), w.padHi(), w.windowDilations(), w.shape(), w.type()), v);
            case Expr.SelectAndScatter s -> emit(new Expr.SelectAndScatter(s.max(), n(v, 0), n(v, 1), n(v, 2), s.window(),
                    s.strides(), s.padLo(), s.padHi(), s.shape(), s.type()), v);
            case Expr.Gather g -> emit(new Expr.Gather(n(v, 0), n(v, 1), g.axes(), g.shape(), g.type()), v);
            case Expr.Scatter s -> emit(new Expr.Scatter(s.op(), n(v, 0), n(v, 1), n(v, 2), s.axes(), s.shape(), s.type()), v);
            case Expr.Conv c -> emit(new Expr.Conv(n(v, 0), n(v, 1), c.strides(), c.padLo(), c.padHi(), c.inputDilation(),
                    c.kernelDilation(), c.featureGroups(), c.batchGroups(), c.inputPermutation(),
                    c.kernelPermutation(), c.outputPermutation(), c.shape(), c.type()), v);
        };
    }

    /** The node of {@code v.get(i)}. */
    static Expr n(List<Tensor> v, int i) {
        return Tracing.nodeOf(v.get(i));
    }

    /** The node of {@code t}. */
    static Expr n(Tensor t) {
        return Tracing.nodeOf(t);
    }

    static List<Expr> nodes(List<Tensor> v) {
        return v.stream().map(Tracing::nodeOf).toList();
    }

    /** Emits {@code node}, an op over {@code inputs}. */
    static Tensor bind(Expr node, Tensor... inputs) {
        return Tracing.bind(node, inputs);
    }

    private static Tensor emit(Expr node, List<Tensor> inputs) {
        return Tracing.bind(node, inputs);
    }

    /** Emits {@code node}, an op over its own operands (a constant one stands for its value). */
    static Tensor emit(Expr node) {
        List<Tensor> inputs = new ArrayList<>();
        for (Expr e : node.operands()) {
            inputs.add(e instanceof Expr.Constant c ? c.value() : Tracing.tensor(e));
        }
        return Tracing.bind(node, inputs);
    }

    /** Per-example axes as axes of a value batched along {@code batchAxis}. */
    static int[] shift(int[] axes, int batchAxis) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axes[i] < batchAxis ? axes[i] : axes[i] + 1;
        }
        return out;
    }

    /** How many of {@code axes} lie below {@code axis}: where a kept axis lands once they are gone. */
    static int countBelow(int[] axes, int axis) {
        int k = 0;
        for (int d : axes) {
            if (d < axis) {
                k++;
            }
        }
        return k;
    }

    /** {@code values} with {@code value} inserted at {@code at}. */
    static int[] insert(int[] values, int at, int value) {
        int[] out = new int[values.length + 1];
        System.arraycopy(values, 0, out, 0, at);
        out[at] = value;
        System.arraycopy(values, at, out, at + 1, values.length - at);
        return out;
    }

    /** {@code shape} without dimension {@code at}. */
    static Shape remove(Shape shape, int at) {
        int[] dims = new int[shape.rank() - 1];
        for (int d = 0, k = 0; d < shape.rank(); d++) {
            if (d != at) {
                dims[k++] = shape.dim(d);
            }
        }
        return Shape.of(dims);
    }

    /** {@code shape} with a dimension of {@code size} inserted at {@code at}. */
    static Shape insert(Shape shape, int at, int size) {
        return Shape.of(insert(shape.dims(), at, size));
    }
}
