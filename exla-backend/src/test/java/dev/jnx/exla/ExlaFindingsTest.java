package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import dev.jnx.defn.Defn;
import dev.jnx.defn.Defn.TensorFunction;
import org.junit.jupiter.api.Test;

import java.util.List;

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
    private static void agree(String what, Shape shape, double[] expected, TensorFunction f, Tensor x) {
        for (Tensor r : List.of(Defn.jit(f).apply(x), Defn.jit(f, Exla.compiler()).apply(x))) {
            assertEquals(shape, r.shape(), what + " on " + r.backend());
            assertArrayEquals(expected, r.toDoubleArray(), 1e-6, what + " on " + r.backend());
        }
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
}
