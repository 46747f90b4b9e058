package dev.jnx.grad;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.List;

/** The gradient rule of {@link Expr.Sort}, as in Nx's {@code Nx.Defn.Grad}. */
final class SortGrad {
    private SortGrad() {
    }

    /**
     * A sort moves values: the cotangent of the values is {@code g} moved back, i.e. {@code g}
     * sorted by the permutation the sort applied. The keys only choose the order: no gradient.
     */
    static List<Cotangent> sort(Expr.Sort s, Tensor g) {
        Tensor keys = Tracing.tensor(s.keys());
        Tensor perm = Nx.argsort(keys, s.axis(), s.descending());
        Expr back = new Expr.Sort(Tracing.nodeOf(perm), Tracing.nodeOf(g), s.axis(), false);
        return List.of(new Cotangent(s.values(), Tracing.bind(back, perm, g)));
    }
}
