package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.Complex;
import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Complex arithmetic in every kernel that combines elements (dot, conv, window and cumulative
 * reductions, scatter-add, reductions, matrix products, covariance) and in those that move them
 * (pad, gather, select, reverse, reductions with a function), against values worked out by hand. Each case runs
 * eagerly on the reference backend and jitted with {@link #compiler()}; exla-backend reruns the
 * class with XLA.
 */
public class ComplexEvaluatorTest {
    /** The compiler the jitted functions of these tests use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    private static final double TOL = 1e-5;

    private static Complex c(double re, double im) {
        return Complex.of(re, im);
    }

    private static Tensor c64(Complex... values) {
        return Nx.tensor(values, DType.C64);
    }

    /** {@code f(input)} eagerly and jitted must be {@code type} of {@code shape} with values {@code reIm} (re, im pairs). */
    private void check(Function<Tensor, Tensor> f, Tensor input, DType type, int[] shape, double... reIm) {
        for (Tensor t : new Tensor[] {f.apply(input), Defn.jit(f, compiler()).apply(input)}) {
            assertEquals(type, t.type(), t.toString());
            assertArrayEquals(shape, t.shape().dims(), t.toString());
            Complex[] z = t.toComplexArray();
            assertEquals(reIm.length / 2, z.length, t.toString());
            for (int i = 0; i < z.length; i++) {
                assertEquals(reIm[2 * i], z[i].re(), TOL, "re of element " + i + " of " + t);
                assertEquals(reIm[2 * i + 1], z[i].im(), TOL, "im of element " + i + " of " + t);
            }
        }
    }

    private void check(Function<Tensor, Tensor> f, Tensor input, int[] shape, double... reIm) {
        check(f, input, DType.C64, shape, reIm);
    }

    /** [1+i, 2−i, 3i], the operand of the window and cumulative cases. */
    private static Tensor three() {
        return c64(c(1, 1), c(2, -1), c(0, 3));
    }

    @Test
    void dotOfVectors() {
        // (1+3i)² + (2−i)² = (−8+6i) + (3−4i)
        check(x -> Nx.dot(x, x), c64(c(1, 3), c(2, -1)), new int[] {}, -5, 2);
        Tensor x128 = Nx.tensor(new Complex[] {c(1, 3), c(2, -1)}, DType.C128);
        check(x -> Nx.dot(x, x), x128, DType.C128, new int[] {}, -5, 2);
    }

    @Test
    void dotOfMatricesWithBatch() {
        // Batch of two 1×2 · 2×1 products: [1+i, 2]·[i, 1−i] = (i − 1) + (2 − 2i); [i, 1]·[1, i] = 2i
        Tensor a = Nx.reshape(c64(c(1, 1), c(2, 0), c(0, 1), c(1, 0)), Shape.of(2, 1, 2));
        Tensor b = Nx.reshape(c64(c(0, 1), c(1, -1), c(1, 0), c(0, 1)), Shape.of(2, 2, 1));
        check(x -> Nx.dot(x, new int[] {2}, new int[] {0}, b, new int[] {1}, new int[] {0}), a,
                new int[] {2, 1, 1}, 1, -1, 0, 2);
    }

    @Test
    void conv() {
        // Nx's conv correlates: (1+i)·1 + 2·2i + (3−3i)·3i = 1+i + 4i + 9i + 9
        Tensor kernel = Nx.reshape(c64(c(1, 0), c(0, 2), c(0, 3)), Shape.of(1, 1, 3));
        Tensor x = Nx.reshape(c64(c(1, 1), c(2, 0), c(3, -3)), Shape.of(1, 1, 3));
        check(t -> Nx.conv(t, kernel), x, new int[] {1, 1, 1}, 10, 14);
        // Padding one on each side: [0, 1+i, 2, 3−3i, 0] against the kernel, three outputs.
        check(t -> Nx.conv(t, kernel, ConvOptions.defaults().padding(new int[][] {{1, 1}})), x, new int[] {1, 1, 3},
                // 2i(1+i) + 3i·2 = −2+8i; 10+14i; 2·1 + (3−3i)·2i = 8+6i
                -2, 8, 10, 14, 8, 6);
    }

    @Test
    void windowSumMeanProduct() {
        WindowOptions valid = WindowOptions.defaults();
        check(x -> Nx.windowSum(x, new int[] {2}, valid), three(), new int[] {2}, 3, 0, 2, 2);
        check(x -> Nx.windowMean(x, new int[] {2}, valid), three(), new int[] {2}, 1.5, 0, 1, 1);
        // (1+i)(2−i) = 3+i; (2−i)·3i = 3+6i
        check(x -> Nx.windowProduct(x, new int[] {2}, valid), three(), new int[] {2}, 3, 1, 3, 6);
    }

    @Test
    void windowReduceWithAFunction() {
        check(x -> Nx.windowReduce(x, 0, new int[] {2}, (a, b) -> Nx.add(a, b)), three(), new int[] {2}, 3, 0, 2, 2);
    }

    @Test
    void covarianceConjugatesTheLeftFactor() {
        // x − mean = [[1+i, −i], [−1−i, i]]; C = conj(x)ᵀ·x / 2 = [[2, −1−i], [−1+i, 1]] (Hermitian)
        Tensor t = Nx.reshape(c64(c(1, 1), c(0, 0), c(-1, -1), c(0, 2)), Shape.of(2, 2));
        check(Nx::covariance, t, new int[] {2, 2}, 2, 0, -1, -1, -1, 1, 1, 0);
    }

    @Test
    void cumulativeSumAndProduct() {
        check(Nx::cumulativeSum, three(), new int[] {3}, 1, 1, 3, 0, 3, 3);
        // (3+i)·3i = −3+9i
        check(Nx::cumulativeProduct, three(), new int[] {3}, 1, 1, 3, 1, -3, 9);
        check(x -> Nx.cumulativeSum(x, 0, true), three(), new int[] {3}, 3, 3, 2, 2, 0, 3);
    }

    @Test
    void reductions() {
        check(Nx::sum, three(), new int[] {}, 3, 3);
        check(Nx::product, three(), new int[] {}, -3, 9);
        check(x -> Nx.reduce(x, 0, (a, b) -> Nx.add(a, b)), three(), new int[] {}, 3, 3);
        check(x -> Nx.reduce(x, 1, (a, b) -> Nx.multiply(a, b)), three(), new int[] {}, -3, 9);
    }

    @Test
    void indexedAdd() {
        Tensor indices = Nx.tensor(new int[][] {{0}, {0}, {1}});
        Tensor updates = c64(c(0, 1), c(1, -2), c(3, 3));
        // (1+i) + i + (1−2i) = 2; 2 + (3+3i) = 5+3i
        check(x -> Nx.indexedAdd(x, indices, updates), c64(c(1, 1), c(2, 0)), new int[] {2}, 2, 0, 5, 3);
    }

    @Test
    void matrixPower() {
        // M = [[1+i, 0], [1, i]]: M² = [[2i, 0], [1+2i, −1]], M³ = [[−2+2i, 0], [−2+3i, −i]]
        Tensor m = Nx.reshape(c64(c(1, 1), c(0, 0), c(1, 0), c(0, 1)), Shape.of(2, 2));
        check(x -> LinAlg.matrixPower(x, 2), m, new int[] {2, 2}, 0, 2, 0, 0, 1, 2, -1, 0);
        check(x -> LinAlg.matrixPower(x, 3), m, new int[] {2, 2}, -2, 2, 0, 0, -2, 3, 0, -1);
    }

    @Test
    void movementsKeepBothParts() {
        check(x -> Nx.pad(x, Nx.tensor(c(2, -1), DType.C64), new int[] {1, 1, 0}), c64(c(1, 1)), new int[] {3},
                2, -1, 1, 1, 2, -1);
        check(x -> Nx.take(x, Nx.tensor(new int[] {2, 0})), three(), new int[] {2}, 0, 3, 1, 1);
        Tensor onFalse = c64(c(0, 3), c(4, -1));
        check(x -> Nx.select(Nx.tensor(new int[] {1, 0}), x, onFalse), c64(c(1, 1), c(2, 0)), new int[] {2},
                1, 1, 4, -1);
        check(x -> Nx.reverse(x), three(), new int[] {3}, 0, 3, 2, -1, 1, 1);
    }
}
