package dev.jnx.grad;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.ArrayList;
import java.util.List;

/** Gradient rules of the control-flow nodes {@link Expr.While} and {@link Expr.Cond}. */
final class ControlFlowGrad {
    private ControlFlowGrad() {
    }

    /** Cotangents of a multi-result node's inputs; {@code gs[i]} is null where output i has none. */
    static List<Cotangent> results(Expr.Multi m, Tensor[] gs) {
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
    private static List<Cotangent> whileRule(Expr.While w, Tensor[] gs) {
        Expr.Region body = w.body();
        int n = w.initial().size();
        int m = body.captured().size();
        Expr.Parameter counter = new Expr.Parameter(n, Shape.of(), DType.S32);
        List<Expr.Parameter> countingParams = new ArrayList<>(body.parameters());
        countingParams.add(counter);
        Expr.Region countingBody = Tracing.region(countingParams, () -> {
            List<Expr> out = new ArrayList<>(body.outputs());
            out.add(Tracing.nodeOf(Nx.add(Tracing.tensor(counter), 1)));
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
            initial.add(Tracing.nodeOf(gs[i] != null ? gs[i] : Grad.zeros(s)));
            params.add(new Expr.Parameter(params.size(), s.shape(), s.type()));
        }
        for (Expr c : body.captured()) {
            initial.add(Tracing.nodeOf(Grad.zeros(c)));
            params.add(new Expr.Parameter(params.size(), c.shape(), c.type()));
        }
        initial.add(Tracing.nodeOf(last));
        params.add(new Expr.Parameter(params.size(), Shape.of(), DType.S32));
        Tensor step = Tracing.tensor(params.get(params.size() - 1));
        Expr.Region reverseCondition = Tracing.region(params, () -> List.of(Tracing.nodeOf(Nx.greaterEqual(step, 0))));
        Expr.Region reverseBody = Tracing.region(params, () -> {
            List<Tensor> seeds = params.subList(n, 2 * n).stream().map(Tracing::tensor).toList();
            List<Expr> wrt = new ArrayList<>(body.parameters());
            wrt.addAll(body.captured());
            List<Tensor> grads = Grad.vjp(body.outputs(), seeds, wrt);
            Tensor previous = Nx.subtract(step, 1);
            List<Expr> out = new ArrayList<>(advance(w, countingBody, previous));
            for (int i = 0; i < n; i++) {
                out.add(Tracing.nodeOf(grads.get(i)));
            }
            for (int k = 0; k < m; k++) {
                out.add(Tracing.nodeOf(Nx.add(Tracing.tensor(params.get(2 * n + k)), grads.get(n + k))));
            }
            out.add(Tracing.nodeOf(previous));
            return out;
        }, Tracing.nodesOf(body));
        Expr.While reverse = new Expr.While(initial, reverseCondition, reverseBody);
        List<Cotangent> result = new ArrayList<>(n + m);
        for (int i = 0; i < n; i++) {
            result.add(new Cotangent(w.initial().get(i), Tracing.record(new Expr.Element(reverse, n + i))));
        }
        for (int k = 0; k < m; k++) {
            result.add(new Cotangent(body.captured().get(k), Tracing.record(new Expr.Element(reverse, 2 * n + k))));
        }
        return result;
    }

    /** The state of loop {@code w} after {@code steps} runs of its body from the initial state (none if negative). */
    private static List<Expr> advance(Expr.While w, Expr.Region countingBody, Tensor steps) {
        int n = w.initial().size();
        List<Expr.Parameter> params = freshParameters(countingBody.parameters());
        Expr.Region condition = Tracing.region(params, () -> List.of(Tracing.nodeOf(Nx.less(Tracing.tensor(params.get(n)), steps))));
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

    /**
     * The gradient of a conditional is a conditional of gradients: each branch's vector-Jacobian
     * product with respect to every capture of any branch (zero where a branch does not read it).
     */
    private static List<Cotangent> condRule(Expr.Cond c, Tensor[] gs) {
        List<Expr> outs = c.outputs();
        List<Tensor> seeds = new ArrayList<>(gs.length);
        for (int i = 0; i < gs.length; i++) {
            Expr o = outs.get(i);
            seeds.add(gs[i] != null ? gs[i] : Nx.broadcast(Nx.scalar(0, o.type()), o.shape()));
        }
        List<Expr> ops = c.operands();
        // Branches may capture the same node: differentiate with respect to each node once.
        List<Expr> wrt = new ArrayList<>(Grad.identitySet(ops.subList(1, ops.size())));
        List<Expr.Region> branches = new ArrayList<>();
        for (Expr.Region r : c.branches()) {
            branches.add(Tracing.region(List.of(), () -> Grad.vjp(r.outputs(), seeds, wrt).stream()
                    .map(Tracing::nodeOf).toList(), Tracing.nodesOf(r)));
        }
        Expr.Cond grad = new Expr.Cond(c.index(), branches);
        List<Cotangent> result = new ArrayList<>(wrt.size());
        for (int k = 0; k < wrt.size(); k++) {
            result.add(new Cotangent(wrt.get(k), Tracing.record(new Expr.Element(grad, k))));
        }
        return result;
    }
}
