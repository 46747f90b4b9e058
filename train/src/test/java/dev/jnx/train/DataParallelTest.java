package dev.jnx.train;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Tree;
import dev.jnx.exla.Exla;
import dev.jnx.exla.ExlaCompiler;
import dev.jnx.exla.Mesh;
import dev.jnx.exla.ShardedCompiler;
import dev.jnx.train.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loop on a data-parallel compiler: each batch split over two CPU devices, parameters
 * and optimizer state replicated. It must train the same model as one device.
 */
class DataParallelTest {
    @Test
    void twoDevicesTrainTheSameModelAsOne() {
        assumeTrue(Exla.platformVersion().contains("TfrtCpuClient"), "several CPU devices need the tfrt-cpu runtime");
        ExlaCompiler two = Exla.compiler("cpu", Map.of("cpu_device_count", 2L));
        Mesh mesh = Mesh.of(two.devices(), "data");
        ShardedCompiler dataParallel = two.dataParallel(mesh, "data");
        Dataset train = LoopTest.blobs(192, 5).shuffle(3).batch(32, true);
        TrainState one = LoopTest.trainer().run(train, 3, Exla.compiler());
        TrainState both = LoopTest.trainer().run(train, 3, dataParallel);
        assertEquals(one.step(), both.step());
        List<Tensor> a = Tree.leaves(one.params());
        List<Tensor> b = Tree.leaves(both.params());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), 2e-5f, "parameter leaf " + i);
        }
        Map<String, Double> m = Loop.evaluator(LoopTest.mlp())
                .metric("accuracy", (y, p) -> Metrics.accuracy(y, p, Reduction.NONE)).progress(false)
                .run(LoopTest.blobs(64, 6).batch(32, true), both.params(), dataParallel);
        assertTrue(m.get("accuracy") > 0.8, m.toString());
    }

    /**
     * The Fashion-MNIST MLP (784-256-128-10, Adam 1e-3, batches of 128) for 50 steps, the batch
     * split over two CPU devices: the same parameters as one device. Images of Fashion-MNIST's
     * shape from a seeded generator (labelled by the brightest of ten pixel bands), so the test
     * needs no data set installed.
     */
    @Test
    void fashionMnistMlpOnTwoDevicesMatchesOneAfterFiftySteps() {
        assumeTrue(Exla.platformVersion().contains("TfrtCpuClient"), "several CPU devices need the tfrt-cpu runtime");
        int n = 50 * 128;
        SplittableRandom r = new SplittableRandom(11);
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double best = -1;
            for (int band = 0; band < 10; band++) {
                double sum = 0;
                for (int j = band * 78; j < (band + 1) * 78; j++) {
                    float v = (float) r.nextDouble();
                    pixels[i * 784 + j] = v;
                    sum += v;
                }
                if (sum > best) {
                    best = sum;
                    labels[i] = band;
                }
            }
        }
        Dataset data = Dataset.of(Nx.tensor(pixels, n, 784), Nx.tensor(labels)).batch(128, true);
        TrainLoop trainer = Loop.trainer(Model.input(784).dense(256).relu().dense(128).relu().dense(10),
                (y, p) -> Losses.sparseCategoricalCrossEntropy(y, p, true, Reduction.NONE), Optimizers.adam(1e-3))
                .progress(false);
        ExlaCompiler two = Exla.compiler("cpu", Map.of("cpu_device_count", 2L));
        TrainState one = trainer.run(data, 1, Exla.compiler());
        TrainState both = trainer.run(data, 1, two.dataParallel(Mesh.of(two.devices(), "data"), "data"));
        assertEquals(50, one.step());
        assertEquals(50, both.step());
        List<Tensor> start = Tree.leaves(trainer.init(data).params());
        List<Tensor> a = Tree.leaves(one.params());
        List<Tensor> b = Tree.leaves(both.params());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), 1e-4f, "parameter leaf " + i);
            float moved = Nx.reduceMax(Nx.abs(Nx.subtract(a.get(i), start.get(i)))).toFloatArray()[0];
            assertTrue(moved > 1e-3f, "leaf " + i + " trained (moved by " + moved + ")");
        }
    }
}
