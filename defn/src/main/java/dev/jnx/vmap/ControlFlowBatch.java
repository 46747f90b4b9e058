package dev.jnx.vmap;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.jnx.vmap.Batching.emit;
import static dev.jnx.vmap.Batching.n;

/**
 * Batching rules of the loop, the conditional and custom gradients, as in JAX's
 * {@code _while_loop_batching_rule} and {@code _cond_batching_rule}.
 */
final class ControlFlowBatch {
    private ControlFlowBatch() {
    }

    /**
     * A loop over batched values runs while any example's condition holds; the body updates only
     * the examples whose condition still holds, so each stops after its own trip count. Only the
     * state that comes to differ between examples is batched (found by batching the body until
     * that set stops growing, as JAX does); a condition that reads batched state batches all of it.
     */
    static List<Batched> whileLoop(Batching b, Expr.While w, List<Batched> args) {
        int n = w.initial().size();
        Expr.Region cond = w.condition();
        Expr.Region body = w.body();
        if (!Batched.anyBatched(args)) {
            List<Expr> initial = args.subList(0, n).stream().map(v -> n(v.value())).toList();
            return Tracing.bind(new Expr.While(initial, b.shared(cond), b.shared(body))).stream()
                    .map(Batched::shared).toList();
        }
        List<Batched> condCaptured = b.values(cond.captured());
        List<Batched> bodyCaptured = b.values(body.captured());
        boolean[] batched = new boolean[n];
        for (int i = 0; i < n; i++) {
            batched[i] = args.get(i).isBatched();
        }
        boolean[] grew = {true};
        while (grew[0]) {
            // A trial batching of one trip, in a region nothing reads, only to see what it batches.
            List<Batched> trial = new ArrayList<>();
            List<Expr.Parameter> trialParams = state(b, w, batched, trial);
            Tracing.region(trialParams, () -> {
                boolean all = b.inner(cond, trial, condCaptured).get(0).isBatched();
                List<Batched> next = b.inner(body, trial, bodyCaptured);
                grew[0] = false;
                for (int i = 0; i < n; i++) {
                    if (!batched[i] && (all || next.get(i).isBatched())) {
                        batched[i] = true;
                        grew[0] = true;
                    }
                }
                return List.of();
            });
        }
        List<Batched> state = new ArrayList<>();
        List<Expr.Parameter> params = state(b, w, batched, state);
        List<Expr> initial = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            initial.add(n(batched[i] ? args.get(i).atFront(b.size) : args.get(i).value()));
        }
        Expr.Region condition = Tracing.region(params, () -> {
            Batched go = b.inner(cond, state, condCaptured).get(0);
            return List.of(n(go.isBatched() ? Nx.reduceMax(go.value()) : go.value()));
        });
        Expr.Region step = Tracing.region(params, () -> {
            Batched go = b.inner(cond, state, condCaptured).get(0);
            List<Batched> next = b.inner(body, state, bodyCaptured);
            List<Expr> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Tensor updated = batched[i] ? next.get(i).atFront(b.size) : next.get(i).value();
                if (go.isBatched()) {
                    Tensor lanes = Nx.broadcast(go.value(), updated.shape(), new int[] {0});
                    updated = Nx.select(lanes, updated, state.get(i).value());
                }
                out.add(n(updated));
            }
            return out;
        });
        List<Tensor> results = Tracing.bind(new Expr.While(initial, condition, step));
        List<Batched> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Batched(results.get(i), batched[i] ? 0 : Batched.NOT_BATCHED));
        }
        return out;
    }

    /** Fresh parameters for {@code w}'s state, batched along axis 0 where {@code batched}; their values go to {@code state}. */
    private static List<Expr.Parameter> state(Batching b, Expr.While w, boolean[] batched, List<Batched> state) {
        List<Expr.Parameter> params = new ArrayList<>(batched.length);
        for (int i = 0; i < batched.length; i++) {
            Expr s = w.initial().get(i);
            Expr.Parameter p = new Expr.Parameter(i, batched[i] ? Batching.insert(s.shape(), 0, b.size) : s.shape(),
                    s.type());
            params.add(p);
            state.add(new Batched(Tracing.tensor(p), batched[i] ? 0 : Batched.NOT_BATCHED));
        }
        return params;
    }

    /**
     * A conditional whose branch index is batched computes every branch and selects each
     * example's result (index out of range: the last branch, as {@code stablehlo.case}); with a
     * shared index it stays one conditional, over batched branches if any capture is batched.
     */
    static List<Batched> cond(Batching b, Expr.Cond c, List<Batched> args) {
        Batched index = args.get(0);
        List<List<Batched>> captured = new ArrayList<>();
        for (Expr.Region r : c.branches()) {
            captured.add(b.values(r.captured()));
        }
        int outputs = c.outputs().size();
        if (!index.isBatched()) {
            // Each result is batched if some branch's is (JAX's out_batched).
            List<List<Batched>> values = new ArrayList<>();
            boolean[] batched = new boolean[outputs];
            List<Expr.Region> traced = new ArrayList<>();
            for (int k = 0; k < c.branches().size(); k++) {
                Expr.Region r = c.branches().get(k);
                List<Batched> caps = captured.get(k);
                List<Batched> got = new ArrayList<>();
                values.add(got);
                traced.add(Tracing.region(List.of(), () -> {
                    got.addAll(b.inner(r, List.of(), caps));
                    for (int i = 0; i < outputs; i++) {
                        batched[i] |= got.get(i).isBatched();
                    }
                    return got.stream().map(v -> n(v.value())).toList();
                }));
            }
            List<Expr.Region> branches = new ArrayList<>();
            for (int k = 0; k < traced.size(); k++) {
                List<Batched> got = values.get(k);
                branches.add(Tracing.region(List.of(), () -> {
                    List<Expr> out = new ArrayList<>(outputs);
                    for (int i = 0; i < outputs; i++) {
                        out.add(n(batched[i] ? got.get(i).atFront(b.size) : got.get(i).value()));
                    }
                    return out;
                }, Tracing.nodesOf(traced.get(k))));
            }
            List<Tensor> out = Tracing.bind(new Expr.Cond(n(index.value()), branches));
            List<Batched> result = new ArrayList<>(outputs);
            for (int i = 0; i < outputs; i++) {
                result.add(new Batched(out.get(i), batched[i] ? 0 : Batched.NOT_BATCHED));
            }
            return result;
        }
        List<List<Batched>> results = new ArrayList<>();
        for (int k = 0; k < c.branches().size(); k++) {
            results.add(b.inner(c.branches().get(k), List.of(), captured.get(k)));
        }
        int last = results.size() - 1;
        List<Batched> out = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            Tensor result = results.get(last).get(i).atFront(b.size);
            for (int k = last - 1; k >= 0; k--) {
                Tensor lanes = Nx.broadcast(Nx.equal(index.value(), k), result.shape(), new int[] {0});
                result = Nx.select(lanes, results.get(k).get(i).atFront(b.size), result);
            }
            out.add(new Batched(result, 0));
        }
        return out;
    }

    /**
     * The same value with a batched gradient rule: the per-example rule, traced over a
     * per-example cotangent, is batched like the function; a shared input's gradient sums the
     * examples' gradients.
     */
    static Batched customGrad(Batching b, Expr.CustomGrad c, List<Batched> args) {
        Batched x = args.get(0);
        List<Batched> inputs = args.subList(1, args.size());
        if (!(x.value().data() instanceof Expr xn)) {
            return x;
        }
        Function<Tensor, List<Tensor>> rule = g -> {
            Expr.Parameter cotangent = new Expr.Parameter(0, c.shape(), c.type());
            // The rule runs per entry too: a vectorized tensor it reads stands for its entry.
            Expr.Region r = Tracing.entryRegion(List.of(cotangent), () -> c.rule().apply(Tracing.tensor(cotangent))
                    .stream().map(t -> Tracing.entryNodeOf(t, "Defn.custom_grad: a gradient")).toList());
            List<Batched> grads = b.inner(r, List.of(new Batched(g, x.axis())), b.values(r.captured()));
            List<Tensor> out = new ArrayList<>(grads.size());
            for (int k = 0; k < grads.size(); k++) {
                Batched gk = grads.get(k);
                Batched in = k < inputs.size() ? inputs.get(k) : Batched.shared(gk.value());
                out.add(in.isBatched() ? gk.at(in.axis(), b.size)
                        : gk.isBatched() ? Nx.sum(gk.value(), new int[] {gk.axis()}, false) : gk.value());
            }
            return out;
        };
        List<Expr> ins = inputs.stream().map(v -> n(v.value())).toList();
        return new Batched(emit(new Expr.CustomGrad(xn, ins, rule)), x.axis());
    }
}
