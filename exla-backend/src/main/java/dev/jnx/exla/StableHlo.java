package dev.jnx.exla;

import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.TracedFunction;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Lowers a {@link TracedFunction} to a StableHLO module in MLIR text, the form PJRT plugins
 * compile: {@code module @jit_<name> { func.func public @main(...) -> (...) { ... } }}, spelled
 * by {@link FunctionBuilder}, with the workarounds the target platform's XLA needs
 * ({@link PlatformQuirks}).
 *
 * <p>One pass over the graph, operands before users (iterative, so any depth is fine); a node
 * shared by several users is emitted once. Each node kind goes to its family's lowering
 * ({@link LowerElementwise}, {@link LowerIndexing}, {@link LowerReduction}, {@link LowerSort},
 * {@link LowerLinalg}, {@link LowerFft}, {@link LowerControlFlow}) in an exhaustive {@code switch},
 * so a new {@link Expr} primitive is a compile error here until it has one.
 */
public final class StableHlo {
    /** Lowers a region's graph in a scope of its own: the values of its outputs, given its parameters and captures. */
    interface RegionLowering {
        /** The values of {@code r}'s outputs with {@code parameters} and {@code captured} as its inputs. */
        List<Value> lower(Expr.Region r, List<Value> parameters, List<Value> captured);
    }

    private final FunctionBuilder builder;
    private final LowerElementwise elementwise;
    private final LowerIndexing indexing;
    private final LowerReduction reduction;
    private final LowerLinalg linalg;
    // Made when a graph first needs them, so that a process's first lowering of a graph without
    // them loads none of their classes.
    private LowerSort sort;
    private LowerFft fft;
    private LowerControlFlow controlFlow;
    // One of each for every rule: a method reference spins a class per site the first time it runs.
    private final Function<Expr, Value> getter = this::get;
    private final RegionLowering regionLowering = this::region;
    /** Values of the graph or region being lowered; a region gets its own, seeded with its inputs. */
    private Map<Expr, Value> values = new IdentityHashMap<>();
    private Map<Expr.Multi, List<Value>> multis = new IdentityHashMap<>();
    private final TracedFunction function;
    private final PlatformQuirks quirks;
    /** Constants of the graph read as arguments of {@code @main}, after the parameters. */
    private final List<Expr.Constant> captured;

    private StableHlo(TracedFunction function, List<Expr.Constant> captured, PlatformQuirks quirks) {
        this.function = function;
        this.quirks = quirks;
        this.captured = captured;
        List<TensorType> params = new ArrayList<>(function.parameters().size() + captured.size());
        for (Expr.Parameter p : function.parameters()) {
            params.add(TensorType.of(p));
        }
        for (Expr.Constant c : captured) {
            params.add(TensorType.of(c));
        }
        this.builder = new FunctionBuilder(moduleName(function.name()), params);
        this.elementwise = new LowerElementwise(builder, getter, quirks);
        this.indexing = new LowerIndexing(builder, getter);
        this.reduction = new LowerReduction(builder, getter, elementwise, regionLowering);
        this.linalg = new LowerLinalg(builder, getter);
    }

    private LowerSort sort() {
        if (sort == null) {
            sort = new LowerSort(builder, getter);
        }
        return sort;
    }

    private LowerFft fft() {
        if (fft == null) {
            fft = new LowerFft(builder, getter);
        }
        return fft;
    }

    private LowerControlFlow controlFlow() {
        if (controlFlow == null) {
            controlFlow = new LowerControlFlow(builder, getter, regionLowering);
        }
        return controlFlow;
    }

    /**
     * The StableHLO module of {@code function} for the bundled XLA:CPU plugin, named
     * {@code jit_<name>} with its entry point {@code @main} taking the parameters in order and
     * returning the outputs in order.
     *
     * @throws IllegalArgumentException if the graph uses something StableHLO lowering cannot
     *                                  express (a complex max, a foreign parameter, ...)
     */
    public static String lower(TracedFunction function) {
        return lower(function, PlatformQuirks.CPU, FunctionBuilder.Partitioning.NONE);
    }

    /**
     * {@link #lower(TracedFunction)} for the PJRT platform named {@code platformName} ({@code cpu},
     * {@code cuda}, ...): with the workarounds registered for it, and none for an unknown one.
     */
    public static String lower(TracedFunction function, String platformName) {
        return lower(function, List.of(), PlatformQuirks.of(platformName));
    }

    /**
     * The module of {@code function} for a platform with {@code quirks}, whose {@code @main} also
     * takes {@code captured}, constants of its graph outside any region, as arguments after the
     * parameters (closure conversion: their values are passed at each call instead of written
     * into the module).
     */
    static String lower(TracedFunction function, List<Expr.Constant> captured, PlatformQuirks quirks) {
        return new StableHlo(function, captured, quirks).run(FunctionBuilder.Partitioning.NONE);
    }

    /** The module of {@code function} for a platform with {@code quirks}, split over devices as {@code partitioning} says. */
    static String lower(TracedFunction function, PlatformQuirks quirks, FunctionBuilder.Partitioning partitioning) {
        return new StableHlo(function, List.of(), quirks).run(partitioning);
    }

    /** The module symbol for a function name: {@code jit_} then the name with odd characters as {@code _}. */
    public static String moduleName(String functionName) {
        StringBuilder s = new StringBuilder("jit_");
        for (int i = 0; i < functionName.length(); i++) {
            char c = functionName.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            s.append(ok ? c : '_');
        }
        return s.toString();
    }

    private String run(FunctionBuilder.Partitioning partitioning) {
        for (int k = 0; k < captured.size(); k++) {
            values.put(captured.get(k), builder.argument(function.parameters().size() + k));
        }
        for (Expr e : Graph.postOrder(function.outputs(), values.keySet())) {
            put(e);
        }
        List<Value> results = new ArrayList<>(function.outputs().size());
        for (Expr out : function.outputs()) {
            results.add(values.get(out));
        }
        return builder.finish(results, donations(), partitioning);
    }

    /**
     * How each donated parameter is offered to XLA: the index of the first unclaimed output of
     * its type and shape (its buffer can become that output's, {@code tf.aliasing_output}), or
     * -1 when none matches (XLA may still use it for temporaries, {@code jax.buffer_donor}).
     * With {@link PlatformQuirks.Quirk#IN_PLACE_LOOP_NOT_VECTORIZED}, outputs a loop fusion
     * computes are not offered, nor is a parameter left without an output (XLA would pick one).
     */
    private Map<Integer, Integer> donations() {
        Map<Integer, Integer> aliases = new TreeMap<>();
        boolean inPlaceLoopsSlow = quirks.has(PlatformQuirks.Quirk.IN_PLACE_LOOP_NOT_VECTORIZED);
        boolean[] claimed = new boolean[function.outputs().size()];
        for (int p : function.donated()) {
            Expr.Parameter param = function.parameters().get(p);
            int match = -1;
            for (int j = 0; j < claimed.length && match < 0; j++) {
                Expr out = function.outputs().get(j);
                if (!claimed[j] && out.type() == param.type() && out.shape().equals(param.shape())
                        && !(inPlaceLoopsSlow && computedByLoopFusion(out))) {
                    match = j;
                    claimed[j] = true;
                }
            }
            if (match >= 0 || !inPlaceLoopsSlow) {
                aliases.put(p, match);
            }
        }
        return aliases;
    }

    /**
     * Whether XLA computes {@code e} in an element-wise loop over its operands (a loop fusion),
     * which would read and write the same buffer if {@code e} were aliased to an operand.
     */
    private static boolean computedByLoopFusion(Expr e) {
        return switch (e) {
            case Expr.Unary _, Expr.Binary _, Expr.Select _, Expr.Convert _, Expr.Bitcast _, Expr.Broadcast _,
                 Expr.Reshape _, Expr.Transpose _, Expr.Reverse _, Expr.Slice _, Expr.Pad _, Expr.Concatenate _,
                 Expr.Gather _, Expr.Iota _ -> true;
            case Expr.StopGrad s -> computedByLoopFusion(s.x());
            case Expr.Metadata m -> computedByLoopFusion(m.x());
            case Expr.CustomGrad c -> computedByLoopFusion(c.x());
            case Expr.Parameter _, Expr.Constant _, Expr.Reduce _, Expr.ReduceFn _, Expr.Dot _, Expr.Element _,
                 Expr.While _, Expr.Cond _, Expr.Fft _, Expr.Cholesky _, Expr.TriangularSolve _, Expr.DynamicSlice _,
                 Expr.DynamicUpdateSlice _, Expr.Scatter _, Expr.Conv _, Expr.ReduceWindow _, Expr.ReduceWindowFn _,
                 Expr.SelectAndScatter _, Expr.Sort _ -> false;
        };
    }

    private Value get(Expr e) {
        return values.get(e);
    }

    private Value lower(Expr e) {
        if (e.shape().longSize() == 0 && !(e instanceof Expr.Parameter)) {
            // An empty result needs no computation, and XLA mishandles many empty forms: a gather
            // from a zero-size axis is an invalid module, empty gathers of takeAlongAxis and
            // makeDiagonal are refused, folding an empty scatter crashes the canonicalizer.
            return builder.empty(TensorType.of(e));
        }
        return switch (e) {
            case Expr.Parameter p -> parameter(p);
            case Expr.Constant c -> builder.constant(c.value(), TensorType.of(c));
            case Expr.StopGrad sg -> get(sg.x());
            case Expr.Metadata m -> get(m.x());
            case Expr.CustomGrad cg -> get(cg.x());
            case Expr.Element el -> multis.get(el.source()).get(el.index());
            case Expr.Unary u -> elementwise.unary(u);
            case Expr.Binary b -> elementwise.binary(b);
            case Expr.Select s -> elementwise.select(s);
            case Expr.Convert c -> elementwise.convert(c);
            case Expr.Bitcast c -> elementwise.bitcast(c);
            case Expr.Iota i -> indexing.iota(i);
            case Expr.Reshape r -> indexing.reshape(r);
            case Expr.Transpose t -> indexing.transpose(t);
            case Expr.Broadcast b -> indexing.broadcast(b);
            case Expr.Slice s -> indexing.slice(s);
            case Expr.DynamicSlice s -> indexing.dynamicSlice(s);
            case Expr.DynamicUpdateSlice s -> indexing.dynamicUpdateSlice(s);
            case Expr.Pad p -> indexing.pad(p);
            case Expr.Concatenate c -> indexing.concatenate(c);
            case Expr.Reverse r -> indexing.reverse(r);
            case Expr.Gather g -> indexing.gather(g);
            case Expr.Scatter s -> indexing.scatter(s);
            case Expr.Reduce r -> reduction.reduce(r);
            case Expr.ReduceFn r -> reduction.reduceFn(r);
            case Expr.ReduceWindow w -> reduction.reduceWindow(w);
            case Expr.ReduceWindowFn w -> reduction.reduceWindowFn(w);
            case Expr.SelectAndScatter s -> reduction.selectAndScatter(s);
            case Expr.Sort s -> sort().sort(s);
            case Expr.Dot d -> linalg.dot(d);
            case Expr.Conv c -> linalg.conv(c);
            case Expr.Cholesky c -> linalg.cholesky(c);
            case Expr.TriangularSolve t -> linalg.triangularSolve(t);
            case Expr.Fft f -> fft().fft(f);
            case Expr.Multi m -> throw new IllegalStateException(m.getClass().getSimpleName() + " is lowered by put");
        };
    }

    /** Lowers {@code e}; a node with several results keeps them apart, for its elements. */
    private void put(Expr e) {
        if (e instanceof Expr.Multi m) {
            multis.put(m, controlFlow().multi(m));
        } else {
            values.put(e, lower(e));
        }
    }

    /** Lowers a region's graph in a scope of its own; returns the values of its outputs. */
    private List<Value> region(Expr.Region r, List<Value> parameters, List<Value> captured) {
        Map<Expr, Value> seeds = new IdentityHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            seeds.put(r.parameters().get(i), parameters.get(i));
        }
        for (int i = 0; i < captured.size(); i++) {
            seeds.put(r.captured().get(i), captured.get(i));
        }
        Map<Expr, Value> outerValues = values;
        Map<Expr.Multi, List<Value>> outerMultis = multis;
        values = seeds;
        multis = new IdentityHashMap<>();
        try {
            for (Expr e : Graph.postOrder(r.outputs(), seeds.keySet())) {
                put(e);
            }
            return r.outputs().stream().map(values::get).toList();
        } finally {
            values = outerValues;
            multis = outerMultis;
        }
    }

    private Value parameter(Expr.Parameter p) {
        List<Expr.Parameter> ps = function.parameters();
        if (p.index() < 0 || p.index() >= ps.size() || !ps.get(p.index()).shape().equals(p.shape())
                || ps.get(p.index()).type() != p.type()) {
            throw new IllegalArgumentException(function.name() + ": the graph reads parameter " + p.index()
                    + " " + p.type() + p.shape() + ", which is not among the function's " + ps.size() + " parameters");
        }
        return builder.argument(p.index());
    }
}
