package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Reference semantics of the control-flow nodes {@link Expr.While} and {@link Expr.Cond}. */
final class ControlFlowEval {
    private ControlFlowEval() {
    }

    /**
     * All results of {@code m}, given the values {@code v} of its operands and {@code region},
     * which runs a region on its parameters' values (captures are read from {@code v}).
     */
    static List<HostData> results(Expr.Multi m, Map<Expr, HostData> v,
                                  BiFunction<Expr.Region, List<HostData>, List<HostData>> region) {
        return switch (m) {
            case Expr.While w -> {
                List<HostData> state = w.initial().stream().map(v::get).toList();
                while (region.apply(w.condition(), state).get(0).getLong(DType.U8, 0) != 0) {
                    state = region.apply(w.body(), state);
                }
                yield state;
            }
            case Expr.Cond c -> {
                long index = v.get(c.index()).getLong(c.index().type(), 0);
                int n = c.branches().size();
                // stablehlo.case runs the last branch for an index out of range.
                int branch = index < 0 || index >= n ? n - 1 : (int) index;
                yield region.apply(c.branches().get(branch), List.of());
            }
        };
    }
}
