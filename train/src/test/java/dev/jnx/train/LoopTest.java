package dev.jnx.train;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Tree;
import dev.jnx.train.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training and evaluation loops on a synthetic task, on both backends. */
class LoopTest {
    /** Three Gaussian blobs in the plane, labelled 0-2, {@code n} points. */
    static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][2];
        int[] y = new int[n];
        double[][] centers = {{-2, 0}, {2, 0}, {0, 2.5}};
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x[i][0] = (float) (centers[y[i]][0] + 0.7 * gaussian(r));
            x[i][1] = (float) (centers[y[i]][1] + 0.7 * gaussian(r));
        }
        return Dataset.of(Nx.tensor(x), Nx.tensor(y));
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static Model mlp() {
        return Model.input(2).dense(16).relu().dense(3);
    }

    static TrainLoop trainer() {
        // Per-example values (Reduction.NONE): validation sets may pad their last batch.
        return Loop.trainer(mlp(), (y, p) -> Losses.sparseCategoricalCrossEntropy(y, p, true, Reduction.NONE),
                Optimizers.adam(0.05)).metric("accuracy", (y, p) -> Metrics.accuracy(y, p, Reduction.NONE)).progress(false);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void learnsASyntheticClassificationTask(Compiler compiler) {
        Dataset train = blobs(480, 1).shuffle(7).batch(32, true);
        Dataset test = blobs(300, 2).batch(64, false);
        List<Double> epochAccuracy = new ArrayList<>();
        TrainState s = trainer().validate(test).handle(Event.EPOCH_COMPLETED, st -> {
            epochAccuracy.add(st.metrics().get("validation_accuracy"));
            return Control.CONTINUE;
        }).run(train, 8, compiler);
        assertEquals(8, s.epoch());
        assertEquals(8L * 15, s.step());
        Map<String, Double> m = Loop.evaluator(mlp())
                .metric("accuracy", (y, p) -> Metrics.accuracy(y, p, Reduction.NONE)).progress(false)
                .run(test, s.params(), compiler);
        assertTrue(m.get("accuracy") >= 0.95, "test accuracy " + m);
        assertEquals(m.get("accuracy"), epochAccuracy.get(epochAccuracy.size() - 1), 1e-6);
        assertTrue(epochAccuracy.get(0) < 1, epochAccuracy.toString());
        // The evaluator's accuracy is the fraction of the 300 test points the final model gets right.
        Tensor predicted = Nx.argmax(mlp().predict(s.params(), test.x()), 1, false, false, DType.S32);
        double hits = Nx.sum(Nx.equal(predicted, test.y())).toDouble();
        assertEquals(hits / 300, m.get("accuracy"), 1e-6);
    }

    @Test
    void resumingFromACheckpointContinuesBitForBit(@TempDir Path dir) {
        Dataset train = blobs(96, 3).shuffle(11).batch(16, true);
        Model model = Model.input(2).dense(8).relu().dropout(0.25).dense(3);
        Loss loss = (y, p) -> Losses.sparseCategoricalCrossEntropy(y, p, true, Reduction.MEAN);
        TrainState straight = Loop.trainer(model, loss, Optimizers.adamw(0.01)).progress(false)
                .run(train, 3, Evaluator.compiler());
        Path ckpt = dir.resolve("run.ckpt");
        TrainState partial = Loop.trainer(model, loss, Optimizers.adamw(0.01)).progress(false).checkpoint(ckpt)
                .run(train, 2, Evaluator.compiler());
        TrainState loaded = Checkpoint.load(ckpt);
        assertEquals(2, loaded.epoch());
        assertEquals(12, loaded.step());
        assertBitIdentical(partial.params(), loaded.params());
        TrainState resumed = Loop.trainer(model, loss, Optimizers.adamw(0.01)).progress(false)
                .run(train, loaded, 3, Evaluator.compiler());
        assertEquals(3, resumed.epoch());
        assertBitIdentical(straight.params(), resumed.params());
        assertBitIdentical(straight.optimizerState(), resumed.optimizerState());
    }

    static void assertBitIdentical(Object a, Object b) {
        List<Tensor> la = Tree.leaves(a);
        List<Tensor> lb = Tree.leaves(b);
        assertEquals(Tree.flatten(a, new ArrayList<>()), Tree.flatten(b, new ArrayList<>()));
        for (int i = 0; i < la.size(); i++) {
            assertArrayEquals(la.get(i).toByteArray(), lb.get(i).toByteArray(), "leaf " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void aPaddedLastBatchCountsEveryExampleOnce(Compiler compiler) {
        // 10 examples in batches of 4: 4 + 4 + 2 real rows; the accuracy of a fixed model is exact.
        Tensor x = Nx.tensor(new float[][] {{1}, {-1}, {2}, {-2}, {3}, {-3}, {4}, {-4}, {5}, {5}});
        Tensor y = Nx.tensor(new int[] {1, 0, 1, 0, 1, 0, 1, 1, 0, 0});
        Model m = Model.input(1).dense(2);
        Map<String, Map<String, Tensor>> p = Map.of("dense_0", Map.of(
                "kernel", Nx.tensor(new float[][] {{-1, 1}}), "bias", Nx.tensor(new float[] {0, 0})));
        Dataset data = Dataset.of(x, y).batch(4, false);
        assertTrue(data.padsLastBatch());
        Map<String, Double> r = Loop.evaluator(m).progress(false)
                .metric("accuracy", (t, q) -> Metrics.accuracy(t, q, Reduction.NONE)).run(data, p, compiler);
        // predicted class = x > 0: right for 1..7 except index 7 (-4 labelled 1), wrong for the two 5s labelled 0
        assertEquals(0.7, r.get("accuracy"), 1e-6);
        var e = assertThrows(IllegalArgumentException.class, () -> Loop.evaluator(m).progress(false)
                .metric("accuracy", Metrics::accuracy).run(data, p, compiler));
        assertTrue(e.getMessage().contains("pads its last batch") && e.getMessage().contains("Reduction.NONE"),
                e.getMessage());
    }

    @Test
    void badInputsNameTheLayerLossAndShapes() {
        Compiler c = Evaluator.compiler();
        Dataset wrongShape = Dataset.of(Nx.iota(Shape.of(8, 3), DType.F32), Nx.tensor(new int[8])).batch(4, true);
        var e = assertThrows(IllegalArgumentException.class, () -> trainer().run(wrongShape, 1, c));
        assertTrue(e.getMessage().contains("expected [batch, 2]") && e.getMessage().contains("f32[4][3]"), e.getMessage());
        Dataset floatLabels = Dataset.of(Nx.iota(Shape.of(8, 2), DType.F32), Nx.iota(Shape.of(8), DType.F32)).batch(4, true);
        e = assertThrows(IllegalArgumentException.class, () -> trainer().run(floatLabels, 1, c));
        assertTrue(e.getMessage().contains("sparseCategoricalCrossEntropy") && e.getMessage().contains("integer")
                && e.getMessage().contains("f32[4]"), e.getMessage());
        Dataset empty = Dataset.of(Nx.iota(Shape.of(3, 2), DType.F32), Nx.tensor(new int[3])).batch(4, true);
        e = assertThrows(IllegalArgumentException.class, () -> trainer().run(empty, 1, c));
        assertTrue(e.getMessage().contains("no batch") && e.getMessage().contains("3 examples"), e.getMessage());
        Dataset ok = Dataset.of(Nx.iota(Shape.of(8, 2), DType.F32), Nx.tensor(new int[8])).batch(4, true);
        e = assertThrows(IllegalArgumentException.class, () -> trainer().metric("probabilities", (y, p) -> p).run(ok, 1, c));
        assertTrue(e.getMessage().contains("metric probabilities") && e.getMessage().contains("f32[4][3]")
                && e.getMessage().contains("f32[4]"), e.getMessage());
    }

    @Test
    void earlyStopHaltsWhenTheMetricStopsImproving() {
        Dataset data = blobs(64, 5).batch(16, true);
        List<Integer> epochs = new ArrayList<>();
        // A learning rate of 0 never improves the loss: epoch 0 sets the best, epochs 1 and 2 do not beat it.
        TrainState s = Loop.trainer(mlp(), Losses::meanSquaredError, Optimizers.sgd(0)).progress(false)
                .handle(Event.EPOCH_COMPLETED, st -> {
                    epochs.add(st.epoch());
                    return Control.CONTINUE;
                }).earlyStop("loss", 2).run(oneHotTargets(data), 10, Evaluator.compiler());
        assertEquals(List.of(0, 1, 2), epochs);
        assertEquals(3, s.epoch());
    }

    @Test
    void theStepAndTheValidationAreCompiledOnceEach() {
        int[] compiles = {0};
        Compiler counting = new Compiler() {
            @Override
            public dev.jnx.defn.Executable compile(dev.jnx.defn.TracedFunction f) {
                compiles[0]++;
                return Evaluator.compiler().compile(f);
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        // 100 examples in batches of 32: a padded fourth batch in every epoch, same shapes.
        TrainState s = trainer().validate(blobs(50, 8).batch(16, false)).run(blobs(100, 9).shuffle(2).batch(32, false), 3,
                counting);
        assertEquals(12, s.step());
        assertEquals(2, compiles[0]);
    }

    /**
     * Native objects still reachable: garbage a Cleaner has yet to release is collected first
     * (the count is read until two readings after a GC agree), so only growth shows.
     */
    private static long settledLiveObjects() {
        long now = dev.jnx.xla.PjrtLiveObjects.total();
        for (int i = 0; i < 50; i++) {
            long before = now;
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = dev.jnx.xla.PjrtLiveObjects.total();
            if (now == before) {
                break;
            }
        }
        return now;
    }

    @Test
    void deviceStateDoesNotGrowFromEpochToEpoch() {
        Dataset data = blobs(96, 6).shuffle(1).batch(16, true);
        List<Long> live = new ArrayList<>();
        TrainState s = trainer().validate(blobs(40, 7).batch(16, false)).handle(Event.EPOCH_COMPLETED, st -> {
            live.add(settledLiveObjects());
            return Control.CONTINUE;
        }).run(data, 4, dev.jnx.exla.Exla.compiler());
        // Executables are compiled in epoch 0; from then on every step closes what it replaced.
        assertEquals(live.get(1), live.get(3), live.toString());
        assertEquals(live.get(1), live.get(2), live.toString());
        assertSame(dev.jnx.Backend.HOST, Tree.leaves(s.params()).get(0).backend());
    }

    @Test
    void eachStepGivesUpTheStateItReplaced() {
        List<Tensor> kept = new ArrayList<>();
        List<dev.jnx.Backend> seen = new ArrayList<>();
        trainer().handle(Event.ITERATION_COMPLETED, st -> {
            Tensor kernel = st.trainState().params().get("dense_0").get("kernel");
            seen.add(kernel.backend());
            if (!kept.isEmpty()) {
                assertThrows(IllegalStateException.class, () -> kept.get(0).toFloatArray(), "the previous step's kernel");
                kept.clear();
            }
            kept.add(kernel);
            return Control.CONTINUE;
        }).run(blobs(64, 4).batch(16, true), 1, dev.jnx.exla.Exla.compiler());
        assertEquals(java.util.Collections.nCopies(4, dev.jnx.exla.Exla.backend()), seen);
    }

    static Dataset oneHotTargets(Dataset d) {
        return Dataset.of(d.x(), Preprocessing.oneHot(d.y(), 3)).batch(d.batchSize(), true);
    }
}
