package dev.jnx.train;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.BinaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Losses against Axon's documented values and hand-computed ones, jitted on both backends. */
class LossesTest {
    static double[] run(Compiler c, BinaryOperator<Tensor> f, Tensor y, Tensor p) {
        return Defn.jit((Tensor a, Tensor b) -> f.apply(a, b), c).apply(y, p).toDoubleArray();
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void axonsDocumentedValues(Compiler c) {
        Tensor yb = Nx.tensor(new int[][] {{0, 1}, {1, 0}, {1, 0}});
        Tensor pb = Nx.tensor(new float[][] {{0.6811f, 0.5565f}, {0.6551f, 0.4551f}, {0.5422f, 0.2648f}});
        assertArrayEquals(new double[] {0.8644826412200928, 0.5150600075721741, 0.45986634492874146},
                run(c, (y, p) -> Losses.binaryCrossEntropy(y, p, false, Reduction.NONE), yb, pb), 1e-6);
        assertEquals(0.613136351108551, run(c, Losses::binaryCrossEntropy, yb, pb)[0], 1e-6);
        assertEquals(1.8394089937210083, run(c, (y, p) -> Losses.binaryCrossEntropy(y, p, false, Reduction.SUM), yb, pb)[0],
                1e-6);

        Tensor yc = Nx.tensor(new byte[][] {{0, 1, 0}, {0, 0, 1}});
        Tensor pc = Nx.tensor(new float[][] {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}});
        assertArrayEquals(new double[] {0.051293306052684784, 2.3025851249694824},
                run(c, (y, p) -> Losses.categoricalCrossEntropy(y, p, false, Reduction.NONE), yc, pc), 1e-6);
        assertEquals(1.1769392490386963, run(c, Losses::categoricalCrossEntropy, yc, pc)[0], 1e-6);
        assertEquals(2.3538784980773926,
                run(c, (y, p) -> Losses.categoricalCrossEntropy(y, p, false, Reduction.SUM), yc, pc)[0], 1e-6);
        assertEquals(2.3538784980773926, run(c, (y, p) -> Losses.sparseCategoricalCrossEntropy(y, p, false, Reduction.SUM),
                Nx.tensor(new byte[] {1, 2}), pc)[0], 1e-6);

        Tensor yr = Nx.tensor(new float[][] {{0, 1}, {0, 0}});
        Tensor pr = Nx.tensor(new float[][] {{1, 1}, {1, 0}});
        assertArrayEquals(new double[] {0.5, 0.5}, run(c, (y, p) -> Losses.meanSquaredError(y, p, Reduction.NONE), yr, pr));
        assertEquals(1.0, run(c, (y, p) -> Losses.meanSquaredError(y, p, Reduction.SUM), yr, pr)[0]);
        assertArrayEquals(new double[] {0.5, 0.5}, run(c, (y, p) -> Losses.meanAbsoluteError(y, p, Reduction.NONE), yr, pr));
        assertEquals(0.5, run(c, Losses::meanAbsoluteError, yr, pr)[0]);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void fromLogitsIsStableForExtremeLogits(Compiler c) {
        Tensor logits = Nx.tensor(new float[][] {{1000, 0, -1000}, {-3000, 3000, 0}, {2, 1, 0.5f}});
        Tensor labels = Nx.tensor(new int[] {0, 0, 2});
        double[] l = run(c, (y, p) -> Losses.sparseCategoricalCrossEntropy(y, p, true, Reduction.NONE), labels, logits);
        // -log softmax: ~0 for the winning class, the logit gap for a loser, exact for moderate logits.
        double lse = Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0.5));
        assertArrayEquals(new double[] {0, 6000, lse - 0.5}, l, 1e-4);
        double[] oneHot = run(c, (y, p) -> Losses.categoricalCrossEntropy(y, p, true, Reduction.NONE),
                Preprocessing.oneHot(labels, 3), logits);
        assertArrayEquals(l, oneHot, 1e-6);
        // Binary from logits: max(x, 0) - x y + log1p(exp(-|x|)).
        Tensor x = Nx.tensor(new float[][] {{100, -100, 0, 3}});
        Tensor y = Nx.tensor(new float[][] {{1, 1, 0, 0}});
        double want = (0 + 100 + Math.log(2) + (3 + Math.log1p(Math.exp(-3)))) / 4;
        assertEquals(want, run(c, (t, p) -> Losses.binaryCrossEntropy(t, p, true, Reduction.NONE), y, x)[0], 1e-5);
        // Probabilities of exactly 0 and 1 are clipped, not turned into infinities.
        double clipped = run(c, Losses::binaryCrossEntropy, Nx.tensor(new float[] {1, 0}), Nx.tensor(new float[] {0, 1}))[0];
        assertTrue(clipped > 15.5 && clipped < 16.2, "clipped at 1e-7: " + clipped);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void fromLogitsMatchesProbabilitiesOfTheSoftmax(Compiler c) {
        Tensor logits = Nx.tensor(new double[][] {{0.3, -1.2, 2.0}, {1.5, 0.1, -0.4}});
        Tensor y = Nx.tensor(new double[][] {{0.2, 0.3, 0.5}, {1, 0, 0}});
        Tensor probabilities = Nx.divide(Nx.exp(logits), Nx.sum(Nx.exp(logits), new int[] {1}, true));
        assertArrayEquals(run(c, (t, p) -> Losses.categoricalCrossEntropy(t, p, false, Reduction.NONE), y, probabilities),
                run(c, (t, p) -> Losses.categoricalCrossEntropy(t, p, true, Reduction.NONE), y, logits), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void oneHotRows(Compiler c) {
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0},
                Defn.jit((Tensor l) -> Preprocessing.oneHot(l, 3), c).apply(Nx.tensor(new int[] {1, 2, 0, 7}))
                        .toDoubleArray());
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void badTargetsNameTheLossAndShapes(Compiler c) {
        Tensor p = Nx.tensor(new float[][] {{0.5f, 0.5f}, {0.1f, 0.9f}});
        var e = assertThrows(IllegalArgumentException.class, () -> run(c, Losses::sparseCategoricalCrossEntropy,
                Nx.tensor(new float[] {0, 1}), p));
        assertTrue(e.getMessage().contains("sparseCategoricalCrossEntropy: labels must be integer") && e.getMessage()
                .contains("f32[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run(c, Losses::sparseCategoricalCrossEntropy,
                Nx.tensor(new int[] {0, 1, 1}), p));
        assertTrue(e.getMessage().contains("s32[3]") && e.getMessage().contains("f32[2][2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run(c, Losses::categoricalCrossEntropy,
                Nx.tensor(new int[] {0, 1}), p));
        assertTrue(e.getMessage().contains("categoricalCrossEntropy") && e.getMessage().contains("sparseCategorical"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run(c, Losses::meanSquaredError,
                Nx.tensor(new float[] {0, 1}), p));
        assertTrue(e.getMessage().contains("meanSquaredError") && e.getMessage().contains("same shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.oneHot(Nx.asType(p, DType.F64), 2));
        assertTrue(e.getMessage().contains("oneHot"), e.getMessage());
    }
}
