package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.defn.Expr;
import dev.jnx.exla.FunctionBuilder.ComparisonDirection;
import dev.jnx.exla.FunctionBuilder.ComparisonType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The StableHLO lowering of the sort family ({@code Nx.sort}, {@code Nx.argsort}: keys, optionally values).
 *
 * @param b the builder the ops go to
 * @param get the value of each node already lowered
 */
record LowerSort(FunctionBuilder b, Function<Expr, Value> get) {
    /**
     * {@code stablehlo.sort}, stable, comparing the keys only: {@code LT} (or {@code GT}) with
     * {@code TOTALORDER} for floats, so NaNs and signed zeros have a fixed place.
     */
    Value sort(Expr.Sort s) {
        boolean same = s.keys() == s.values();
        List<Value> operands = new ArrayList<>(2);
        operands.add(get.apply(s.keys()));
        if (!same) {
            operands.add(get.apply(s.values()));
        }
        List<TensorType> argTypes = new ArrayList<>(4);
        for (Value v : operands) {
            TensorType scalar = v.type().withDims();
            argTypes.add(scalar);
            argTypes.add(scalar);
        }
        DType kt = s.keys().type();
        ComparisonType cmp = kt.isInteger() ? ComparisonType.of(kt) : ComparisonType.TOTALORDER;
        ComparisonDirection direction = s.descending() ? ComparisonDirection.GT : ComparisonDirection.LT;
        FunctionBuilder.Region comparator = new FunctionBuilder.Region(argTypes,
                args -> List.of(b.compare(direction, cmp, args.get(0), args.get(1))));
        return b.sort(operands, comparator, s.axis()).get(same ? 0 : 1);
    }
}
