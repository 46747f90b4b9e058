package dev.jnx;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk host data: Nx.tensor over primitive arrays with dims, nested arrays, Nx.fromBinary and the to*Array reads. */
class HostArraysTest {
    @Test
    void scalarsConvertAsAnElementWriteDoes() {
        // Hand-checked bits, low byte first.
        assertArrayEquals(new byte[] {0, 0, 0, 0x5F}, HostData.scalar(Long.MAX_VALUE, DType.F32).toByteArray(), "2^63 as f32");
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0x40, 0x43}, HostData.scalar((1L << 53) + 1, DType.F64).toByteArray(),
                "2^53 + 1 rounds to 2^53");
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x7F}, HostData.scalar(1e300, DType.F32).toByteArray(), "+inf");
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0x80}, HostData.scalar(-0.0, DType.F32).toByteArray(), "-0");
        assertArrayEquals(new byte[] {-1, -1, -1, 0x7F}, HostData.scalar(Integer.MAX_VALUE, DType.S32).toByteArray());
        assertArrayEquals(new byte[] {-7, -1, -1, -1}, HostData.scalar(-7L, DType.S32).toByteArray(), "a long wraps to s32");
        // Every kind of number into every type: the bytes of the element-wise write.
        Number[] values = {0.1, -0.0, Double.longBitsToDouble(0x7FF0_0000_0000_0123L), 1e300, Float.MIN_VALUE, -2.5f,
                Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, -7L, (short) 3, (byte) -5,
                new java.math.BigDecimal("2.75")};
        for (DType type : DType.values()) {
            for (Number v : values) {
                byte[] expected = new byte[type.byteSize()];
                HostData.write(MemorySegment.ofArray(expected), type, 0, v);
                assertArrayEquals(expected, HostData.scalar(v, type).toByteArray(), v + " (" + v.getClass().getSimpleName()
                        + ") as " + type);
            }
        }
    }

    @Test
    void flatArraysWithDimsKeepTheirValuesAndLittleEndianBytes() {
        Tensor f = Nx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(DType.F32, f.type());
        assertEquals(Shape.of(2, 3), f.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.toFloatArray());
        // 1.0f is 0x3F800000, stored low byte first.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, Nx.tensor(new float[] {1}, 1).toByteArray());
        assertArrayEquals(new byte[] {1, 0, 0, 0, -2, -1, -1, -1}, Nx.tensor(new int[] {1, -2}, 2).toByteArray());

        Tensor d = Nx.tensor(new double[] {0.1, -2.5}, 2, 1);
        assertEquals(DType.F64, d.type());
        assertArrayEquals(new double[] {0.1, -2.5}, d.toDoubleArray());
        Tensor l = Nx.tensor(new long[] {Long.MIN_VALUE, 7}, 1, 2);
        assertEquals(DType.S64, l.type());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 7}, l.toLongArray());
        Tensor s = Nx.tensor(new short[] {Short.MIN_VALUE, -1, 300}, 3);
        assertEquals(DType.S16, s.type());
        assertArrayEquals(new long[] {-32768, -1, 300}, s.toLongArray());
        Tensor b = Nx.tensor(new byte[] {-128, 127}, 2);
        assertEquals(DType.S8, b.type());
        assertArrayEquals(new long[] {-128, 127}, b.toLongArray());

        Tensor scalar = Nx.tensor(new float[] {2.5f}, new int[0]);
        assertEquals(Shape.scalar(), scalar.shape());
        assertEquals(2.5, scalar.toDouble());
        assertEquals(Shape.of(0, 4), Nx.tensor(new int[0], 0, 4).shape());
    }

    @Test
    void theTensorIsACopyOfTheArray() {
        float[] data = {1, 2, 3};
        Tensor t = Nx.tensor(data, 3);
        Tensor v = Nx.tensor(data);
        data[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3}, v.toFloatArray());
        float[] read = t.toFloatArray();
        read[1] = 99;
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
    }

    @Test
    void aLengthThatDoesNotFillTheShapeIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new float[6], 2, 4));
        assertTrue(e.getMessage().contains("Nx.tensor") && e.getMessage().contains("[2][4]")
                && e.getMessage().contains("8") && e.getMessage().contains("float[6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new int[2], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new long[4], 2, -2));
        var n = assertThrows(NullPointerException.class, () -> Nx.tensor((float[]) null, 2));
        assertEquals("tensor: argument data", n.getMessage());
    }

    @Test
    void fromBinaryFollowsNxExamples() {
        // Nx.from_binary(<<1, 2, 3>>, :s8)
        Tensor s8 = Nx.fromBinary(new byte[] {1, 2, 3}, DType.S8);
        assertEquals(DType.S8, s8.type());
        assertEquals(Shape.of(3), s8.shape());
        assertArrayEquals(new long[] {1, 2, 3}, s8.toLongArray());
        // Nx.from_binary(<<12.3::float-64-native>>, :f64)
        byte[] f64 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(12.3).array();
        assertArrayEquals(new double[] {12.3}, Nx.fromBinary(f64, DType.F64).toDoubleArray());
        // u8 pixels keep 0..255.
        Tensor pixels = Nx.fromBinary(new byte[] {0, (byte) 128, (byte) 255, 7}, DType.U8, 2, 2);
        assertEquals(Shape.of(2, 2), pixels.shape());
        assertArrayEquals(new long[] {0, 128, 255, 7}, pixels.toLongArray());
        // bf16 bits 0x3FC0 are 1.5.
        assertArrayEquals(new double[] {1.5}, Nx.fromBinary(new byte[] {(byte) 0xC0, 0x3F}, DType.BF16).toDoubleArray());
        // c64: (1 + 2i) as two little-endian floats.
        byte[] c = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).array();
        assertEquals(new Complex(1, 2), Nx.fromBinary(c, DType.C64, new int[0]).toComplexArray()[0]);
    }

    @Test
    void fromBinaryReadsTheRemainingBytesOfBuffersAndAnySegment() {
        ByteBuffer heap = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(5).putInt(6);
        heap.position(4);
        Tensor t = Nx.fromBinary(heap, DType.S32, 2);
        assertArrayEquals(new int[] {5, 6}, t.toIntArray());
        assertEquals(4, heap.position(), "the buffer's position is not moved");
        ByteBuffer direct = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-3f).flip();
        assertArrayEquals(new float[] {0.5f, -3f}, Nx.fromBinary(direct, DType.F32).toFloatArray());

        Tensor fromNative;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(ValueLayout.JAVA_LONG, 3);
            m.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, 3);
            m.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 1, -4);
            m.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2, Long.MAX_VALUE);
            fromNative = Nx.fromBinary(m, DType.S64, 3, 1);
            assertEquals(Shape.of(3, 1), Nx.fromBinary(m, DType.S64, 3, 1).shape());
            assertEquals(Shape.of(6), Nx.fromBinary(m, DType.U32).shape());
        }
        // The tensor owns a copy: it outlives the arena.
        assertArrayEquals(new long[] {3, -4, Long.MAX_VALUE}, fromNative.toLongArray());
    }

    @Test
    void fromBinaryRejectsByteCountsThatDoNotFit() {
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.fromBinary(new byte[10], DType.F32, 2, 2));
        assertTrue(e.getMessage().contains("Nx.fromBinary") && e.getMessage().contains("f32[2][2]")
                && e.getMessage().contains("16") && e.getMessage().contains("10"), e.getMessage());
        var v = assertThrows(IllegalArgumentException.class, () -> Nx.fromBinary(new byte[5], DType.F32));
        assertTrue(v.getMessage().contains("5 bytes") && v.getMessage().contains("f32"), v.getMessage());
        assertThrows(NullPointerException.class, () -> Nx.fromBinary((byte[]) null, DType.F32));
        assertThrows(NullPointerException.class, () -> Nx.fromBinary(new byte[4], null));
    }

    /**
     * Nested primitive arrays go row by row in bulk and then convert; arrays of boxed numbers
     * go element by element. Both must give the same bits for every target type.
     */
    @Test
    void nestedPrimitiveArraysMatchTheElementByElementPathForEveryType() {
        SplittableRandom r = new SplittableRandom(9);
        double[][] d = new double[3][4];
        Double[][] boxedD = new Double[3][4];
        float[][] f = new float[3][4];
        Float[][] boxedF = new Float[3][4];
        long[][] l = new long[3][4];
        Long[][] boxedL = new Long[3][4];
        int[][] i = new int[3][4];
        Integer[][] boxedI = new Integer[3][4];
        short[][] s = new short[3][4];
        Short[][] boxedS = new Short[3][4];
        byte[][] b = new byte[3][4];
        Byte[][] boxedB = new Byte[3][4];
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, -1e12, 3e9, -0.0, 65504.5, 1e-40};
        long[] edges = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 1L << 53 | 1, Integer.MIN_VALUE, 65535, -129};
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 4; col++) {
                int k = row * 4 + col;
                double x = k < specials.length ? specials[k] : (r.nextDouble() - 0.5) * 600;
                long y = k < edges.length ? edges[k] : r.nextLong();
                d[row][col] = x;
                boxedD[row][col] = x;
                f[row][col] = (float) x;
                boxedF[row][col] = (float) x;
                l[row][col] = y;
                boxedL[row][col] = y;
                i[row][col] = (int) y;
                boxedI[row][col] = (int) y;
                s[row][col] = (short) y;
                boxedS[row][col] = (short) y;
                b[row][col] = (byte) y;
                boxedB[row][col] = (byte) y;
            }
        }
        Object[][] pairs = {{d, boxedD}, {f, boxedF}, {l, boxedL}, {i, boxedI}, {s, boxedS}, {b, boxedB}};
        for (DType type : DType.values()) {
            for (Object[] p : pairs) {
                Tensor bulk = Nx.tensor(p[0], type);
                Tensor each = Nx.tensor(p[1], type);
                assertEquals(Shape.of(3, 4), bulk.shape());
                assertEquals(type, bulk.type());
                assertArrayEquals(each.toByteArray(), bulk.toByteArray(), p[0].getClass().getSimpleName() + " to " + type);
            }
        }
    }

    @Test
    void nestedArraysConvertAsAsTypeDoes() {
        // s32 -> u8 wraps, f64 -> s32 saturates (NaN to 0), s8 bytes are u8's bits.
        assertArrayEquals(new long[] {255, 0, 44}, Nx.tensor(new int[][] {{-1, 256, 300}}, DType.U8).toLongArray());
        assertArrayEquals(new int[] {Integer.MAX_VALUE, -1, 0},
                Nx.tensor(new double[][] {{1e10}, {-1.5}, {Double.NaN}}, DType.S32).toIntArray());
        assertArrayEquals(new long[] {255, 127}, Nx.tensor(new byte[][] {{-1, 127}}, DType.U8).toLongArray());
        Tensor three = Nx.tensor(new float[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
        assertEquals(Shape.of(2, 2, 2), three.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, three.toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new float[][] {{1, 2}, null}));
        assertTrue(e.getMessage().contains("ragged"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nx.tensor(new char[] {'a'}));
    }

    @Test
    void bulkReadsGiveTheSameValuesAsConversions() {
        Tensor u32 = Nx.tensor(new long[] {0xFFFF_FFFFL, 5}, DType.U32);
        assertArrayEquals(new int[] {-1, 5}, u32.toIntArray());
        assertArrayEquals(new long[] {0xFFFF_FFFFL, 5}, u32.toLongArray());
        assertArrayEquals(new double[] {4294967295.0, 5}, u32.toDoubleArray());
        Tensor u64 = Nx.fromBinary(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}, DType.U64);
        assertArrayEquals(new long[] {-1}, u64.toLongArray());
        assertArrayEquals(new double[] {0x1p64}, u64.toDoubleArray());
        Tensor f64 = Nx.tensor(new double[] {0.1, 1e300}, 2);
        assertArrayEquals(new double[] {0.1, 1e300}, f64.toDoubleArray());
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, f64.toFloatArray());
        Tensor f32 = Nx.tensor(new float[] {-2.75f, 3.5f}, 2);
        assertArrayEquals(new int[] {-2, 3}, f32.toIntArray());
        assertArrayEquals(new double[] {-2.75, 3.5}, f32.toDoubleArray());
    }
}
