package dev.jnx.exla;

import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Defn.TensorFunction;
import dev.jnx.Defn;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression tests of the fuzzer's findings (issue 14, F-entries): each case runs on the
 * reference evaluator and compiled by XLA, its input a parameter so that XLA cannot fold it,
 * and both must give the hand-computed Nx value.
 */
class ExlaFindingsTest {
    /** {@code f(x)} on the reference evaluator and compiled by XLA, keyed by the backend's name. */
    private static Map<String, Tensor> results(TensorFunction f, Tensor x) {
        return Map.of("evaluator", Defn.jit(f).apply(x), "XLA", Defn.jit(f, Exla.compiler()).apply(x));
    }

    private static void agree(String what, Shape shape, double[] expected, TensorFunction f, Tensor x) {
        results(f, x).forEach((backend, r) -> {
            assertEquals(shape, r.shape(), what + " on " + backend);
            assertArrayEquals(expected, r.toDoubleArray(), 1e-6, what + " on " + backend);
        });
    }

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double PI = Math.PI;

    /** Both backends give {@code expected}, pairs of (re, im), within f32 rounding; infinities exactly. */
    private static void agreeComplex(String what, double[] expected, TensorFunction f, Tensor x) {
        results(f, x).forEach((backend, r) -> {
            Complex[] got = r.toComplexArray();
            assertEquals(expected.length / 2, got.length, what);
            for (int i = 0; i < got.length; i++) {
                String at = what + " on " + backend + " [" + i + "]: expected " + expected[2 * i] + "+"
                        + expected[2 * i + 1] + "i, got " + got[i];
                assertTrue(close(expected[2 * i], got[i].re()) && close(expected[2 * i + 1], got[i].im()), at);
            }
        });
    }

    private static boolean close(double want, double got) {
        return Double.isNaN(want) ? Double.isNaN(got)
                : want == got && Math.copySign(1, want) == Math.copySign(1, got)
                || Math.abs(want - got) <= 1e-6 * Math.abs(want);
    }

    private static Tensor complex(float[] re, float[] im) {
        return Nx.complex(Nx.tensor(re), Nx.tensor(im));
    }

    /** F3: below the branch cut (a -0 imaginary part) acos and asin take the conjugate, as C99's cacos and casin. */
    @Test
    void complexAcosAndAsinKeepTheSignOfAZeroImaginaryPart() {
        Tensor z = complex(new float[] {-2, 2.5f, -2, 2.5f}, new float[] {-0f, -0f, 0f, 0f});
        double acosh2 = 1.3169579;
        double acosh25 = 1.5667992;
        agreeComplex("acos", new double[] {PI, acosh2, 0, acosh25, PI, -acosh2, 0, -acosh25}, Nx::acos, z);
        agreeComplex("asin", new double[] {-PI / 2, -acosh2, PI / 2, -acosh25, -PI / 2, acosh2, PI / 2, acosh25},
                Nx::asin, z);
    }

    /** F7 (asin, acos): infinite parts give C99 Annex G's values, large finite ones the finite value. */
    @Test
    void complexAcosAndAsinOfInfiniteAndLargeArguments() {
        Tensor z = complex(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f,
                Float.POSITIVE_INFINITY, 2, 1e10f}, new float[] {0, 0, Float.POSITIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0});
        double asinh1e10 = 23.718998;
        agreeComplex("asin", new double[] {PI / 2, INF, -PI / 2, INF, 0, INF, PI / 4, INF, 0, -INF,
                PI / 2, asinh1e10}, Nx::asin, z);
        agreeComplex("acos", new double[] {0, -INF, PI, -INF, PI / 2, -INF, PI / 4, -INF, PI / 2, INF,
                0, -asinh1e10}, Nx::acos, z);
    }

    /** F4: complex atanh beside a NaN part is C99 Annex G's catanh, and so at infinite parts. */
    @Test
    void complexAtanhOfNanAndInfiniteParts() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        Tensor z = complex(new float[] {nan, 1, inf, -inf, 0.5f, inf, 2, nan, 0},
                new float[] {1, nan, nan, nan, inf, 3, -inf, nan, nan});
        double nanD = Double.NaN;
        agreeComplex("atanh", new double[] {nanD, nanD, nanD, nanD, 0, nanD, -0.0, nanD, 0, PI / 2, 0, PI / 2,
                0, -PI / 2, nanD, nanD, 0, nanD}, Nx::atanh, z);
    }

    /** F1: a rank-0 window holds the one element, so each window op of a scalar folds it once. */
    @Test
    void windowOpsOfAScalar() {
        int[] none = new int[0];
        WindowOptions o = WindowOptions.defaults();
        Tensor x = Nx.scalar(2.5f);
        Shape s = Shape.of();
        agree("window_sum", s, new double[] {2.5}, t -> Nx.windowSum(t, none, o), x);
        agree("window_mean", s, new double[] {2.5}, t -> Nx.windowMean(t, none, o), x);
        agree("window_max", s, new double[] {2.5}, t -> Nx.windowMax(t, none, o), x);
        agree("window_min", s, new double[] {2.5}, t -> Nx.windowMin(t, none, o), x);
        agree("window_product", s, new double[] {2.5}, t -> Nx.windowProduct(t, none, o), x);
        agree("window_reduce", s, new double[] {3.5}, t -> Nx.windowReduce(t, 1, none, o, Nx::add), x);
        agree("window_sum, dilated", s, new double[] {2.5},
                t -> Nx.windowSum(t, none, o.windowDilations()), x);
        agree("window_scatter_max", s, new double[] {7.5},
                t -> Nx.windowScatterMax(t, Nx.multiply(t, 2), 2.5, none, o), x);
        agree("window_scatter_min", s, new double[] {7.5},
                t -> Nx.windowScatterMin(t, Nx.multiply(t, 2), 2.5, none, o), x);
        // The gradient of a window max scatters through the same rank-0 select_and_scatter.
        agree("grad of window_max", s, new double[] {3},
                t -> Defn.grad(t, v -> Nx.multiply(Nx.windowMax(v, none, o), 3)), x);
    }

    /** F9: complex window_scatter_min aborted XLA's constant folder; it is refused before tracing ends. */
    @Test
    void complexWindowScatterIsRefusedNotAnAbort() {
        for (DType t : List.of(DType.C64, DType.C128)) {
            Tensor x = Nx.asType(Nx.iota(Shape.of(4), DType.F32), t);
            for (boolean max : new boolean[] {false, true}) {
                TensorFunction f = v -> max
                        ? Nx.windowScatterMax(v, Nx.slice(v, new int[] {0}, new int[] {2}), 0, new int[] {2},
                                WindowOptions.defaults().strides(2))
                        : Nx.windowScatterMin(v, Nx.slice(v, new int[] {0}, new int[] {2}), 0, new int[] {2},
                                WindowOptions.defaults().strides(2));
                String op = max ? "window_scatter_max" : "window_scatter_min";
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Defn.jit(f, Exla.compiler()).apply(x));
                assertTrue(e.getMessage().startsWith(op + " is not defined for complex types"), e.getMessage());
            }
        }
    }

    /**
     * F5, documented in docs/coverage.md "XLA:CPU differences": LinAlg over non-finite values is
     * unspecified (as in LAPACK), and XLA's cholesky spreads an infinite diagonal as NaN.
     */
    @Test
    void xlaCholeskyOfAnInfiniteDiagonalIsNan() {
        TensorFunction f = LinAlg::cholesky;
        Tensor a = Nx.tensor(new float[] {Float.POSITIVE_INFINITY, 0, 0, 1}, 2, 2);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0, 0, 1}, Defn.jit(f).apply(a).toDoubleArray());
        assertArrayEquals(new double[] {Double.NaN, 0, 0, 1}, Defn.jit(f, Exla.compiler()).apply(a).toDoubleArray());
    }

    /**
     * F10, documented in docs/coverage.md "XLA:CPU differences": an f32 dot multiplies and adds in
     * f32 on XLA, in f64 on the reference (as Nx's BinaryBackend, whose arithmetic is Elixir's
     * floats), so a product that overflows f32 in a finite sum is finite on the reference only.
     */
    @Test
    void xlaF32DotOverflowsInItsProducts() {
        TensorFunction f = x -> Nx.dot(x, Nx.tensor(new float[] {2, 1}));
        Tensor x = Nx.tensor(new float[] {3e38f, -3e38f});
        assertArrayEquals(new double[] {(double) 3e38f}, Defn.jit(f).apply(x).toDoubleArray());
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY}, Defn.jit(f, Exla.compiler()).apply(x).toDoubleArray());
    }

    /**
     * Issue 14's leftover: Nx.gather refuses a non-empty gather from a zero-size axis, and the
     * lowering keeps its own check for graphs built from {@code Expr} records, which skip the API.
     */
    @Test
    void aGatherFromAZeroSizeAxisBuiltOutsideTheApiIsRefusedByTheLowering() {
        Expr.Parameter x = new Expr.Parameter(0, Shape.of(0, 3), DType.F32);
        Expr.Parameter indices = new Expr.Parameter(1, Shape.of(2, 1), DType.S32);
        Expr gather = new Expr.Gather(x, indices, new int[] {0}, Shape.of(2, 3), DType.F32);
        TracedFunction f = new TracedFunction("gather_from_empty", List.of(x, indices), List.of(gather));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Exla.compiler().compile(f));
        assertTrue(e.getMessage().startsWith("gather: cannot take f32[2][3] from the zero-size axis 0 of f32[0][3]"),
                e.getMessage());
        IllegalArgumentException api = assertThrows(IllegalArgumentException.class, () -> Nx.gather(
                Nx.iota(Shape.of(0, 3), DType.F32), Nx.tensor(new int[][] {{0}, {0}}), new int[] {0}));
        assertTrue(api.getMessage().startsWith("gather: cannot index axis 0 of f32[0][3]"), api.getMessage());
    }
}
