package dev.jnx.train;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each layer's forward pass against independent arithmetic, and gradients against finite differences. */
class LayersTest {
    static Tensor uniform(long seed, DType type, int... dims) {
        return Random.uniform(Random.key(seed), Shape.of(dims), type, -1.0, 1.0).value();
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void denseAndActivations(Compiler c) {
        Model m = Model.input(2).dense(2).relu();
        Map<String, Map<String, Tensor>> p = Map.of("dense_0", Map.of("kernel", Nx.tensor(new float[][] {{1, -1}, {2, 3}}),
                "bias", Nx.tensor(new float[] {0.5f, -10})));
        Tensor y = Defn.jit((Tensor x) -> m.predict(p, x), c).apply(Nx.tensor(new float[][] {{1, 1}, {-1, 4}}));
        assertArrayEquals(new float[] {3.5f, 0, 7.5f, 3}, y.toFloatArray());
        Tensor s = Defn.jit((Tensor x) -> Model.input(3).softmax().predict(Map.of(), x), c)
                .apply(Nx.tensor(new double[][] {{1, 2, 3}, {1000, 0, -1000}}));
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1, 0, 0}, s.toDoubleArray(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void channelsLastConvolutionIsTheTextbookSum(Compiler c) {
        Tensor x = uniform(1, DType.F64, 2, 4, 5, 2);
        Tensor k = uniform(2, DType.F64, 2, 3, 2, 3);
        Tensor b = Nx.tensor(new double[] {0.1, -0.2, 0.3});
        Model m = Model.input(4, 5, 2).conv(3, 2, 3);
        double[] got = Defn.jit((Tensor in) -> m.predict(Map.of("conv_0", Map.of("kernel", k, "bias", b)), in), c)
                .apply(x).toDoubleArray();
        double[] xv = x.toDoubleArray();
        double[] kv = k.toDoubleArray();
        double[] want = new double[2 * 3 * 3 * 3];
        int o = 0;
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int f = 0; f < 3; f++) {
                        double sum = b.toDoubleArray()[f];
                        for (int di = 0; di < 2; di++) {
                            for (int dj = 0; dj < 3; dj++) {
                                for (int ch = 0; ch < 2; ch++) {
                                    sum += xv[((n * 4 + i + di) * 5 + j + dj) * 2 + ch] * kv[((di * 3 + dj) * 2 + ch) * 3 + f];
                                }
                            }
                        }
                        want[o++] = sum;
                    }
                }
            }
        }
        assertArrayEquals(want, got, 1e-12);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void maxPoolOverTilesEqualsNxWindowMax(Compiler c) {
        Tensor x = uniform(3, DType.F32, 2, 5, 7, 3);
        Tensor tiled = Defn.jit((Tensor in) -> Model.input(5, 7, 3).maxPool(2, 3).predict(Map.of(), in), c).apply(x);
        Tensor window = Nx.windowMax(x, new int[] {1, 2, 3, 1}, WindowOptions.defaults().strides(1, 2, 3, 1));
        assertEquals(Shape.of(2, 2, 2, 3), tiled.shape());
        assertArrayEquals(window.toFloatArray(), tiled.toFloatArray());
        Tensor strided = Defn.jit((Tensor in) -> Model.input(5, 7, 3).maxPool(new int[] {2, 2}, new int[] {1, 1},
                WindowOptions.defaults()).predict(Map.of(), in), c).apply(x);
        assertArrayEquals(Nx.windowMax(x, new int[] {1, 2, 2, 1}, WindowOptions.defaults()).toFloatArray(),
                strided.toFloatArray());
    }

    @Test
    void batchNormNormalizesInTrainingAndUsesRunningStatisticsInInference() {
        Model m = Model.input(3).batchNorm();
        Map<String, Map<String, Tensor>> p = m.init(Random.key(0), DType.F64);
        Tensor x = Nx.tensor(new double[][] {{1, 10, -1}, {3, 20, -1}, {5, 60, -1}, {7, 30, -1}});
        Model.Forward f = m.forward(p, x, true);
        double[] y = f.prediction().toDoubleArray();
        // column 0: mean 4, biased variance 5
        assertEquals((1 - 4) / Math.sqrt(5 + 1e-5), y[0], 1e-12);
        assertEquals(0.0, y[2], 1e-12); // a constant column normalizes to 0
        // Axon's update: momentum * old + (1 - momentum) * batch, momentum 0.1
        assertArrayEquals(new double[] {0.9 * 4, 0.9 * 30, 0.9 * -1}, f.state().get("batch_norm_0").get("mean")
                .toDoubleArray(), 1e-12);
        assertEquals(0.1 * 1 + 0.9 * 5, f.state().get("batch_norm_0").get("var").toDoubleArray()[0], 1e-12);
        double[] inference = m.predict(p, x).toDoubleArray();
        assertEquals(1 / Math.sqrt(1 + 1e-5), inference[0], 1e-12); // running mean 0, var 1 at init
        assertEquals(Map.of("batch_norm_0", Map.of("mean", p.get("batch_norm_0").get("mean"),
                "var", p.get("batch_norm_0").get("var"))), m.state(p));
        assertEquals(2, m.trainable(p).get("batch_norm_0").size());
    }

    @Test
    void dropoutDropsAtItsRateAndRescalesInTrainingOnly() {
        Model m = Model.input(10_000).dropout(0.3);
        Map<String, Map<String, Tensor>> p = m.init(Random.key(5));
        Tensor x = Nx.fill(Shape.of(1, 10_000), 2.0, DType.F32);
        Model.Forward f = m.forward(p, x, true);
        float[] y = f.prediction().toFloatArray();
        int kept = 0;
        for (float v : y) {
            assertTrue(v == 0 || Math.abs(v - 2 / 0.7f) < 1e-5, "value " + v);
            kept += v == 0 ? 0 : 1;
        }
        assertEquals(7000, kept, 150); // 3 standard deviations of a binomial(10000, 0.7)
        Tensor next = f.state().get("dropout_0").get("key");
        assertNotEquals(java.util.Arrays.toString(p.get("dropout_0").get("key").toIntArray()),
                java.util.Arrays.toString(next.toIntArray()));
        assertArrayEquals(x.toFloatArray(), m.predict(p, x).toFloatArray());
        assertTrue(m.trainable(p).isEmpty());
    }

    /** conv, tanh, max pool, flatten, dense, dropout and batch norm, in training mode, f64. */
    static final Model STACK = Model.input(5, 5, 2).conv(3, 2, 2).tanh().maxPool(2, 2).flatten().dense(4)
            .dropout(0.25).batchNorm().sigmoid();

    static double objective(Map<String, Map<String, Tensor>> p, Tensor x, Tensor w) {
        return Nx.sum(Nx.multiply(STACK.forward(p, x, true).prediction(), w)).toDouble();
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void gradientsThroughEveryLayerMatchFiniteDifferences(Compiler c) {
        Map<String, Map<String, Tensor>> p = STACK.init(Random.key(9), DType.F64);
        Tensor x = uniform(10, DType.F64, 6, 5, 5, 2);
        Tensor w = uniform(11, DType.F64, 6, 4);
        Map<String, Map<String, Tensor>> state = STACK.state(p);
        var grad = Defn.jit((Map<String, Map<String, Tensor>> t) -> Defn.grad(t, q ->
                Nx.sum(Nx.multiply(STACK.forward(Model.merge(q, state), x, true).prediction(), w))), c);
        Map<String, Map<String, Tensor>> g = grad.apply(STACK.trainable(p));
        int checked = 0;
        for (var layer : STACK.trainable(p).entrySet()) {
            for (var entry : layer.getValue().entrySet()) {
                double[] v = entry.getValue().toDoubleArray();
                double[] analytic = g.get(layer.getKey()).get(entry.getKey()).toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    double h = 1e-6;
                    double up = objective(with(p, layer.getKey(), entry.getKey(), v, i, h), x, w);
                    double down = objective(with(p, layer.getKey(), entry.getKey(), v, i, -h), x, w);
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, analytic[i], 1e-6 + 1e-5 * Math.abs(numeric),
                            layer.getKey() + "." + entry.getKey() + "[" + i + "]");
                    checked++;
                }
            }
        }
        assertEquals(24 + 3 + 48 + 4 + 4 + 4, checked);
    }

    static Map<String, Map<String, Tensor>> with(Map<String, Map<String, Tensor>> p, String layer, String entry,
                                                double[] v, int i, double h) {
        double[] moved = v.clone();
        moved[i] += h;
        Tensor t = Nx.reshape(Nx.tensor(moved), p.get(layer).get(entry).shape());
        Map<String, Tensor> l = new LinkedHashMap<>(p.get(layer));
        l.put(entry, t);
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>(p);
        out.put(layer, l);
        return out;
    }
}
