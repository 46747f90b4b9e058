package dev.jnx.grad;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.Tracing;

import java.util.ArrayList;
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
        // The elements of a node with several results come after it in the order, so, walking
        // back, all their cotangents are in when the node's rule runs, once.
        Map<Expr.Multi, Tensor[]> multiCotangents = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Expr node = order.get(i);
            if (!live.contains(node)) {
                continue;
            }
            Tensor g = cotangents.get(node);
            if (node instanceof Expr.Multi m) {
                Tensor[] gs = multiCotangents.get(m);
                if (gs != null) {
                    accumulate(ControlFlowGrad.results(m, gs), cotangents);
                }
            } else if (g != null && node instanceof Expr.Element el) {
                Tensor[] gs = multiCotangents.computeIfAbsent(el.source(), m -> new Tensor[m.outputs().size()]);
                gs[el.index()] = gs[el.index()] == null ? g : Nx.add(gs[el.index()], g);
            } else if (g != null) {
                accumulate(rule(node, g), cotangents);
            }
        }
        List<Tensor> out = new ArrayList<>(targets.size());
        for (Expr w : targets) {
            Tensor g = cotangents.get(w);
            out.add(g != null ? g : zeros(w));
        }
        return out;
    }

    /** Adds each pair's cotangent to its input's, in the input's type; integer inputs carry none. */
    private static void accumulate(List<Cotangent> pairs, Map<Expr, Tensor> cotangents) {
        for (Cotangent c : pairs) {
            Expr input = c.input();
            if (isDifferentiable(input.type())) {
                cotangents.merge(input, Nx.asType(c.cotangent(), input.type()), Nx::add);
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

    static Set<Expr> identitySet(java.util.Collection<Expr> nodes) {
        Set<Expr> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(nodes);
        return s;
    }

    /** Zeros of {@code like}'s shape and type: the cotangent of what the output does not depend on. */
    static Tensor zeros(Expr like) {
        return Nx.broadcast(Nx.scalar(0, like.type()), like.shape());
    }

    private static boolean isDifferentiable(DType t) {
        return t.isFloat() || t.isComplex();
    }

    /** The cotangents of {@code node}'s inputs given its own cotangent {@code g}, by each family's rules. */
    private static List<Cotangent> rule(Expr node, Tensor g) {
        return switch (node) {
            // Leaves: nothing to pass on.
            case Expr.Parameter p -> List.of();
            case Expr.Constant c -> List.of();
            case Expr.Iota i -> List.of();
            case Expr.Unary u -> ElementwiseGrad.unary(u, g);
            case Expr.Binary b -> ElementwiseGrad.binary(b, g);
            case Expr.Select s -> ElementwiseGrad.select(s, g);
            case Expr.Bitcast b -> ElementwiseGrad.bitcast(b, g);
            case Expr.Convert c -> ElementwiseGrad.convert(c, g);
            case Expr.Sort s -> SortGrad.sort(s, g);
            case Expr.Reduce r -> ReduceGrad.reduce(r, g);
            case Expr.ReduceFn r -> ReduceGrad.reduceFn(r, g);
            case Expr.Dot d -> LinAlgGrad.dot(d, g);
            case Expr.Cholesky c -> LinAlgGrad.cholesky(c, g);
            case Expr.TriangularSolve ts -> LinAlgGrad.triangularSolve(ts, g);
            case Expr.Reshape r -> IndexingGrad.reshape(r, g);
            case Expr.Transpose tr -> IndexingGrad.transpose(tr, g);
            case Expr.Broadcast b -> IndexingGrad.broadcast(b, g);
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
            case Expr.ReduceWindowFn w -> IndexingGrad.reduceWindowFn(w, g);
            case Expr.SelectAndScatter s -> IndexingGrad.selectAndScatter(s, g);
            case Expr.Fft f -> FftGrad.fft(f, g);
            case Expr.StopGrad sg -> List.of();
            case Expr.Metadata m -> List.of(new Cotangent(m.x(), g));
            case Expr.CustomGrad cg -> customGrad(cg, g);
            case Expr.Element _, Expr.Multi _ -> throw new IllegalStateException("vjp gathers the cotangents of a"
                    + " node with several results from its elements");
        };
    }

    /** The user's rule gives one cotangent per input, in order; the wrapped value gets none. */
    private static List<Cotangent> customGrad(Expr.CustomGrad cg, Tensor g) {
        List<Tensor> custom = cg.rule().apply(g);
        if (custom.size() != cg.inputs().size()) {
            throw new IllegalArgumentException("customGrad: the gradient function returned " + custom.size()
                    + " gradients for " + cg.inputs().size() + " inputs");
        }
        List<Cotangent> out = new ArrayList<>(custom.size());
        for (int k = 0; k < custom.size(); k++) {
            out.add(new Cotangent(cg.inputs().get(k), custom.get(k)));
        }
        return out;
    }
}
