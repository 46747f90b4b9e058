package dev.jnx.defn;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.VectorizedAxis;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Defn.vmap} over vectorized arguments: the mapped axis is an axis of each entry, the
 * vectorized axes stay outside; each result is checked against Java loops over the entries
 * and the examples, eagerly on {@link #backend()} and jitted with {@link #compiler()}.
 * exla-backend reruns it on XLA.
 */
public class VectorizeVmapTest extends VectorizedSuite {
    // x: [v: 2] f32[3][4], 3 examples of 4 features per entry, x[v][i][j] = X[(v * 3 + i) * 4 + j].
    private static final float[] X = values(1, 24);
    private final Tensor x = Nx.vectorize(Nx.tensor(X, 2, 3, 4), "v");

    /** Deterministic values in [-1, 1). */
    private static float[] values(long seed, int n) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static float x(int v, int i, int j) {
        return X[(v * 3 + i) * 4 + j];
    }

    /** {@code f} of {@code args}, eagerly over operands on {@link #backend()} and jitted, both equal to {@code want}. */
    private void check(String what, List<VectorizedAxis> axes, Shape entry, float[] want,
            Function<Tensor[], Tensor> f, Tensor... args) {
        Tensor[] onBackend = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            onBackend[i] = on(args[i]);
        }
        assertClose(what + " (eager)", axes, entry, want, f.apply(onBackend));
        assertClose(what + " (jit)", axes, entry, want, Defn.jit((Tensor[] a) -> f.apply(a), compiler()).apply(args));
    }

    private static void assertClose(String what, List<VectorizedAxis> axes, Shape entry, float[] want, Tensor got) {
        assertEquals(axes, got.vectorizedAxes(), what + ": vectorized axes");
        assertEquals(entry, got.shape(), what + ": entry shape");
        float[] g = Nx.devectorize(got).toFloatArray();
        assertEquals(want.length, g.length, what + ": size");
        for (int i = 0; i < want.length; i++) {
            int at = i;
            assertTrue(Math.abs(want[i] - g[i]) <= 2e-5 * Math.max(1, Math.abs(want[i])),
                    () -> what + ": element " + at + ": expected " + want[at] + ", got " + g[at]);
        }
    }

    @Test
    void theFunctionSeesVectorizedExamples() {
        List<Tensor> seen = new ArrayList<>();
        Defn.vmap((Tensor t) -> {
            seen.add(t);
            return t;
        }).apply(x);
        assertEquals(axes("v", 2), seen.get(0).vectorizedAxes());
        assertEquals(Shape.of(4), seen.get(0).shape());
    }

    @Test
    void elementwiseWithASharedOperand() {
        // f(t) = t * t + w, w f32[4]: want[v][i][j] = x^2 + w[j].
        float[] w = {0.5f, -1, 2, 3};
        float[] want = new float[24];
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    want[(v * 3 + i) * 4 + j] = x(v, i, j) * x(v, i, j) + w[j];
                }
            }
        }
        Tensor wt = Nx.tensor(w);
        check("vmap(t * t + w)", axes("v", 2), Shape.of(3, 4), want,
                a -> Defn.vmap((Tensor t) -> Nx.add(Nx.multiply(t, t), a[1])).apply(a[0]), x, wt);
    }

    @Test
    void reductionOverEachExample() {
        // Axis 0 maps the 3 rows: want[v][i] = sum_j x[v][i][j]; axis 1 maps the 4 columns: sum_i.
        float[] rows = new float[6];
        float[] columns = new float[8];
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    rows[v * 3 + i] += x(v, i, j);
                    columns[v * 4 + j] += x(v, i, j);
                }
            }
        }
        check("vmap(sum)", axes("v", 2), Shape.of(3), rows, a -> Defn.vmap((Tensor t) -> Nx.sum(t)).apply(a[0]), x);
        check("vmap(sum, 1, 0)", axes("v", 2), Shape.of(4), columns,
                a -> Defn.vmap((Tensor t) -> Nx.sum(t), 1, 0).apply(a[0]), x);
    }

    @Test
    void inAndOutAxisOne() {
        // Each example is a column c = x[v][:, j]; f(c) = c * sum(c). Out axis 1 puts the columns back
        // (entry [3][4]), out axis 0 stacks them first (entry [4][3]).
        float[] back = new float[24];
        float[] stacked = new float[24];
        for (int v = 0; v < 2; v++) {
            for (int j = 0; j < 4; j++) {
                float sum = 0;
                for (int i = 0; i < 3; i++) {
                    sum += x(v, i, j);
                }
                for (int i = 0; i < 3; i++) {
                    back[(v * 3 + i) * 4 + j] = x(v, i, j) * sum;
                    stacked[(v * 4 + j) * 3 + i] = x(v, i, j) * sum;
                }
            }
        }
        Function<Tensor, Tensor> f = c -> Nx.multiply(c, Nx.sum(c));
        check("vmap(c * sum(c), 1, 1)", axes("v", 2), Shape.of(3, 4), back,
                a -> Defn.vmap((Tensor t) -> f.apply(t), 1, 1).apply(a[0]), x);
        check("vmap(c * sum(c), 1, 0)", axes("v", 2), Shape.of(4, 3), stacked,
                a -> Defn.vmap((Tensor t) -> f.apply(t), 1, 0).apply(a[0]), x);
        check("vmap(c * sum(c), -1, -1)", axes("v", 2), Shape.of(3, 4), back,
                a -> Defn.vmap((Tensor t) -> f.apply(t), -1, -1).apply(a[0]), x);
    }

    @Test
    void mixedArgumentsBroadcastTheirAxesByName() {
        // f(t, s) = sum(t) * s over the 3 examples: s plain f32[3] gives want[v][i] = sum_j x[v][i][j] * s[i];
        // s vectorized [u: 2] f32[3] gives the union [v: 2][u: 2]: want[v][u][i] = sum_j x[v][i][j] * s[u][i];
        // s vectorized [v: 2] f32[3] shares v: want[v][i] = sum_j x[v][i][j] * s[v][i].
        float[] s = values(2, 6);
        float[] plain = new float[6];
        float[] union = new float[12];
        float[] shared = new float[6];
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < 3; i++) {
                float sum = 0;
                for (int j = 0; j < 4; j++) {
                    sum += x(v, i, j);
                }
                plain[v * 3 + i] = sum * s[i];
                shared[v * 3 + i] = sum * s[v * 3 + i];
                for (int u = 0; u < 2; u++) {
                    union[(v * 2 + u) * 3 + i] = sum * s[u * 3 + i];
                }
            }
        }
        Function<Tensor[], Tensor> f = a -> Defn.vmap((Tensor t, Tensor e) -> Nx.multiply(Nx.sum(t), e), 0, 0, 0)
                .apply(a[0], a[1]);
        check("vmap(sum(t) * s), s plain", axes("v", 2), Shape.of(3), plain, f, x, Nx.tensor(java.util.Arrays.copyOf(s, 3)));
        check("vmap(sum(t) * s), s over u", axes("v", 2, "u", 2), Shape.of(3), union, f, x,
                Nx.vectorize(Nx.tensor(s, 2, 3), "u"));
        check("vmap(sum(t) * s), s over v", axes("v", 2), Shape.of(3), shared, f, x,
                Nx.vectorize(Nx.tensor(s, 2, 3), "v"));
    }

    @Test
    void perExampleGradients() {
        // grad_w tanh(w . x_i) = (1 - tanh^2(w . x_i)) x_i, one per example of each entry; and
        // grad_t sum(t^3) = 3 t^2 with t the vectorized example itself.
        float[] w = {0.3f, -0.7f, 1.1f, 0.2f};
        float[] shared = new float[24];
        float[] own = new float[24];
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < 3; i++) {
                double dot = 0;
                for (int j = 0; j < 4; j++) {
                    dot += w[j] * x(v, i, j);
                }
                double th = Math.tanh(dot);
                for (int j = 0; j < 4; j++) {
                    shared[(v * 3 + i) * 4 + j] = (float) ((1 - th * th) * x(v, i, j));
                    own[(v * 3 + i) * 4 + j] = 3 * x(v, i, j) * x(v, i, j);
                }
            }
        }
        check("vmap(grad_w tanh(w . x))", axes("v", 2), Shape.of(3, 4), shared,
                a -> Defn.vmap((Tensor wt, Tensor e) -> Defn.grad(wt, u -> Nx.tanh(Nx.sum(Nx.multiply(u, e)))),
                        null, 0, 0).apply(a[0], a[1]), Nx.tensor(w), x);
        check("vmap(grad sum(t^3))", axes("v", 2), Shape.of(3, 4), own,
                a -> Defn.vmap((Tensor t) -> Defn.grad(t, u -> Nx.sum(Nx.multiply(Nx.multiply(u, u), u)))).apply(a[0]),
                x);
    }

    @Test
    void nestedVmapAndALoopInside() {
        // vmap over the columns of vmap over their elements of e -> e * e: want[v][j][i] = x[v][i][j]^2.
        // A loop per example doubling the row r = x[v][i] until sum |r| >= 3: trip counts differ by example.
        float[] nested = new float[24];
        float[] doubled = new float[24];
        for (int v = 0; v < 2; v++) {
            for (int i = 0; i < 3; i++) {
                float scale = 1;
                while (true) {
                    float sum = 0;
                    for (int j = 0; j < 4; j++) {
                        sum += Math.abs(x(v, i, j) * scale);
                    }
                    if (sum >= 3) {
                        break;
                    }
                    scale *= 2;
                }
                for (int j = 0; j < 4; j++) {
                    nested[(v * 4 + j) * 3 + i] = x(v, i, j) * x(v, i, j);
                    doubled[(v * 3 + i) * 4 + j] = x(v, i, j) * scale;
                }
            }
        }
        check("vmap(vmap(e * e), 1, 0)", axes("v", 2), Shape.of(4, 3), nested,
                a -> Defn.vmap((Tensor c) -> Defn.vmap((Tensor e) -> Nx.multiply(e, e)).apply(c), 1, 0).apply(a[0]), x);
        check("vmap(whileLoop)", axes("v", 2), Shape.of(3, 4), doubled,
                a -> Defn.vmap((Tensor r) -> Defn.whileLoop(r, t -> Nx.less(Nx.sum(Nx.abs(t)), Nx.scalar(3f)),
                        t -> Nx.multiply(t, 2))).apply(a[0]), x);
    }

    @Test
    void anAxisOutOfTheEntryShapeNamesTheArgumentAndTheEntryShape() {
        // Axis 2 exists in the data ([2][3][4]), not in the entry [3][4] that vmap maps.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Defn.vmap((Tensor t) -> t, 2, 0).apply(x));
        assertTrue(e.getMessage().contains("inAxes 2 of argument 0") && e.getMessage().contains("entry shape f32[3][4]")
                && e.getMessage().contains("vectorized[v: 2]"), e.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> Defn.vmap((Tensor t) -> t, 0, 2).apply(x));
        assertTrue(out.getMessage().contains("outAxes 2 of result leaf 0") && out.getMessage().contains("entry rank 2"),
                out.getMessage());
    }
}
