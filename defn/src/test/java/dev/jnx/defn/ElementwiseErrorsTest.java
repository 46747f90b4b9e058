package dev.jnx.defn;

import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to the element-wise, type, reduction and sort ops is refused with an
 * {@link IllegalArgumentException} naming the op, the operands and what was expected, both
 * eagerly and at trace time (before anything is compiled); plus the complex-number API.
 */
class ElementwiseErrorsTest {
    private static void refused(Function<Tensor, Tensor> f, Tensor x, String... fragments) {
        check(() -> f.apply(x), fragments);
        check(() -> Defn.jit(f).apply(x), fragments);
    }

    private static void check(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void wrongTypesNameTheOpAndTheOperands() {
        Tensor f = Nx.tensor(new float[] {1, 2});
        refused(x -> Nx.bitwiseAnd(x, x), f, "bitwise_and", "integer", "f32[2]");
        refused(Nx::bitwiseNot, f, "bitwise_not", "integer", "f32[2]");
        refused(x -> Nx.leftShift(x, 1), f, "left_shift", "f32[2]");
        refused(Nx::populationCount, f, "population_count", "f32[2]");
        refused(x -> Nx.quotient(x, x), f, "quotient", "integer", "f32[2]");
        Tensor c = Nx.tensor(new Complex[] {Complex.of(1, 2)});
        refused(Nx::erf, c, "erf", "complex", "c64[1]");
        refused(Nx::floor, c, "floor", "complex", "c64[1]");
        refused(x -> Nx.sort(x, 0, false), c, "sort", "complex", "c64[1]");
        refused(Nx::argmax, c, "argmax", "complex", "c64[1]");
        refused(x -> Nx.remainder(x, x), c, "remainder", "complex");
        refused(x -> Nx.bitcast(x, DType.S64), c, "bitcast", "complex");
        refused(x -> Nx.bitcast(x, DType.F32), Nx.tensor(new int[] {1}, DType.S16), "bitcast", "s16[1]", "f32", "width");
        refused(x -> Nx.argsort(x, 0, false, DType.F32), f, "argsort", "integer", "f32");
    }

    @Test
    void wrongShapesAndOptions() {
        Tensor m = Nx.iota(Shape.of(2, 3), DType.F32);
        refused(x -> Nx.add(x, Nx.tensor(new float[] {1, 2})), m, "add", "[2][3]", "[2]");
        refused(x -> Nx.select(Nx.tensor(new int[] {1, 0}), x, x), m, "select", "[2]", "[2][3]");
        refused(x -> Nx.clip(x, Nx.tensor(new float[] {0, 1}), Nx.scalar(2f)), m, "clip", "scalars", "f32[2]");
        refused(x -> Nx.topK(x, 4)[0], m, "top_k", "[0, 3]", "4");
        refused(x -> Nx.sort(x, 2, false), m, "sort", "axis 2", "[2][3]");
        refused(x -> Nx.argmax(x, -3, false, false, DType.S32), m, "argmax", "axis -3");
        refused(x -> Nx.cumulativeSum(x, 5, false), m, "cumulative_sum", "axis 5");
        refused(x -> Nx.weightedMean(x, Nx.tensor(new float[] {1, 2})), m, "weighted_mean", "axes");
        refused(x -> Nx.median(x, 0, false), Nx.iota(Shape.of(0, 2), DType.F32), "median", "empty");
        refused(x -> Nx.median(x), Nx.asType(m, DType.C64), "median is not defined for complex types", "c64");
        refused(x -> LinAlg.norm(x, null, new int[] {1, -1}, false), m, "norm: axis -1 given twice");
        // Eagerly the outer value is a constant, which the function may read; traced it is not.
        check(() -> Defn.jit((Tensor x) -> Nx.reduce(x, 0, (a, b) -> Nx.add(a, Nx.sum(x)))).apply(m), "reduce",
                "arguments and constants");
        refused(x -> Nx.reduce(x, 0, (a, b) -> Nx.asType(Nx.add(a, b), DType.F64)), m, "reduce", "f32 scalar", "f64");
    }

    @Test
    void complexValuesRoundTrip() {
        Tensor z = Nx.tensor(new Complex[][] {{Complex.of(1, 2), Complex.of(-3, 0.5)}});
        assertEquals(DType.C64, z.type());
        assertEquals(Shape.of(1, 2), z.shape());
        assertArrayEquals(new Complex[] {Complex.of(1, 2), Complex.of(-3, 0.5)}, z.toComplexArray());
        Tensor w = Nx.tensor(new Complex[] {Complex.of(1, -1)}, DType.C128);
        assertEquals("1.0-1.0i", w.toComplexArray()[0].toString());
        assertTrue(w.toString().contains("c128[1]") && w.toString().contains("[1.0-1.0i]"), w.toString());
        assertEquals(Complex.of(-5, 5), Nx.multiply(Nx.tensor(Complex.of(1, 2)), Nx.tensor(Complex.of(1, 3)))
                .toComplexArray()[0]);
        assertArrayEquals(new double[] {1, -3}, Nx.real(z).toDoubleArray(), 0);
        assertEquals(DType.F32, Nx.abs(z).type());
        assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new Complex[] {Complex.of(1, 1)}, DType.F32));
    }
}
