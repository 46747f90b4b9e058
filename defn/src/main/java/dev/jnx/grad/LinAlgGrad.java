package dev.jnx.grad;

import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.LinAlgEval;
import dev.jnx.defn.Tracing;

import java.util.Arrays;
import java.util.List;

/** Gradient rules of the linear algebra primitives (dot, Cholesky, triangular solve), written with {@link Nx} and {@link LinAlg} functions. */
final class LinAlgGrad {
    private LinAlgGrad() {
    }

    /**
     * Nx's rule (grad.ex): with {@code num = Lᵀ·tril(g)} and {@code phi} its lower triangle with
     * the diagonal halved, the input's cotangent is {@code L⁻ᵀ·phi·L⁻¹}.
     */
    static List<Cotangent> cholesky(Expr.Cholesky c, Tensor g) {
        Tensor l = Tracing.tensor(c);
        Tensor num = LinAlg.matmul(LinAlg.adjoint(l), Nx.tril(g, 0));
        Tensor den = Nx.add(Nx.eye(num.shape(), num.type()), 1);
        Tensor phi = Nx.tril(Nx.divide(num, den), 0);
        Tensor bm = LinAlg.triangularSolve(l, phi, true, true, true);
        return List.of(new Cotangent(c.x(), LinAlg.triangularSolve(l, bm, true, false, false)));
    }

    /**
     * For {@code op(A)·X = B}: {@code gB = op(A)⁻ᵀ·g} and {@code g_op(A) = -gB·Xᵀ}; for
     * {@code X·op(A) = B}: {@code gB = g·op(A)⁻ᵀ} and {@code g_op(A) = -Xᵀ·gB}. A's cotangent
     * is g_op(A) (transposed back when op transposes), kept to the triangle the op reads.
     */
    static List<Cotangent> triangularSolve(Expr.TriangularSolve ts, Tensor g) {
        Tensor a = Tracing.tensor(ts.a());
        Tensor x = Tracing.tensor(ts);
        Tensor gb = LinAlg.triangularSolve(a, g, ts.lower(), ts.leftSide(), !ts.transposeA());
        Tensor gOp = ts.leftSide() ? LinAlg.matmul(gb, LinAlg.adjoint(x)) : LinAlg.matmul(LinAlg.adjoint(x), gb);
        Tensor ga = Nx.negate(ts.transposeA() ? LinAlg.adjoint(gOp) : gOp);
        ga = ts.lower() ? Nx.tril(ga, 0) : Nx.triu(ga, 0);
        return List.of(new Cotangent(ts.a(), ga), new Cotangent(ts.b(), gb));
    }

    /** {@code dot_general} is bilinear: each operand's cotangent is the dot of g with the other operand, permuted back. */
    static List<Cotangent> dot(Expr.Dot d, Tensor g) {
        int nb = d.batchA().length;
        int[] freeA = LinAlgEval.free(d.a().shape().rank(), d.contractA(), d.batchA());
        int[] freeB = LinAlgEval.free(d.b().shape().rank(), d.contractB(), d.batchB());
        int[] gBatch = range(0, nb);
        int[] gFreeA = range(nb, nb + freeA.length);
        int[] gFreeB = range(nb + freeA.length, nb + freeA.length + freeB.length);
        Tensor a = Tracing.tensor(d.a());
        Tensor b = Tracing.tensor(d.b());
        Tensor ga = Nx.dot(g, gFreeB, gBatch, b, freeB, d.batchB());
        Tensor gb = Nx.dot(g, gFreeA, gBatch, a, freeA, d.batchA());
        return List.of(
                new Cotangent(d.a(), Nx.transpose(ga, placement(d.a().shape().rank(), d.batchA(), freeA, d.contractA(), d.contractB()))),
                new Cotangent(d.b(), Nx.transpose(gb, placement(d.b().shape().rank(), d.batchB(), freeB, d.contractB(), d.contractA()))));
    }

    /**
     * The permutation taking a cotangent laid out as [batch, own free, other operand's
     * remaining (contracted) axes in ascending order] back to the operand's own axis order.
     */
    private static int[] placement(int rank, int[] batch, int[] free, int[] ownContract, int[] otherContract) {
        int[] position = new int[rank];
        int p = 0;
        for (int a : batch) {
            position[a] = p++;
        }
        for (int a : free) {
            position[a] = p++;
        }
        Integer[] order = new Integer[otherContract.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Integer.compare(otherContract[i], otherContract[j]));
        for (Integer k : order) {
            position[ownContract[k]] = p++;
        }
        return position;
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
