package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Defn.vmap}: every batching rule against the unbatched op applied to each example and
 * stacked, eagerly and jitted; control flow with per-example trip counts and branches;
 * per-example gradients; containers, nesting and errors. Runs on the reference evaluator here;
 * exla-backend reruns it compiled by XLA by overriding {@link #compiler()}.
 */
public class VmapTest {
    /** The compiler the jitted functions of these tests use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    /** Deterministic values in [-1, 1). */
    static Tensor data(long seed, int... dims) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Nx.tensor(v, dims);
    }

    static Tensor example(Tensor t, Integer axis, int i) {
        return axis == null ? t : Nx.squeeze(Nx.sliceAlongAxis(t, i, 1, axis), axis);
    }

    static void assertClose(Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), "shape");
        assertEquals(expected.type(), actual.type(), "type");
        float[] e = Nx.asType(expected, DType.F32).toFloatArray();
        float[] a = Nx.asType(actual, DType.F32).toFloatArray();
        for (int i = 0; i < e.length; i++) {
            float tol = 1e-4f * Math.max(1, Math.abs(e[i]));
            int at = i;
            assertTrue(Math.abs(e[i] - a[i]) <= tol, () -> "element " + at + ": expected " + e[at] + ", got " + a[at]
                    + "\nexpected " + Arrays.toString(e) + "\nactual   " + Arrays.toString(a));
        }
    }

    /**
     * {@code f} mapped over {@code axes} of {@code args} (null: shared) equals {@code f} of each
     * example stacked along axis 0, called eagerly and jitted.
     */
    void assertMapsLikeALoop(Function<List<Tensor>, Tensor> f, List<Integer> axes, Tensor... args) {
        int size = -1;
        for (int k = 0; k < args.length; k++) {
            if (axes.get(k) != null) {
                size = args[k].shape().dim(axes.get(k));
            }
        }
        List<Tensor> each = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<Tensor> ex = new ArrayList<>();
            for (int k = 0; k < args.length; k++) {
                ex.add(example(args[k], axes.get(k), i));
            }
            each.add(f.apply(ex));
        }
        Tensor expected = Nx.stack(each);
        Defn.Fn1<List<Tensor>, Tensor> mapped = Defn.vmap(f::apply, axes, 0);
        assertClose(expected, mapped.apply(List.of(args)));
        assertClose(expected, Defn.jit(mapped, compiler()).apply(List.of(args)));
    }

    static List<Integer> axes(Integer... a) {
        return Arrays.asList(a);
    }

    @Test
    void elementwiseSelectAndConvert() {
        assertMapsLikeALoop(a -> {
            Tensor x = a.get(0);
            Tensor y = a.get(1);
            Tensor s = Nx.select(Nx.greater(x, y), Nx.exp(x), Nx.multiply(y, 2f));
            return Nx.add(s, Nx.asType(Nx.asType(Nx.multiply(x, 10f), DType.S32), DType.F32));
        }, axes(1, null), data(1, 3, 5), data(2, 3));
        // both batched, on different axes
        assertMapsLikeALoop(a -> Nx.subtract(Nx.tanh(a.get(0)), a.get(1)), axes(0, 1), data(3, 4, 2), data(4, 2, 4));
    }

    @Test
    void shapeOps() {
        assertMapsLikeALoop(a -> {
            Tensor x = a.get(0);
            Tensor r = Nx.transpose(Nx.reshape(x, Shape.of(3, 2)));
            Tensor b = Nx.broadcast(Nx.sum(r, new int[] {0}, false), Shape.of(2, 3));
            return Nx.add(Nx.reverse(r, 1), b);
        }, axes(1), data(5, 6, 4));
        assertMapsLikeALoop(a -> {
            Tensor x = a.get(0);
            Tensor s = Nx.slice(x, new int[] {1, 0}, new int[] {2, 3}, new int[] {1, 2});
            Tensor p = Nx.pad(s, 0.5f, new int[] {1, 0, 0}, new int[] {0, 2, 1});
            return Nx.concatenate(List.of(p, Nx.reshape(a.get(1), Shape.of(1, 5)), p), 0);
        }, axes(2, null), data(6, 3, 4, 3), data(7, 5));
    }

    @Test
    void reductions() {
        assertMapsLikeALoop(a -> Nx.add(Nx.sum(a.get(0), new int[] {0}, false),
                Nx.reduceMax(a.get(0), new int[] {0}, false)), axes(1), data(8, 2, 4, 3));
        assertMapsLikeALoop(a -> Nx.reduce(a.get(0), 1, new int[] {1}, false, Nx::multiply), axes(0), data(9, 3, 2, 4));
        assertMapsLikeALoop(a -> Nx.logsumexp(a.get(0)), axes(2), data(10, 3, 2, 4));
    }

    @Test
    void dotWithEitherOrBothBatched() {
        Tensor a = data(11, 4, 3, 5);
        Tensor b = data(12, 5, 2);
        assertMapsLikeALoop(x -> Nx.dot(x.get(0), x.get(1)), axes(0, null), a, b);
        assertMapsLikeALoop(x -> Nx.dot(x.get(1), x.get(0)), axes(null, 1), data(13, 4, 2, 3), data(14, 2, 2));
        assertMapsLikeALoop(x -> Nx.dot(x.get(0), x.get(1)), axes(2, 0), data(15, 3, 5, 4), data(16, 4, 5, 2));
        // per-example batched matmul: [2,3,5]·[2,5,4] over batch dim 0
        assertMapsLikeALoop(x -> Nx.dot(x.get(0), new int[] {2}, new int[] {0}, x.get(1), new int[] {1}, new int[] {0}),
                axes(1, 3), data(17, 2, 3, 3, 5), data(18, 2, 5, 4, 3));
        assertMapsLikeALoop(x -> Nx.dot(x.get(0), new int[] {2}, new int[] {0}, x.get(1), new int[] {1}, new int[] {0}),
                axes(null, 0), data(19, 2, 3, 5), data(20, 3, 2, 5, 4));
    }

    @Test
    void gatherAndScatter() {
        Tensor idx = Nx.tensor(new int[] {2, 0, 1, 1, 0, 2}, 3, 2);
        Tensor idxs = Nx.tensor(new int[] {0, 1, 2, 0, 1, 1, 2, 2, 0, 0, 2, 1}, 2, 3, 2);
        assertMapsLikeALoop(a -> Nx.gather(a.get(0), a.get(1)), axes(1, null), data(21, 3, 4, 3), idx);
        assertMapsLikeALoop(a -> Nx.gather(a.get(0), a.get(1)), axes(null, 0), data(22, 3, 3), idxs);
        assertMapsLikeALoop(a -> Nx.gather(a.get(0), a.get(1)), axes(0, 0), data(23, 2, 3, 3, 2), idxs);
        assertMapsLikeALoop(a -> Nx.take(a.get(0), a.get(1), 1), axes(0, 1),
                data(24, 3, 2, 4), Nx.tensor(new int[] {3, 0, 1, 1, 2, 0}, 2, 3));
        assertMapsLikeALoop(a -> Nx.indexedAdd(a.get(0), a.get(1), a.get(2)), axes(0, null, null), data(26, 2, 3, 3),
                idx, data(25, 3));
        assertMapsLikeALoop(a -> Nx.indexedAdd(a.get(0), a.get(1), a.get(2)), axes(null, 0, 1),
                data(27, 3, 3), idxs, data(28, 3, 2));
        assertMapsLikeALoop(a -> Nx.indexedPut(a.get(0), a.get(1), a.get(2)), axes(2, 0, 0),
                data(29, 3, 3, 2), idxs, data(30, 2, 3));
    }

    @Test
    void sortAlongAnAxis() {
        assertMapsLikeALoop(a -> Nx.sort(a.get(0), 1, true), axes(1), data(31, 3, 4, 5));
        assertMapsLikeALoop(a -> Nx.asType(Nx.argsort(a.get(0), 0, false), DType.F32), axes(0), data(32, 3, 6));
    }

    @Test
    void convolution() {
        Tensor kernel = data(33, 4, 2, 3, 3);
        // batched inputs, shared kernel: the examples fold into the convolution's batch
        assertMapsLikeALoop(a -> Nx.conv(a.get(0), a.get(1), ConvOptions.defaults().padding("same")), axes(1, null),
                data(34, 2, 3, 2, 5, 5), kernel);
        // a kernel per example: the examples fold into the feature groups, grouped or not
        assertMapsLikeALoop(a -> Nx.conv(a.get(0), a.get(1), ConvOptions.defaults().featureGroupSize(2)), axes(null, 0),
                data(35, 1, 4, 5, 5), data(36, 3, 4, 2, 3, 3));
        assertMapsLikeALoop(a -> Nx.conv(a.get(0), a.get(1), ConvOptions.defaults().strides(2, 1)), axes(2, 1),
                data(67, 2, 3, 3, 6, 5), data(68, 4, 3, 3, 2, 2));
        // batch groups go per example
        assertMapsLikeALoop(a -> Nx.conv(a.get(0), a.get(1), ConvOptions.defaults().batchGroupSize(2)), axes(0, null),
                data(69, 2, 4, 3, 5, 5), data(70, 6, 3, 3, 3));
    }

    @Test
    void windowOps() {
        WindowOptions o = WindowOptions.defaults().strides(1, 2).padding("same");
        assertMapsLikeALoop(a -> Nx.add(Nx.windowSum(a.get(0), new int[] {2, 2}, o),
                Nx.windowMax(a.get(0), new int[] {2, 2}, o)), axes(1), data(37, 4, 3, 6));
        // an associative function: XLA may fold a window's partial results with it
        assertMapsLikeALoop(a -> Nx.windowReduce(a.get(0), -10, new int[] {1, 3}, WindowOptions.defaults(),
                Nx::max), axes(0), data(38, 2, 4, 5));
        assertMapsLikeALoop(a -> Nx.windowScatterMax(a.get(0), a.get(1), 0, new int[] {2, 2},
                WindowOptions.defaults().strides(2, 2)), axes(0, null), data(39, 3, 4, 4), data(40, 2, 2));
    }

    @Test
    void dynamicSlices() {
        Tensor x = data(41, 3, 5, 4);
        assertMapsLikeALoop(a -> Nx.slice(a.get(0), new Object[] {a.get(1), 1}, new int[] {2, 2}), axes(0, null),
                x, Nx.scalar(2));
        // a start per example (a gather), clamped so the window fits; with a shared operand too
        assertMapsLikeALoop(a -> Nx.slice(a.get(0), new Object[] {a.get(1), 1}, new int[] {2, 2}), axes(0, 0),
                x, Nx.tensor(new int[] {0, 3, 9}));
        assertMapsLikeALoop(a -> Nx.slice(a.get(0), new Object[] {a.get(1), a.get(1)}, new int[] {3, 2}), axes(null, 0),
                data(73, 5, 4), Nx.tensor(new int[] {2, 0, -1, 1}));
        assertMapsLikeALoop(a -> Nx.putSlice(a.get(0), new Object[] {a.get(2), 1}, a.get(1)), axes(null, 0, 0),
                data(74, 5, 4), data(75, 3, 2, 3), Nx.tensor(new int[] {4, 0, 2}));
        assertMapsLikeALoop(a -> Nx.putSlice(a.get(0), new Object[] {1, a.get(2)}, a.get(1)), axes(2, 0, null),
                x, data(42, 4, 2, 3), Nx.scalar(1));
    }

    @Test
    void transformsAndFactorizations() {
        assertMapsLikeALoop(a -> Nx.real(Nx.fft(a.get(0))), axes(0), data(43, 3, 2, 8));
        Tensor m = data(44, 3, 4, 4);
        Tensor spd = Nx.add(Nx.dot(m, new int[] {2}, new int[] {0}, m, new int[] {2}, new int[] {0}),
                Nx.multiply(Nx.eye(4), 4f));
        assertMapsLikeALoop(a -> LinAlg.cholesky(a.get(0)), axes(0), spd);
        Tensor l = LinAlg.cholesky(spd);
        assertMapsLikeALoop(a -> LinAlg.triangularSolve(a.get(0), a.get(1), true, true, false), axes(0, null),
                l, data(45, 4, 2));
    }

    @Test
    void randomKeysPerExample() {
        Tensor keys = Random.split(Random.key(42), 4);
        assertMapsLikeALoop(a -> Random.uniformSplit(a.get(0), Shape.of(3), DType.F32, 0, 1), axes(0), keys);
        assertMapsLikeALoop(a -> Random.normalSplit(Random.foldIn(Random.key(7), a.get(0)), Shape.of(2), DType.F32, 0, 1),
                axes(0), Nx.tensor(new int[] {1, 2, 3}));
    }

    @Test
    void typeOpsAndPerExampleRules() {
        assertMapsLikeALoop(a -> Nx.asType(Nx.bitwiseAnd(Nx.bitcast(a.get(0), DType.S32), 0xFFFF), DType.F32),
                axes(1), data(62, 3, 4));
        assertMapsLikeALoop(a -> Nx.add(Defn.stopGrad(a.get(0)), 1f), axes(0), data(63, 2, 3));
        // a batched pad value (the per-example rule); a shared operand scattered into by batched sources
        assertMapsLikeALoop(a -> Nx.pad(a.get(0), a.get(1), new int[] {1, 1, 0}), axes(0, 0),
                data(64, 3, 2), Nx.tensor(new float[] {5, 6, 7}));
        assertMapsLikeALoop(a -> Nx.windowScatterMax(a.get(0), a.get(1), 0, new int[] {2, 2},
                WindowOptions.defaults().strides(2, 2)), axes(null, 0), data(65, 4, 4), data(66, 3, 2, 2));
    }

    /** How many nodes of {@code kind} the graph of {@code f} holds (outside control-flow regions). */
    static long count(TracedFunction f, Class<?> kind) {
        return Graph.postOrder(f.outputs()).stream().filter(kind::isInstance).count();
    }

    @Test
    void efficientRulesEmitOneOpForTheWholeBatch() {
        Mlp p = new Mlp(data(50, 4, 8), data(51, 8), data(52, 8, 2));
        Tensor xs = data(53, 16, 4);
        TracedFunction mlp = Defn.trace(x -> Defn.vmap((Tensor v) -> Nx.dot(Nx.tanh(Nx.add(Nx.dot(v, p.w1()), p.b1())),
                p.w2())).apply(x), xs);
        assertEquals(2, count(mlp, Expr.Dot.class));
        assertEquals(0, count(mlp, Expr.Slice.class) + count(mlp, Expr.Transpose.class));
        TracedFunction conv = Defn.trace(x -> Defn.vmap((Tensor v) -> Nx.conv(v, data(33, 4, 2, 3, 3))).apply(x),
                data(34, 5, 1, 2, 6, 6));
        assertEquals(1, count(conv, Expr.Conv.class));
        TracedFunction kernels = Defn.trace((x, k) -> Defn.vmap((Tensor v, Tensor w) -> Nx.conv(v, w), 0, 0, 0).apply(x, k),
                data(67, 3, 2, 3, 6, 5), data(68, 3, 4, 3, 2, 2));
        assertEquals(1, count(kernels, Expr.Conv.class));
        TracedFunction gather = Defn.trace((x, i) -> Defn.vmap((Tensor v, Tensor j) -> Nx.take(v, j, 0), 0, 0, 0)
                .apply(x, i), data(23, 4, 3, 2), Nx.tensor(new int[] {0, 2, 1, 1, 0, 2, 2, 2}, 4, 2));
        assertEquals(1, count(gather, Expr.Gather.class));
        TracedFunction loop = Defn.trace(n -> Defn.vmap((Tensor m) -> Defn.whileLoop(Nx.scalar(0), i -> Nx.less(i, m),
                i -> Nx.add(i, 1))).apply(n), Nx.tensor(new int[] {1, 2, 3}));
        assertEquals(1, Graph.postOrder(loop.outputs()).stream().filter(e -> e instanceof Expr.Element)
                .map(e -> ((Expr.Element) e).source()).distinct().count());
        // a shared trip count over batched data: the counter and the condition stay unbatched
        TracedFunction fixed = Defn.trace(x -> Defn.vmap((Tensor v) -> Defn.whileLoop(List.of(Nx.scalar(0), v),
                s -> Nx.less(s.get(0), 3), s -> List.of(Nx.add(s.get(0), 1), Nx.exp(s.get(1))))).apply(x).get(1),
                data(46, 4, 2));
        Expr.While w = (Expr.While) ((Expr.Element) fixed.outputs().get(0)).source();
        assertEquals(Shape.of(), w.initial().get(0).shape());
        assertEquals(Shape.of(4, 2), w.initial().get(1).shape());
        assertEquals(0, Graph.postOrder(w.body().outputs()).stream().filter(e -> e instanceof Expr.Select).count());
        // a dynamic slice at starts that differ: one gather
        TracedFunction slices = Defn.trace((x, i) -> Defn.vmap((Tensor v, Tensor j) -> Nx.slice(v, new Object[] {j},
                new int[] {2}), 0, 0, 0).apply(x, i), data(41, 3, 5), Nx.tensor(new int[] {0, 3, 1}));
        assertEquals(1, count(slices, Expr.Gather.class));
        assertEquals(0, count(slices, Expr.DynamicSlice.class));
        // the per-example rule: one pad per example
        TracedFunction perExample = Defn.trace((x, v) -> Defn.vmap((Tensor e, Tensor value) -> Nx.pad(e, value,
                new int[] {1, 1, 0}), 0, 0, 0).apply(x, v), data(64, 3, 2), Nx.tensor(new float[] {5, 6, 7}));
        assertEquals(3, count(perExample, Expr.Pad.class));
    }

    record Counter(Tensor i, Tensor acc) {
    }

    @Test
    void whileLoopRunsEachExampleItsOwnTripCount() {
        // acc = 0 + 1 + ... + (n - 1), i = n: a lane stops when its own counter reaches its n
        Defn.Fn1<Tensor, Counter> sumBelow = n -> Defn.whileLoop(new Counter(Nx.scalar(0), Nx.scalar(0)),
                s -> Nx.less(s.i(), n), s -> new Counter(Nx.add(s.i(), 1), Nx.add(s.acc(), s.i())));
        Tensor ns = Nx.tensor(new int[] {0, 3, 7, 1});
        Defn.Fn1<Tensor, Counter> mapped = Defn.vmap(sumBelow);
        for (Counter c : List.of(mapped.apply(ns), Defn.jit(mapped, compiler()).apply(ns))) {
            assertArrayEquals(new int[] {0, 3, 21, 0}, c.acc().toIntArray());
            assertArrayEquals(new int[] {0, 3, 7, 1}, c.i().toIntArray());
        }
        // a shared trip count over batched state
        assertMapsLikeALoop(a -> Defn.whileLoop(List.of(Nx.scalar(0), a.get(0)), s -> Nx.less(s.get(0), 3),
                s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(s.get(1), a.get(1)))).get(1), axes(0, null),
                data(46, 4, 2), Nx.tensor(new float[] {2, -1}));
    }

    @Test
    void perExampleGradientsThroughLoopsWithTheirOwnTripCounts() {
        // d/dx of x squared n times (x^(2^n)) is 2^n x^(2^n - 1): each example its own n
        Function<List<Tensor>, Tensor> f = a -> Defn.grad(a.get(0), x -> Nx.sum(Defn.whileLoop(List.of(Nx.scalar(0), x),
                s -> Nx.less(s.get(0), a.get(1)), s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(s.get(1), s.get(1))))
                .get(1)));
        Tensor xs = Nx.tensor(new float[] {1.5f, -0.5f, 1.1f, 2f});
        Tensor ns = Nx.tensor(new int[] {0, 1, 3, 2});
        assertMapsLikeALoop(f, axes(0, 0), xs, ns);
        assertClose(Nx.tensor(new float[] {1, -1, 8 * (float) Math.pow(1.1, 7), 32}),
                Defn.jit(Defn.vmap(f::apply, axes(0, 0), 0), compiler()).apply(List.of(xs, ns)));
    }

    @Test
    void condWithABatchedOrASharedPredicate() {
        assertMapsLikeALoop(a -> Defn.cond(Nx.greater(Nx.sum(a.get(0)), 0f), () -> Nx.multiply(a.get(0), 2f),
                () -> Nx.negate(Nx.exp(a.get(0)))), axes(0), data(47, 6, 3));
        assertMapsLikeALoop(a -> Defn.cond(List.of(Nx.less(a.get(1), 0), Nx.equal(a.get(1), 0)),
                List.of(() -> Nx.add(a.get(0), 1f), () -> a.get(0), () -> Nx.multiply(a.get(0), a.get(0)))),
                axes(0, 0), data(48, 5, 2), Nx.tensor(new int[] {-1, 0, 3, 0, -2}));
        assertMapsLikeALoop(a -> Defn.cond(Nx.greater(a.get(1), 0), () -> Nx.multiply(a.get(0), 2f),
                () -> Nx.negate(a.get(0))), axes(0, null), data(49, 4, 3), Nx.scalar(1));
    }

    record Mlp(Tensor w1, Tensor b1, Tensor w2) {
    }

    static Tensor loss(Mlp p, Tensor x, Tensor y) {
        Tensor h = Nx.tanh(Nx.add(Nx.dot(x, p.w1()), p.b1()));
        Tensor out = Nx.dot(h, p.w2());
        return Nx.sum(Nx.multiply(Nx.subtract(out, y), Nx.subtract(out, y)));
    }

    @Test
    void perExampleGradientsOfAnMlpEqualALoopOfGrad() {
        Mlp p = new Mlp(data(50, 4, 8), data(51, 8), data(52, 8, 2));
        Tensor xs = data(53, 6, 4);
        Tensor ys = data(54, 6, 2);
        Defn.Fn2<Tensor, Tensor, Mlp> perExample = Defn.vmap((Tensor x, Tensor y) -> Defn.grad(p, q -> loss(q, x, y)),
                0, 0, 0);
        Defn.Fn2<Tensor, Tensor, Mlp> jitted = Defn.jit(perExample, compiler());
        Mlp eager = perExample.apply(xs, ys);
        Mlp compiled = jitted.apply(xs, ys);
        for (int i = 0; i < 6; i++) {
            int at = i;
            Mlp g = Defn.grad(p, q -> loss(q, example(xs, 0, at), example(ys, 0, at)));
            for (Mlp got : List.of(eager, compiled)) {
                assertClose(g.w1(), example(got.w1(), 0, i));
                assertClose(g.b1(), example(got.b1(), 0, i));
                assertClose(g.w2(), example(got.w2(), 0, i));
            }
        }
        // grad of vmap: the gradient of the summed per-example losses is the batch loss's gradient
        Mlp batch = Defn.grad(p, q -> loss(q, xs, ys));
        Defn.Fn2<Mlp, Tensor, Tensor> losses = Defn.vmap((Mlp q, Tensor x) -> loss(q, x, Nx.scalar(0f)), null, 0, 0);
        Mlp viaVmap = Defn.jit((Mlp q) -> Defn.grad(q, r -> Nx.sum(Defn.vmap((Tensor x, Tensor y) -> loss(r, x, y),
                0, 0, 0).apply(xs, ys))), compiler()).apply(p);
        assertClose(batch.w1(), viaVmap.w1());
        assertClose(batch.w2(), viaVmap.w2());
        assertEquals(Shape.of(6), losses.apply(p, xs).shape());
    }

    @Test
    void customGradientsAreBatched() {
        // d/dx of a custom sin whose gradient rule is cos(x)·g, per example, against cos directly
        Defn.Fn1<Tensor, Tensor> f = x -> Defn.grad(x, v -> Nx.sum(Defn.customGrad(Nx.sin(v), List.of(v),
                g -> List.of(Nx.multiply(g, Nx.cos(v))))));
        Tensor xs = data(55, 5, 3);
        assertClose(Nx.cos(xs), Defn.vmap(f).apply(xs));
        assertClose(Nx.cos(xs), Defn.jit(Defn.vmap(f), compiler()).apply(xs));
        // a custom gradient taken over a vmapped function: a shared input's gradient sums the examples'
        Tensor w = data(56, 3);
        Tensor gw = Defn.grad(w, v -> Nx.sum(Defn.vmap((Tensor x, Tensor u) -> Defn.customGrad(Nx.multiply(x, u),
                List.of(u), g -> List.of(Nx.multiply(g, x))), 0, null, 0).apply(xs, v)));
        assertClose(Nx.sum(xs, new int[] {0}, false), gw);
    }

    @Test
    void vmapOfVmapMapsTwoAxes() {
        Tensor x = data(57, 3, 4, 5);
        Tensor y = data(58, 5, 2);
        Defn.Fn2<Tensor, Tensor, Tensor> inner = Defn.vmap((Tensor a, Tensor b) -> Nx.dot(a, b), 0, null, 0);
        Defn.Fn2<Tensor, Tensor, Tensor> outer = Defn.vmap(inner, 1, null, 1);
        Tensor expected = Nx.transpose(Nx.dot(x, y), new int[] {0, 1, 2});
        assertClose(expected, outer.apply(x, y));
        assertClose(expected, Defn.jit(outer, compiler()).apply(x, y));
    }

    @Test
    void composesWithJitInsideAndAroundAndWithLoops() {
        Tensor xs = data(71, 4, 3);
        Tensor w = data(72, 3, 2);
        var inner = Defn.jit((Tensor x) -> Nx.exp(Nx.dot(x, w)), compiler());
        Tensor expected = Nx.exp(Nx.dot(xs, w));
        // vmap of a jitted function: it inlines into the per-example trace
        assertClose(expected, Defn.vmap(inner::apply).apply(xs));
        // vmap over a value the jitted caller traces (a capture), and inside a loop's body
        var closure = Defn.jit((Tensor x, Tensor v) -> Defn.whileLoop(List.of(Nx.scalar(0),
                Nx.multiply(Nx.dot(x, v), 0f)), s -> Nx.less(s.get(0), 2), s -> List.of(Nx.add(s.get(0), 1),
                Nx.add(s.get(1), Defn.vmap((Tensor r) -> Nx.exp(Nx.dot(r, v))).apply(x)))).get(1), compiler());
        assertClose(Nx.multiply(expected, 2f), closure.apply(xs, w));
    }

    @Test
    void containerAxesAndOutAxes() {
        Mlp p = new Mlp(data(59, 3, 4, 2), data(60, 2), data(61, 2, 3, 3));
        // w1 mapped along 0, b1 shared, w2 mapped along 1: in component order, or by component name
        Defn.Fn1<Mlp, List<Tensor>> f = q -> List.of(Nx.dot(Nx.add(Nx.sum(q.w1(), new int[] {0}, false), q.b1()),
                q.w2()), q.b1());
        Map<String, Integer> byName = new java.util.HashMap<>(Map.of("w1", 0, "w2", 1));
        byName.put("b1", null);
        List<Tensor> got = Defn.vmap(f, Arrays.asList(0, null, 1), Arrays.asList(1, null)).apply(p);
        assertEquals(Shape.of(3, 3), got.get(0).shape());
        List<Tensor> named = Defn.vmap(f, byName, Arrays.asList(1, null)).apply(p);
        assertClose(got.get(0), named.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Defn.vmap(f, List.of(0, 1), 0).apply(p));
        assertTrue(e.getMessage().contains("expected 3 entries"), e.getMessage());
        for (int i = 0; i < 3; i++) {
            Tensor w1 = example(p.w1(), 0, i);
            Tensor w2 = example(p.w2(), 1, i);
            Tensor expected = Nx.dot(Nx.add(Nx.sum(w1, new int[] {0}, false), p.b1()), w2);
            assertClose(expected, example(got.get(0), 1, i));
        }
        assertClose(p.b1(), got.get(1));
    }

    @Test
    void badAxesNameTheArgumentAndSizes() {
        Defn.Fn2<Tensor, Tensor, Tensor> f = Defn.vmap((Tensor a, Tensor b) -> Nx.add(a, b), 0, 2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.apply(data(1, 3, 2), data(2, 3, 2)));
        assertTrue(e.getMessage().contains("inAxes 2 of argument 1 is out of range")
                && e.getMessage().contains("(rank 2)"), e.getMessage());
        Defn.Fn2<Tensor, Tensor, Tensor> g = Defn.vmap((Tensor a, Tensor b) -> Nx.add(a, b), 0, 1, 0);
        e = assertThrows(IllegalArgumentException.class, () -> g.apply(data(1, 3, 2), data(2, 2, 4)));
        assertTrue(e.getMessage().contains("argument 0 has 3 along axis 0") && e.getMessage().contains("argument 1")
                && e.getMessage().contains("has 4 along axis 1"), e.getMessage());
        Defn.Fn2<Tensor, Tensor, Tensor> none = Defn.vmap((Tensor a, Tensor b) -> Nx.add(a, b), null, null, 0);
        e = assertThrows(IllegalArgumentException.class, () -> none.apply(data(1, 3), data(2, 3)));
        assertTrue(e.getMessage().contains("no argument is mapped"), e.getMessage());
        Defn.Fn1<Tensor, Tensor> unmappedOut = Defn.vmap(a -> Nx.exp(a), 0, null);
        e = assertThrows(IllegalArgumentException.class, () -> unmappedOut.apply(data(1, 3)));
        assertTrue(e.getMessage().contains("outAxes is null"), e.getMessage());
    }
}
