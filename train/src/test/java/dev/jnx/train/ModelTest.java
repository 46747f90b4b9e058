package dev.jnx.train;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building, initializing, saving and loading models. */
class ModelTest {
    static double[] stats(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        double sq = 0;
        double max = 0;
        for (double x : v) {
            mean += x;
            sq += x * x;
            max = Math.max(max, Math.abs(x));
        }
        mean /= v.length;
        return new double[] {mean, sq / v.length - mean * mean, max};
    }

    @Test
    void layersAreNamedAndInitializedAsInAxon() {
        Model m = Model.input(784).dense(256).relu().dense(10);
        assertEquals(List.of("dense_0", "relu_0", "dense_1"), m.layerNames());
        Map<String, Map<String, Tensor>> p = m.init(Random.key(42));
        assertEquals(Set.of("dense_0", "dense_1"), p.keySet());
        assertEquals(Shape.of(784, 256), p.get("dense_0").get("kernel").shape());
        assertEquals(Shape.of(10), p.get("dense_1").get("bias").shape());
        assertArrayEquals(new float[10], p.get("dense_1").get("bias").toFloatArray());
        // Glorot uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)), variance l^2 / 3.
        double limit = Math.sqrt(6.0 / (784 + 256));
        double[] s = stats(p.get("dense_0").get("kernel"));
        assertTrue(s[2] <= limit, "max " + s[2] + " > " + limit);
        assertEquals(limit * limit / 3, s[1], 0.02 * limit * limit / 3);
        assertEquals(0, s[0], 0.01 * limit);
        double[] again = p.get("dense_0").get("kernel").toDoubleArray();
        assertArrayEquals(again, m.init(Random.key(42)).get("dense_0").get("kernel").toDoubleArray());
        assertTrue(again[0] != m.init(Random.key(43)).get("dense_0").get("kernel").toDoubleArray()[0]);
    }

    @Test
    void initializersHaveTheirVariance() {
        Tensor key = Random.key(1);
        Shape shape = Shape.of(200, 150);
        double[] he = stats(Initializers.heNormal().apply(key, shape, DType.F32, 200, 150));
        assertEquals(2.0 / 200, he[1], 0.03 * 2.0 / 200);
        double[] lecun = stats(Initializers.lecunUniform().apply(key, shape, DType.F32, 200, 150));
        assertEquals(1.0 / 200, lecun[1], 0.03 / 200);
        assertTrue(lecun[2] <= Math.sqrt(3.0 / 200));
        double[] glorotN = stats(Initializers.glorotNormal().apply(key, shape, DType.F32, 200, 150));
        assertEquals(2.0 / 350, glorotN[1], 0.03 * 2.0 / 350);
        assertArrayEquals(new double[] {1, 0, 1}, stats(Initializers.ones().apply(key, shape, DType.F32, 1, 1)), 0);
        Model custom = Model.input(3).dense(2, Initializers.constant(0.5), Initializers.ones());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f},
                custom.init(key).get("dense_0").get("kernel").toFloatArray());
    }

    @Test
    void shapesFlowThroughConvPoolAndFlatten() {
        Model m = Model.input(28, 28, 1).conv(8, 3, 3).relu().maxPool(2, 2).flatten().dense(10);
        Map<String, Map<String, Tensor>> p = m.init(Random.key(0));
        assertEquals(Shape.of(3, 3, 1, 8), p.get("conv_0").get("kernel").shape());
        assertEquals(Shape.of(13 * 13 * 8, 10), p.get("dense_0").get("kernel").shape());
        assertEquals(Shape.of(2, 10), m.predict(p, Nx.fill(Shape.of(2, 28, 28, 1), 0.5, DType.F32)).shape());
    }

    @Test
    void wrongShapesNameTheLayer() {
        Model m = Model.input(784).dense(10);
        Map<String, Map<String, Tensor>> p = m.init(Random.key(0));
        var e = assertThrows(IllegalArgumentException.class, () -> m.predict(p, Nx.fill(Shape.of(2, 28, 28), 0, DType.F32)));
        assertTrue(e.getMessage().contains("Model input: expected [batch, 784], got f32[2][28][28]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Model.input(784).conv(4, 3, 3).init(Random.key(0)));
        assertTrue(e.getMessage().startsWith("conv_0:") && e.getMessage().contains("[784]"), e.getMessage());
        var inner = Map.of("dense_0", Map.of("kernel", Nx.fill(Shape.of(5, 10), 0, DType.F32),
                "bias", Nx.fill(Shape.of(10), 0, DType.F32)));
        e = assertThrows(IllegalArgumentException.class, () -> Model.input(7).dense(10)
                .predict(inner, Nx.fill(Shape.of(1, 7), 0, DType.F32)));
        assertTrue(e.getMessage().contains("dense_0: expected input [batch, ..., 5], got f32[1][7]"), e.getMessage());
    }

    @Test
    void saveAndLoadRoundTripAndCheckTheModel(@TempDir Path dir) {
        Model m = Model.input(4).dense(3).batchNorm().dense(2);
        Map<String, Map<String, Tensor>> p = m.init(Random.key(3));
        Path file = dir.resolve("model.jnx");
        Model.save(file, p);
        Map<String, Map<String, Tensor>> back = m.load(file, DType.F32);
        LoopTest.assertBitIdentical(p, back);
        var e = assertThrows(IllegalArgumentException.class, () -> Model.input(4).dense(5).load(file, DType.F32));
        assertTrue(e.getMessage().contains("does not hold this model's parameters"), e.getMessage());
    }
}
