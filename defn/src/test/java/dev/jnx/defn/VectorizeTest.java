package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.VectorizedAxis;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nx's vectorized axes: the documentation examples of {@code vectorize}, {@code devectorize},
 * {@code revectorize}, {@code reshape_vectors} and {@code broadcast_vectors}; ops on vectorized
 * tensors against the op applied to each entry (eagerly on {@link #backend()}, and jitted with
 * {@link #compiler()}); gradients through vectorized values against the per-entry derivative and
 * finite differences; errors. exla-backend reruns it on XLA by overriding both.
 */
public class VectorizeTest extends VectorizedSuite {
    private static Tensor iota(int... dims) {
        return Nx.iota(Shape.of(dims), DType.S32);
    }

    /** Deterministic values in [-1, 1). */
    private static Tensor data(long seed, int... dims) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Nx.tensor(v, dims);
    }

    // ------------------------------------------------------------ Nx's documentation examples

    @Test
    void vectorizeDocExamples() {
        Tensor t = iota(2, 3);
        Tensor first = Nx.vectorize(t, "first");
        assertEquals("#Nx.Tensor<\n  vectorized[first: 2]\n  s32[3]\n  [\n    [0, 1, 2],\n    [3, 4, 5]\n  ]\n>",
                first.toString());
        assertEquals(Shape.of(3), first.shape());
        Tensor second = Nx.vectorize(first, "second");
        assertEquals(axes("first", 2, "second", 3), second.vectorizedAxes());
        assertEquals(Shape.scalar(), second.shape());
        assertEquals("#Nx.Tensor<\n  vectorized[first: 2][second: 3]\n  s32\n  [\n    [0, 1, 2],\n    [3, 4, 5]\n  ]\n>",
                second.toString());
        Tensor v1 = Nx.vectorize(t, "first", "second");
        Tensor v2 = Nx.vectorize(t, axes("first", VectorizedAxis.AUTO, "second", 3));
        assertEquals(v1.vectorizedAxes(), v2.vectorizedAxes());
        assertArrayEquals(v1.toIntArray(), v2.toIntArray());

        // Nx.add([4, 3, 2, 1], [0, 1]) cannot broadcast; vectorized, each entry adds to [0, 1].
        assertThrows(IllegalArgumentException.class, () -> Nx.add(Nx.tensor(new int[] {4, 3, 2, 1}),
                Nx.tensor(new int[] {0, 1})));
        Tensor x = Nx.vectorize(on(Nx.tensor(new int[] {4, 3, 2, 1})), "x");
        Tensor sum = Nx.add(x, on(Nx.tensor(new int[] {0, 1})));
        assertEquals(axes("x", 4), sum.vectorizedAxes());
        assertEquals(Shape.of(2), sum.shape());
        assertArrayEquals(new int[] {4, 5, 3, 4, 2, 3, 1, 2}, sum.toIntArray());
    }

    @Test
    void vectorizeErrorsAsNx() {
        assertMessage(() -> Nx.vectorize(Nx.scalar(1), "x"), "cannot vectorize tensor of rank 0");
        assertMessage(() -> Nx.vectorize(Nx.tensor(new int[] {1}), "x", "y"),
                "the number of vectorized axes must not be greater than the rank");
        assertMessage(() -> Nx.vectorize(Nx.tensor(new int[] {1}), axes("x", 2)),
                "expected vectorized axis x to have size 2, got 1");
        Tensor t = Nx.vectorize(Nx.tensor(new int[] {1}, 1, 1), "x");
        assertMessage(() -> Nx.vectorize(t, "x"), "cannot use name x for new vectorized axes because there's already a"
                + " vectorized axis with the same name");
    }

    @Test
    void devectorizeDocExample() {
        Tensor t = Nx.vectorize(Nx.vectorize(iota(1, 2, 3), "x"), "y");
        assertEquals(axes("x", 1, "y", 2), t.vectorizedAxes());
        assertEquals(Shape.of(3), t.shape());
        Tensor d = Nx.devectorize(t);
        assertFalse(d.isVectorized());
        assertEquals(Shape.of(1, 2, 3), d.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, d.toIntArray());
    }

    @Test
    void reshapeVectorsDocExamples() {
        Tensor x = Nx.vectorize(Nx.tensor(new int[] {1, 2, 3}), "x");
        Tensor xy = Nx.vectorize(Nx.vectorize(Nx.tensor(new int[] {5, 6}, 2, 1, 1), "y"), "x");
        List<Tensor> r = Nx.reshapeVectors(List.of(x, xy));
        assertEquals(axes("x", 3, "y", 1), r.get(0).vectorizedAxes());
        assertEquals(axes("x", 1, "y", 2), r.get(1).vectorizedAxes());

        Tensor y = Nx.vectorize(Nx.tensor(new int[] {4}), "y");
        List<Tensor> xyv = Nx.reshapeVectors(List.of(x, y));
        assertEquals(axes("x", 3, "y", 1), xyv.get(0).vectorizedAxes());
        assertEquals(axes("x", 1, "y", 1), xyv.get(1).vectorizedAxes());
        List<Tensor> yxv = Nx.reshapeVectors(List.of(y, x));
        assertEquals(axes("y", 1, "x", 3), yxv.get(1).vectorizedAxes());
        assertEquals(axes("y", 1, "x", 1), yxv.get(0).vectorizedAxes());

        Tensor one = Nx.scalar(1);
        Tensor yy = Nx.vectorize(Nx.tensor(new int[] {1, 1, 2, 2, 3, 3}, 3, 2, 1), "y");
        List<Tensor> plain = Nx.reshapeVectors(List.of(one, yy));
        assertEquals(axes("y", 1), plain.get(0).vectorizedAxes());
        assertEquals(Shape.scalar(), plain.get(0).shape());
        assertArrayEquals(new int[] {1}, plain.get(0).toIntArray());
        assertEquals(axes("y", 3), plain.get(1).vectorizedAxes());
        assertEquals(Shape.of(2, 1), plain.get(1).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3}, plain.get(1).toIntArray());
        Tensor aligned = Nx.reshapeVectors(List.of(one, yy), true).get(0);
        assertEquals(axes("y", 1), aligned.vectorizedAxes());
        assertEquals(Shape.of(1, 1), aligned.shape());
    }

    @Test
    void broadcastVectorsDocExamples() {
        Tensor x = Nx.vectorize(on(Nx.tensor(new int[] {1, 2})), "x");
        Tensor xy = Nx.vectorize(Nx.vectorize(on(Nx.tensor(new int[] {5, 6}, 2, 1, 1)), "y"), "x");
        assertEquals(axes("y", 2, "x", 1), xy.vectorizedAxes());
        List<Tensor> b = Nx.broadcastVectors(List.of(x, xy), true);
        assertEquals(axes("x", 2, "y", 2), b.get(0).vectorizedAxes());
        assertEquals(Shape.of(1), b.get(0).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2}, b.get(0).toIntArray());
        assertEquals(axes("x", 2, "y", 2), b.get(1).vectorizedAxes());
        assertArrayEquals(new int[] {5, 6, 5, 6}, b.get(1).toIntArray());

        List<Tensor> c = Nx.broadcastVectors(List.of(xy, x));
        assertEquals(axes("y", 2, "x", 2), c.get(1).vectorizedAxes());
        assertEquals(Shape.scalar(), c.get(1).shape());
        assertArrayEquals(new int[] {1, 2, 1, 2}, c.get(1).toIntArray());
        assertEquals(Shape.of(1), c.get(0).shape());
        assertArrayEquals(new int[] {5, 5, 6, 6}, c.get(0).toIntArray());
    }

    @Test
    void revectorizeDocExamples() {
        // Nx.iota({1}, vectorized_axes: [x: 2, y: 3, z: 4]): every entry is [0].
        Tensor t = Nx.vectorize(Nx.broadcast(iota(1), Shape.of(2, 3, 4, 1)), "x", "y", "z");
        assertEquals(axes("x", 12, "y", 2), Nx.revectorize(t, axes("x", 12, "y", VectorizedAxis.AUTO)).vectorizedAxes());
        assertEquals(axes("a", 24), Nx.revectorize(t, axes("a", VectorizedAxis.AUTO)).vectorizedAxes());

        Tensor u = Nx.vectorize(iota(2, 2, 2), axes("x", 2, "y", 2));
        Tensor temp = Nx.revectorize(u, axes("temp", VectorizedAxis.AUTO, "x", 2));
        assertEquals(axes("temp", 2, "x", 2), temp.vectorizedAxes());
        assertEquals(Shape.of(2), temp.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, temp.toIntArray());
        Tensor revec = Nx.revectorize(u, axes("temp", VectorizedAxis.AUTO, "x", 2), Shape.scalar());
        assertEquals(axes("temp", 4, "x", 2), revec.vectorizedAxes());
        assertEquals(Shape.scalar(), revec.shape());
        Tensor last = Nx.revectorize(revec, axes("new_vec", 2), Shape.of(1, 4));
        assertEquals(axes("new_vec", 2), last.vectorizedAxes());
        assertEquals(Shape.of(1, 4), last.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, last.toIntArray());

        assertMessage(() -> Nx.revectorize(u, axes("a", VectorizedAxis.AUTO, "b", VectorizedAxis.AUTO)),
                "more than one AUTO");
        assertMessage(() -> Nx.revectorize(u, axes("a", 3)), "hold 6 elements");
    }

    // ------------------------------------------------------------ ops against the per-entry loop

    /** Each operand's entry at {@code index} of the union's axes (a size-1 axis broadcasting). */
    private static Tensor entry(Tensor x, List<VectorizedAxis> union, int[] index) {
        Tensor d = Nx.devectorize(x);
        List<VectorizedAxis> own = x.vectorizedAxes();
        for (int k = own.size() - 1; k >= 0; k--) {
            int i = own.get(k).size() == 1 ? 0 : index[VectorizedAxis.indexOf(union, own.get(k).name())];
            d = Nx.squeeze(Nx.sliceAlongAxis(d, i, 1, k), k);
        }
        return d;
    }

    /** The expected result: {@code op} of each entry's operands (host tensors), stacked and vectorized by the union. */
    private static Tensor perEntry(List<Tensor> xs, Function<List<Tensor>, Tensor> op) {
        List<Tensor> host = xs.stream().map(t -> Nx.backendCopy(t)).toList();
        List<VectorizedAxis> union = VectorizedAxis.union("test", host.stream().map(Tensor::vectorizedAxes).toList());
        int total = union.stream().mapToInt(VectorizedAxis::size).reduce(1, (a, b) -> a * b);
        List<Tensor> results = new ArrayList<>();
        for (int flat = 0; flat < total; flat++) {
            int[] index = new int[union.size()];
            for (int k = union.size() - 1, rest = flat; k >= 0; k--) {
                index[k] = rest % union.get(k).size();
                rest /= union.get(k).size();
            }
            List<Tensor> entries = new ArrayList<>();
            for (Tensor x : host) {
                entries.add(entry(x, union, index));
            }
            results.add(op.apply(entries));
        }
        Tensor stacked = Nx.stack(results);
        return Nx.vectorize(Nx.reshape(stacked, VectorizedAxis.fullShape(union, results.get(0).shape())), union);
    }

    private static void assertVectorizedClose(Tensor want, Tensor got, String what) {
        assertEquals(want.vectorizedAxes(), got.vectorizedAxes(), what + ": vectorized axes");
        assertEquals(want.shape(), got.shape(), what + ": shape");
        assertEquals(want.type(), got.type(), what + ": type");
        double[] w = Nx.asType(Nx.devectorize(want), DType.F64).toDoubleArray();
        double[] g = Nx.asType(Nx.devectorize(got), DType.F64).toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            double tol = 2e-5 * Math.max(1, Math.abs(w[i]));
            int at = i;
            assertTrue(Math.abs(w[i] - g[i]) <= tol, () -> what + ": element " + at + ": expected " + w[at] + ", got "
                    + g[at]);
        }
    }

    /** {@code op} on the vectorized operands, eagerly and jitted, equals it applied to each entry. */
    private void check(String what, List<Tensor> xs, Function<List<Tensor>, Tensor> op) {
        Tensor want = perEntry(xs, op);
        List<Tensor> onBackend = xs.stream().map(t -> t.isVectorized()
                ? Nx.vectorize(on(Nx.devectorize(t)), t.vectorizedAxes()) : on(t)).toList();
        assertVectorizedClose(want, op.apply(onBackend), what + " (eager)");
        Tensor jitted = Defn.jit((Tensor[] args) -> op.apply(List.of(args)), compiler()).apply(xs.toArray(new Tensor[0]));
        assertVectorizedClose(want, jitted, what + " (jit)");
    }

    // a: [a: 2][b: 3] f32[4]; b: [b: 3] f32[4]; c: [b: 1][a: 2] f32 (other order, b broadcast); w plain f32[4].
    private final Tensor a = Nx.vectorize(data(1, 2, 3, 4), "a", "b");
    private final Tensor b = Nx.vectorize(data(2, 3, 4), "b");
    private final Tensor c = Nx.vectorize(data(3, 1, 2), "b", "a");
    private final Tensor w = data(4, 4);
    // m: [a: 2] f32[3][4]; n: [a: 2] f32[4][3].
    private final Tensor m = Nx.vectorize(data(5, 2, 3, 4), "a");
    private final Tensor n = Nx.vectorize(data(6, 2, 4, 3), "a");

    @Test
    void elementwiseOpsMatchByName() {
        check("exp", List.of(a), x -> Nx.exp(x.get(0)));
        check("add a b", List.of(a, b), x -> Nx.add(x.get(0), x.get(1)));
        check("multiply b a (axes in b's order first)", List.of(b, a), x -> Nx.multiply(x.get(0), x.get(1)));
        check("subtract a c (c's axes reversed, b of size 1)", List.of(a, c), x -> Nx.subtract(x.get(0), x.get(1)));
        check("add a w (w shared)", List.of(a, w), x -> Nx.add(x.get(0), x.get(1)));
        check("multiply by a number", List.of(b), x -> Nx.multiply(x.get(0), 2.5));
        check("select", List.of(a, b, c), x -> Nx.select(Nx.greater(x.get(0), x.get(2)), x.get(1), x.get(0)));
        check("asType", List.of(a), x -> Nx.asType(Nx.multiply(x.get(0), 10), DType.S32));
    }

    @Test
    void shapeReductionAndLinearAlgebraOps() {
        check("sum", List.of(a), x -> Nx.sum(x.get(0)));
        check("sum axis 1", List.of(m), x -> Nx.sum(x.get(0), new int[] {1}, false));
        check("dot a w", List.of(a, w), x -> Nx.dot(x.get(0), x.get(1)));
        check("dot m n", List.of(m, n), x -> Nx.dot(x.get(0), x.get(1)));
        check("dot m b (two vectorized axes meet)", List.of(m, b), x -> Nx.dot(x.get(0), x.get(1)));
        check("transpose", List.of(m), x -> Nx.transpose(x.get(0)));
        check("reshape", List.of(m), x -> Nx.reshape(x.get(0), Shape.of(2, 6)));
        check("broadcast", List.of(b), x -> Nx.broadcast(x.get(0), Shape.of(2, 4)));
        check("slice", List.of(m), x -> Nx.slice(x.get(0), new int[] {1, 1}, new int[] {2, 2}));
        check("concatenate", List.of(m, Nx.transpose(n)), x -> Nx.concatenate(List.of(x.get(0), x.get(1)), 1));
        check("sort", List.of(a), x -> Nx.sort(x.get(0)));
        check("cumulative sum", List.of(m), x -> Nx.cumulativeSum(x.get(0), 1, false));
        check("take", List.of(m), x -> Nx.take(x.get(0), Nx.tensor(new int[] {2, 0}), 1));
        Tensor spd = Nx.vectorize(Nx.tensor(new float[] {4, 1, 1, 3, 2, 0, 0, 5}, 2, 2, 2), "a");
        check("solve", List.of(spd, Nx.vectorize(data(7, 2, 2), "a")), x -> LinAlg.solve(x.get(0), x.get(1)));
    }

    @Test
    void vectorizedIndicesAndStarts() {
        Tensor idx = Nx.vectorize(Nx.tensor(new int[] {0, 3, 2, 1, 1, 0}, 3, 2), "b");
        check("take with vectorized indices", List.of(w, idx), x -> Nx.take(x.get(0), x.get(1)));
        Tensor start = Nx.vectorize(Nx.tensor(new int[] {0, 2}), "a");
        check("slice with vectorized start", List.of(m, start),
                x -> Nx.sliceAlongAxis(x.get(0), x.get(1), 2, 1));
    }

    @Test
    void jitKeysOnVectorizedAxes() {
        var f = Defn.jit((Tensor x) -> Nx.multiply(x, x), compiler());
        Tensor plain = data(8, 2, 3);
        Tensor y = f.apply(Nx.vectorize(plain, "x"));
        assertEquals(axes("x", 2), y.vectorizedAxes());
        assertEquals(Shape.of(3), y.shape());
        f.apply(plain);
        f.apply(Nx.vectorize(plain, "x", "y"));
        f.apply(Nx.vectorize(plain, "z"));
        assertEquals(4, f.traceCount(), "a plain tensor and each set of vectorized axes are templates of their own");
        f.apply(Nx.vectorize(data(9, 2, 3), "x"));
        assertEquals(4, f.traceCount());
        // A function whose result is vectorized by a vectorized constant it reads.
        Tensor shift = Nx.vectorize(Nx.tensor(new float[] {10, 20}), "k");
        Tensor z = Defn.jit((Tensor x) -> Nx.add(x, shift), compiler()).apply(Nx.tensor(new float[] {1, 2, 3}));
        assertEquals(axes("k", 2), z.vectorizedAxes());
        assertArrayEquals(new float[] {11, 12, 13, 21, 22, 23}, z.toFloatArray());
    }

    // ------------------------------------------------------------ gradients

    @Test
    void gradOfVectorizedParameterIsPerEntry() {
        // d/dx sum(x^3) = 3x^2, per entry.
        Tensor x = Nx.vectorize(data(10, 3, 4), "x");
        Function<Tensor, Tensor> f = t -> Nx.sum(Nx.multiply(Nx.multiply(t, t), t));
        for (boolean jit : new boolean[] {false, true}) {
            Defn.ValueAndGrad<Tensor> vg = jit
                    ? Defn.jit((Tensor t) -> {
                        Defn.ValueAndGrad<Tensor> r = Defn.valueAndGrad(t, f);
                        return List.of(r.value(), r.grad());
                    }, compiler()).apply(x).stream().collect(java.util.stream.Collectors.collectingAndThen(
                            java.util.stream.Collectors.toList(), l -> new Defn.ValueAndGrad<>(l.get(0), l.get(1))))
                    : Defn.valueAndGrad(x, f);
            assertVectorizedClose(perEntry(List.of(x), e -> f.apply(e.get(0))), vg.value(), "value, jit " + jit);
            assertVectorizedClose(perEntry(List.of(x), e -> Nx.multiply(3, Nx.multiply(e.get(0), e.get(0)))), vg.grad(),
                    "gradient, jit " + jit);
        }
    }

    @Test
    void gradOfSharedParameterThroughVectorizedDataIsPerEntry() {
        // f(w) = sum(sin(w * x_e)) for each entry x_e: df/dw = sum(x_e cos(w x_e)), one gradient per entry.
        Tensor xs = Nx.vectorize(data(11, 3, 5), "e");
        Tensor w0 = Nx.scalar(0.7f);
        Function<Tensor, Tensor> f = wt -> Nx.sum(Nx.sin(Nx.multiply(wt, xs)));
        Tensor g = Defn.grad(w0, f);
        assertEquals(axes("e", 3), g.vectorizedAxes());
        assertEquals(Shape.scalar(), g.shape());
        float[] x = Nx.devectorize(xs).toFloatArray();
        float[] got = g.toFloatArray();
        double h = 1e-3;
        for (int e = 0; e < 3; e++) {
            double analytic = 0;
            double plus = 0;
            double minus = 0;
            for (int i = 0; i < 5; i++) {
                double xi = x[e * 5 + i];
                analytic += xi * Math.cos(0.7 * xi);
                plus += Math.sin((0.7 + h) * xi);
                minus += Math.sin((0.7 - h) * xi);
            }
            assertEquals(analytic, got[e], 1e-5, "entry " + e);
            assertEquals((plus - minus) / (2 * h), got[e], 1e-4, "entry " + e + " vs finite differences");
        }
    }

    @Test
    void gradOfContainerMixingVectorizedAndPlainParameters() {
        // loss(p) = sum((p.w * x + p.b)^2) with x vectorized [v: 2]: p.b is broadcast to the entries first (Nx).
        Tensor x = Nx.vectorize(data(12, 2, 3), "v");
        Map<String, Tensor> p = Map.of("w", Nx.vectorize(data(13, 2, 3), "v"), "b", Nx.scalar(0.25f));
        Function<Map<String, Tensor>, Tensor> loss = q -> Nx.sum(Nx.pow(Nx.add(Nx.multiply(q.get("w"), x), q.get("b")), 2));
        Map<String, Tensor> g = Defn.grad(p, loss);
        // Per entry: d/dw = 2 (w x + b) x, d/db = sum(2 (w x + b)).
        Tensor r = perEntry(List.of(p.get("w"), x), e -> Nx.add(Nx.multiply(e.get(0), e.get(1)), 0.25f));
        assertVectorizedClose(perEntry(List.of(r, x), e -> Nx.multiply(2, Nx.multiply(e.get(0), e.get(1)))), g.get("w"),
                "d/dw");
        assertVectorizedClose(perEntry(List.of(r), e -> Nx.multiply(2, Nx.sum(e.get(0)))), g.get("b"), "d/db");
    }

    /** Nx's grad_test "vectorization" cases (Nx differentiates a non-scalar by its sum; here the sum is written). */
    @Test
    void nxGradVectorizationCases() {
        Tensor x = Nx.vectorize(Nx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), "x");
        Tensor y = Nx.scalar(1f);
        Tensor three = Nx.vectorize(Nx.tensor(new float[] {3, 3}), "x");
        assertVectorizedClose(three, Defn.grad(y, t -> Nx.sum(Nx.add(x, t))), "grad(y, sum(x + y))");
        assertVectorizedClose(three, Defn.grad(y, t -> Nx.sum(Nx.add(t, Nx.sin(x)))), "grad(y, sum(y + sin x))");
        assertVectorizedClose(Nx.cos(x), Defn.grad(x, t -> Nx.sum(Nx.add(y, Nx.sin(t)))), "grad(x, sum(y + sin x))");

        // Heterogeneous axes: both gradients get the union [x: 2][y: 2]; d(a b)/da = b, d/db = sum(a).
        Tensor yv = Nx.vectorize(Nx.tensor(new float[] {10, 20}), "y");
        List<Tensor> g = Defn.grad(List.of(x, yv), p -> Nx.sum(Nx.multiply(p.get(0), p.get(1))));
        assertVectorizedClose(Nx.vectorize(Nx.tensor(new float[] {10, 10, 10, 20, 20, 20, 10, 10, 10, 20, 20, 20},
                2, 2, 3), "x", "y"), g.get(0), "heterogeneous d/da");
        assertVectorizedClose(Nx.vectorize(Nx.tensor(new float[] {6, 6, 15, 15}, 2, 2), "x", "y"), g.get(1),
                "heterogeneous d/db");

        // Same axis: d/da = b per entry, d/db = sum(a) per entry.
        Tensor ys = Nx.vectorize(Nx.tensor(new float[] {10, 20}), "x");
        List<Tensor> same = Defn.grad(List.of(x, ys), p -> Nx.sum(Nx.multiply(p.get(0), p.get(1))));
        assertVectorizedClose(Nx.vectorize(Nx.tensor(new float[] {10, 10, 10, 20, 20, 20}, 2, 3), "x"), same.get(0),
                "same-axis d/da");
        assertVectorizedClose(Nx.vectorize(Nx.tensor(new float[] {6, 15}), "x"), same.get(1), "same-axis d/db");

        // Devectorized and vectorized again inside the function; a plain scalar of every entry.
        Tensor batch = Nx.vectorize(Nx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), "batch");
        assertVectorizedClose(Nx.vectorize(Nx.broadcast(Nx.scalar(1f), Shape.of(2, 3)), "batch"),
                Defn.grad(batch, t -> Nx.sum(Nx.vectorize(Nx.devectorize(t), "batch"))), "devectorize/vectorize");
        assertVectorizedClose(Nx.vectorize(Nx.broadcast(Nx.scalar(2f), Shape.of(2, 3)), "batch"),
                Defn.grad(batch, t -> Nx.sum(Nx.vectorize(Nx.multiply(Nx.devectorize(t), 2), "batch"))), "chained");
        assertVectorizedClose(Nx.multiply(batch, 2), Defn.grad(batch, t -> {
            Tensor d = Nx.devectorize(t);
            return Nx.sum(Nx.multiply(d, d));
        }), "devectorize then a plain scalar");
    }

    // ------------------------------------------------------------ errors

    private static void assertMessage(org.junit.jupiter.api.function.Executable f, String part) {
        Exception e = assertThrows(RuntimeException.class, f);
        assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }

    @Test
    void mismatchedSizesOfOneNameNameTheOpAxisAndSizes() {
        Tensor x3 = Nx.vectorize(data(14, 3), "x");
        Tensor x2 = Nx.vectorize(data(15, 2), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nx.add(x3, x2));
        assertTrue(e.getMessage().contains("Binary add") && e.getMessage().contains("vectorized axis x has size 3")
                && e.getMessage().contains("and 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nx.broadcastVectors(List.of(x3, x2)));
        assertThrows(IllegalArgumentException.class, () -> Defn.jit((Tensor u, Tensor v) -> Nx.add(u, v), compiler())
                .apply(x3, x2));
    }
}
