package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients where the semantics are subtle (issue 14): loops whose step Jacobian depends on
 * the state or that capture the differentiated value, products with zeros. Each value is a
 * closed form or a central finite difference in f64; every gradient is computed eagerly and
 * jitted with {@link #compiler()}, which exla-backend overrides with XLA.
 */
public class GradSemanticsTest {
    /** The compiler the jitted gradients use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    /** The eager and the jitted gradient of {@code f} at {@code x}, checked to agree. */
    double[] gradBothWays(Function<Tensor, Tensor> f, Tensor x) {
        double[] eager = Defn.grad(x, f).toDoubleArray();
        double[] jitted = Defn.jit((Tensor p) -> Defn.grad(p, f), compiler()).apply(x).toDoubleArray();
        assertArrayEquals(eager, jitted, 1e-10 * (1 + maxAbs(eager)), "jitted against eager");
        return eager;
    }

    /** Checks both gradients of {@code f} at {@code x} against central finite differences. */
    void checkAgainstFiniteDifferences(Function<Tensor, Tensor> f, Tensor x) {
        double h = 1e-6;
        double[] v = x.toDoubleArray();
        double[] numeric = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double[] up = v.clone();
            double[] down = v.clone();
            up[i] += h;
            down[i] -= h;
            numeric[i] = (f.apply(Nx.reshape(Nx.tensor(up), x.shape())).toDouble()
                    - f.apply(Nx.reshape(Nx.tensor(down), x.shape())).toDouble()) / (2 * h);
        }
        assertArrayEquals(numeric, gradBothWays(f, x), 1e-6 * (1 + maxAbs(numeric)), "against finite differences");
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /** x^k by k - 1 multiplications of an accumulator, a counted loop. */
    static Tensor power(Tensor x, int k) {
        return Defn.whileLoop(List.of(Nx.scalar(1), x), s -> Nx.less(s.get(0), Nx.scalar(k)),
                s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(s.get(1), x))).get(1);
    }

    @Test
    void loopGradientWithRespectToACapturedValue() {
        // grad(c -> whileLoop([0, x], i < 3, [i + 1, s + c])[1]) = 3, not 0
        Function<Tensor, Tensor> f = c -> Defn.whileLoop(List.of(Nx.scalar(0), Nx.scalar(1.0)),
                s -> Nx.less(s.get(0), Nx.scalar(3)), s -> List.of(Nx.add(s.get(0), 1), Nx.add(s.get(1), c))).get(1);
        assertArrayEquals(new double[] {3}, gradBothWays(f, Nx.scalar(0.25)), 0);
        // x² by repeated multiplication: 2x (the old rule gave 1.25 at 0.5)
        assertArrayEquals(new double[] {1.0}, gradBothWays(x -> power(x, 2), Nx.scalar(0.5)), 1e-15);
        assertArrayEquals(new double[] {5 * Math.pow(1.3, 4)}, gradBothWays(x -> power(x, 5), Nx.scalar(1.3)), 1e-12);
    }

    @Test
    void loopGradientWhenTheStepJacobianDependsOnTheState() {
        // Newton's iteration for sqrt(a), 5 steps from a: the result and its gradient approach sqrt(a), 1/(2 sqrt a).
        Function<Tensor, Tensor> newton = a -> Defn.whileLoop(List.of(Nx.scalar(0), a),
                s -> Nx.less(s.get(0), Nx.scalar(5)),
                s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(Nx.add(s.get(1), Nx.divide(a, s.get(1))), 0.5))).get(1);
        checkAgainstFiniteDifferences(newton, Nx.scalar(2.0));
        assertEquals(1 / (2 * Math.sqrt(2.0)), gradBothWays(newton, Nx.scalar(2.0))[0], 1e-12);
        // a non-commuting step: v -> tanh(W v) four times, differentiated with respect to v and to W
        Tensor w = Nx.tensor(new double[][] {{0.5, -1.2, 0.3}, {0.8, 0.1, -0.7}, {-0.4, 0.9, 0.6}});
        Tensor v0 = Nx.tensor(new double[] {0.3, -0.5, 0.9});
        Function<Tensor[], Tensor> net = wv -> Nx.sum(Nx.multiply(Defn.whileLoop(List.of(Nx.scalar(0), wv[1]),
                s -> Nx.less(s.get(0), Nx.scalar(4)),
                s -> List.of(Nx.add(s.get(0), 1), Nx.tanh(Nx.dot(wv[0], s.get(1))))).get(1),
                Nx.tensor(new double[] {1, 2, 3})));
        checkAgainstFiniteDifferences(v -> net.apply(new Tensor[] {w, v}), v0);
        checkAgainstFiniteDifferences(m -> net.apply(new Tensor[] {m, v0}), w);
        // a data-dependent trip count: squaring until above 100 (three steps from 2.5), x^8
        Function<Tensor, Tensor> squaring = x -> Defn.whileLoop(x, s -> Nx.less(s, Nx.scalar(100.0)), s -> Nx.multiply(s, s));
        assertArrayEquals(new double[] {8 * Math.pow(2.5, 7)}, gradBothWays(squaring, Nx.scalar(2.5)), 1e-9);
    }

    @Test
    void loopGradientThroughNestedLoopsAndZeroTrips() {
        // three outer steps, each multiplying the state by x twice in an inner loop: x^6 s
        Function<Tensor, Tensor> nested = x -> Defn.whileLoop(List.of(Nx.scalar(0), Nx.scalar(1.5)),
                s -> Nx.less(s.get(0), Nx.scalar(3)),
                s -> List.of(Nx.add(s.get(0), 1), Defn.whileLoop(List.of(Nx.scalar(0), s.get(1)),
                        t -> Nx.less(t.get(0), Nx.scalar(2)),
                        t -> List.of(Nx.add(t.get(0), 1), Nx.multiply(t.get(1), x))).get(1))).get(1);
        assertArrayEquals(new double[] {1.5 * 6 * Math.pow(0.9, 5)}, gradBothWays(nested, Nx.scalar(0.9)), 1e-12);
        checkAgainstFiniteDifferences(nested, Nx.scalar(1.1));
        // no trip at all: the state passes through unchanged and the captured value gets nothing
        Function<Tensor, Tensor> never = x -> Defn.whileLoop(List.of(Nx.scalar(5), Nx.multiply(x, 3.0)),
                s -> Nx.less(s.get(0), Nx.scalar(3)), s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(s.get(1), x))).get(1);
        assertArrayEquals(new double[] {3}, gradBothWays(never, Nx.scalar(2.0)), 0);
        // a tensor state, reduced after the loop
        Function<Tensor, Tensor> cubes = x -> Nx.sum(Defn.whileLoop(List.of(Nx.scalar(0), x),
                s -> Nx.less(s.get(0), Nx.scalar(2)), s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(s.get(1), x))).get(1));
        assertArrayEquals(new double[] {3, 12, 0.75}, gradBothWays(cubes, Nx.tensor(new double[] {1, 2, 0.5})), 1e-12);
    }

    @Test
    void secondDerivativeThroughALoop() {
        // d²/dx² x³ = 6x
        Function<Tensor, Tensor> dcube = x -> Defn.grad(x, y -> power(y, 3));
        assertArrayEquals(new double[] {6 * 0.7}, gradBothWays(dcube, Nx.scalar(0.7)), 1e-12);
        // d²/dx² of x⁴ by squaring twice (an integer counter first in the state) = 12x²
        Function<Tensor, Tensor> dfourth = x -> Defn.grad(x, y -> Defn.whileLoop(List.of(Nx.scalar(0), y),
                s -> Nx.less(s.get(0), Nx.scalar(2)), s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(s.get(1), s.get(1)))).get(1));
        assertArrayEquals(new double[] {12 * 0.49}, gradBothWays(dfourth, Nx.scalar(0.7)), 1e-12);
    }

    @Test
    void productGradientAtZeros() {
        Function<Tensor, Tensor> product = Nx::product;
        assertArrayEquals(new double[] {0, 0, 0, 18}, gradBothWays(product, Nx.tensor(new double[] {3, 2, 3, 0})), 0);
        assertArrayEquals(new double[] {0, 0, 0, 0}, gradBothWays(product, Nx.tensor(new double[] {3, 0, 3, 0})), 0);
        assertArrayEquals(new double[] {24, 36, 24, 18}, gradBothWays(product, Nx.tensor(new double[] {3, 2, 3, 4})), 0);
        assertArrayEquals(new double[] {1}, gradBothWays(product, Nx.tensor(new double[] {0})), 0);
        // along an axis; with keepAxes, weighted per column
        Tensor x = Nx.tensor(new double[][] {{0, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new double[] {6, 0, 0, 30, 24, 20},
                gradBothWays(v -> Nx.sum(Nx.product(v, new int[] {1}, false)), x), 0);
        Tensor w = Nx.tensor(new double[][] {{1, 2, 3}});
        assertArrayEquals(new double[] {4, 0, 18, 0, 4, 9}, gradBothWays(v -> Nx.sum(Nx.multiply(
                Nx.product(v, new int[] {0}, true), w)), Nx.tensor(new double[][] {{0, 2, 3}, {4, 0, 6}})), 0);
        // several axes of a rank-3 tensor, and an empty axis (product 1, no gradient)
        Tensor cube = Nx.reshape(Nx.tensor(new double[] {0.5, -1.5, 2, 0.25, 1.25, -0.75, 3, 1, -2, 0.5, 1.5, -1}),
                Shape.of(2, 3, 2));
        checkAgainstFiniteDifferences(v -> Nx.sum(Nx.multiply(Nx.product(v, new int[] {0, 2}, false),
                Nx.tensor(new double[] {1, -2, 3}))), cube);
        assertArrayEquals(new double[0], gradBothWays(v -> Nx.sum(Nx.product(v, new int[] {0}, false)),
                Nx.reshape(Nx.tensor(new double[0]), Shape.of(0, 2))), 0);
        // second derivative at a zero: d/dx of the sum of x1 x2 + x0 x2 + x0 x1 is (x1 + x2, x0 + x2, x0 + x1)
        assertArrayEquals(new double[] {5, 3, 2},
                gradBothWays(v -> Nx.sum(Defn.grad(v, product)), Nx.tensor(new double[] {0, 2, 3})), 1e-15);
    }

    @Test
    void cumulativeProductGradientAtZeros() {
        Tensor x = Nx.tensor(new double[] {2, 0, 3, 0, 5});
        Tensor w = Nx.tensor(new double[] {1, 2, 3, 4, 5});
        // d out_j / d x_i is the product of x_0..x_j without x_i
        assertArrayEquals(new double[] {1, 22, 0, 0, 0},
                gradBothWays(v -> Nx.sum(Nx.multiply(Nx.cumulativeProduct(v), w)), x), 0);
        assertArrayEquals(new double[] {0, 0, 0, 65, 5},
                gradBothWays(v -> Nx.sum(Nx.multiply(Nx.cumulativeProduct(v, 0, true), w)), x), 0);
        Tensor m = Nx.tensor(new double[][] {{0.5, -1.5, 2, 0.25, 1.25}, {-0.75, 3, 1, -2, 0.5}, {1.5, -1, 0.8, 1.1, -0.6}});
        Tensor weights = Nx.tensor(new double[][] {{1, -2, 3, 0.5, 2}, {0.3, 1, -1, 2, 1}, {2, 2, -0.5, 1, 3}});
        checkAgainstFiniteDifferences(v -> Nx.sum(Nx.multiply(Nx.cumulativeProduct(v, 1, false), weights)), m);
        checkAgainstFiniteDifferences(v -> Nx.sum(Nx.multiply(Nx.cumulativeProduct(v, 0, true), weights)), m);
        // the gradient is a polynomial: its own gradient at a zero against finite differences
        checkAgainstFiniteDifferences(v -> Nx.sum(Defn.grad(v, u -> Nx.sum(Nx.multiply(Nx.cumulativeProduct(u),
                Nx.tensor(new double[] {1, 2, 3, 4}))))), Nx.tensor(new double[] {2, 0, 3, 0.5}));
    }

    @Test
    void aTracedTensorLeakedFromOneJitIsRefusedByAnother() {
        Tensor[] kept = new Tensor[1];
        Tensor x = Nx.tensor(new float[] {1, 2});
        Defn.jit((Tensor v) -> {
            kept[0] = Nx.multiply(v, 2f);
            return v;
        }, compiler()).named("keeper").apply(x);
        // it used to read the second function's own argument 0: y + y
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Defn.jit((Tensor y) -> Nx.add(y, kept[0]), compiler()).named("user").apply(x));
        assertTrue(e.getMessage().startsWith("user: ") && e.getMessage().contains("parameter 0 of keeper")
                && e.getMessage().contains("f32[2]"), e.getMessage());
        // captured by a loop body, it is found too
        e = assertThrows(IllegalStateException.class, () -> Defn.jit((Tensor y) -> Defn.whileLoop(y,
                s -> Nx.less(Nx.sum(s), Nx.scalar(100f)), s -> Nx.add(s, kept[0])), compiler()).named("looper").apply(x));
        assertTrue(e.getMessage().startsWith("looper: ") && e.getMessage().contains("keeper"), e.getMessage());
    }

    @Test
    void windowScatterGradients() {
        Tensor x = Nx.tensor(new double[][] {{1, 5, 2}, {4, 3, 6}});
        Tensor w = Nx.tensor(new double[][] {{10, 20, 30}, {40, 50, 60}});
        int[] window = {2, 2};
        WindowOptions valid = WindowOptions.defaults();
        // each source element reads the weight at its window's maximum (5 at [0,1], 6 at [1,2]) or minimum
        assertArrayEquals(new double[] {20, 60}, gradBothWays(src -> Nx.sum(Nx.multiply(
                Nx.windowScatterMax(x, src, 0, window, valid), w)), Nx.tensor(new double[][] {{1, 1}})), 0);
        assertArrayEquals(new double[] {10, 30}, gradBothWays(src -> Nx.sum(Nx.multiply(
                Nx.windowScatterMin(x, src, 0, window, valid), w)), Nx.tensor(new double[][] {{1, 1}})), 0);
        // ties: the first element of the window, as the primitive scatters
        Tensor ties = Nx.tensor(new double[][] {{7, 7, 7}, {7, 7, 7}});
        assertArrayEquals(new double[] {10, 20}, gradBothWays(src -> Nx.sum(Nx.multiply(
                Nx.windowScatterMax(ties, src, 0, window, valid), w)), Nx.tensor(new double[][] {{1, 1}})), 0);
        // x only chooses positions
        Tensor source = Nx.tensor(new double[][] {{0.5, -2}});
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, gradBothWays(v -> Nx.sum(Nx.multiply(
                Nx.windowScatterMax(v, source, 0, window, valid), w)), x), 0);
        // strides and padding (padded positions are never chosen), against finite differences
        Tensor big = Nx.reshape(Nx.tensor(new double[] {0.3, -1.2, 2.5, 0.7, 1.9, -0.4, 0.8, 1.1, -2.2, 0.05, 1.4, 0.6,
                -0.9, 2.1, 0.2, -1.7, 1.3, 0.9, -0.1, 0.45}), Shape.of(4, 5));
        WindowOptions strided = WindowOptions.defaults().strides(2, 2).padding(new int[] {1, 0}, new int[] {0, 1});
        Tensor weights = Nx.reshape(Nx.iota(Shape.of(20), dev.jnx.DType.F64), Shape.of(4, 5));
        checkAgainstFiniteDifferences(src -> Nx.sum(Nx.multiply(Nx.windowScatterMax(big, src, 0, new int[] {3, 2},
                strided), weights)), Nx.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        checkAgainstFiniteDifferences(src -> Nx.sum(Nx.multiply(Nx.windowScatterMin(big, src, 0, new int[] {3, 2},
                strided), weights)), Nx.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        // so window_max has a second derivative: d/dx of sum(grad(windowMax) * v) is 0 (piecewise linear)
        assertArrayEquals(new double[20], gradBothWays(v -> Nx.sum(Nx.multiply(Defn.grad(v, u -> Nx.sum(
                Nx.windowMax(u, new int[] {3, 2}, strided))), weights)), big), 0);
    }

    @Test
    void condBranchesOfDifferentTypesAndShapesAreUnifiedAsInNx() {
        // s16 in one branch, f32 in the other: both give f32; a scalar and a [2] broadcast to [2]
        Jitted.Binary f = Defn.jit((Tensor p, Tensor x) -> Defn.cond(Nx.greater(p, Nx.scalar(0f)),
                () -> Nx.asType(Nx.multiply(x, 2f), dev.jnx.DType.S16), () -> Nx.add(x, 0.5f)), compiler());
        Tensor x = Nx.tensor(new float[] {1.75f, -3f});
        Tensor yes = f.apply(Nx.scalar(1f), x);
        assertEquals(dev.jnx.DType.F32, yes.type());
        assertArrayEquals(new float[] {3, -6}, yes.toFloatArray());
        assertArrayEquals(new float[] {2.25f, -2.5f}, f.apply(Nx.scalar(-1f), x).toFloatArray());
        Jitted.Binary g = Defn.jit((Tensor p, Tensor v) -> Defn.cond(Nx.greater(p, Nx.scalar(0f)),
                () -> Nx.sum(v), () -> v), compiler());
        assertArrayEquals(new float[] {-1.25f, -1.25f}, g.apply(Nx.scalar(1f), x).toFloatArray());
        assertArrayEquals(new float[] {1.75f, -3f}, g.apply(Nx.scalar(0f), x).toFloatArray());
        // and the gradient flows through the conversion and the broadcast: d/dv of sum(cond(.., sum(v), v) * [1, 2])
        Function<Tensor, Tensor> h = v -> Nx.sum(Nx.multiply(Defn.cond(Nx.greater(Nx.sum(v), Nx.scalar(0.0)),
                () -> Nx.sum(v), () -> v), Nx.tensor(new double[] {1, 2})));
        assertArrayEquals(new double[] {3, 3}, gradBothWays(h, Nx.tensor(new double[] {1, 2})), 0);
        assertArrayEquals(new double[] {1, 2}, gradBothWays(h, Nx.tensor(new double[] {-1, -2})), 0);
    }

    record Pair(Tensor first, Tensor second) {
    }

    @Test
    void customGradOverAContainer() {
        // rule: the cotangent of x is 2 g.first + 3 g.second (not the true one, to see it is used)
        Function<Tensor, Pair> pair = x -> Defn.customGrad(new Pair(Nx.exp(x), Nx.sin(x)), List.of(x),
                (Pair g) -> List.of(Nx.add(Nx.multiply(g.first(), 2.0), Nx.multiply(g.second(), 3.0))));
        Tensor w = Nx.tensor(new double[] {1, -2});
        Tensor x = Nx.tensor(new double[] {0.5, 1.5});
        assertArrayEquals(new double[] {2 + 3, 2 - 6}, gradBothWays(v -> {
            Pair p = pair.apply(v);
            return Nx.add(Nx.sum(p.first()), Nx.sum(Nx.multiply(p.second(), w)));
        }, x), 0);
        // only the second result used: the first's cotangent is zero
        assertArrayEquals(new double[] {3, -6}, gradBothWays(v -> Nx.sum(Nx.multiply(pair.apply(v).second(), w)), x), 0);
        // the values are the function's own
        Pair value = pair.apply(x);
        assertArrayEquals(new double[] {Math.exp(0.5), Math.exp(1.5)}, value.first().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {Math.sin(0.5), Math.sin(1.5)}, value.second().toDoubleArray(), 1e-15);
        // a list container, through jit
        Function<Tensor, Tensor> listed = v -> {
            List<Tensor> out = Defn.customGrad(List.of(Nx.multiply(v, v), v), List.of(v),
                    (List<Tensor> g) -> List.of(Nx.add(g.get(0), Nx.multiply(g.get(1), 10.0))));
            return Nx.sum(Nx.add(out.get(0), out.get(1)));
        };
        assertArrayEquals(new double[] {11, 11}, gradBothWays(listed, x), 0);
    }
}
