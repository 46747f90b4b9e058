package dev.jnx.train;

import dev.jnx.Compiler;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.jnx.train.LossesTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metrics against Axon's documented values, jitted on both backends. */
class MetricsTest {
    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void accuracyForBinaryOneHotAndSparseTargets(Compiler c) {
        assertEquals(0.3333333432674408, run(c, Metrics::accuracy, Nx.tensor(new int[][] {{1}, {0}, {0}}),
                Nx.tensor(new float[][] {{1}, {1}, {1}}))[0], 1e-7);
        assertEquals(0.6666666865348816, run(c, Metrics::accuracy, Nx.tensor(new int[][] {{0, 1}, {1, 0}, {1, 0}}),
                Nx.tensor(new int[][] {{0, 1}, {1, 0}, {0, 1}}))[0], 1e-7);
        assertEquals(0.5, run(c, Metrics::accuracy, Nx.tensor(new int[][] {{0, 1, 0}, {1, 0, 0}}),
                Nx.tensor(new int[][] {{0, 1, 0}, {0, 1, 0}}))[0]);
        Tensor logits = Nx.tensor(new float[][] {{0.1f, 2, -1}, {3, 0, 0}, {0, 0, 5}, {1, 0, 0}});
        assertArrayEquals(new double[] {1, 1, 0, 0}, run(c, (y, p) -> Metrics.accuracy(y, p, Reduction.NONE),
                Nx.tensor(new int[] {1, 0, 1, 2}), logits));
        assertEquals(2.0, run(c, (y, p) -> Metrics.accuracy(y, p, Reduction.SUM), Nx.tensor(new int[] {1, 0, 1, 2}),
                logits)[0]);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void topKAccuracy(Compiler c) {
        Tensor p = Nx.tensor(new float[][] {{0.1f, 0.4f, 0.7f}, {0.1f, 0.4f, 0.7f}});
        assertEquals(0.5, run(c, (y, q) -> Metrics.topKAccuracy(y, q, 2), Nx.tensor(new int[][] {{0, 1, 0}, {1, 0, 0}}), p)[0]);
        assertEquals(0.5, run(c, (y, q) -> Metrics.topKAccuracy(y, q, 2), Nx.tensor(new int[][] {{0}, {2}}), p)[0]);
        assertArrayEquals(new double[] {1, 1}, run(c, (y, q) -> Metrics.topKAccuracy(y, q, 3, Reduction.NONE),
                Nx.tensor(new int[] {0, 2}), p));
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void targetsThatDoNotFitAreRefused(Compiler c) {
        Tensor p = Nx.tensor(new float[][] {{0.1f, 0.9f}, {0.8f, 0.2f}});
        var e = assertThrows(IllegalArgumentException.class, () -> run(c, Metrics::accuracy,
                Nx.tensor(new float[] {1, 0}), p));
        assertTrue(e.getMessage().contains("Metrics.accuracy") && e.getMessage().contains("f32[2]")
                && e.getMessage().contains("f32[2][2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run(c, (y, q) -> Metrics.topKAccuracy(y, q, 3),
                Nx.tensor(new int[] {1, 0}), p));
        assertTrue(e.getMessage().contains("k must be in [1, 2]"), e.getMessage());
    }
}
