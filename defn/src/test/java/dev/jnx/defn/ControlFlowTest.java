package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * whileLoop, cond, stopGrad, customGrad and containers through jit. Runs on the reference
 * evaluator here; exla-backend reruns it compiled by XLA by overriding {@link #compiler()}.
 */
public class ControlFlowTest {
    /** The compiler the jitted functions of these tests use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    record Counter(Tensor i, Tensor acc) {
    }

    static Counter sumBelow(Tensor n) {
        return Defn.whileLoop(new Counter(Nx.scalar(0), Nx.scalar(0)),
                s -> Nx.less(s.i(), n),
                s -> new Counter(Nx.add(s.i(), 1), Nx.add(s.acc(), s.i())));
    }

    @Test
    void whileLoopCarriesAContainerState() {
        var f = Defn.jit((Tensor n) -> sumBelow(n).acc(), compiler());
        assertArrayEquals(new int[] {45}, f.apply(Nx.scalar(10)).toIntArray());
        assertArrayEquals(new int[] {0}, f.apply(Nx.scalar(0)).toIntArray());
        assertEquals(1, f.traceCount());
        // eagerly, with concrete values, on the reference backend
        assertArrayEquals(new int[] {45}, sumBelow(Nx.scalar(10)).acc().toIntArray());
    }

    @Test
    void whileLoopCapturesOuterValuesAndNests() {
        // x doubled until its sum exceeds the limit; each outer step counts inner iterations.
        var f = Defn.jit((Tensor x, Tensor limit) -> Defn.whileLoop(List.of(x, Nx.scalar(0)),
                s -> Nx.less(Nx.sum(s.get(0)), limit),
                s -> {
                    Counter inner = sumBelow(Nx.scalar(3));
                    return List.of(Nx.multiply(s.get(0), 2.0f), Nx.add(s.get(1), inner.i()));
                }).get(0), compiler());
        assertArrayEquals(new float[] {8, 16}, f.apply(Nx.tensor(new float[] {1, 2}), Nx.scalar(20f)).toFloatArray());
    }

    @Test
    void condChoosesABranchAtRunTime() {
        var f = Defn.jit((Tensor p, Tensor x) -> Defn.cond(Nx.greater(p, Nx.scalar(0f)),
                () -> Nx.multiply(x, 2f), () -> Nx.subtract(x, 1f)), compiler());
        assertArrayEquals(new float[] {2, 4}, f.apply(Nx.scalar(1f), Nx.tensor(new float[] {1, 2})).toFloatArray());
        assertArrayEquals(new float[] {0, 1}, f.apply(Nx.scalar(-1f), Nx.tensor(new float[] {1, 2})).toFloatArray());
        assertEquals(1, f.traceCount());
    }

    @Test
    void multiClauseCondTakesTheFirstTruePredicate() {
        var f = Defn.jit((Tensor x) -> Defn.<Map<String, Tensor>>cond(
                List.of(Nx.less(x, Nx.scalar(0)), Nx.less(x, Nx.scalar(10))),
                List.of(() -> Map.of("v", Nx.negate(x)), () -> Map.of("v", Nx.multiply(x, 10)), () -> Map.of("v", x)))
                .get("v"), compiler());
        assertArrayEquals(new int[] {5}, f.apply(Nx.scalar(-5)).toIntArray());
        assertArrayEquals(new int[] {50}, f.apply(Nx.scalar(5)).toIntArray());
        assertArrayEquals(new int[] {15}, f.apply(Nx.scalar(15)).toIntArray());
    }

    static Tensor piecewise(Tensor x) {
        // x^2 for x > 0, else -3x
        return Defn.cond(Nx.greater(x, Nx.scalar(0.0)), () -> Nx.multiply(x, x), () -> Nx.multiply(x, -3.0));
    }

    @Test
    void gradientsFlowThroughCond() {
        var df = Defn.jit((Tensor x) -> Defn.grad(x, ControlFlowTest::piecewise), compiler());
        assertEquals(6.0, df.apply(Nx.scalar(3.0)).toDouble(), 1e-12);
        assertEquals(-3.0, df.apply(Nx.scalar(-2.0)).toDouble(), 1e-12);
        // a captured parameter that only one branch reads
        var dw = Defn.jit((Tensor w, Tensor x) -> Defn.grad(w, v -> Defn.cond(Nx.greater(x, Nx.scalar(0.0)),
                () -> Nx.multiply(v, x), () -> Nx.scalar(1.0))), compiler());
        assertEquals(4.0, dw.apply(Nx.scalar(2.0), Nx.scalar(4.0)).toDouble(), 1e-12);
        assertEquals(0.0, dw.apply(Nx.scalar(2.0), Nx.scalar(-4.0)).toDouble(), 1e-12);
    }

    @Test
    void stopGradAndCustomGrad() {
        Function<Tensor, Tensor> f = x -> Nx.sum(Nx.multiply(x, Defn.stopGrad(x)));
        var df = Defn.jit((Tensor x) -> Defn.grad(x, f), compiler());
        assertArrayEquals(new double[] {1, 2}, df.apply(Nx.tensor(new double[] {1, 2})).toDoubleArray(), 0);
        // exp with a gradient rule of our own: 3 * cotangent
        Function<Tensor, Tensor> g = x -> Nx.sum(Defn.customGrad(Nx.exp(x), List.of(x), ct -> List.of(Nx.multiply(ct, 3.0))));
        var dg = Defn.jit((Tensor x) -> Defn.grad(x, g), compiler());
        assertArrayEquals(new double[] {3, 3}, dg.apply(Nx.tensor(new double[] {0.5, 7})).toDoubleArray(), 0);
        assertArrayEquals(new double[] {3, 3}, Defn.grad(Nx.tensor(new double[] {0.5, 7}), g).toDoubleArray(), 0);
    }

    record State(Tensor w, List<Tensor> history) {
    }

    record Out(State state, Map<String, Tensor> metrics) {
    }

    @Test
    void containersAsArgumentsAndResultsOfThreeArgumentFunctions() {
        Defn.Fn3<State, Tensor, Tensor, Out> step = Defn.jit((s, x, k) -> {
            Tensor w = Nx.add(s.w(), Nx.multiply(x, 2));
            return new Out(new State(w, List.of(s.history().get(0), Nx.sum(w))), Map.of("norm", Nx.sum(Nx.multiply(w, w))));
        }, compiler());
        State s = new State(Nx.tensor(new float[] {1, 1}), List.of(Nx.scalar(0f), Nx.scalar(0f)));
        Out o = step.apply(s, Nx.tensor(new float[] {1, 2}), Nx.scalar(3));
        assertArrayEquals(new float[] {3, 5}, o.state().w().toFloatArray());
        assertEquals(8f, o.state().history().get(1).toFloatArray()[0]);
        assertEquals(34f, o.metrics().get("norm").toFloatArray()[0]);
    }

    @Test
    void theCacheKeyIncludesTheContainerStructure() {
        Jitted j = Defn.jit((Object s) -> s instanceof List<?> l ? l.get(0) : ((Map<?, ?>) s).get("a"), compiler());
        Tensor a = Nx.tensor(new float[] {1});
        j.invoke(List.of(a, a));
        j.invoke(List.of(a, a));
        assertEquals(1, j.traceCount());
        j.invoke(Map.of("a", a, "b", a));
        assertEquals(2, j.traceCount());
    }

    @Test
    void traceTimeErrorsNameTheMismatch() {
        var e = assertThrows(IllegalArgumentException.class, () -> Defn.jit((Tensor x) -> Defn.cond(Nx.greater(Nx.sum(x), Nx.scalar(0f)),
                () -> x, () -> Nx.concatenate(List.of(x, x))), compiler()).apply(Nx.tensor(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("cond") && e.getMessage().contains("[2]") && e.getMessage().contains("[4]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Defn.jit((Tensor x) -> Defn.whileLoop(x,
                s -> Nx.less(Nx.sum(s), Nx.scalar(10f)), s -> Nx.asType(s, DType.F64)), compiler()).apply(Nx.scalar(1f)));
        assertTrue(e.getMessage().contains("whileLoop") && e.getMessage().contains("expected f32, got f64"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Defn.jit((Tensor x) -> Defn.cond(x,
                () -> x, () -> x), compiler()).apply(Nx.tensor(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("f32[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Defn.jit((Tensor x) -> Defn.grad(x, Nx::exp), compiler())
                .apply(Nx.tensor(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void gradientsFlowThroughWhileLoopsAsInNx() {
        // Doubling until >= 10: from 1.0 that is four steps, so the result is 16 x and its derivative 16.
        Function<Tensor, Tensor> doubling = v -> Defn.whileLoop(v, s -> Nx.less(s, Nx.scalar(10.0)), s -> Nx.multiply(s, 2.0));
        var df = Defn.jit((Tensor x) -> Defn.grad(x, doubling), compiler());
        assertEquals(16.0, df.apply(Nx.scalar(1.0)).toDouble(), 0);
        assertEquals(8.0, df.apply(Nx.scalar(1.5)).toDouble(), 0);
        // element-wise body with a counter in the state: x -> x^(2^3) element-wise, derivative 8 x^7
        Function<Tensor, Tensor> powers = v -> Nx.sum(Defn.whileLoop(List.of(Nx.scalar(0), v),
                s -> Nx.less(s.get(0), Nx.scalar(3)),
                s -> List.of(Nx.add(s.get(0), 1), Nx.multiply(s.get(1), s.get(1)))).get(1));
        var dp = Defn.jit((Tensor x) -> Defn.grad(x, powers), compiler());
        assertArrayEquals(new double[] {8, 8 * Math.pow(1.1, 7)}, dp.apply(Nx.tensor(new double[] {1, 1.1})).toDoubleArray(), 1e-12);
    }
}
