package dev.jnx;

import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;
import dev.jnx.defn.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The graph-building side of {@link Defn}'s kernel functions ({@code Nx.Defn.Kernel}:
 * {@code stop_grad}, {@code custom_grad}, {@code while}, {@code cond}): the op API builds
 * on them (iterative linear algebra, random bits, running products) and, being written with
 * Nx ops themselves, they sit with it, below the public {@code Defn} that delegates here.
 */
final class Kernel {
    private Kernel() {
    }

    /** The value of {@code t}, treated as a constant by gradients ({@code stop_grad}). */
    static Tensor stopGrad(Tensor t) {
        Objects.requireNonNull(t, "Defn.stop_grad: argument t");
        if (t.isVectorized()) {
            return Nx.vectorize(stopGrad(Nx.devectorize(t)), t.vectorizedAxes());
        }
        return t.data() instanceof Expr e ? Tracing.record(new Expr.StopGrad(e)) : t;
    }

    /** {@link Defn#customGrad(Tensor, List, Function)}. */
    static Tensor customGrad(Tensor value, List<Tensor> inputs, Function<Tensor, List<Tensor>> gradient) {
        Objects.requireNonNull(value, "Defn.custom_grad: argument value");
        Objects.requireNonNull(inputs, "Defn.custom_grad: argument inputs");
        Objects.requireNonNull(gradient, "Defn.custom_grad: argument gradient");
        requireElements("Defn.custom_grad: argument inputs", inputs);
        if (!(value.data() instanceof Expr)) {
            return value;
        }
        // With vectorized operands, the rule runs per entry (ControlFlowBatch.customGrad).
        List<Tensor> operands = new ArrayList<>(inputs.size() + 1);
        operands.add(value);
        operands.addAll(inputs);
        return Tracing.bind(new Expr.CustomGrad(Tracing.nodeOf(value), inputs.stream().map(Tracing::nodeOf).toList(),
                gradient), operands);
    }

    /** {@link Defn#customGrad(Object, List, Function)}. */
    @SuppressWarnings("unchecked")
    static <T> T customGrad(T value, List<Tensor> inputs, Function<T, List<Tensor>> gradient) {
        Objects.requireNonNull(value, "Defn.custom_grad: argument value");
        Objects.requireNonNull(gradient, "Defn.custom_grad: argument gradient");
        List<Tensor> leaves = new ArrayList<>();
        Tree tree = Tree.flatten("Defn.custom_grad: argument value", value, leaves);
        List<Tensor> out = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            int at = i;
            out.add(customGrad(leaves.get(i), inputs, g -> {
                List<Tensor> cotangents = new ArrayList<>(leaves.size());
                for (int k = 0; k < leaves.size(); k++) {
                    Tensor leaf = leaves.get(k);
                    cotangents.add(k == at ? g : Nx.broadcast(Nx.scalar(0, leaf.type()), leaf.shape()));
                }
                return gradient.apply((T) tree.unflatten(cotangents, new int[1]));
            }));
        }
        return (T) tree.unflatten(out, new int[1]);
    }

    /** {@link Defn#whileLoop}. */
    @SuppressWarnings("unchecked")
    static <S> S whileLoop(S initial, Function<S, Tensor> condition, Function<S, S> body) {
        Objects.requireNonNull(initial, "Defn.while_loop: argument initial");
        Objects.requireNonNull(condition, "Defn.while_loop: argument condition");
        Objects.requireNonNull(body, "Defn.while_loop: argument body");
        List<Tensor> leaves = new ArrayList<>();
        Tree tree = Tree.flatten("Defn.while_loop: argument initial", initial, leaves);
        // The functions see one entry of a vectorized state; the loop is vectorized as a whole.
        List<Expr.Parameter> params = new ArrayList<>(leaves.size());
        List<Tensor> symbolic = new ArrayList<>(leaves.size());
        for (Tensor leaf : leaves) {
            Expr.Parameter p = new Expr.Parameter(params.size(), leaf.shape(), leaf.type());
            params.add(p);
            symbolic.add(Tracing.tensor(p));
        }
        S state = (S) tree.unflatten(symbolic, new int[1]);
        Tree entry = Tree.flatten(state, new ArrayList<>());
        Expr.Region cond = Tracing.entryRegion(params, () -> {
            Tensor c = predicate("whileLoop condition", condition.apply(state));
            return List.of(Tracing.entryNodeOf(c, "Defn.while_loop: the condition"));
        });
        Expr.Region loop = Tracing.entryRegion(params, () -> {
            List<Tensor> out = new ArrayList<>();
            Tree got = Tree.flatten("whileLoop: the body's result", Objects.requireNonNull(body.apply(state),
                    "whileLoop body returned null"), out);
            if (!got.equals(entry)) {
                throw new IllegalArgumentException("whileLoop: the body must return a state of the same structure,"
                        + " shapes and types as the initial state: expected " + entry + ", got " + got);
            }
            return out.stream().map(t -> Tracing.entryNodeOf(t, "Defn.while_loop: the body's result")).toList();
        });
        Expr.While w = new Expr.While(leaves.stream().map(Tracing::nodeOf).toList(), cond, loop);
        return (S) tree.unflatten(Tracing.bind(w), new int[1]);
    }

    /** {@code predicate ? onTrue.get() : onFalse.get()} as one {@code stablehlo.case} when traced. */
    static <R> R cond(Tensor predicate, Supplier<R> onTrue, Supplier<R> onFalse) {
        Objects.requireNonNull(predicate, "Defn.cond: argument predicate");
        Objects.requireNonNull(onTrue, "Defn.cond: argument onTrue");
        Objects.requireNonNull(onFalse, "Defn.cond: argument onFalse");
        return cond(List.of(predicate), List.of(onTrue, onFalse));
    }

    /** {@link Defn#cond(List, List)}. */
    @SuppressWarnings("unchecked")
    static <R> R cond(List<Tensor> predicates, List<Supplier<R>> branches) {
        Objects.requireNonNull(predicates, "Defn.cond: argument predicates");
        Objects.requireNonNull(branches, "Defn.cond: argument branches");
        requireElements("Defn.cond: argument predicates", predicates);
        requireElements("Defn.cond: argument branches", branches);
        if (branches.size() != predicates.size() + 1) {
            throw new IllegalArgumentException("cond: expected " + (predicates.size() + 1) + " branches for "
                    + predicates.size() + " predicates (the last is the fallback), got " + branches.size());
        }
        // index = first i with predicate i non-zero, else the fallback.
        Tensor index = Nx.scalar(predicates.size());
        for (int i = predicates.size() - 1; i >= 0; i--) {
            Tensor p = Nx.asType(predicate("cond", predicates.get(i)), dev.jnx.DType.S32);
            index = Nx.add(index, Nx.multiply(p, Nx.subtract(Nx.scalar(i), index)));
        }
        if (!(index.data() instanceof Expr) && !index.isVectorized()) {
            return branches.get(index.toIntArray()[0]).get();
        }
        // A vectorized predicate selects per entry: the branches run per entry, the conditional
        // is vectorized as a whole (every branch computed, each entry's result selected).
        List<Expr.Region> regions = new ArrayList<>();
        List<Tree> returned = new ArrayList<>();
        for (Supplier<R> branch : branches) {
            regions.add(Tracing.entryRegion(List.of(), () -> {
                List<Tensor> out = new ArrayList<>();
                returned.add(Tree.flatten("cond: a branch's result", Objects.requireNonNull(branch.get(), "cond branch returned null"), out));
                return out.stream().map(t -> Tracing.entryNodeOf(t, "Defn.cond: a branch's result")).toList();
            }));
        }
        int leaves = returned.get(0).leafCount();
        if (leaves == 0) {
            throw new IllegalArgumentException("cond: branches must return at least one tensor");
        }
        // As Nx, the branches are unified leaf by leaf: the merged type, the broadcast shape.
        List<DType> types = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            DType type = null;
            Shape shape = null;
            for (int b = 0; b < regions.size(); b++) {
                List<Expr> outs = regions.get(b).outputs();
                if (outs.size() != leaves) {
                    throw mismatch(returned, b);
                }
                Expr o = outs.get(i);
                type = type == null ? o.type() : DType.merge(type, o.type());
                try {
                    shape = shape == null ? o.shape() : Nx.broadcastShapes(shape, o.shape(), "cond");
                } catch (IllegalArgumentException e) {
                    throw mismatch(returned, b);
                }
            }
            types.add(type);
            shapes.add(shape);
        }
        Tree unified = retyped(returned.get(0), types, shapes, new int[1]);
        for (int b = 0; b < regions.size(); b++) {
            if (!retyped(returned.get(b), types, shapes, new int[1]).equals(unified)) {
                throw mismatch(returned, b);
            }
            Expr.Region r = regions.get(b);
            boolean same = true;
            for (int i = 0; i < leaves; i++) {
                same &= r.outputs().get(i).type() == types.get(i) && r.outputs().get(i).shape().equals(shapes.get(i));
            }
            if (same) {
                continue;
            }
            regions.set(b, Tracing.entryRegion(List.of(), () -> {
                List<Expr> out = new ArrayList<>();
                for (int i = 0; i < leaves; i++) {
                    out.add(Tracing.nodeOf(Nx.broadcast(Nx.asType(Tracing.tensor(r.outputs().get(i)), types.get(i)), shapes.get(i))));
                }
                return out;
            }, Tracing.nodesOf(r)));
        }
        return (R) unified.unflatten(Tracing.bind(new Expr.Cond(Tracing.nodeOf(index), regions)), new int[1]);
    }

    private static IllegalArgumentException mismatch(List<Tree> returned, int b) {
        return new IllegalArgumentException("cond: every branch must return the same structure, with shapes that"
                + " broadcast together: branch 0 returns " + returned.get(0) + ", branch " + b + " returns " + returned.get(b));
    }

    /** {@code t} with its leaves given {@code types} and {@code shapes}, in order from {@code at[0]}. */
    private static Tree retyped(Tree t, List<DType> types, List<Shape> shapes, int[] at) {
        return switch (t) {
            case Tree.Leaf l -> {
                int i = at[0]++;
                yield new Tree.Leaf(shapes.get(i), types.get(i));
            }
            case Tree.ListNode l -> new Tree.ListNode(retyped(l.items(), types, shapes, at));
            case Tree.ArrayNode a -> new Tree.ArrayNode(a.componentType(), retyped(a.items(), types, shapes, at));
            case Tree.MapNode m -> new Tree.MapNode(m.keys(), retyped(m.values(), types, shapes, at));
            case Tree.RecordNode r -> new Tree.RecordNode(r.type(), retyped(r.components(), types, shapes, at));
        };
    }

    private static List<Tree> retyped(List<Tree> items, List<DType> types, List<Shape> shapes, int[] at) {
        List<Tree> out = new ArrayList<>(items.size());
        for (Tree item : items) {
            out.add(retyped(item, types, shapes, at));
        }
        return out;
    }

    private static Tensor predicate(String op, Tensor p) {
        if (p.rank() != 0) {
            throw new IllegalArgumentException(op + ": the predicate must be a scalar, got " + p.type() + p.shape());
        }
        return p.type() == dev.jnx.DType.U8 ? p : Nx.notEqual(p, Nx.scalar(0, p.type()));
    }

    static void collectParameters(List<Tree> items, List<Expr.Parameter> params, List<Tensor> symbolic) {
        for (Tree item : items) {
            collectParameters(item, params, symbolic);
        }
    }

    static void collectParameters(Tree t, List<Expr.Parameter> params, List<Tensor> symbolic) {
        switch (t) {
            case Tree.Leaf l -> {
                Expr.Parameter p = l.parameter(params.size());
                params.add(p);
                symbolic.add(l.symbolic(p));
            }
            case Tree.ListNode l -> collectParameters(l.items(), params, symbolic);
            case Tree.ArrayNode a -> collectParameters(a.items(), params, symbolic);
            case Tree.MapNode m -> collectParameters(m.values(), params, symbolic);
            case Tree.RecordNode r -> collectParameters(r.components(), params, symbolic);
        }
    }

    /** Each element of a list argument is non-null; {@code argument} names the list in messages. */
    private static void requireElements(String argument, List<?> list) {
        for (int i = 0; i < list.size(); i++) {
            int at = i;
            Objects.requireNonNull(list.get(i), () -> argument + "[" + at + "]");
        }
    }
}
