package dev.jnx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Eager ops on the reference backend, with values from Nx's documentation or worked by hand. */
class NxTest {
    static void assertTensor(Tensor t, DType type, Shape shape, long... values) {
        assertEquals(type, t.type(), "type");
        assertEquals(shape, t.shape(), "shape");
        assertArrayEquals(values, t.toLongArray());
    }

    static void assertClose(Tensor t, DType type, Shape shape, double tol, double... values) {
        assertEquals(type, t.type(), "type");
        assertEquals(shape, t.shape(), "shape");
        assertArrayEquals(values, t.toDoubleArray(), tol);
    }

    @Test
    void javaElementTypeDecidesTheDefaultType() {
        assertEquals(DType.F32, Nx.tensor(new float[] {1}).type());
        assertEquals(DType.F64, Nx.tensor(new double[] {1}).type());
        assertEquals(DType.S32, Nx.tensor(new int[] {1}).type());
        assertEquals(DType.S64, Nx.tensor(new long[] {1}).type());
        assertEquals(DType.F64, Nx.tensor(new double[][] {{1, 2}, {3, 4}}).type());
        assertTensor(Nx.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}}), DType.S32, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        assertClose(Nx.tensor(new int[][] {{1, 2}}, DType.BF16), DType.BF16, Shape.of(1, 2), 0, 1, 2);
        assertEquals(Shape.of(2, 0), Nx.tensor(new float[][] {{}, {}}).shape());
        // Java arrays carry no inner size once the outer level is empty.
        assertEquals(Shape.of(0, 0), Nx.tensor(new float[0][3]).shape());
    }

    @Test
    void raggedOrNonNumericInputIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new int[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("ragged"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new String[] {"a"}));
    }

    @Test
    void toStringIsLaidOutLikeNxInspect() {
        assertEquals("#Nx.Tensor<\n  s32[2][3]\n  [\n    [1, 2, 3],\n    [4, 5, 6]\n  ]\n>",
                Nx.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}}).toString());
        assertEquals("#Nx.Tensor<\n  f32\n  2.5\n>", Nx.scalar(2.5f).toString());
        assertEquals("#Nx.Tensor<\n  f32[3]\n  [1.0, NaN, -Inf]\n>",
                Nx.tensor(new float[] {1, Float.NaN, Float.NEGATIVE_INFINITY}).toString());
    }

    @Test
    void addBroadcastsAndPromotes() {
        // Nx.add(Nx.tensor([[1, 2], [3, 4]]), Nx.tensor([10, 20]))
        assertTensor(Nx.add(Nx.tensor(new int[][] {{1, 2}, {3, 4}}), Nx.tensor(new int[] {10, 20})),
                DType.S32, Shape.of(2, 2), 11, 22, 13, 24);
        // Nx.add(Nx.tensor([1, 2, 3], type: :u8), 1) stays u8; with -1 it becomes s16.
        Tensor u8 = Nx.tensor(new int[] {1, 2, 3}, DType.U8);
        assertTensor(Nx.add(u8, 1), DType.U8, Shape.of(3), 2, 3, 4);
        assertTensor(Nx.add(u8, -1), DType.S16, Shape.of(3), 0, 1, 2);
        assertTensor(Nx.add(Nx.tensor(new int[] {255}, DType.U8), 1), DType.U8, Shape.of(1), 0);
        assertClose(Nx.add(Nx.tensor(new int[] {1, 2}), 1.5), DType.F32, Shape.of(2), 0, 2.5, 3.5);
        assertTensor(Nx.add(Nx.tensor(new int[] {1}, DType.S8), Nx.tensor(new int[] {2}, DType.U8)),
                DType.S16, Shape.of(1), 3);
        // s32 + f32 is f32
        assertClose(Nx.add(Nx.tensor(new int[] {1}), Nx.tensor(new float[] {0.5f})), DType.F32, Shape.of(1), 0, 1.5);
    }

    @Test
    void mismatchedShapesNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Nx.add(Nx.iota(Shape.of(2, 3), DType.F32), Nx.iota(Shape.of(4), DType.F32)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2][3]") && e.getMessage().contains("[4]"),
                e.getMessage());
    }

    @Test
    void divideIsAlwaysFloatingAndFollowsIeee() {
        assertClose(Nx.divide(Nx.scalar(1), 2), DType.F32, Shape.scalar(), 0, 0.5);
        double[] r = Nx.divide(Nx.tensor(new float[] {1, -1, 0}), 0).toDoubleArray();
        assertEquals(Double.POSITIVE_INFINITY, r[0]);
        assertEquals(Double.NEGATIVE_INFINITY, r[1]);
        assertTrue(Double.isNaN(r[2]));
    }

    @Test
    void unaryMathConvertsIntegersToF32() {
        assertClose(Nx.exp(Nx.scalar(1)), DType.F32, Shape.scalar(), 1e-7, 2.7182817);
        assertClose(Nx.exp(Nx.tensor(new long[] {0, 1})), DType.F32, Shape.of(2), 1e-6, 1.0, 2.7182817);
        assertClose(Nx.log(Nx.tensor(new double[] {1, Math.E})), DType.F64, Shape.of(2), 1e-15, 0.0, 1.0);
        assertTensor(Nx.negate(Nx.tensor(new int[] {1, -2}, DType.S8)), DType.S8, Shape.of(2), -1, 2);
        assertTensor(Nx.negate(Nx.tensor(new int[] {-128}, DType.S8)), DType.S8, Shape.of(1), -128);
    }

    @Test
    void maxAndMinWithNumbers() {
        assertTensor(Nx.max(Nx.tensor(new int[] {1, 2, 3}), 2), DType.S32, Shape.of(3), 2, 2, 3);
        assertTensor(Nx.min(Nx.tensor(new int[] {1, 2, 3}), 2), DType.S32, Shape.of(3), 1, 2, 2);
        double[] nan = Nx.max(Nx.tensor(new float[] {Float.NaN, 1}), 0).toDoubleArray();
        assertTrue(Double.isNaN(nan[0]));
    }

    @Test
    void comparisonsReturnU8() {
        Tensor a = Nx.tensor(new float[] {1, 2, Float.NaN});
        Tensor b = Nx.tensor(new float[] {2, 2, Float.NaN});
        assertTensor(Nx.less(a, b), DType.U8, Shape.of(3), 1, 0, 0);
        assertTensor(Nx.equal(a, b), DType.U8, Shape.of(3), 0, 1, 0);
        assertTensor(Nx.notEqual(a, b), DType.U8, Shape.of(3), 1, 0, 1);
        assertTensor(Nx.greaterEqual(Nx.tensor(new int[] {-1}, DType.S8), Nx.tensor(new int[] {255}, DType.U8)),
                DType.U8, Shape.of(1), 0);
    }

    @Test
    void sumFollowsNxExamples() {
        Tensor t = Nx.tensor(new int[][] {{1, 2}, {3, 4}});
        assertTensor(Nx.sum(t), DType.S32, Shape.scalar(), 10);
        assertTensor(Nx.sum(t, new int[] {0}, false), DType.S32, Shape.of(2), 4, 6);
        assertTensor(Nx.sum(t, new int[] {1}, false), DType.S32, Shape.of(2), 3, 7);
        assertTensor(Nx.sum(t, new int[] {0}, true), DType.S32, Shape.of(1, 2), 4, 6);
        assertTensor(Nx.sum(t, new int[] {-1}, true), DType.S32, Shape.of(2, 1), 3, 7);
        // Nx.sum(Nx.tensor([1, 2, 3], type: :u8)) aggregates in u32.
        assertTensor(Nx.sum(Nx.tensor(new int[] {200, 100}, DType.U8)), DType.U32, Shape.scalar(), 300);
        assertClose(Nx.sum(Nx.tensor(new float[0])), DType.F32, Shape.scalar(), 0, 0.0);
        // Nx.sum(Nx.iota({2, 3, 4}), axes: [0, 2]) = [60, 92, 124]
        assertTensor(Nx.sum(Nx.iota(Shape.of(2, 3, 4), DType.S32), new int[] {0, 2}, false),
                DType.S32, Shape.of(3), 60, 92, 124);
    }

    @Test
    void reduceMaxAndMin() {
        Tensor t = Nx.tensor(new int[][] {{1, 2}, {3, 4}});
        assertTensor(Nx.reduceMax(t), DType.S32, Shape.scalar(), 4);
        assertTensor(Nx.reduceMax(t, new int[] {0}, false), DType.S32, Shape.of(2), 3, 4);
        assertTensor(Nx.reduceMin(t, new int[] {1}, true), DType.S32, Shape.of(2, 1), 1, 3);
        assertTensor(Nx.reduceMax(Nx.tensor(new int[] {200, 100}, DType.U8)), DType.U8, Shape.scalar(), 200);
        assertEquals(Double.NEGATIVE_INFINITY, Nx.reduceMax(Nx.tensor(new float[0])).toDouble());
        assertEquals(Integer.MAX_VALUE, Nx.reduceMin(Nx.tensor(new int[0])).toIntArray()[0]);
    }

    @Test
    void reductionAxesAreValidated() {
        Tensor t = Nx.iota(Shape.of(2, 3), DType.F32);
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.sum(t, new int[] {2}, false));
        assertTrue(e.getMessage().contains("sum") && e.getMessage().contains("axis 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nx.sum(t, new int[] {0, 0}, false));
    }

    @Test
    void dotFollowsNxExamples() {
        assertTensor(Nx.dot(Nx.tensor(new int[] {1, 2, 3}), Nx.tensor(new int[] {4, 5, 6})), DType.S32, Shape.scalar(), 32);
        assertTensor(Nx.dot(Nx.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[][] {{7, 8}, {9, 10}, {11, 12}})),
                DType.S32, Shape.of(2, 2), 58, 64, 139, 154);
        assertClose(Nx.dot(Nx.tensor(new int[][] {{1, 2}, {3, 4}}), Nx.tensor(new float[] {5, 6})),
                DType.F32, Shape.of(2), 0, 17, 39);
        // batched: [2][2][3] . [2][3][1] over batch axis 0
        Tensor a = Nx.iota(Shape.of(2, 2, 3), DType.S64);
        Tensor b = Nx.iota(Shape.of(2, 3, 1), DType.S64);
        assertTensor(Nx.dot(a, new int[] {2}, new int[] {0}, b, new int[] {1}, new int[] {0}),
                DType.S64, Shape.of(2, 2, 1), 5, 14, 86, 122);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Nx.dot(Nx.iota(Shape.of(2, 3), DType.F32), Nx.iota(Shape.of(2, 3), DType.F32)));
        assertTrue(e.getMessage().contains("dot") && e.getMessage().contains("[2][3]"), e.getMessage());
    }

    @Test
    void shapeOps() {
        assertTensor(Nx.iota(Shape.of(2, 3), DType.S32), DType.S32, Shape.of(2, 3), 0, 1, 2, 3, 4, 5);
        assertTensor(Nx.iota(Shape.of(2, 3), DType.S32, 1), DType.S32, Shape.of(2, 3), 0, 1, 2, 0, 1, 2);
        assertClose(Nx.iota(Shape.of(2, 3), DType.F32, 0), DType.F32, Shape.of(2, 3), 0, 0, 0, 0, 1, 1, 1);
        assertTensor(Nx.transpose(Nx.iota(Shape.of(2, 3), DType.S32)), DType.S32, Shape.of(3, 2), 0, 3, 1, 4, 2, 5);
        Tensor t = Nx.transpose(Nx.iota(Shape.of(2, 3, 4), DType.S32), new int[] {2, 0, 1});
        assertEquals(Shape.of(4, 2, 3), t.shape());
        assertArrayEquals(new int[] {0, 4, 8, 12, 16, 20}, java.util.Arrays.copyOf(t.toIntArray(), 6));
        assertTensor(Nx.reshape(Nx.iota(Shape.of(6), DType.S32), Shape.of(3, 2)), DType.S32, Shape.of(3, 2), 0, 1, 2, 3, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> Nx.reshape(Nx.iota(Shape.of(6), DType.S32), Shape.of(4)));
        assertTensor(Nx.broadcast(Nx.tensor(new int[] {1, 2}), Shape.of(2, 2)), DType.S32, Shape.of(2, 2), 1, 2, 1, 2);
        assertTensor(Nx.broadcast(Nx.tensor(new int[] {1, 2}), Shape.of(2, 2), new int[] {0}),
                DType.S32, Shape.of(2, 2), 1, 1, 2, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Nx.broadcast(Nx.tensor(new int[] {1, 2, 3}), Shape.of(2, 2)));
        assertTrue(e.getMessage().contains("broadcast"), e.getMessage());
    }

    @Test
    void asTypeTruncatesSaturatesAndRounds() {
        assertTensor(Nx.asType(Nx.tensor(new float[] {0f, 1.5f, 2.9f, -2.9f}), DType.S32), DType.S32, Shape.of(4), 0, 1, 2, -2);
        assertTensor(Nx.asType(Nx.tensor(new float[] {300f, -5f, Float.NaN}), DType.U8), DType.U8, Shape.of(3), 255, 0, 0);
        assertTensor(Nx.asType(Nx.tensor(new int[] {300}), DType.U8), DType.U8, Shape.of(1), 44);
        // 1 + 2^-9 is not representable in bf16 (7 fraction bits): it rounds to 1.0.
        assertEquals(1.0, Nx.asType(Nx.tensor(new float[] {1f + 0x1p-9f}), DType.BF16).toDouble());
        assertEquals(65504.0, Nx.asType(Nx.tensor(new float[] {65504f}), DType.F16).toDouble());
        assertEquals(Double.POSITIVE_INFINITY, Nx.asType(Nx.tensor(new float[] {1e6f}), DType.F16).toDouble());
        assertTensor(Nx.asType(Nx.tensor(new long[] {-1}), DType.U64), DType.U64, Shape.of(1), -1);
        assertEquals(1.8446744073709552E19, Nx.asType(Nx.tensor(new long[] {-1}), DType.U64).toDoubleArray()[0]);
    }

    @Test
    void integerDivisionByZeroAndOverflowWrapAsXlaDoes() {
        // Nx.divide returns floats, so integer division only appears inside primitives; exercise wrap-around.
        assertTensor(Nx.multiply(Nx.tensor(new int[] {Integer.MAX_VALUE}), 2), DType.S32, Shape.of(1), -2);
        assertTensor(Nx.subtract(Nx.tensor(new int[] {0}, DType.U8), Nx.tensor(new int[] {1}, DType.U8)),
                DType.U8, Shape.of(1), 255);
    }
}
