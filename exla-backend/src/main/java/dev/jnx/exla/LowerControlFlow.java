package dev.jnx.exla;

import dev.jnx.defn.Expr;
import dev.jnx.exla.FunctionBuilder.ComparisonDirection;
import dev.jnx.exla.FunctionBuilder.ComparisonType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * StableHLO lowerings of the control flow family: {@code stablehlo.while} and {@code stablehlo.case}.
 *
 * @param b the builder the ops go to
 * @param get the value of each node already lowered
 * @param regions lowers a region's graph in place
 */
record LowerControlFlow(FunctionBuilder b, Function<Expr, Value> get, StableHlo.RegionLowering regions) {
    /** The values of a node with several results. */
    List<Value> multi(Expr.Multi m) {
        return switch (m) {
            case Expr.While w -> whileLoop(w);
            case Expr.Cond c -> cond(c);
        };
    }

    /**
     * {@code stablehlo.while} carrying the state and, unchanged, the values both regions
     * capture, so that each region reads only its own block arguments.
     */
    private List<Value> whileLoop(Expr.While w) {
        List<Value> carried = new ArrayList<>();
        w.initial().forEach(e -> carried.add(get.apply(e)));
        w.condition().captured().forEach(e -> carried.add(get.apply(e)));
        w.body().captured().forEach(e -> carried.add(get.apply(e)));
        List<TensorType> types = carried.stream().map(Value::type).toList();
        int n = w.initial().size();
        int nc = w.condition().captured().size();
        FunctionBuilder.Region condition = new FunctionBuilder.Region(types, args -> {
            Value p = regions.lower(w.condition(), args.subList(0, n), args.subList(n, n + nc)).get(0);
            Value zero = b.splat(0, w.condition().outputs().get(0).type(), p.type());
            return List.of(b.compare(ComparisonDirection.NE, ComparisonType.UNSIGNED, p, zero));
        });
        FunctionBuilder.Region body = new FunctionBuilder.Region(types, args -> {
            List<Value> out = new ArrayList<>(regions.lower(w.body(), args.subList(0, n), args.subList(n + nc, args.size())));
            out.addAll(args.subList(n, args.size()));
            return out;
        });
        return b.whileLoop(carried, condition, body).subList(0, n);
    }

    /** {@code stablehlo.case}; branches read captured values of the enclosing function directly. */
    private List<Value> cond(Expr.Cond c) {
        Value index = get.apply(c.index());
        List<TensorType> results = c.outputs().stream().map(TensorType::of).toList();
        List<FunctionBuilder.Region> branches = new ArrayList<>();
        for (Expr.Region r : c.branches()) {
            List<Value> captured = r.captured().stream().map(get).toList();
            branches.add(new FunctionBuilder.Region(List.of(), args -> regions.lower(r, List.of(), captured)));
        }
        return b.caseOp(index, results, branches);
    }
}
