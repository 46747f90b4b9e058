package dev.jnx.train;

import dev.jnx.Compiler;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Update transformations against Polaris's "matches optax" expectations, optimizers over
 * several steps against plain-Java arithmetic, and schedules against Polaris's Optax values,
 * all jitted on both backends.
 */
class OptimizersTest {
    record Applied(Object updates, Object state) {
    }

    /** One update of {@code o} from its initial state, jitted. */
    static Applied once(Compiler c, Optimizer o, Object updates, Object params) {
        Defn.Fn3<Object, Object, Object, Applied> f = Defn.jit((Object u, Object s, Object p) -> {
            Optimizer.Update r = o.update(u, s, p);
            return new Applied(r.updates(), r.state());
        }, c);
        return f.apply(updates, o.init(params), params);
    }

    static Tensor t(double... v) {
        return Nx.asType(Nx.tensor(v), dev.jnx.DType.F32);
    }

    static void close(Tensor got, double... want) {
        double[] g = got.toDoubleArray();
        assertEquals(want.length, g.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], g[i], 1e-6 + 1e-5 * Math.abs(want[i]), "element " + i);
        }
    }

    /** Polaris's nested test container: {@code %{a: %{b: b, c: %{d: %{}, e: e}}}}. */
    static Object nested(Tensor b, Tensor e) {
        return Map.of("a", Map.of("b", b, "c", Map.of("d", Map.of(), "e", e)));
    }

    @SuppressWarnings("unchecked")
    static Tensor at(Object container, String... path) {
        Object o = container;
        for (String k : path) {
            o = ((Map<String, Object>) o).get(k);
        }
        return (Tensor) o;
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void transformationsMatchOptaxAsPolarisTestsThem(Compiler c) {
        Applied r = once(c, Updates.scaleByAdam(), Map.of("a", t(0.01461005, 0.3796587, 0.76886989)),
                Map.of("a", t(0.29236649, 0.26508023, 0.05959644)));
        close(at(r.updates(), "a"), 0.99999267, 0.9999933, 0.9999933);
        Updates.AdamState s = (Updates.AdamState) r.state();
        close(at(s.mu(), "a"), 0.00146101, 0.03796587, 0.07688699);
        close(at(s.nu(), "a"), 2.1345357e-07, 1.4414072e-04, 5.9116090e-04);
        assertEquals(1, s.count().toIntArray()[0]);

        Object nestedP = nested(t(0.16028131, 0.82155978, 0.67870557), t(0.42164469, 0.59406027, 0.24703223));
        Object nestedU = nested(t(0.37850456, 0.80079877, 0.16309247), t(0.29081831, 0.29872105, 0.48405271));
        r = once(c, Updates.scaleByAdam(), nestedU, nestedP);
        close(at(r.updates(), "a", "b"), 0.9999934, 0.9999933, 0.99999315);
        close(at(((Updates.AdamState) r.state()).nu(), "a", "c", "e"), 8.4575287e-05, 8.9234265e-05, 2.3430702e-04);

        r = once(c, Updates.scaleByRms(0.9, 1e-8), Map.of("a", t(0.25156708, 0.30524656, 0.97350756)),
                Map.of("a", t(0.77100057, 0.98078091, 0.78499164)));
        close(at(r.updates(), "a"), 3.162275, 3.162276, 3.1622777);
        close(at(((Updates.RmsState) r.state()).nu(), "a"), 0.0063286, 0.00931755, 0.0947717);

        r = once(c, Updates.scaleByRss(0.1, 1e-7), Map.of("a", t(0.2137085, 0.84399692, 0.63099467)),
                Map.of("a", t(0.41327447, 0.06948837, 0.03234601)));
        close(at(r.updates(), "a"), 0.55993116, 0.93642795, 0.89401275);
        close(at(((Updates.RssState) r.state()).sumOfSquares(), "a"), 0.14567132, 0.81233084, 0.49815428);

        r = once(c, Updates.scaleByTrustRatio(1.0), Map.of("a", t(0.29626032, 0.328152, 0.20388144)),
                Map.of("a", t(0.07719177, 0.1812708, 0.94959977)));
        close(at(r.updates(), "a"), 0.29626033, 0.328152, 0.20388144);
        r = once(c, Updates.scaleByTrustRatio(1.0),
                nested(t(0.53616958, 0.24854466, 0.26695091), t(0.50354858, 0.91245821, 0.30518247)),
                nested(t(0.98282674, 0.34776357, 0.33319137), t(0.95596768, 0.67948137, 0.05268411)));
        close(at(r.updates(), "a", "b"), 0.58683133, 0.27202922, 0.29217464);
        close(at(r.updates(), "a", "c", "e"), 0.5443927, 0.98647004, 0.3299366);

        r = once(c, Updates.clipByGlobalNorm(1.0), Map.of("a", t(0.68235248, 0.56976359, 0.79599518)),
                Map.of("a", t(0.72673265, 0.35788219, 0.75329067)));
        close(at(r.updates(), "a"), 0.571844, 0.47748914, 0.667082);
        r = once(c, Updates.clipByGlobalNorm(1.0),
                nested(t(0.59629243, 0.86219328, 0.30155944), t(0.83792943, 0.22030587, 0.72606433)),
                nested(t(0.85107357, 0.67088125, 0.59811338), t(0.45385324, 0.05131562, 0.91526984)));
        close(at(r.updates(), "a", "b"), 0.3795878, 0.54885495, 0.1919667);
        close(at(r.updates(), "a", "c", "e"), 0.53340906, 0.14024231, 0.462198);

        r = once(c, Updates.addDecayedWeights(0.95), Map.of("a", t(0.62370003, 0.86674502, 0.11204521)),
                Map.of("a", t(0.18884168, 0.92323774, 0.4513516)));
        close(at(r.updates(), "a"), 0.80309962, 1.74382088, 0.54082923);
        assertEquals(List.of(), r.state());

        r = once(c, Updates.clip(2.0), Map.of("a", t(0.84208747, 0.69837738, 0.61840895)),
                Map.of("a", t(0.74794595, 0.99105549, 0.5621627)));
        close(at(r.updates(), "a"), 0.84208745, 0.6983774, 0.618409);

        r = once(c, Updates.scaleBySchedule(Schedules.polynomialDecay(1e-2, 1e-4, 1, 10, 0)),
                Map.of("a", t(0.56082198, 0.94549107, 0.54412826)), Map.of("a", t(0.77425031, 0.65418105, 0.86150202)));
        close(at(r.updates(), "a"), 0.00560822, 0.00945491, 0.00544128);
        assertEquals(1, ((Updates.ScheduleState) r.state()).count().toIntArray()[0]);
    }

    /** Parameters and optimizer state carried from step to step. */
    record Carry(Tensor p, Object state) {
    }

    static final double[] TARGET = {1.0, -2.0, 0.5};
    static final double[] START = {0.3, 0.7, -1.1};

    /** Three steps of {@code o} on f(p) = sum((p - target)^2), jitted. */
    static double[] threeSteps(Compiler c, Optimizer o) {
        var step = Defn.jit((Carry k) -> {
            Tensor g = Defn.grad(k.p(), q -> Nx.sum(Nx.pow(Nx.subtract(q, t(TARGET)), 2)));
            Optimizer.Update u = o.update(g, k.state(), k.p());
            return new Carry(Updates.applyUpdates(k.p(), u.updates()), u.state());
        }, c);
        Carry k = new Carry(t(START), o.init(t(START)));
        for (int i = 0; i < 3; i++) {
            k = step.apply(k);
        }
        return k.p().toDoubleArray();
    }

    /** The same three steps in plain Java: {@code rule} maps (step t from 1, p, g, state) to the update. */
    interface Rule {
        double[] update(int t, double[] p, double[] g, double[][] state);
    }

    static double[] reference(Rule rule) {
        double[] p = START.clone();
        double[][] state = new double[3][p.length];
        for (int t = 1; t <= 3; t++) {
            double[] g = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                g[i] = 2 * (p[i] - TARGET[i]);
            }
            double[] u = rule.update(t, p, g, state);
            for (int i = 0; i < p.length; i++) {
                p[i] += u[i];
            }
        }
        return p;
    }

    static double[] adamDirection(int t, double[] g, double[][] s, double b1, double b2, double eps) {
        double[] u = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
            s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
            u[i] = s[0][i] / (1 - Math.pow(b1, t)) / (Math.sqrt(s[1][i] / (1 - Math.pow(b2, t))) + eps);
        }
        return u;
    }

    static double[] scaled(double[] u, double f) {
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = u[i] * f;
        }
        return out;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void optimizersOverThreeStepsMatchPlainArithmetic(Compiler c) {
        assertArrayEquals(reference((t, p, g, s) -> scaled(g, -0.1)), threeSteps(c, Optimizers.sgd(0.1)), 1e-6);
        assertArrayEquals(reference((t, p, g, s) -> {
            for (int i = 0; i < g.length; i++) {
                s[0][i] = g[i] + 0.9 * s[0][i];
            }
            return scaled(s[0], -0.1);
        }), threeSteps(c, Optimizers.sgd(0.1, 0.9, false)), 1e-6);
        assertArrayEquals(reference((t, p, g, s) -> {
            double[] u = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                s[0][i] = g[i] + 0.9 * s[0][i];
                u[i] = -0.1 * (g[i] + 0.9 * s[0][i]);
            }
            return u;
        }), threeSteps(c, Optimizers.sgd(0.1, 0.9, true)), 1e-6);
        // Adam's family to 1e-5: 1 - 0.999^t in f32 is off by ~1e-5 relative (as in Optax at f32).
        assertArrayEquals(reference((t, p, g, s) -> scaled(adamDirection(t, g, s, 0.9, 0.999, 1e-8), -0.05)),
                threeSteps(c, Optimizers.adam(0.05)), 1e-5);
        assertArrayEquals(reference((t, p, g, s) -> {
            double[] u = adamDirection(t, g, s, 0.9, 0.999, 1e-8);
            for (int i = 0; i < u.length; i++) {
                u[i] = -0.05 * (u[i] + 0.1 * p[i]);
            }
            return u;
        }), threeSteps(c, Optimizers.adamw(Schedules.constant(0.05), 0.9, 0.999, 1e-8, 0.1)), 1e-5);
        assertArrayEquals(reference((t, p, g, s) -> {
            double[] u = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                s[0][i] = 0.9 * s[0][i] + 0.1 * g[i] * g[i];
                u[i] = -0.01 * g[i] / Math.sqrt(s[0][i] + 1e-8);
            }
            return u;
        }), threeSteps(c, Optimizers.rmsprop(0.01)), 1e-6);
        assertArrayEquals(reference((t, p, g, s) -> {
            double[] u = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                s[0][i] += (t == 1 ? 0.1 : 0) + g[i] * g[i];
                u[i] = -0.1 * g[i] / Math.sqrt(s[0][i] + 1e-7);
            }
            return u;
        }), threeSteps(c, Optimizers.adagrad(0.1)), 1e-6);
        assertArrayEquals(reference((t, p, g, s) -> {
            double[] u = adamDirection(t, g, s, 0.9, 0.999, 1e-6);
            for (int i = 0; i < u.length; i++) {
                u[i] += 0.01 * p[i];
            }
            return scaled(u, -0.02 * norm(p) / norm(u));
        }), threeSteps(c, Optimizers.lamb(Schedules.constant(0.02), 0.9, 0.999, 1e-6, 0.01)), 1e-5);
        assertArrayEquals(reference((t, p, g, s) -> {
            double n = norm(g);
            return scaled(g, -0.1 * (n < 1 ? 1 : 1 / n));
        }), threeSteps(c, Updates.chain(Updates.clipByGlobalNorm(1), Updates.scaleByLearningRate(0.1))), 1e-6);
        assertArrayEquals(reference((t, p, g, s) -> scaled(g, -0.1 * Math.pow(0.5, (t - 1) / 2.0))),
                threeSteps(c, Optimizers.sgd(Schedules.exponentialDecay(0.1, 2, 0.5))), 1e-6);
    }

    static double at(Compiler c, Schedule s, int count) {
        return Defn.jit((Tensor n) -> s.at(n), c).apply(Nx.scalar(count)).toDouble();
    }

    static void values(Compiler c, Schedule s, double[] want) {
        int[] counts = {0, 25, 50, 1000, 100_000};
        for (int i = 0; i < counts.length; i++) {
            assertEquals(want[i], at(c, s, counts[i]), 1e-7 + 2e-6 * Math.abs(want[i]), "count " + counts[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jnx.train.Backends#both")
    void schedulesMatchOptaxValuesAsPolarisTestsThem(Compiler c) {
        values(c, Schedules.exponentialDecay(1e-2, 15, 0.9), new double[] {1e-2, 0.008389527, 0.007038417, 8.902254e-06, 0});
        values(c, Schedules.exponentialDecay(1e-3, 100, 0.99),
                new double[] {1e-3, 0.0009974906, 0.0009949874, 0.0009043822, 4.3171664e-08});
        values(c, Schedules.exponentialDecay(1e-1, 25, 0.99, 100, false),
                new double[] {0.1, 0.1, 0.1, 0.069641344, 3.6162157e-19});
        values(c, Schedules.cosineDecay(1e-3, 10, 0), new double[] {0.001, 0, 0, 0, 0});
        values(c, Schedules.cosineDecay(1e-2, 1000, 0.5), new double[] {0.01, 0.009992293, 0.0099692205, 0.005, 0.005});
        values(c, Schedules.constant(1e-3), new double[] {0.001, 0.001, 0.001, 0.001, 0.001});
        values(c, Schedules.polynomialDecay(1e-2, 1e-3, 3, 1000, 0),
                new double[] {0.01, 0.009341734, 0.008716375, 0.001, 0.001});
        values(c, Schedules.polynomialDecay(1e-1, 1e-3, 1.5, 10000, 0),
                new double[] {0.1, 0.099628985, 0.09925843, 0.08552768, 0.001});
        // Warm-up then cosine, by hand: linear 0 -> 1 over 10 steps, then cosine 1 -> 0.1 over 90.
        Schedule w = Schedules.warmupCosineDecay(0, 1, 10, 100, 0.1);
        assertEquals(0.0, at(c, w, 0), 1e-7);
        assertEquals(0.5, at(c, w, 5), 1e-6);
        assertEquals(1.0, at(c, w, 10), 1e-6);
        assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 45 / 90)), at(c, w, 55), 1e-6);
        assertEquals(0.1, at(c, w, 100), 1e-6);
        assertEquals(0.1, at(c, w, 5000), 1e-6);
        Schedule stairs = Schedules.exponentialDecay(1, 10, 0.5, 0, true);
        assertEquals(1.0, at(c, stairs, 9), 0);
        assertEquals(0.5, at(c, stairs, 10), 0);
    }
}
