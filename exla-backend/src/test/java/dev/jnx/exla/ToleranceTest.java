package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Tolerance}: the comparison rule shared by the validating compiler and the fuzzer. */
class ToleranceTest {
    private final Tolerance t = Tolerance.defaults();

    @Test
    void finiteValuesWithinTheRelativeToleranceOfTheirType() {
        assertTrue(t.close(DType.F32, 1000, 1000.004)); // 4e-6 relative
        assertFalse(t.close(DType.F32, 1000, 1000.006)); // 6e-6
        assertTrue(t.close(DType.F32, 1e-7, 0)); // the absolute floor below 1: flushed subnormals, round-off near 0
        assertFalse(t.close(DType.F64, 1, 1 + 1e-11));
        assertTrue(t.close(DType.F64, 1, 1 + 1e-13));
        assertTrue(t.close(DType.BF16, 256, 258)); // 0.8%
        assertTrue(t.scaled(100).close(DType.F32, 1, 1.0004));
        assertFalse(t.close(DType.F32, 1, 1.0004));
    }

    @Test
    void nanEqualsNanAndInfinitiesAreExact() {
        assertTrue(t.close(DType.F32, Double.NaN, -Double.NaN));
        assertTrue(t.close(DType.F32, Double.NaN, Double.longBitsToDouble(0x7ff0000000000123L)));
        assertFalse(t.close(DType.F32, Double.NaN, 1));
        assertFalse(t.close(DType.F32, 1, Double.NaN));
        assertTrue(t.close(DType.F64, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(t.close(DType.F64, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        assertFalse(t.close(DType.F64, Double.POSITIVE_INFINITY, Double.MAX_VALUE));
    }

    @Test
    void theFirstDifferenceIsNamedByItsCoordinates() {
        Tensor want = Nx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor got = Nx.tensor(new float[] {1, 2, 3, 4, 7, 8}, 2, 3);
        Tolerance.Difference d = t.difference(want, got).orElseThrow();
        assertArrayEquals(new int[] {1, 1}, d.index());
        assertEquals("element [1, 1]: expected 5.0, got 7.0", d.toString());
        assertTrue(t.difference(want, want).isEmpty());
    }

    @Test
    void integersExactComplexPartsEachAndShapesOrTypesMustMatch() {
        assertEquals("expected 3, got 4", t.difference(Nx.tensor(new int[] {3}), Nx.tensor(new int[] {4})).orElseThrow()
                .toString().replace("element [0]: ", ""));
        Tensor u64 = Nx.asType(Nx.tensor(new long[] {-1}), DType.U64);
        assertEquals("18446744073709551615", t.difference(u64, Nx.asType(Nx.tensor(new long[] {0}), DType.U64))
                .orElseThrow().expected());
        Tensor c = Nx.complex(Nx.tensor(new float[] {1}), Nx.tensor(new float[] {2}));
        Tensor c2 = Nx.complex(Nx.tensor(new float[] {1}), Nx.tensor(new float[] {2.5f}));
        assertEquals("element [0]: expected 1.0+2.0i, got 1.0+2.5i", t.difference(c, c2).orElseThrow().toString());
        assertEquals("expected f32[2], got f32[3]", t.difference(Nx.tensor(new float[] {1, 2}),
                Nx.tensor(new float[] {1, 2, 3})).orElseThrow().toString());
        assertEquals("expected f32[1], got f64[1]", t.difference(Nx.tensor(new float[] {1}),
                Nx.tensor(new double[] {1})).orElseThrow().toString());
    }

    @Test
    void complexNumbersAreJudgedByTheModulusOfTheError() {
        // 1e18 + 1.6i against 1e18 + 0i: the imaginary part is off by 1.6, tiny against |want|
        Tensor big = Nx.complex(Nx.tensor(new float[] {1e18f}), Nx.tensor(new float[] {0}));
        Tensor bigOff = Nx.complex(Nx.tensor(new float[] {1e18f}), Nx.tensor(new float[] {1.6f}));
        assertTrue(t.difference(big, bigOff).isEmpty());
        // 1 + 0i against 1 + 1e-3i: off by 1e-3 of a number of size 1
        Tensor one = Nx.complex(Nx.tensor(new float[] {1}), Nx.tensor(new float[] {0}));
        Tensor oneOff = Nx.complex(Nx.tensor(new float[] {1}), Nx.tensor(new float[] {1e-3f}));
        assertFalse(t.difference(one, oneOff).isEmpty());
        // non-finite parts are compared part by part: NaN with NaN, infinities exactly
        Tensor inf = Nx.complex(Nx.tensor(new float[] {Float.POSITIVE_INFINITY}), Nx.tensor(new float[] {0}));
        Tensor infNan = Nx.complex(Nx.tensor(new float[] {Float.POSITIVE_INFINITY}), Nx.tensor(new float[] {Float.NaN}));
        assertFalse(t.difference(inf, infNan).isEmpty());
        assertTrue(t.difference(infNan, infNan).isEmpty());
    }

    @Test
    void badFactorsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.scaled(0));
        assertEquals("Tolerance.scaled: expected a positive finite factor, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.scaled(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> t.scaled(Double.POSITIVE_INFINITY));
    }
}
