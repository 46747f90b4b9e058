package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The reference backend: evaluates expression graphs in plain Java, element by element, with
 * XLA's semantics (IEEE results rounded to the element type, integer wrap-around, integer
 * division by zero giving -1, NaN-propagating max/min). Slow and simple on purpose: it is the
 * oracle compiled results are checked against.
 */
public final class Evaluator implements Compiler {
    private static final Evaluator INSTANCE = new Evaluator();

    private Evaluator() {
    }

    /** The reference compiler: its executables interpret the graph on every call. */
    public static Compiler compiler() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "evaluator";
    }

    @Override
    public Executable compile(TracedFunction function) {
        List<Expr> order = Graph.postOrder(function.outputs());
        return arguments -> {
            if (arguments.size() != function.parameters().size()) {
                throw new IllegalArgumentException(function.name() + ": expected " + function.parameters().size()
                        + " arguments, got " + arguments.size());
            }
            for (int i = 0; i < arguments.size(); i++) {
                function.checkArgument(i, arguments.get(i).shape(), arguments.get(i).type());
            }
            Map<Expr, HostData> values = run(order, arguments);
            return function.outputs().stream().map(o -> Tensor.of(o.shape(), o.type(), values.get(o))).toList();
        };
    }

    /** Evaluates a graph without parameters, e.g. one eager op over constants. */
    public static Tensor evaluate(Expr root) {
        return evaluateAll(List.of(root)).get(0);
    }

    /** Evaluates several roots of a graph without parameters, computing shared nodes once. */
    public static List<Tensor> evaluateAll(List<Expr> roots) {
        Map<Expr, HostData> values = run(Graph.postOrder(roots), List.of());
        return roots.stream().map(r -> Tensor.of(r.shape(), r.type(), values.get(r))).toList();
    }

    private static Map<Expr, HostData> run(List<Expr> order, List<Tensor> arguments) {
        return new Scope(new IdentityHashMap<>(), arguments).run(order);
    }

    /** The values of one graph or region: seeded with its parameters and captures. */
    private record Scope(Map<Expr, HostData> values, List<Tensor> arguments, Map<Expr.Multi, List<HostData>> results) {
        Scope(Map<Expr, HostData> values, List<Tensor> arguments) {
            this(values, arguments, new IdentityHashMap<>());
        }

        /** Computes the nodes in order; a node with several results keeps them apart, for its elements. */
        Map<Expr, HostData> run(List<Expr> order) {
            for (Expr e : order) {
                if (e instanceof Expr.Multi m) {
                    results.put(m, ControlFlowEval.results(m, values, this::region));
                } else {
                    requireHostSize(e);
                    values.put(e, eval(e, this));
                }
            }
            return values;
        }

        /** Runs {@code region} on parameter values, its captures read from this scope; returns its outputs. */
        List<HostData> region(Expr.Region region, List<HostData> params) {
            Map<Expr, HostData> seeded = new IdentityHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                seeded.put(region.parameters().get(i), params.get(i));
            }
            for (Expr c : region.captured()) {
                seeded.put(c, values.get(c));
            }
            Scope inner = new Scope(seeded, arguments);
            inner.run(Graph.postOrder(region.outputs(), seeded.keySet()));
            return region.outputs().stream().map(seeded::get).toList();
        }

        /** The scalar function (accumulator, element) of a reduction's region {@code fn}. */
        BinaryOperator<HostData> fold(Expr.Region fn) {
            return (acc, elem) -> region(fn, List.of(acc, elem)).get(0);
        }
    }

    /**
     * The reference backend holds each value in one Java array, so at most {@link HostData#MAX_BYTES}
     * of it; checking every node first keeps its int-indexed loops from overflowing.
     */
    private static void requireHostSize(Expr e) {
        long bytes = e.shape().byteSize(e.type());
        if (bytes > HostData.MAX_BYTES) {
            throw new IllegalArgumentException(e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + ": the result " + e.type() + e.shape() + " (" + e.shape().longSize() + " elements) needs "
                    + bytes + " bytes, more than the " + HostData.MAX_BYTES + " the reference backend holds in one"
                    + " tensor (compile the function with an XLA compiler instead)");
        }
    }

    private static HostData eval(Expr e, Scope scope) {
        Map<Expr, HostData> v = scope.values();
        List<Tensor> args = scope.arguments();
        return switch (e) {
            case Expr.Parameter p -> args.get(p.index()).host();
            case Expr.Constant c -> c.value().host();
            case Expr.Iota i -> iota(i);
            case Expr.Unary u -> ElementwiseEval.unary(u, v.get(u.x()));
            case Expr.Binary b -> ElementwiseEval.binary(b, v.get(b.a()), v.get(b.b()));
            case Expr.Select s -> ElementwiseEval.select(s, v.get(s.pred()), v.get(s.onTrue()), v.get(s.onFalse()));
            case Expr.Bitcast b -> v.get(b.x());
            case Expr.Sort s -> SortEval.sort(s, v.get(s.keys()), v.get(s.values()));
            case Expr.ReduceFn r -> ReduceEval.reduceFn(r, v.get(r.x()), v.get(r.init()),
                    scope.fold(r.fn()));
            case Expr.Reduce r -> ReduceEval.reduce(r, v.get(r.x()));
            case Expr.Dot d -> LinAlgEval.dot(d, v.get(d.a()), v.get(d.b()));
            case Expr.Reshape r -> v.get(r.x());
            case Expr.Transpose t -> IndexingEval.transpose(t, v.get(t.x()));
            case Expr.Broadcast b -> IndexingEval.broadcast(b, v.get(b.x()));
            case Expr.Convert c -> ElementwiseEval.convert(c.shape(), c.x().type(), c.type(), v.get(c.x()));
            case Expr.StopGrad sg -> v.get(sg.x());
            case Expr.Metadata m -> v.get(m.x());
            case Expr.CustomGrad cg -> v.get(cg.x());
            case Expr.Slice sl -> IndexingEval.slice(sl, v.get(sl.x()));
            case Expr.DynamicSlice ds -> IndexingEval.dynamicSlice(ds, v);
            case Expr.DynamicUpdateSlice du -> IndexingEval.dynamicUpdateSlice(du, v);
            case Expr.Pad p -> IndexingEval.pad(p, v.get(p.x()), v.get(p.value()));
            case Expr.Concatenate c -> IndexingEval.concatenate(c, v);
            case Expr.Reverse r -> IndexingEval.reverse(r, v.get(r.x()));
            case Expr.Gather g -> IndexingEval.gather(g, v.get(g.x()), v.get(g.indices()));
            case Expr.Scatter s -> IndexingEval.scatter(s, v.get(s.x()), v.get(s.indices()), v.get(s.updates()));
            case Expr.Conv c -> IndexingEval.conv(c, v.get(c.x()), v.get(c.kernel()));
            case Expr.ReduceWindow r -> IndexingEval.reduceWindow(r, v.get(r.x()));
            case Expr.ReduceWindowFn r -> IndexingEval.reduceWindowFn(r, v.get(r.x()), v.get(r.init()),
                    scope.fold(r.fn()));
            case Expr.SelectAndScatter s -> IndexingEval.selectAndScatter(s, v.get(s.x()), v.get(s.source()), v.get(s.init()));
            case Expr.Fft f -> FftEval.fft(f, v.get(f.x()));
            case Expr.Cholesky c -> LinAlgEval.cholesky(c, v.get(c.x()));
            case Expr.TriangularSolve t -> LinAlgEval.triangularSolve(t, v.get(t.a()), v.get(t.b()));
            case Expr.Element el -> scope.results().get(el.source()).get(el.index());
            case Expr.Multi m -> throw new IllegalStateException(m.getClass().getSimpleName() + " is computed by Scope.run");
        };
    }

    private static HostData iota(Expr.Iota e) {
        Shape s = e.shape();
        Out out = new Out(s, e.type());
        int[] strides = s.strides();
        for (int i = 0; i < s.size(); i++) {
            long idx = e.axis() < 0 ? i : (i / strides[e.axis()]) % s.dim(e.axis());
            if (e.type().isInteger()) {
                out.setLong(i, idx);
            } else {
                out.setDouble(i, idx);
            }
        }
        return out.done();
    }
}
