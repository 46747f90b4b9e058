package dev.jnx.grad;

import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.List;

/** Gradient rules of the linear algebra primitives, written with {@link Nx} and {@link LinAlg} functions. */
final class LinAlgGrad {
    private LinAlgGrad() {
    }

    /**
     * Nx's rule (grad.ex): with {@code num = Lᵀ·tril(g)} and {@code phi} its lower triangle with
     * the diagonal halved, the input's cotangent is {@code L⁻ᵀ·phi·L⁻¹}.
     */
    static Tensor cholesky(Expr.Cholesky c, Tensor g) {
        Tensor l = Tracing.tensor(c);
        Tensor num = LinAlg.matmul(LinAlg.adjoint(l), Nx.tril(g, 0));
        Tensor den = Nx.add(Nx.eye(num.shape(), num.type()), 1);
        Tensor phi = Nx.tril(Nx.divide(num, den), 0);
        Tensor bm = LinAlg.triangularSolve(l, phi, true, true, true);
        return LinAlg.triangularSolve(l, bm, true, false, false);
    }

    /**
     * For {@code op(A)·X = B}: {@code gB = op(A)⁻ᵀ·g} and {@code g_op(A) = -gB·Xᵀ}; for
     * {@code X·op(A) = B}: {@code gB = g·op(A)⁻ᵀ} and {@code g_op(A) = -Xᵀ·gB}. A's cotangent
     * is g_op(A) (transposed back when op transposes), kept to the triangle the op reads.
     */
    static List<Tensor> triangularSolve(Expr.TriangularSolve ts, Tensor g) {
        Tensor a = Tracing.tensor(ts.a());
        Tensor x = Tracing.tensor(ts);
        Tensor gb = LinAlg.triangularSolve(a, g, ts.lower(), ts.leftSide(), !ts.transposeA());
        Tensor gOp = ts.leftSide() ? LinAlg.matmul(gb, LinAlg.adjoint(x)) : LinAlg.matmul(LinAlg.adjoint(x), gb);
        Tensor ga = Nx.negate(ts.transposeA() ? LinAlg.adjoint(gOp) : gOp);
        ga = ts.lower() ? Nx.tril(ga, 0) : Nx.triu(ga, 0);
        return List.of(ga, gb);
    }
}
