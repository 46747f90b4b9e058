package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import dev.jnx.defn.TracedFunction;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled side of {@code dev.jnx.EdgeSemanticsTest}: what the API refuses is refused
 * under {@code Exla} too, before any native code runs; large constants met while tracing reach
 * XLA as ops, not as megabytes of literal; empty results come back with the evaluator's shape
 * and values.
 */
class ExlaInputEdgesTest {
    private static final Tensor Z = Nx.complex(Nx.tensor(new float[] {1, 2}), Nx.tensor(new float[] {3, -1}));

    private static Tensor empty(int... dims) {
        return Nx.iota(Shape.of(dims), DType.F32);
    }

    /** {@code f} jitted by Exla gives the reference evaluator's shape, type and values. */
    private static void sameAsEvaluator(Function<Tensor, Tensor> f, Tensor x) {
        Tensor want = f.apply(x);
        Tensor got = Defn.jit(f, Exla.compiler()).apply(x);
        assertEquals(want.shape(), got.shape());
        assertEquals(want.type(), got.type());
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 0);
    }

    @Test
    void complexOrderingIsRefusedBeforeCompiling() {
        for (Function<Tensor, Tensor> f : java.util.List.<Function<Tensor, Tensor>>of(z -> Nx.max(z, z),
                z -> Nx.less(z, z), Nx::reduceMax, z -> Nx.windowMax(z, new int[] {1}, WindowOptions.defaults()),
                z -> Nx.reduce(z, 0, Nx::min))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Defn.jit(f, Exla.compiler()).apply(Z));
            assertTrue(e.getMessage().contains("complex") && e.getMessage().contains("c64"), e.getMessage());
        }
    }

    @Test
    void arityIsCheckedBeforeCompiling() {
        Jitted.Binary add = Defn.jit((Tensor a, Tensor b) -> Nx.add(a, b), Exla.compiler()).named("adder");
        assertEquals("adder: expected 2 arguments, got 1",
                assertThrows(IllegalArgumentException.class, () -> add.invoke(Nx.scalar(1f))).getMessage());
    }

    @Test
    void largeConstantsReachXlaAsOps() {
        // 2^22 f32 elements, 16 MiB: as a literal the module text would be tens of megabytes.
        Function<Tensor, Tensor> f = t -> Nx.add(t, Nx.reduceMax(Nx.iota(Shape.of(1 << 22), DType.F32)));
        TracedFunction traced = Defn.trace(f, Nx.scalar(1f));
        String text = StableHlo.lower(traced);
        assertTrue(text.contains("stablehlo.iota"), text);
        assertTrue(text.length() < 10_000, "module of " + text.length() + " characters");
        // max(0 .. 2^22 - 1) + 1 = 2^22, exact in f32.
        assertEquals(1 << 22, Defn.jit(f, Exla.compiler()).apply(Nx.scalar(1f)).toDouble());
    }

    @Test
    void emptyResultsMatchTheEvaluator() {
        sameAsEvaluator(x -> Nx.sort(x, 1, false), empty(0, 4));
        sameAsEvaluator(x -> Nx.median(x, 1, false), empty(0, 4));
        sameAsEvaluator(x -> Nx.sum(x, new int[] {0}, false), empty(0, 3));
        sameAsEvaluator(x -> Nx.slice(x, new int[] {0, 0}, new int[] {0, 3}), empty(2, 3));
        sameAsEvaluator(x -> Nx.argsort(x, 1, false), empty(0, 3));
        sameAsEvaluator(x -> Nx.cumulativeMax(x, 1, false), empty(0, 3));
        sameAsEvaluator(x -> Nx.topK(x, 0)[0], empty(2, 3));
        sameAsEvaluator(x -> Nx.conv(x, Nx.iota(Shape.of(1, 1, 2), DType.F32)), empty(0, 1, 4));
        sameAsEvaluator(x -> Nx.windowSum(x, new int[] {1, 3},
                WindowOptions.defaults().padding(new int[] {1, 0}, new int[] {0, 0})), empty(0, 3));
    }

    @Test
    void emptyGathersMatchTheEvaluator() {
        Tensor none = Nx.tensor(new int[0]);
        sameAsEvaluator(x -> Nx.take(x, none, 1), empty(2, 3));
        sameAsEvaluator(x -> Nx.take(x, Nx.tensor(new int[] {2, 0}), 1), empty(0, 3));
        sameAsEvaluator(x -> Nx.takeAlongAxis(x, Nx.reshape(none, Shape.of(2, 0)), 1), empty(2, 3));
        sameAsEvaluator(x -> Nx.makeDiagonal(x, 0), empty(0));
        // Offset 2 on an empty vector: a 2x2 of zeros.
        sameAsEvaluator(x -> Nx.makeDiagonal(x, 2), empty(0));
    }
}
