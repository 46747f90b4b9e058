package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Meshes, shardings and functions split over several CPU devices by XLA's SPMD partitioner. */
class ShardingTest {
    static ExlaCompiler four;

    /**
     * Four devices: of the configured plugin when one is set ({@code -Djnx.pjrt.plugin=cuda} on a
     * machine with four GPUs), else four CPU devices of the bundled plugin.
     */
    @BeforeAll
    static void fourDevices() {
        String configured = Plugins.configured();
        if (configured != null && !Plugins.isBundledCpu(configured)) {
            four = Exla.compiler();
            assumeTrue(four.devices().size() >= 4, "the sharding tests need 4 devices, " + configured + " has "
                    + four.devices().size());
            return;
        }
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
        assumeTrue(CpuRuntimeTest.onTfrtCpu(), "several CPU devices need the tfrt-cpu runtime");
        four = Exla.compiler("cpu", Map.of("cpu_device_count", 4L));
    }

    static Tensor iota(int... dims) {
        return Nx.iota(Shape.of(dims), DType.F32);
    }

    @Test
    void meshesAndShardingsRefuseWhatCannotBe() {
        List<ExlaBackend> devices = four.devices();
        assertEquals(4, devices.size());
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> Mesh.of(devices, new int[] {2, 2}, "data"));
        assertTrue(names.getMessage().contains("one axis name per dimension"), names.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mesh.of(devices, new int[] {2, 2}, "x", "x"));
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> Mesh.of(devices, new int[] {4, 2}, "data", "model"));
        assertTrue(few.getMessage().contains("needs 8 devices, got 4"), few.getMessage());
        Mesh mesh = Mesh.of(devices, new int[] {2, 2}, "data", "model");
        IllegalArgumentException axis = assertThrows(IllegalArgumentException.class, () -> mesh.split("batch"));
        assertTrue(axis.getMessage().contains("batch is not an axis"), axis.getMessage());
        IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class,
                () -> Nx.backendTransfer(iota(3, 2), mesh.split("data")));
        assertTrue(uneven.getMessage().contains("dimension 0 of [3][2] (3) does not divide into 2 shards along mesh axis data")
                || uneven.getMessage().contains("does not divide into 2 shards"), uneven.getMessage());
    }

    @Test
    void shardingAttributesFollowXlaTileAssignments() {
        Mesh mesh = Mesh.of(four.devices(), new int[] {2, 2}, "data", "model");
        assertEquals("{devices=[2,2]0,1,2,3}", mesh.split("data", "model").mhlo(2));
        // Split along data only: the two devices of each row of the mesh hold the same piece.
        assertEquals("{devices=[2,1,2]0,1,2,3 last_tile_dim_replicate}", mesh.split("data").mhlo(2));
        assertEquals("{devices=[1,2,2]0,2,1,3 last_tile_dim_replicate}", mesh.split(null, "model").mhlo(2));
        assertEquals("{devices=[2,2]0,2,1,3}", mesh.split("model", "data").mhlo(2));
        assertEquals("{replicated}", mesh.replicated().mhlo(3));
    }

    @Test
    void shardAndGatherRoundTrips() {
        Mesh mesh = Mesh.of(four.devices(), new int[] {2, 2}, "data", "model");
        Tensor x = iota(4, 6);
        for (Sharding s : List.of(mesh.split("data", "model"), mesh.split("data"), mesh.split(null, "model"),
                mesh.replicated())) {
            Tensor sharded = Nx.backendCopy(x, s);
            assertInstanceOf(ShardedData.class, sharded.data());
            List<Tensor> shards = sharded.shards();
            assertEquals(4, shards.size());
            assertEquals(s.shardShape(x.shape()), shards.get(0).shape(), s.toString());
            assertArrayEquals(x.toFloatArray(), sharded.toFloatArray(), s.toString());
            sharded.close();
        }
        // Partition 3 sits at mesh (1, 1): rows 2..3 and columns 3..5 of x.
        Tensor split = Nx.backendTransfer(x, mesh.split("data", "model"));
        assertArrayEquals(new float[] {15, 16, 17, 21, 22, 23}, split.shards().get(3).toFloatArray());
        assertEquals(3, ((DeviceData) split.shards().get(3).data()).buffer().device().id());
        split.close();
    }

    @Test
    void matmulWithRowsSplitEqualsTheUnshardedOne() {
        Mesh mesh = Mesh.of(four.devices(), "data");
        BiFunction<Tensor, Tensor, Tensor> dot = Defn.jit((Defn.TensorBiFunction) Nx::dot, four.withShardings(
                List.of(mesh.split("data"), mesh.replicated()), List.of(mesh.split("data"))));
        Tensor a = Nx.divide(iota(8, 5), 7f);
        Tensor b = Nx.subtract(Nx.divide(iota(5, 3), 3f), 1f);
        float[] want = Defn.jit((Defn.TensorBiFunction) Nx::dot, Evaluator.compiler()).apply(a, b).toFloatArray();
        Tensor onMesh = Nx.backendTransfer(a, mesh.split("data"));
        Tensor c = dot.apply(onMesh, b);
        assertInstanceOf(ShardedData.class, c.data(), "device arguments give sharded results");
        assertEquals(Shape.of(2, 3), c.shards().get(0).shape());
        assertArrayEquals(want, c.toFloatArray(), 1e-5f);
        c.close();
        onMesh.close();
        // Host arguments are sharded for the call; the result comes back to the host.
        assertArrayEquals(want, dot.apply(a, b).toFloatArray(), 1e-5f);
    }

    @Test
    void reductionAcrossShardsIsAllReduced() {
        Mesh mesh = Mesh.of(four.devices(), "data");
        ShardedCompiler sharded = four.withShardings(List.of(mesh.split("data")), List.of(mesh.replicated()));
        Function<Tensor, Tensor> sum = Defn.jit((Tensor x) -> Nx.sum(Nx.multiply(x, x), new int[] {0}, false), sharded);
        Tensor x = Nx.subtract(iota(8, 3), 10f);
        float[] want = Defn.jit((Tensor y) -> Nx.sum(Nx.multiply(y, y), new int[] {0}, false), Evaluator.compiler())
                .apply(x).toFloatArray();
        Tensor onMesh = Nx.backendTransfer(x, mesh.split("data"));
        Tensor s = sum.apply(onMesh);
        for (Tensor replica : s.shards()) {
            assertArrayEquals(want, replica.toFloatArray(), 1e-4f, "every device holds the whole sum");
        }
        String module = ((ShardedExecutable) sharded.compile(Defn.trace((Tensor y) -> Nx.sum(y, new int[] {0}, false), x)))
                .moduleText();
        assertTrue(module.contains("mhlo.num_partitions = 4") && module.contains("mhlo.sharding = \"{devices=[4,1]0,1,2,3}\""),
                module);
        s.close();
        onMesh.close();
    }

    @Test
    void badShardingListsAreRefusedAtCompile() {
        Mesh mesh = Mesh.of(four.devices(), "data");
        Function<Tensor, Tensor> f = Defn.jit((Tensor x) -> Nx.exp(x),
                four.withShardings(List.of(mesh.split("data"), mesh.split("data")), null));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> f.apply(iota(4)));
        assertTrue(count.getMessage().contains("2 argument shardings for 1 argument leaves"), count.getMessage());
        Function<Tensor, Tensor> g = Defn.jit((Tensor x) -> Nx.exp(x), four.withShardings(List.of(mesh.split("data")), null));
        IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class, () -> g.apply(iota(6)));
        assertTrue(uneven.getMessage().contains("does not divide into 4 shards"), uneven.getMessage());
        String configured = Plugins.configured();
        if (configured == null || Plugins.isBundledCpu(configured)) { // a second CPU client
            Mesh other = Mesh.of(Exla.compiler("cpu", Map.of("cpu_device_count", 2L)).devices(), "data");
            assertThrows(IllegalArgumentException.class, () -> four.withShardings(List.of(other.split("data")), null));
        }
    }

    /** One SGD step of a 3-8-2 tanh MLP on squared error; params {w1, b1, w2, b2}. */
    static List<Tensor> step(List<Tensor> params, Tensor x, Tensor y) {
        var vg = Defn.valueAndGrad(params, p -> {
            Tensor h = Nx.tanh(Nx.add(Nx.dot(x, p.get(0)), p.get(1)));
            Tensor out = Nx.add(Nx.dot(h, p.get(2)), p.get(3));
            return Nx.mean(Nx.multiply(Nx.subtract(out, y), Nx.subtract(out, y)));
        });
        List<Tensor> next = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            next.add(Nx.subtract(params.get(i), Nx.multiply(vg.grad().get(i), 0.1f)));
        }
        return next;
    }

    @Test
    void dataParallelTrainingMatchesOneDevice() {
        Mesh mesh = Mesh.of(four.devices(), new int[] {2}, "data");
        List<Tensor> start = List.of(Nx.divide(Nx.subtract(iota(3, 8), 11f), 13f), Nx.multiply(iota(8), 0.01f),
                Nx.divide(Nx.subtract(iota(8, 2), 7f), 9f), Nx.tensor(new float[] {0.1f, -0.1f}));
        Tensor x = Nx.sin(Nx.multiply(iota(16, 3), 0.37f));
        Tensor y = Nx.concatenate(List.of(Nx.sum(x, new int[] {1}, true), Nx.cos(Nx.sum(x, new int[] {1}, true))), 1);
        // 4 parameter leaves replicated, the batch's rows split: XLA all-reduces the gradients.
        List<Sharding> in = new ArrayList<>(Arrays.asList(null, null, null, null));
        in.add(mesh.split("data"));
        in.add(mesh.split("data"));
        var oneDevice = Defn.jit(ShardingTest::step, Exla.compiler());
        var twoDevices = Defn.jit(ShardingTest::step, four.withShardings(in, null));
        List<Tensor> p1 = start;
        List<Tensor> p2 = start;
        Tensor xs = Nx.backendTransfer(x, mesh.split("data"));
        Tensor ys = Nx.backendTransfer(y, mesh.split("data"));
        for (int i = 0; i < 50; i++) {
            p1 = oneDevice.apply(p1, x, y);
            List<Tensor> next = twoDevices.apply(p2, xs, ys);
            if (p2 != start) {
                p2.forEach(Tensor::close);
            }
            p2 = next;
        }
        for (int i = 0; i < p1.size(); i++) {
            assertInstanceOf(ShardedData.class, p2.get(i).data());
            assertArrayEquals(p1.get(i).toFloatArray(), p2.get(i).toFloatArray(), 1e-5f, "parameter " + i);
        }
        assertTrue(Math.abs(p1.get(0).toFloatArray()[0] - start.get(0).toFloatArray()[0]) > 1e-3, "the step trains");
        xs.close();
        ys.close();
        p2.forEach(Tensor::close);
    }
}
