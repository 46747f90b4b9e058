package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every LinAlg function on random well-conditioned inputs (single and batched, f32 and f64),
 * compiled by XLA against the reference backend. All of them run in one jitted function per
 * type and shape, so each case is one XLA compile. Where a result is unique only up to order or
 * sign (eigenvectors, singular vectors) the comparison uses the sorted values.
 */
class ExlaLinAlgDifferentialTest {
    static Tensor random(SplittableRandom r, DType type, Shape shape) {
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2 * r.nextDouble() - 1;
        }
        return Nx.asType(Nx.reshape(Nx.tensor(v), shape), type);
    }

    /** All LinAlg results for a square (batch of) matrix {@code a}, an SPD matrix and right-hand sides. */
    static List<Tensor> everything(Tensor a, Tensor spd, Tensor b) {
        int n = a.shape().dim(-1);
        List<Tensor> out = new ArrayList<>();
        Tensor l = LinAlg.cholesky(spd);
        out.add(l);
        out.add(LinAlg.triangularSolve(l, b));
        out.add(LinAlg.triangularSolve(l, b, true, true, true));
        out.add(LinAlg.solve(a, b));
        out.add(LinAlg.invert(a));
        out.add(LinAlg.determinant(a));
        out.add(LinAlg.matrixPower(a, 3));
        out.add(LinAlg.matrixPower(a, -2));
        for (Tensor t : LinAlg.lu(a)) {
            out.add(t);
        }
        for (Tensor t : LinAlg.qr(a)) {
            out.add(t);
        }
        out.add(Nx.sort(LinAlg.eigh(spd)[0], -1, false));
        out.add(LinAlg.svd(a)[1]);
        out.add(LinAlg.pinv(a));
        // Gradients of the closed-form rules: square and wide QR (r used to carry rounding below
        // its diagonal that picked up gradient), and the singular values.
        Tensor wide = Nx.sliceAlongAxis(a, 0, n - 1, -2);
        out.add(Defn.grad(a, t -> Nx.add(Nx.sum(LinAlg.qr(t)[1]), Nx.sum(Nx.multiply(LinAlg.qr(t)[0], 0.5)))));
        out.add(Defn.grad(wide, t -> Nx.add(Nx.sum(LinAlg.qr(t)[1]), Nx.sum(Nx.multiply(LinAlg.qr(t)[0], 0.5)))));
        out.add(Defn.grad(a, t -> Nx.sum(LinAlg.svd(t)[1])));
        if (a.rank() == 2) {
            // least squares takes one matrix and one right-hand side vector, as in Nx
            out.add(LinAlg.leastSquares(a, Nx.reshape(Nx.sliceAlongAxis(b, 0, 1, -1), Shape.of(n))));
            for (Object ord : new Object[] {"frobenius", 1, -1, 2, -2, "nuclear", "inf", "neg_inf"}) {
                out.add(LinAlg.norm(a, ord));
            }
            out.add(LinAlg.norm(Nx.reshape(a, Shape.of(n * n)), 3));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"f32, 3", "f64, 3", "f32, 5", "f64, 4"})
    void xlaAgreesWithTheReferenceBackend(String typeName, int n) {
        DType type = DType.of(typeName);
        SplittableRandom r = new SplittableRandom(n * 31L + typeName.hashCode());
        for (int[] batch : new int[][] {{}, {2}}) {
            int[] dims = java.util.stream.IntStream.concat(java.util.Arrays.stream(batch), java.util.stream.IntStream.of(n, n)).toArray();
            Shape s = Shape.of(dims);
            Tensor eye = Nx.broadcast(Nx.asType(Nx.eye(n), type), s);
            // Diagonally dominant, hence well conditioned; SPD from A·Aᵀ plus a shift.
            Tensor a = Nx.add(random(r, type, s), Nx.multiply(eye, n));
            Tensor m = random(r, type, s);
            Tensor spd = Nx.add(LinAlg.matmul(m, LinAlg.adjoint(m)), Nx.multiply(eye, n));
            int[] bDims = dims.clone();
            bDims[bDims.length - 1] = 2;
            Tensor b = random(r, type, Shape.of(bDims));
            Jitted reference = Defn.jit((Tensor x, Tensor spdX, Tensor y) -> everything(x, spdX, y), Evaluator.compiler());
            Jitted xla = Defn.jit((Tensor x, Tensor spdX, Tensor y) -> everything(x, spdX, y), Exla.compiler());
            List<?> want = (List<?>) reference.invoke(a, spd, b);
            List<?> got = (List<?>) xla.invoke(a, spd, b);
            assertEquals(want.size(), got.size());
            double tol = type == DType.F64 ? 1e-9 : 2e-3;
            for (int k = 0; k < want.size(); k++) {
                Tensor w = (Tensor) want.get(k);
                Tensor g = (Tensor) got.get(k);
                assertEquals(w.type() + w.shape().toString(), g.type() + g.shape().toString(), "result " + k);
                double[] wv = w.toDoubleArray();
                double[] gv = g.toDoubleArray();
                for (int i = 0; i < wv.length; i++) {
                    assertEquals(wv[i], gv[i], tol * Math.max(1, Math.abs(wv[i])),
                            type + Shape.of(dims).toString() + " result " + k + " element " + i);
                }
            }
        }
    }
}
