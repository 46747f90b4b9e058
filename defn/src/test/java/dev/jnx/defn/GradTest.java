package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every gradient rule against central finite differences in f64 on the reference backend, and
 * the jitted gradient against the eager one; exla-backend reruns it with XLA as the compiler.
 */
public class GradTest {
    /** The compiler the jitted gradients are checked with. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    private static final SplittableRandom RANDOM = new SplittableRandom(42);

    public static Tensor random(double lo, double hi, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * RANDOM.nextDouble();
        }
        return Nx.reshape(Nx.tensor(v), s);
    }

    public static Tensor perturb(Tensor x, int i, double h) {
        double[] v = x.toDoubleArray();
        v[i] += h;
        return Nx.reshape(Nx.tensor(v), x.shape());
    }

    /** Checks grad(f) at x against (f(x+h) - f(x-h)) / 2h per element, eagerly and jitted. */
    void checkGrad(Function<Tensor, Tensor> f, Tensor x) {
        double h = 1e-6;
        double[] numeric = new double[x.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = (f.apply(perturb(x, i, h)).toDouble() - f.apply(perturb(x, i, -h)).toDouble()) / (2 * h);
        }
        Tensor eager = Defn.grad(x, f);
        assertEquals(x.shape(), eager.shape());
        assertEquals(x.type(), eager.type());
        double[] analytic = eager.toDoubleArray();
        for (int i = 0; i < numeric.length; i++) {
            assertEquals(numeric[i], analytic[i], 1e-6 * Math.max(1, Math.abs(numeric[i])), "element " + i);
        }
        Tensor jitted = Defn.jit((Tensor p) -> Defn.grad(p, f), compiler()).apply(x);
        assertArrayEquals(analytic, jitted.toDoubleArray(), 1e-12);
    }

    @Test
    void unaryRules() {
        checkGrad(x -> Nx.sum(Nx.exp(x)), random(-1, 1, 5));
        checkGrad(x -> Nx.sum(Nx.log(x)), random(0.5, 2, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.negate(x), x)), random(-1, 1, 4));
    }

    @Test
    void binaryRules() {
        Tensor w = random(-1, 1, 2, 3);
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.add(x, w), Nx.subtract(w, x))), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.divide(x, Nx.add(Nx.multiply(x, x), 1))), random(-2, 2, 6));
        checkGrad(x -> Nx.sum(Nx.divide(1.0, Nx.add(x, 3))), random(-1, 1, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.max(x, 0.1), w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.min(x, w), x)), random(-1, 1, 2, 3));
        // broadcasting inside binary ops: [3] against [2][3]
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.add(x, w), w)), random(-1, 1, 3));
    }

    @Test
    void tiesSplitTheGradientAsInNx() {
        Tensor x = Nx.tensor(new double[] {1, 3, 3});
        assertArrayEquals(new double[] {0, 0.5, 0.5}, Defn.grad(x, Nx::reduceMax).toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 0, 0}, Defn.grad(x, Nx::reduceMin).toDoubleArray(), 0);
        // max(x, x) ties everywhere: each side gets half, adding back to 1.
        assertArrayEquals(new double[] {1, 1, 1}, Defn.grad(x, p -> Nx.sum(Nx.max(p, p))).toDoubleArray(), 0);
        // comparisons carry no gradient
        assertArrayEquals(new double[] {0, 0, 0},
                Defn.grad(x, p -> Nx.sum(Nx.asType(Nx.less(p, 2.0), DType.F64))).toDoubleArray(), 0);
    }

    @Test
    void reductionRules() {
        Tensor w = random(-1, 1, 2, 1);
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.sum(x, new int[] {1}, true), w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.product(x, new int[] {0}, false)), random(0.5, 1.5, 3, 2));
        checkGrad(x -> Nx.sum(Nx.reduceMax(x, new int[] {1}, false)), random(-1, 1, 3, 4));
        checkGrad(x -> Nx.sum(Nx.exp(Nx.reduceMin(x, new int[] {0, 2}, true))), random(-1, 1, 2, 3, 2));
    }

    @Test
    void dotRules() {
        Tensor b = random(-1, 1, 3, 4);
        Tensor c = random(-1, 1, 2, 4);
        checkGrad(a -> Nx.sum(Nx.multiply(Nx.dot(a, b), c)), random(-1, 1, 2, 3));
        Tensor a0 = random(-1, 1, 2, 3);
        checkGrad(bb -> Nx.sum(Nx.multiply(Nx.dot(a0, bb), c)), random(-1, 1, 3, 4));
        checkGrad(v -> Nx.sum(Nx.exp(Nx.dot(a0, v))), random(-1, 1, 3));
        checkGrad(v -> Nx.dot(v, v), random(-1, 1, 4));
        // batched, with the contraction on a leading axis of b: [2][3][4] . [2][4][5]
        Tensor bb = random(-1, 1, 2, 4, 5);
        Tensor w = random(-1, 1, 2, 3, 5);
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.dot(x, new int[] {2}, new int[] {0}, bb, new int[] {1}, new int[] {0}), w)),
                random(-1, 1, 2, 3, 4));
        Tensor xa = random(-1, 1, 2, 3, 4);
        checkGrad(y -> Nx.sum(Nx.multiply(Nx.dot(xa, new int[] {2}, new int[] {0}, y, new int[] {1}, new int[] {0}), w)),
                random(-1, 1, 2, 4, 5));
        // two contracted axes in swapped order
        Tensor m = random(-1, 1, 4, 3);
        checkGrad(x -> Nx.dot(x, new int[] {0, 1}, m, new int[] {1, 0}), random(-1, 1, 3, 4));
    }

    @Test
    void shapeRules() {
        Tensor w = random(-1, 1, 3, 2);
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.transpose(x), w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.reshape(x, Shape.of(3, 2)), w)), random(-1, 1, 6));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.broadcast(x, Shape.of(3, 2)), w)), random(-1, 1, 2));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.broadcast(x, Shape.of(3, 2)), w)), random(-1, 1, 3, 1));
        Tensor w3 = random(-1, 1, 2, 3, 4);
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.transpose(x, new int[] {1, 2, 0}), w3)), random(-1, 1, 4, 2, 3));
        // Convert passes the gradient through, converted back to the operand's type.
        Tensor g = Defn.grad(Nx.tensor(new double[] {0.1, 0.2}), x -> Nx.sum(Nx.multiply(Nx.asType(x, DType.F32), 3f)));
        assertEquals(DType.F64, g.type());
        assertArrayEquals(new double[] {3, 3}, g.toDoubleArray(), 0);
    }

    @Test
    void eighGradientsOfValuesAndVectors() {
        Tensor c = random(-1, 1, 3);
        Tensor d = random(-1, 1, 3, 3);
        // Symmetrize inside f: eigh's rule holds for symmetric perturbations. The weights on
        // v∘v make the function independent of each eigenvector's sign.
        Function<Tensor, Tensor> f = x -> {
            Tensor a = Nx.divide(Nx.add(x, Nx.transpose(x)), 2.0);
            Tensor[] e = dev.jnx.LinAlg.eigh(a);
            return Nx.add(Nx.sum(Nx.multiply(e[0], c)), Nx.sum(Nx.multiply(Nx.multiply(e[1], e[1]), d)));
        };
        checkGrad(f, Nx.add(random(-1, 1, 3, 3), Nx.asType(Nx.multiply(Nx.eye(3), Nx.tensor(new double[] {1, 3, 6})),
                DType.F64)));
    }

    @Test
    void secondDerivativeOfTanh() {
        Function<Tensor, Tensor> tanh = x -> {
            Tensor e = Nx.exp(Nx.multiply(x, 2.0));
            return Nx.divide(Nx.subtract(e, 1.0), Nx.add(e, 1.0));
        };
        Function<Tensor, Tensor> dtanh = x -> Defn.grad(x, tanh);
        for (double v : new double[] {-1.5, -0.3, 0, 0.7}) {
            double th = Math.tanh(v);
            Tensor x = Nx.scalar(v);
            assertEquals(1 - th * th, dtanh.apply(x).toDouble(), 1e-12);
            assertEquals(-2 * th * (1 - th * th), Defn.grad(x, dtanh).toDouble(), 1e-12);
            var jitted = Defn.jit((Tensor p) -> Defn.grad(p, dtanh), compiler());
            assertEquals(-2 * th * (1 - th * th), jitted.apply(x).toDouble(), 1e-12);
        }
    }

    record Params(Tensor w, Tensor b) {
    }

    @Test
    void valueAndGradOverContainers() {
        Tensor x = Nx.tensor(new double[] {1, 2, 3});
        Params p = new Params(Nx.scalar(2.0), Nx.scalar(0.5));
        // loss = sum((w*x + b)^2): dw = sum(2(wx+b)x), db = sum(2(wx+b))
        var vg = Defn.valueAndGrad(p, q -> {
            Tensor r = Nx.add(Nx.multiply(q.w(), x), q.b());
            return Nx.sum(Nx.multiply(r, r));
        });
        assertEquals(2.5 * 2.5 + 4.5 * 4.5 + 6.5 * 6.5, vg.value().toDouble(), 1e-12);
        assertEquals(2 * (2.5 * 1 + 4.5 * 2 + 6.5 * 3), vg.grad().w().toDouble(), 1e-12);
        assertEquals(2 * (2.5 + 4.5 + 6.5), vg.grad().b().toDouble(), 1e-12);
        Map<String, Tensor> g = Defn.grad(Map.of("a", Nx.scalar(3.0), "z", Nx.scalar(1.0)),
                m -> Nx.multiply(m.get("a"), m.get("a")));
        assertEquals(6.0, g.get("a").toDouble());
        assertEquals(0.0, g.get("z").toDouble(), "unused parameters get zero gradients");
    }

    @Test
    void elementwiseMathRules() {
        Tensor w = random(-1, 1, 2, 3);
        java.util.List<Function<Tensor, Tensor>> fs = java.util.List.of(Nx::abs, Nx::expm1, Nx::sigmoid, Nx::sin, Nx::cos,
                Nx::atan, Nx::sinh, Nx::cosh, Nx::asinh, Nx::erf, Nx::erfc, Nx::cbrt, Nx::tanh);
        for (Function<Tensor, Tensor> f : fs) {
            checkGrad(x -> Nx.sum(Nx.multiply(f.apply(x), w)), random(0.2, 1.5, 2, 3));
            checkGrad(x -> Nx.sum(Nx.multiply(f.apply(x), w)), random(-1.5, -0.2, 2, 3));
        }
        java.util.List<Function<Tensor, Tensor>> positive = java.util.List.of(Nx::log1p, Nx::rsqrt, Nx::log2, Nx::log10,
                Nx::tan, Nx::asin, Nx::acos, Nx::atanh, Nx::erfInv, x -> Nx.acosh(Nx.add(x, 1.0)));
        for (Function<Tensor, Tensor> f : positive) {
            checkGrad(x -> Nx.sum(Nx.multiply(f.apply(x), w)), random(0.1, 0.8, 2, 3));
        }
    }

    @Test
    void roundingTestsAndBitsHaveZeroGradient() {
        Tensor x = Nx.tensor(new double[] {0.3, 1.7, -2.2});
        for (Function<Tensor, Tensor> f : java.util.List.<Function<Tensor, Tensor>>of(Nx::sign, Nx::ceil, Nx::floor, Nx::round,
                v -> Nx.asType(Nx.isNan(v), DType.F64), v -> Nx.asType(Nx.argmax(v), DType.F64),
                v -> Nx.asType(Nx.bitwiseNot(Nx.asType(v, DType.S32)), DType.F64))) {
            assertArrayEquals(new double[] {0, 0, 0}, Defn.grad(x, v -> Nx.sum(f.apply(v))).toDoubleArray(), 0);
        }
    }

    @Test
    void binaryMathAndSelectRules() {
        Tensor y = random(0.5, 2, 2, 3);
        checkGrad(x -> Nx.sum(Nx.pow(x, y)), random(0.5, 2, 2, 3));
        checkGrad(e -> Nx.sum(Nx.pow(y, e)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.pow(x, 3)), random(-1, 1, 4));
        checkGrad(x -> Nx.sum(Nx.atan2(x, y)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.atan2(y, x)), random(0.5, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.remainder(x, 0.7)), Nx.tensor(new double[] {0.3, 1.1, 2.0}));
        checkGrad(d -> Nx.sum(Nx.remainder(Nx.scalar(2.5), d)), Nx.tensor(new double[] {0.9, 1.1, 2.0}));
        Tensor p = Nx.tensor(new int[] {1, 0, 1, 0});
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.select(p, Nx.exp(x), Nx.multiply(x, x)), 2.0)), random(-1, 1, 4));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.clip(x, -0.5, 0.5), x)), Nx.tensor(new double[] {-0.9, -0.2, 0.3, 0.8}));
    }

    @Test
    void compositeReductionRules() {
        Tensor w = random(-1, 1, 2, 3);
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.mean(x, new int[] {1}, true), w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.variance(x), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.standardDeviation(x, new int[] {0}, 1, false)), random(-1, 1, 3, 2));
        checkGrad(x -> Nx.logsumexp(x), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.logsumexp(x, new int[] {1}, false)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.weightedMean(x, Nx.abs(w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.cumulativeSum(x, 1, false), w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.cumulativeSum(x, 0, true), w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.cumulativeProduct(x, 1, false), w)), random(0.5, 1.5, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.cumulativeMax(x, 1, false), w)), random(-1, 1, 2, 3));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.cumulativeMin(x, 1, true), w)), random(-1, 1, 2, 3));
    }

    @Test
    void sortRulesMoveTheGradientBack() {
        Tensor w = random(-1, 1, 2, 4);
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.sort(x, 1, false), w)), random(-1, 1, 2, 4));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.sort(x, 0, true), w)), random(-1, 1, 2, 4));
        checkGrad(x -> Nx.sum(Nx.multiply(Nx.topK(x, 2)[0], Nx.tensor(new double[] {1, 10}))), random(-1, 1, 5));
        checkGrad(x -> Nx.median(x), random(-1, 1, 5));
        checkGrad(x -> Nx.median(x), random(-1, 1, 6));
    }

    @Test
    void reduceWithAUserFunctionHasNoGradient() {
        var e = assertThrows(UnsupportedOperationException.class,
                () -> Defn.grad(Nx.tensor(new double[] {1, 2}), x -> Nx.reduce(x, 0, Nx::add)));
        assertTrue(e.getMessage().contains("reduce"), e.getMessage());
    }

    @Test
    void windowReduceWithAUserFunctionHasNoGradient() {
        var e = assertThrows(UnsupportedOperationException.class, () -> Defn.grad(Nx.tensor(new double[] {1, 2, 3}),
                x -> Nx.sum(Nx.windowReduce(x, 0, new int[] {2}, Nx::add))));
        assertTrue(e.getMessage().contains("window_reduce"), e.getMessage());
    }

    @Test
    void gradientErrorsNameTheProblem() {
        var e = assertThrows(IllegalArgumentException.class, () -> Defn.grad(Nx.tensor(new double[] {1, 2}), Nx::exp));
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("f64[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Defn.grad(Nx.tensor(new int[] {1, 2}), Nx::sum));
        assertTrue(e.getMessage().contains("s32[2]") && e.getMessage().contains("floating"), e.getMessage());
    }
}
