package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.VectorizedAxis;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vectorized tensors through {@code whileLoop}, {@code cond} and {@code customGrad} (each the
 * vmap of the kernel op over the entries): against Java loops over the entries, Nx's
 * evaluator_test cases, and finite differences; eagerly on {@link #backend()} and jitted with
 * {@link #compiler()}. exla-backend reruns it on XLA by overriding both.
 */
public class VectorizeControlFlowTest extends VectorizedSuite {
    private static void assertVectorized(List<VectorizedAxis> axes, Shape shape, Tensor t, String what) {
        assertEquals(axes, t.vectorizedAxes(), what + ": vectorized axes");
        assertEquals(shape, t.shape(), what + ": entry shape");
    }

    private static float[] floats(Tensor t) {
        return Nx.backendCopy(Nx.devectorize(t)).toFloatArray();
    }

    private static int[] ints(Tensor t) {
        return Nx.backendCopy(Nx.devectorize(t)).toIntArray();
    }

    // ------------------------------------------------------------ whileLoop

    /** Counts up to a vectorized limit read by the condition: each entry stops after its own trip count. */
    @Test
    void whileCountsToAVectorizedLimitPerEntry() {
        int[] limits = {2, 5, 3};
        Tensor limit = on(Nx.vectorize(Nx.tensor(limits), "k"));
        // The state (i, acc) starts plain; acc triples each trip and adds i.
        java.util.function.Function<Tensor, List<Tensor>> loop = lim -> Defn.whileLoop(
                List.of(Nx.scalar(0), Nx.scalar(1f)), s -> Nx.less(s.get(0), lim),
                s -> List.of(Nx.add(s.get(0), 1), Nx.add(Nx.multiply(s.get(1), 3f), Nx.asType(s.get(0), DType.F32))));
        int[] wantCount = new int[3];
        float[] wantAcc = new float[3];
        for (int e = 0; e < 3; e++) {
            int i = 0;
            float acc = 1;
            while (i < limits[e]) {
                acc = acc * 3 + i;
                i++;
            }
            wantCount[e] = i;
            wantAcc[e] = acc;
        }
        List<Tensor> eager = loop.apply(limit);
        List<Tensor> jitted = Defn.jit((Tensor lim) -> loop.apply(lim), compiler()).apply(limit);
        for (List<Tensor> got : List.of(eager, jitted)) {
            assertVectorized(axes("k", 3), Shape.scalar(), got.get(0), "trip count");
            assertArrayEquals(wantCount, ints(got.get(0)), "trip count per entry");
            assertVectorized(axes("k", 3), Shape.scalar(), got.get(1), "acc");
            assertArrayEquals(wantAcc, floats(got.get(1)), "acc per entry");
        }
        assertArrayEquals(new float[] {10, 301, 32}, wantAcc, "hand-checked: 1, 3, 10, 32, 99, 301");
    }

    /** A vectorized state whose condition reads it: doubling each entry's vector until its sum reaches 20. */
    @Test
    void whileOverVectorizedStatePerEntry() {
        float[][] xs = {{1, 2}, {3, 40}, {0.5f, 0.25f}};
        Tensor x = on(Nx.vectorize(Nx.tensor(new float[] {1, 2, 3, 40, 0.5f, 0.25f}, 3, 2), "a"));
        java.util.function.Function<Tensor, List<Tensor>> loop = x0 -> Defn.whileLoop(List.of(x0, Nx.scalar(0)),
                s -> Nx.less(Nx.sum(s.get(0)), 20f), s -> List.of(Nx.multiply(s.get(0), 2f), Nx.add(s.get(1), 1)));
        float[] wantX = new float[6];
        int[] wantTrips = new int[3];
        for (int e = 0; e < 3; e++) {
            float a = xs[e][0];
            float b = xs[e][1];
            int trips = 0;
            while (a + b < 20) {
                a *= 2;
                b *= 2;
                trips++;
            }
            wantX[2 * e] = a;
            wantX[2 * e + 1] = b;
            wantTrips[e] = trips;
        }
        assertArrayEquals(new int[] {3, 0, 5}, wantTrips, "hand-checked trip counts");
        for (List<Tensor> got : List.of(loop.apply(x), Defn.jit((Tensor t) -> loop.apply(t), compiler()).apply(x))) {
            assertVectorized(axes("a", 3), Shape.of(2), got.get(0), "x");
            assertArrayEquals(wantX, floats(got.get(0)));
            assertVectorized(axes("a", 3), Shape.scalar(), got.get(1), "trips");
            assertArrayEquals(wantTrips, ints(got.get(1)));
        }
    }

    /** Nx's evaluator_test "while": a plain condition keeps plain state plain; the vectorized state is per entry. */
    @Test
    void nxWhileKeepsPlainStatePlain() {
        Tensor t = on(Nx.vectorize(Nx.iota(Shape.of(1, 2, 3), DType.S32), "a"));
        java.util.function.Function<Tensor, List<Tensor>> f = a -> Defn.whileLoop(List.of(a, Nx.scalar(1), Nx.scalar(0)),
                s -> Nx.less(s.get(2), 2), s -> List.of(Nx.add(s.get(0), s.get(1)), s.get(1), Nx.add(s.get(2), 1)));
        for (List<Tensor> got : List.of(f.apply(t), Defn.jit((Tensor a) -> f.apply(a), compiler()).apply(t))) {
            assertVectorized(axes("a", 1), Shape.of(2, 3), got.get(0), "a + 2b");
            assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7}, ints(got.get(0)));
            assertVectorized(List.of(), Shape.scalar(), got.get(1), "b stays plain");
            assertEquals(1, ints(got.get(1))[0]);
            assertVectorized(List.of(), Shape.scalar(), got.get(2), "i stays plain");
            assertEquals(2, ints(got.get(2))[0]);
        }
    }

    /** Two vectorized axes meet in one loop: a state over [a] and a limit over [b] give results over [a][b]. */
    @Test
    void whileOverTheUnionOfAxes() {
        Tensor start = on(Nx.vectorize(Nx.tensor(new int[] {0, 10}), "a"));
        Tensor steps = on(Nx.vectorize(Nx.tensor(new int[] {1, 4, 2}), "b"));
        java.util.function.Function<List<Tensor>, List<Tensor>> f = in -> Defn.whileLoop(
                List.of(in.get(0), Nx.scalar(0)), s -> Nx.less(s.get(1), in.get(1)),
                s -> List.of(Nx.add(s.get(0), 3), Nx.add(s.get(1), 1)));
        int[] want = new int[6];
        int[] starts = {0, 10};
        int[] stepCounts = {1, 4, 2};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                want[i * 3 + j] = starts[i] + 3 * stepCounts[j];
            }
        }
        for (List<Tensor> got : List.of(f.apply(List.of(start, steps)),
                Defn.jit((Tensor a, Tensor b) -> f.apply(List.of(a, b)), compiler()).apply(start, steps))) {
            assertVectorized(axes("a", 2, "b", 3), Shape.scalar(), got.get(0), "value");
            assertArrayEquals(want, ints(got.get(0)));
            assertVectorized(axes("a", 2, "b", 3), Shape.scalar(), got.get(1), "count");
            assertArrayEquals(new int[] {1, 4, 2, 1, 4, 2}, ints(got.get(1)));
        }
    }

    /** A plain loop nested in a loop over a vectorized limit: the inner loop reads the outer entry. */
    @Test
    void nestedWhileReadsTheEntry() {
        Tensor limit = on(Nx.vectorize(Nx.tensor(new int[] {1, 3}), "k"));
        // sum over i < limit of (sum over j < i of 1) = limit (limit - 1) / 2
        java.util.function.Function<Tensor, Tensor> f = lim -> Defn.whileLoop(List.of(Nx.scalar(0), Nx.scalar(0)),
                s -> Nx.less(s.get(0), lim), s -> {
                    Tensor inner = Defn.whileLoop(List.of(Nx.scalar(0), s.get(1)), t -> Nx.less(t.get(0), s.get(0)),
                            t -> List.of(Nx.add(t.get(0), 1), Nx.add(t.get(1), 1))).get(1);
                    return List.of(Nx.add(s.get(0), 1), inner);
                }).get(1);
        for (Tensor got : List.of(f.apply(limit), Defn.jit(f, compiler()).apply(limit))) {
            assertVectorized(axes("k", 2), Shape.scalar(), got, "nested");
            assertArrayEquals(new int[] {0, 3}, ints(got));
        }
    }

    // ------------------------------------------------------------ cond

    /** A vectorized predicate selects per entry (the first true predicate wins, else the fallback). */
    @Test
    void condWithVectorizedPredicateSelectsPerEntry() {
        float[] v = {-2, 3, 0, 7};
        Tensor x = on(Nx.vectorize(Nx.tensor(v), "x"));
        java.util.function.Function<Tensor, Tensor> f = t -> Defn.<Tensor>cond(List.of(Nx.less(t, 0f), Nx.greater(t, 5f)),
                List.<Supplier<Tensor>>of(() -> Nx.negate(t), () -> Nx.multiply(t, 10f), () -> Nx.add(t, 100f)));
        float[] want = new float[4];
        for (int e = 0; e < 4; e++) {
            want[e] = v[e] < 0 ? -v[e] : v[e] > 5 ? v[e] * 10 : v[e] + 100;
        }
        assertArrayEquals(new float[] {2, 103, 100, 70}, want, "hand-checked");
        for (Tensor got : List.of(f.apply(x), Defn.jit(f, compiler()).apply(x))) {
            assertVectorized(axes("x", 4), Shape.scalar(), got, "cond");
            assertArrayEquals(want, floats(got));
        }
    }

    /** Nx's evaluator_test "cond": plain predicates, branches vectorized differently, unified by broadcasting. */
    @Test
    void nxCondUnifiesTheBranchesVectorizedAxes() {
        Tensor a = Nx.scalar(3);
        Tensor b = Nx.scalar(2);
        Tensor c = on(Nx.vectorize(Nx.tensor(new int[] {1}, 1, 1), "x", "y"));
        Tensor d = on(Nx.vectorize(Nx.tensor(new int[] {1, 2}, 1, 2), "x", "y"));
        var jitted = Defn.jit((Tensor[] v) -> Defn.<Tensor>cond(List.of(v[0], v[1]),
                List.<Supplier<Tensor>>of(() -> v[2], () -> v[3], () -> v[4])), compiler());
        FiveArgs f = (p1, p2, on1, on2, on3) -> jitted.apply(new Tensor[] {p1, p2, on1, on2, on3});
        Tensor got = f.apply(Nx.scalar(1), Nx.scalar(0), a, b, c);
        assertVectorized(axes("x", 1, "y", 1), Shape.scalar(), got, "a with c's axes");
        assertArrayEquals(new int[] {3}, ints(got));
        got = f.apply(Nx.scalar(0), Nx.scalar(1), a, b, c);
        assertArrayEquals(new int[] {2}, ints(got), "b with c's axes");
        got = f.apply(Nx.scalar(0), Nx.scalar(1), a, c, d);
        assertVectorized(axes("x", 1, "y", 2), Shape.scalar(), got, "c broadcast to d's axes");
        assertArrayEquals(new int[] {1, 1}, ints(got));
        got = f.apply(Nx.scalar(0), Nx.scalar(0), a, c, d);
        assertArrayEquals(new int[] {1, 2}, ints(got), "d");
    }

    private interface FiveArgs {
        Tensor apply(Tensor p1, Tensor p2, Tensor on1, Tensor on2, Tensor on3);
    }

    /** A branch reading a vectorized tensor from outside, under a traced plain predicate. */
    @Test
    void condBranchReadsAVectorizedCapture() {
        Tensor limit = on(Nx.vectorize(Nx.tensor(new float[] {2, 5, 3}), "k"));
        var f = Defn.jit((Tensor p) -> Defn.cond(p, () -> Nx.multiply(limit, 2f), () -> Nx.scalar(-1f)), compiler());
        Tensor yes = f.apply(Nx.scalar(1));
        assertVectorized(axes("k", 3), Shape.scalar(), yes, "taken");
        assertArrayEquals(new float[] {4, 10, 6}, floats(yes));
        assertArrayEquals(new float[] {-1, -1, -1}, floats(f.apply(Nx.scalar(0))), "fallback, every entry");
    }

    // ------------------------------------------------------------ customGrad

    /**
     * {@code customGrad} over vectorized inputs: the rule runs per entry (it reads the
     * vectorized input), and the gradient matches finite differences of each entry.
     */
    @Test
    void customGradOverVectorizedInputs() {
        float[] xv = {0.3f, -1.2f, 2.0f};
        Tensor x = on(Nx.vectorize(Nx.tensor(xv), "e"));
        // f(x) = sin(x) * x with the rule d/dx = cos(x) x + sin(x) written by hand.
        java.util.function.Function<Tensor, Tensor> f = t -> Defn.customGrad(Nx.multiply(Nx.sin(t), t), List.of(t),
                g -> List.of(Nx.multiply(g, Nx.add(Nx.multiply(Nx.cos(t), t), Nx.sin(t)))));
        Tensor eager = Defn.grad(x, f);
        Tensor jitted = Defn.jit((Tensor t) -> Defn.grad(t, f), compiler()).apply(x);
        double h = 1e-3;
        for (Tensor got : List.of(eager, jitted)) {
            assertVectorized(axes("e", 3), Shape.scalar(), got, "gradient");
            float[] g = floats(got);
            for (int e = 0; e < 3; e++) {
                double fd = ((xv[e] + h) * Math.sin(xv[e] + h) - (xv[e] - h) * Math.sin(xv[e] - h)) / (2 * h);
                assertEquals(fd, g[e], 1e-3, "entry " + e + " vs finite differences");
            }
        }
        // The rule is the one used: a rule of twice the derivative gives twice the gradient.
        Tensor doubled = Defn.grad(x, t -> Defn.customGrad(Nx.multiply(Nx.sin(t), t), List.of(t),
                g -> List.of(Nx.multiply(g, Nx.multiply(2f, Nx.add(Nx.multiply(Nx.cos(t), t), Nx.sin(t)))))));
        float[] g1 = floats(eager);
        float[] g2 = floats(doubled);
        for (int e = 0; e < 3; e++) {
            assertEquals(2 * g1[e], g2[e], 1e-5, "entry " + e);
        }
    }

    /** A plain input of a custom gradient over vectorized data: its gradient sums the entries' (one parameter). */
    @Test
    void customGradOfPlainInputThroughVectorizedData() {
        Tensor data = on(Nx.vectorize(Nx.tensor(new float[] {1, 2, 4}), "e"));
        Tensor w = Nx.scalar(0.5f);
        // f(w) = sum over the 2 elements of exp(w d) per entry, differentiated with w broadcast to the entries (Nx).
        java.util.function.Function<Tensor, Tensor> f = wt -> Nx.sum(Defn.customGrad(Nx.exp(Nx.multiply(wt, data)),
                List.of(wt), g -> List.of(Nx.multiply(g, Nx.multiply(data, Nx.exp(Nx.multiply(wt, data)))))));
        Tensor got = Defn.grad(w, f);
        assertVectorized(axes("e", 3), Shape.scalar(), got, "one gradient per entry");
        float[] g = floats(got);
        float[] d = {1, 2, 4};
        double h = 1e-3;
        for (int e = 0; e < 3; e++) {
            double fd = (Math.exp((0.5 + h) * d[e]) - Math.exp((0.5 - h) * d[e])) / (2 * h);
            assertEquals(fd, g[e], 1e-3 * Math.max(1, fd), "entry " + e);
        }
    }

    // ------------------------------------------------------------ errors

    @Test
    void vectorizingInsideALoopBodyOrBranchIsRefusedClearly() {
        Tensor x = Nx.vectorize(Nx.tensor(new float[] {1, 2}), "x");
        Tensor v = Nx.tensor(new float[] {1, 2});
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> Defn.whileLoop(v,
                s -> Nx.less(Nx.sum(s), 10f), s -> Nx.vectorize(Nx.multiply(s, 2f), "y")));
        assertTrue(shape.getMessage().contains("expected f32[2], got vectorized[y: 2] f32"), shape.getMessage());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Defn.jit((Tensor p, Tensor t) -> Defn.cond(p, () -> Nx.vectorize(Nx.multiply(t, 2f), "y"),
                        () -> Nx.vectorize(t, "y")), compiler()).apply(Nx.scalar(1), v));
        assertTrue(e.getMessage().contains("Defn.cond: a branch's result is vectorized inside the function"),
                e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> Defn.whileLoop(v,
                s -> Nx.less(Nx.sum(s), 10f), s -> Nx.devectorize(Nx.add(Nx.vectorize(s, "y"), x))));
        assertTrue(e.getMessage().contains("mixes a tensor vectorized inside"), e.getMessage());
    }
}
