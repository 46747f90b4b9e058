package dev.jnx.train;

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
}
