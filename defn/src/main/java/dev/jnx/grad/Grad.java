package dev.jnx.grad;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.Tracing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of an expression graph ({@code Nx.Defn.Grad}): walks the
 * nodes from the output back to the inputs, each primitive's rule turning the cotangent of
 * its result into cotangents of its operands. Rules are written with {@link Nx} functions,
 * so gradients are graphs too: they can be compiled, evaluated, or differentiated again.
 * Integer-typed values carry no gradient, as in Nx.
 */
public final class Grad {
    private Grad() {
    }

    /**
     * The gradient of scalar {@code output} with respect to each of {@code wrt}, each of the
     * same shape and type as its variable (zeros where the output does not depend on it).
     */
    public static List<Tensor> gradients(Tensor output, List<Tensor> wrt) {
        List<Expr> targets = new ArrayList<>(wrt.size());
        for (Tensor w : wrt) {
            targets.add((Expr) w.data());
        }
        if (!(output.data() instanceof Expr root)) {
            return vjp(List.of(), List.of(), targets);
        }
        return vjp(List.of(root), List.of(Nx.broadcast(Nx.scalar(1, root.type()), root.shape())), targets);
    }

    /**
     * The vector-Jacobian product: the cotangents of {@code targets} given {@code seeds}, the
     * cotangents of {@code outputs}. Propagation stops at the targets.
     */
    static List<Tensor> vjp(List<Expr> outputs, List<Tensor> seeds, List<Expr> targets) {
        Set<Expr> targetSet = identitySet(targets);
        // Nothing beyond a target can carry gradient to one: the walk stops there.
        List<Expr> order = Graph.postOrder(outputs, targetSet);
        Set<Expr> live = dependents(order, targetSet);
        Map<Expr, Tensor> cotangents = new IdentityHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            if (isDifferentiable(outputs.get(i).type())) {
                cotangents.merge(outputs.get(i), Nx.asType(seeds.get(i), outputs.get(i).type()), Nx::add);
            }
        }
        // A node with several results runs its rule once, at its first-listed Element: by then
        // every Element has its full cotangent, since their users all come later in the order.
        Map<Expr.Multi, Integer> firstElement = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            if (order.get(i) instanceof Expr.Element el) {
                firstElement.put(el.source(), i);
            }
        }
        Map<Expr.Multi, Tensor[]> multiCotangents = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Expr node = order.get(i);
            Tensor g = cotangents.get(node);
            if (!live.contains(node)) {
                continue;
            }
            if (node instanceof Expr.Element el) {
                // The first-listed Element may carry no cotangent itself (an integer counter) while others do.
                Tensor[] gs = multiCotangents.get(el.source());
                if (g != null) {
                    if (gs == null) {
                        gs = new Tensor[el.source().outputs().size()];
                        multiCotangents.put(el.source(), gs);
                    }
                    gs[el.index()] = g;
                }
                if (gs != null && firstElement.get(el.source()) == i) {
                    propagate(el.source().operands(), multiRule(el.source(), gs), cotangents);
                }
            } else if (g != null) {
                propagate(node.operands(), rule(node, g), cotangents);
            }
        }
        List<Tensor> out = new ArrayList<>(targets.size());
        for (Expr w : targets) {
            Tensor g = cotangents.get(w);
            out.add(g != null ? g : Nx.broadcast(Nx.scalar(0, w.type()), w.shape()));
        }
        return out;
    }

    private static void propagate(List<Expr> operands, List<Tensor> grads, Map<Expr, Tensor> cotangents) {
        for (int k = 0; k < operands.size(); k++) {
            Expr op = operands.get(k);
            Tensor gk = grads.get(k);
            if (gk != null && isDifferentiable(op.type())) {
                cotangents.merge(op, Nx.asType(gk, op.type()), Nx::add);
            }
        }
    }

    /** The nodes of {@code order} that depend on a target: only they can carry gradient to one. */
    private static Set<Expr> dependents(List<Expr> order, Set<Expr> targets) {
        Set<Expr> live = identitySet(targets);
        for (Expr e : order) {
            for (Expr op : e.operands()) {
                if (live.contains(op)) {
                    live.add(e);
                    break;
                }
            }
        }
        return live;
    }

    private static Set<Expr> identitySet(java.util.Collection<Expr> nodes) {
        Set<Expr> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(nodes);
        return s;
    }

    /** Cotangents of a multi-result node's operands; {@code gs[i]} is null where output i has none. */
    private static List<Tensor> multiRule(Expr.Multi m, Tensor[] gs) {
        return switch (m) {
            case Expr.While w -> whileRule(w, gs);
            case Expr.Cond c -> condRule(c, gs);
        };
    }

    /**
     * The gradient of a loop with a trip count known only at run time, exact for every body: a
     * loop counts the trips n, then a reverse loop walks i = n-1 .. 0 carrying the state before
     * step i, the cotangent of the state after it, and the cotangents of the body's captures,
     * mapping the cotangents through the body's vector-Jacobian product at that state. The state
     * before step i is recomputed from the initial state by running the body i times, so nothing
     * is stacked: the gradient costs O(n²) body evaluations and O(1) states of memory, as in Nx
     * since elixir-nx/nx#1747 (JAX refuses reverse mode through a while loop).
     * Captures of the condition get no gradient: it only chooses the trip count.
     */
    private static List<Tensor> whileRule(Expr.While w, Tensor[] gs) {
        Expr.Region body = w.body();
        int n = w.initial().size();
        int m = body.captured().size();
        Expr.Parameter counter = new Expr.Parameter(n, Shape.of(), DType.S32);
        List<Expr.Parameter> countingParams = new ArrayList<>(body.parameters());
        countingParams.add(counter);
        Expr.Region countingBody = Tracing.region(countingParams, () -> {
            List<Expr> out = new ArrayList<>(body.outputs());
            out.add(Tracing.nodeOf(Nx.add(t(counter), 1)));
            return out;
        }, Tracing.nodesOf(body));
        List<Expr.Parameter> condParams = new ArrayList<>(w.condition().parameters());
        condParams.add(counter);
        List<Expr> countInitial = new ArrayList<>(w.initial());
        countInitial.add(new Expr.Constant(Nx.scalar(0, DType.S32)));
        Expr.While counting = new Expr.While(countInitial,
                new Expr.Region(condParams, w.condition().outputs(), w.condition().captured()), countingBody);
        Tensor last = Nx.subtract(Tracing.record(new Expr.Element(counting, n)), 1);

        List<Expr> initial = new ArrayList<>(advance(w, countingBody, last));
        List<Expr.Parameter> params = new ArrayList<>(body.parameters());
        for (int i = 0; i < n; i++) {
            Expr s = w.initial().get(i);
            initial.add(Tracing.nodeOf(gs[i] != null ? gs[i] : zeros(s)));
            params.add(new Expr.Parameter(params.size(), s.shape(), s.type()));
        }
        for (Expr c : body.captured()) {
            initial.add(Tracing.nodeOf(zeros(c)));
            params.add(new Expr.Parameter(params.size(), c.shape(), c.type()));
        }
        initial.add(Tracing.nodeOf(last));
        params.add(new Expr.Parameter(params.size(), Shape.of(), DType.S32));
        Tensor step = t(params.get(params.size() - 1));
        Expr.Region reverseCondition = Tracing.region(params, () -> List.of(Tracing.nodeOf(Nx.greaterEqual(step, 0))));
        Expr.Region reverseBody = Tracing.region(params, () -> {
            List<Tensor> seeds = params.subList(n, 2 * n).stream().map(Grad::t).toList();
            List<Expr> wrt = new ArrayList<>(body.parameters());
            wrt.addAll(body.captured());
            List<Tensor> grads = vjp(body.outputs(), seeds, wrt);
            Tensor previous = Nx.subtract(step, 1);
            List<Expr> out = new ArrayList<>(advance(w, countingBody, previous));
            for (int i = 0; i < n; i++) {
                out.add(Tracing.nodeOf(grads.get(i)));
            }
            for (int k = 0; k < m; k++) {
                out.add(Tracing.nodeOf(Nx.add(t(params.get(2 * n + k)), grads.get(n + k))));
            }
            out.add(Tracing.nodeOf(previous));
            return out;
        }, Tracing.nodesOf(body));
        Expr.While reverse = new Expr.While(initial, reverseCondition, reverseBody);
        List<Tensor> result = new ArrayList<>(w.operands().size());
        for (int i = 0; i < n; i++) {
            result.add(Tracing.record(new Expr.Element(reverse, n + i)));
        }
        for (int k = 0; k < w.condition().captured().size(); k++) {
            result.add(null);
        }
        for (int k = 0; k < m; k++) {
            result.add(Tracing.record(new Expr.Element(reverse, 2 * n + k)));
        }
        return result;
    }

    /** The state of loop {@code w} after {@code steps} runs of its body from the initial state (none if negative). */
    private static List<Expr> advance(Expr.While w, Expr.Region countingBody, Tensor steps) {
        int n = w.initial().size();
        List<Expr.Parameter> params = freshParameters(countingBody.parameters());
        Expr.Region condition = Tracing.region(params, () -> List.of(Tracing.nodeOf(Nx.less(t(params.get(n)), steps))));
        List<Expr> initial = new ArrayList<>(w.initial());
        initial.add(new Expr.Constant(Nx.scalar(0, DType.S32)));
        Expr.While loop = new Expr.While(initial, condition, countingBody);
        List<Expr> state = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            state.add(Tracing.nodeOf(Tracing.record(new Expr.Element(loop, i))));
        }
        return state;
    }

    private static List<Expr.Parameter> freshParameters(List<Expr.Parameter> like) {
        List<Expr.Parameter> out = new ArrayList<>(like.size());
        for (Expr.Parameter p : like) {
            out.add(new Expr.Parameter(out.size(), p.shape(), p.type()));
        }
        return out;
    }

    private static Tensor zeros(Expr like) {
        return Nx.broadcast(Nx.scalar(0, like.type()), like.shape());
    }


    /**
     * The gradient of a conditional is a conditional of gradients: each branch's vector-Jacobian
     * product with respect to every capture of any branch (zero where a branch does not read it).
     */
    private static List<Tensor> condRule(Expr.Cond c, Tensor[] gs) {
        List<Expr> outs = c.outputs();
        List<Tensor> seeds = new ArrayList<>(gs.length);
        for (int i = 0; i < gs.length; i++) {
            Expr o = outs.get(i);
            seeds.add(gs[i] != null ? gs[i] : Nx.broadcast(Nx.scalar(0, o.type()), o.shape()));
        }
        List<Expr> ops = c.operands();
        // Branches may capture the same node: differentiate with respect to each node once.
        List<Expr> wrt = new ArrayList<>(identitySet(ops.subList(1, ops.size())));
        List<Expr.Region> branches = new ArrayList<>();
        for (Expr.Region r : c.branches()) {
            branches.add(Tracing.region(List.of(), () -> vjp(r.outputs(), seeds, wrt).stream()
                    .map(Tracing::nodeOf).toList(), Tracing.nodesOf(r)));
        }
        Expr.Cond grad = new Expr.Cond(c.index(), branches);
        List<Tensor> result = new ArrayList<>(ops.size());
        result.add(null);
        Map<Expr, Integer> position = new IdentityHashMap<>();
        for (int k = 0; k < wrt.size(); k++) {
            position.put(wrt.get(k), k);
        }
        for (Expr op : ops.subList(1, ops.size())) {
            Integer k = position.remove(op);
            result.add(k != null ? Tracing.record(new Expr.Element(grad, k)) : null);
        }
        return result;
    }

    private static boolean isDifferentiable(DType t) {
        return t.isFloat() || t.isComplex();
    }

    private static Tensor t(Expr e) {
        return Tracing.tensor(e);
    }

    /** The cotangents of {@code node}'s operands given its own cotangent {@code g}; null for none. */
    private static List<Tensor> rule(Expr node, Tensor g) {
        return switch (node) {
            case Expr.Parameter p -> List.of();
            case Expr.Constant c -> List.of();
            case Expr.Iota i -> List.of();
            case Expr.Unary u -> Collections.singletonList(ElementwiseGrad.unary(u, t(u.x()), t(u), g));
            case Expr.Select s -> ElementwiseGrad.select(s, t(s.pred()), g);
            case Expr.Bitcast b -> Collections.singletonList(null);
            case Expr.Sort s -> ElementwiseGrad.sort(s, g);
            case Expr.ReduceFn r -> throw new UnsupportedOperationException("grad of Nx.reduce with a user function is"
                    + " not supported (as in Nx): use sum, product, reduceMax or reduceMin, whose gradients are known");
            case Expr.ReduceWindowFn r -> throw new UnsupportedOperationException("grad of Nx.window_reduce (a user"
                    + " function) is not supported (as in Nx): use windowSum, windowMean, windowMax or windowMin,"
                    + " whose gradients are known");
            case Expr.Binary b -> binaryRule(b, g);
            case Expr.Reduce r -> List.of(reduceRule(r, g));
            case Expr.Dot d -> dotRule(d, g);
            case Expr.Reshape r -> List.of(Nx.reshape(g, r.x().shape()));
            case Expr.Transpose tr -> List.of(Nx.transpose(g, inverse(tr.axes())));
            case Expr.Broadcast b -> List.of(unbroadcast(g, b.x().shape(), b.axes()));
            case Expr.Convert c -> List.of(g);
            case Expr.StopGrad sg -> Collections.singletonList(null);
            case Expr.CustomGrad cg -> {
                List<Tensor> custom = cg.rule().apply(g);
                if (custom.size() != cg.inputs().size()) {
                    throw new IllegalArgumentException("customGrad: the gradient function returned " + custom.size()
                            + " gradients for " + cg.inputs().size() + " inputs");
                }
                List<Tensor> out = new ArrayList<>(custom.size() + 1);
                out.add(null);
                out.addAll(custom);
                yield out;
            }
            case Expr.Slice s -> IndexingGrad.slice(s, g);
            case Expr.DynamicSlice s -> IndexingGrad.dynamicSlice(s, g);
            case Expr.DynamicUpdateSlice s -> IndexingGrad.dynamicUpdateSlice(s, g);
            case Expr.Pad p -> IndexingGrad.pad(p, g);
            case Expr.Concatenate c -> IndexingGrad.concatenate(c, g);
            case Expr.Reverse r -> IndexingGrad.reverse(r, g);
            case Expr.Gather ga -> IndexingGrad.gather(ga, g);
            case Expr.Scatter s -> IndexingGrad.scatter(s, g);
            case Expr.Conv c -> IndexingGrad.conv(c, g);
            case Expr.ReduceWindow w -> IndexingGrad.reduceWindow(w, g);
            case Expr.SelectAndScatter s -> IndexingGrad.selectAndScatter(s, g);
            // As Nx (and JAX's transpose rule): the DFT matrix is symmetric, so the cotangent of
            // fft is fft of the cotangent, and likewise for ifft; length changes are pads/slices.
            case Expr.Fft f -> {
                int n = f.shape().dim(f.shape().rank() - 1);
                yield List.of(f.inverse() ? Nx.ifft(g, n, -1) : Nx.fft(g, n, -1));
            }
            case Expr.Cholesky c -> List.of(LinAlgGrad.cholesky(c, g));
            case Expr.TriangularSolve ts -> LinAlgGrad.triangularSolve(ts, g);
            case Expr.Element el -> throw new IllegalStateException("elements are handled with their source");
        };
    }

    private static List<Tensor> binaryRule(Expr.Binary b, Tensor g) {
        Tensor x = t(b.a());
        Tensor y = t(b.b());
        return switch (b.op()) {
            case ADD -> List.of(g, g);
            case SUBTRACT -> List.of(g, Nx.negate(g));
            case MULTIPLY -> List.of(Nx.multiply(g, y), Nx.multiply(g, x));
            case DIVIDE -> List.of(Nx.divide(g, y), Nx.negate(Nx.divide(Nx.multiply(g, t(b)), y)));
            case MAX, MIN -> {
                // Nx splits the gradient evenly between operands that tie for the result.
                Tensor ans = t(b);
                Tensor xWins = Nx.asType(Nx.equal(x, ans), g.type());
                Tensor yWins = Nx.asType(Nx.equal(y, ans), g.type());
                yield List.of(Nx.multiply(g, Nx.divide(xWins, Nx.add(yWins, 1))),
                        Nx.multiply(g, Nx.divide(yWins, Nx.add(xWins, 1))));
            }
            case POW, REMAINDER, ATAN2, COMPLEX -> ElementwiseGrad.binary(b, x, y, t(b), g);
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT,
                 EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> Arrays.asList(null, null);
        };
    }

    private static Tensor reduceRule(Expr.Reduce r, Tensor g) {
        Tensor x = t(r.x());
        Tensor gx = restoreReduced(g, r);
        return switch (r.op()) {
            case SUM -> gx;
            // As Nx: the gradient of the same product written as a tree of multiplications, which
            // never divides by x, so it is right at zeros (one or several) and to any order.
            case PRODUCT -> vjp(List.of(Tracing.nodeOf(productTree(x, r.axes()))), List.of(g), List.of(r.x())).get(0);
            case MAX, MIN -> {
                // Ties share the gradient evenly, as in Nx.
                Tensor hits = Nx.asType(Nx.equal(x, restoreReduced(t(r), r)), g.type());
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
        int n = 1;
        for (int a : axes) {
            perm[p++] = a;
            n *= x.shape().dim(a);
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

    private static List<Tensor> dotRule(Expr.Dot d, Tensor g) {
        int nb = d.batchA().length;
        int[] freeA = free(d.a().shape().rank(), d.contractA(), d.batchA());
        int[] freeB = free(d.b().shape().rank(), d.contractB(), d.batchB());
        int[] gBatch = range(0, nb);
        int[] gFreeA = range(nb, nb + freeA.length);
        int[] gFreeB = range(nb + freeA.length, nb + freeA.length + freeB.length);
        Tensor a = t(d.a());
        Tensor b = t(d.b());
        Tensor ga = Nx.dot(g, gFreeB, gBatch, b, freeB, d.batchB());
        Tensor gb = Nx.dot(g, gFreeA, gBatch, a, freeA, d.batchA());
        return List.of(
                Nx.transpose(ga, placement(d.a().shape().rank(), d.batchA(), freeA, d.contractA(), d.contractB())),
                Nx.transpose(gb, placement(d.b().shape().rank(), d.batchB(), freeB, d.contractB(), d.contractA())));
    }

    /**
     * The permutation taking a cotangent laid out as [batch, own free, other operand's
     * remaining (contracted) axes in ascending order] back to the operand's own axis order.
     */
    private static int[] placement(int rank, int[] batch, int[] free, int[] ownContract, int[] otherContract) {
        int[] position = new int[rank];
        int p = 0;
        for (int a : batch) {
            position[a] = p++;
        }
        for (int a : free) {
            position[a] = p++;
        }
        Integer[] order = new Integer[otherContract.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Integer.compare(otherContract[i], otherContract[j]));
        for (Integer k : order) {
            position[ownContract[k]] = p++;
        }
        return position;
    }

    private static Tensor unbroadcast(Tensor g, Shape target, int[] axes) {
        Shape out = g.shape();
        List<Integer> summed = new ArrayList<>();
        int[] mapped = new int[out.rank()];
        Arrays.fill(mapped, -1);
        for (int i = 0; i < axes.length; i++) {
            mapped[axes[i]] = i;
        }
        for (int d = 0; d < out.rank(); d++) {
            if (mapped[d] < 0 || (target.dim(mapped[d]) == 1 && out.dim(d) != 1)) {
                summed.add(d);
            }
        }
        Tensor s = summed.isEmpty() ? g : Nx.sum(g, summed.stream().mapToInt(Integer::intValue).toArray(), false);
        return Nx.reshape(s, target);
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    private static int[] free(int rank, int[] contract, int[] batch) {
        return java.util.stream.IntStream.range(0, rank)
                .filter(a -> Arrays.stream(contract).noneMatch(c -> c == a) && Arrays.stream(batch).noneMatch(c -> c == a))
                .toArray();
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
