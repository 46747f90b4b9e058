package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient rules of the shape and indexing primitives against central finite differences in
 * f64, eagerly and jitted with {@link #compiler()} (exla-backend reruns them through XLA).
 */
public class IndexingGradTest {
    /** The compiler the jitted gradients are checked with. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    private void check(Function<Tensor, Tensor> f, Tensor x) {
        new GradTest() {
            @Override
            protected Compiler compiler() {
                return IndexingGradTest.this.compiler();
            }
        }.checkGrad(f, x);
    }

    /** sum(f(x) * w) for a fixed random w shaped like f(x): a scalar whose gradient weighs every element. */
    private static Function<Tensor, Tensor> weighted(Function<Tensor, Tensor> f, Tensor sample) {
        Tensor w = GradTest.random(-1, 1, f.apply(sample).shape().dims());
        return x -> Nx.sum(Nx.multiply(f.apply(x), w));
    }

    private void checkWeighted(Function<Tensor, Tensor> f, int... dims) {
        Tensor x = GradTest.random(-1, 1, dims);
        check(weighted(f, x), x);
    }

    @Test
    void sliceAndPad() {
        checkWeighted(x -> Nx.slice(x, new int[] {1, 0}, new int[] {2, 3}, new int[] {1, 2}), 4, 5);
        checkWeighted(x -> Nx.pad(x, 0.5, new int[] {1, -1, 1}, new int[] {-1, 2, 2}), 3, 4);
        checkWeighted(x -> Nx.sliceAlongAxis(x, 2, 3, 1, 1), 2, 6);
        // the padding value gets the cotangent of every padded position
        Tensor v = Nx.scalar(0.25);
        Tensor inner = GradTest.random(-1, 1, 2, 2);
        check(p -> Nx.sum(Nx.multiply(Nx.pad(inner, p, new int[] {1, 1, 1}, new int[] {0, 1, 0}),
                Nx.iota(Shape.of(5, 3), DType.F64))), v);
    }

    @Test
    void dynamicSlices() {
        Tensor i = Nx.scalar(1);
        Tensor j = Nx.scalar(7); // clamped
        checkWeighted(x -> Nx.slice(x, new Object[] {i, j}, new int[] {2, 2}), 3, 4);
        Tensor u = GradTest.random(-1, 1, 2, 2);
        checkWeighted(x -> Nx.putSlice(x, new Object[] {j, i}, Nx.multiply(u, 2.0)), 3, 4);
        Tensor base = GradTest.random(-1, 1, 3, 4);
        checkWeighted(x -> Nx.putSlice(base, new Object[] {i, j}, x), 2, 2);
    }

    @Test
    void concatenateStackReverseTile() {
        Tensor b = GradTest.random(-1, 1, 2, 2);
        checkWeighted(x -> Nx.concatenate(List.of(x, Nx.exp(x), b), 1), 2, 3);
        checkWeighted(x -> Nx.stack(List.of(x, Nx.multiply(x, x)), 1), 3);
        checkWeighted(x -> Nx.reverse(x, 1), 2, 3);
        checkWeighted(x -> Nx.tile(x, 2, 1), 2, 3);
        checkWeighted(x -> Nx.diff(x, 2, 0), 5, 2);
    }

    @Test
    void gatherTakeAndScatter() {
        Tensor idx = Nx.tensor(new int[][] {{2, 1}, {0, 0}, {2, 1}, {5, -3}}); // repeated and clamped
        checkWeighted(x -> Nx.gather(x, idx), 3, 2);
        checkWeighted(x -> Nx.take(x, Nx.tensor(new int[] {2, 0, 2}), 1), 2, 3);
        checkWeighted(x -> Nx.takeAlongAxis(x, Nx.tensor(new int[][] {{1, 0, 1}, {0, 0, 1}}), 1), 2, 2);
        checkWeighted(x -> Nx.takeDiagonal(x, 1), 3, 4);
        Tensor rows = Nx.tensor(new int[][] {{1}, {0}, {1}});
        Tensor u = GradTest.random(-1, 1, 3, 2);
        checkWeighted(x -> Nx.indexedAdd(x, rows, Nx.multiply(u, 2.0)), 2, 2);
        checkWeighted(x -> Nx.indexedAdd(Nx.multiply(u, 0.0), Nx.tensor(new int[][] {{2}, {0}}), x), 2, 2);
        checkWeighted(x -> Nx.indexedPut(x, Nx.tensor(new int[][] {{1}}), Nx.multiply(Nx.slice(u, new int[] {0, 0},
                new int[] {1, 2}), 3.0)), 2, 2);
        Tensor target = GradTest.random(-1, 1, 3, 2);
        checkWeighted(x -> Nx.indexedPut(target, Nx.tensor(new int[][] {{2}, {0}}), x), 2, 2);
        checkWeighted(x -> Nx.makeDiagonal(x, -1), 3);
        checkWeighted(x -> Nx.tril(x, 0), 3, 3);
    }

    @Test
    void convolutions() {
        Tensor k = GradTest.random(-1, 1, 4, 2, 2, 2);
        checkWeighted(x -> Nx.conv(x, k, ConvOptions.defaults().featureGroupSize(2).strides(2, 1)
                .padding(new int[] {1, 0}, new int[] {0, 1}).kernelDilation(1, 2)), 2, 4, 4, 5);
        Tensor img = GradTest.random(-1, 1, 2, 4, 4, 5);
        checkWeighted(kk -> Nx.conv(img, kk, ConvOptions.defaults().featureGroupSize(2).strides(2, 1)
                .padding(new int[] {1, 0}, new int[] {0, 1}).kernelDilation(1, 2)), 4, 2, 2, 2);
        Tensor k2 = GradTest.random(-1, 1, 4, 3, 2, 1);
        checkWeighted(x -> Nx.conv(x, k2, ConvOptions.defaults().batchGroupSize(2).padding("same")
                .inputDilation(2, 1)), 4, 3, 3, 2);
        Tensor x2 = GradTest.random(-1, 1, 4, 3, 3, 2);
        checkWeighted(kk -> Nx.conv(x2, kk, ConvOptions.defaults().batchGroupSize(2).padding("same")
                .inputDilation(2, 1)), 4, 3, 2, 1);
        Tensor k3 = GradTest.random(-1, 1, 3, 2, 2);
        checkWeighted(x -> Nx.conv(x, k3, ConvOptions.defaults().inputPermutation(0, 2, 1)
                .outputPermutation(0, 2, 1).strides(2)), 2, 5, 2);
    }

    @Test
    void windows() {
        WindowOptions o = WindowOptions.defaults().strides(2, 1).padding(new int[] {1, 0}, new int[] {0, 2})
                .windowDilations(1, 2);
        checkWeighted(x -> Nx.windowSum(x, new int[] {2, 2}, o), 5, 4);
        checkWeighted(x -> Nx.windowMean(x, new int[] {3, 1}, WindowOptions.defaults().padding("same")), 4, 3);
        WindowOptions p = WindowOptions.defaults().strides(2, 1).padding(new int[] {1, 0}, new int[] {0, 1});
        checkWeighted(x -> Nx.windowMax(x, new int[] {2, 2}, p), 5, 4);
        checkWeighted(x -> Nx.windowMin(x, new int[] {3, 2}, WindowOptions.defaults()), 4, 4);
        // the cotangent goes to the first maximum of each window, as in Nx
        Tensor ties = Nx.tensor(new double[] {1, 3, 3, 2});
        assertArrayEquals(new double[] {0, 2, 1, 0}, Defn.grad(ties,
                x -> Nx.sum(Nx.windowMax(x, new int[] {2}, WindowOptions.defaults()))).toDoubleArray(), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Defn.grad(Nx.tensor(new double[] {1, 2}),
                x -> Nx.sum(Nx.windowProduct(x, new int[] {1}, WindowOptions.defaults()))));
        assertTrue(e.getMessage().contains("window_product"), e.getMessage());
    }
}
