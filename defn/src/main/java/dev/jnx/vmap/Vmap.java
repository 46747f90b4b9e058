package dev.jnx.vmap;

import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.VectorizedAxis;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;
import dev.jnx.defn.Tree;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Vectorizing map ({@code jax.vmap}): the function is traced once over one example's shapes,
 * and its graph is evaluated with batched values (see {@link Batching}), each primitive's
 * batching rule turning the op on one example into the op on all of them.
 */
public final class Vmap {
    private Vmap() {
    }

    /**
     * Calls {@code f} mapped over axes of its arguments.
     *
     * @param name    the function's name, for messages
     * @param f       the per-example function of {@code args.length} arguments
     * @param args    the arguments: tensors, numbers or containers of them
     * @param inAxes  one entry per argument: the axis that indexes examples in each of its leaves
     *                (an {@code Integer}, negative counting from the end, an axis of the entry
     *                shape for a vectorized leaf), {@code null} where it is the same for every
     *                example, or a container of such entries matching the
     *                argument's structure (a {@code List} or array for lists and arrays, a
     *                {@code Map} for maps, a {@code Map} by component name or a {@code List} in
     *                component order for records)
     * @param outAxes where the examples go in each leaf of the result, in the same form
     * @throws IllegalArgumentException naming the argument when an axis is out of range, the
     *                                  mapped sizes differ, or nothing is mapped
     */
    public static Object call(String name, Function<Object[], Object> f, Object[] args, List<?> inAxes, Object outAxes) {
        if (inAxes.size() != args.length) {
            throw new IllegalArgumentException(name + ": inAxes has " + inAxes.size() + " entries for " + args.length
                    + " arguments");
        }
        List<Tensor> leaves = new ArrayList<>();
        List<Integer> axes = new ArrayList<>();
        List<Tree> trees = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            int before = leaves.size();
            Tree t = Tree.flatten(name + ": argument " + i, Objects.requireNonNull(args[i], name + ": argument " + i),
                    leaves);
            trees.add(t);
            resolve(name + ": inAxes of argument " + i, t, inAxes.get(i), axes);
            for (int k = before; k < leaves.size(); k++) {
                owners.add("argument " + i + (leaves.size() - before > 1 ? " (leaf " + (k - before) + ")" : ""));
            }
        }
        int size = -1;
        String sizedBy = null;
        List<Expr.Parameter> params = new ArrayList<>(leaves.size());
        List<Tensor> symbolic = new ArrayList<>(leaves.size());
        for (int k = 0; k < leaves.size(); k++) {
            Tensor leaf = leaves.get(k);
            Integer axis = axes.get(k);
            Shape shape = leaf.shape();
            if (axis != null) {
                int a = axis < 0 ? axis + shape.rank() : axis;
                if (a < 0 || a >= shape.rank()) {
                    throw new IllegalArgumentException(name + ": inAxes " + axis + " of " + owners.get(k) + " is out of"
                            + " range for " + describe(leaf) + " (rank " + shape.rank() + ")");
                }
                axes.set(k, a);
                int n = shape.dim(a);
                if (size < 0) {
                    size = n;
                    sizedBy = owners.get(k) + " has " + n + " along axis " + a;
                } else if (n != size) {
                    throw new IllegalArgumentException(name + ": mapped arguments disagree in batch size: " + sizedBy
                            + ", " + owners.get(k) + " (" + leaf.type() + shape + ") has " + n + " along axis " + a);
                }
                shape = Batching.remove(shape, a);
            }
            // A vectorized leaf's examples are still vectorized: f's ops on them are ops on vectorized tensors.
            Tree.Leaf example = new Tree.Leaf(shape, leaf.type(), leaf.vectorizedAxes());
            Expr.Parameter p = example.parameter(k);
            params.add(p);
            symbolic.add(example.symbolic(p));
        }
        if (size < 0) {
            throw new IllegalArgumentException(name + ": no argument is mapped (every inAxes entry is null); map at"
                    + " least one axis");
        }
        Tracing.own(params, name);
        Object[] perExample = new Object[args.length];
        int[] next = new int[1];
        for (int i = 0; i < args.length; i++) {
            perExample[i] = trees.get(i).unflatten(symbolic, next);
        }
        Tree[] outTree = new Tree[1];
        List<List<VectorizedAxis>> outVectorized = new ArrayList<>();
        Expr.Region traced = Tracing.region(params, () -> Tracing.tracing(() -> {
            List<Tensor> outs = new ArrayList<>();
            outTree[0] = Tree.flatten(name + ": the result", Objects.requireNonNull(f.apply(perExample),
                    name + " returned null"), outs);
            outs.forEach(t -> outVectorized.add(t.vectorizedAxes()));
            return outs.stream().map(Tracing::dataNodeOf).toList();
        }));
        Batching batching = new Batching(size);
        for (int k = 0; k < params.size(); k++) {
            // The graph reads every entry of a vectorized leaf, its vectorized axes leading.
            Tensor data = Nx.devectorize(leaves.get(k));
            Integer a = axes.get(k);
            batching.put(params.get(k), new Batched(data, a == null ? Batched.NOT_BATCHED
                    : a + leaves.get(k).vectorizedAxes().size()));
        }
        for (Expr c : traced.captured()) {
            batching.put(c, Batched.shared(Tracing.tensor(c)));
        }
        List<Batched> results = batching.values(traced.outputs());
        List<Integer> outs = new ArrayList<>();
        resolve(name + ": outAxes", outTree[0], outAxes, outs);
        List<Tensor> mapped = new ArrayList<>(results.size());
        for (int k = 0; k < results.size(); k++) {
            Batched r = results.get(k);
            Integer axis = outs.get(k);
            List<VectorizedAxis> vectorized = outVectorized.get(k);
            if (axis == null) {
                if (r.isBatched()) {
                    throw new IllegalArgumentException(name + ": outAxes is null for result leaf " + k + ", but it"
                            + " differs between examples (" + r.value().type() + r.value().shape() + ")");
                }
                mapped.add(Nx.vectorize(r.value(), vectorized));
                continue;
            }
            // The examples go in the entry shape of a vectorized result, after its vectorized axes.
            int rank = traced.outputs().get(k).shape().rank() - vectorized.size() + 1;
            int a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) {
                throw new IllegalArgumentException(name + ": outAxes " + axis + " of result leaf " + k + " is out of range"
                        + " for a batched result of " + (vectorized.isEmpty() ? "" : "entry ") + "rank " + rank);
            }
            mapped.add(Nx.vectorize(r.at(a + vectorized.size(), size), vectorized));
        }
        return outTree[0].unflatten(mapped, new int[1]);
    }

    /** {@code t} as messages name it: a vectorized tensor by its axes and entry shape, the shape vmap maps. */
    private static String describe(Tensor t) {
        if (!t.isVectorized()) {
            return t.type() + t.shape().toString();
        }
        return "the entry shape " + t.type() + t.shape() + " of a tensor " + VectorizedAxis.describe(t.vectorizedAxes());
    }

    /** Appends the axis (or null) of each leaf of {@code tree} given {@code spec}, a prefix of it. */
    private static void resolve(String what, Tree tree, Object spec, List<Integer> out) {
        if (spec == null || spec instanceof Integer) {
            for (int k = tree.leafCount(); k > 0; k--) {
                out.add((Integer) spec);
            }
            return;
        }
        switch (tree) {
            case Tree.Leaf l -> throw new IllegalArgumentException(what + ": expected an Integer or null for a tensor "
                    + l + ", got " + spec);
            case Tree.ListNode l -> resolveItems(what, l.items(), spec, out);
            case Tree.ArrayNode a -> resolveItems(what, a.items(), spec, out);
            case Tree.MapNode m -> {
                if (!(spec instanceof Map<?, ?> map) || !map.keySet().equals(new java.util.HashSet<>(m.keys()))) {
                    throw new IllegalArgumentException(what + ": expected a Map with the keys " + m.keys() + ", got "
                            + spec);
                }
                for (int i = 0; i < m.keys().size(); i++) {
                    resolve(what + "." + m.keys().get(i), m.values().get(i), map.get(m.keys().get(i)), out);
                }
            }
            case Tree.RecordNode r -> {
                RecordComponent[] components = r.type().getRecordComponents();
                if (spec instanceof Map<?, ?> map) {
                    for (int i = 0; i < components.length; i++) {
                        resolve(what + "." + components[i].getName(), r.components().get(i),
                                map.get(components[i].getName()), out);
                    }
                } else {
                    resolveItems(what, r.components(), spec, out);
                }
            }
        }
    }

    private static void resolveItems(String what, List<Tree> items, Object spec, List<Integer> out) {
        List<?> entries = spec instanceof List<?> l ? l
                : spec.getClass().isArray() ? java.util.stream.IntStream.range(0, Array.getLength(spec))
                        .mapToObj(i -> Array.get(spec, i)).toList() : null;
        if (entries == null || entries.size() != items.size()) {
            throw new IllegalArgumentException(what + ": expected " + items.size() + " entries (an Integer, null or a"
                    + " container each), got " + spec);
        }
        for (int i = 0; i < items.size(); i++) {
            resolve(what + "[" + i + "]", items.get(i), entries.get(i), out);
        }
    }
}
