package dev.jnx;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Nx.serialize} / {@code Nx.deserialize}: round trips, the documented layout, and bad bytes. */
class SerializationTest {
    record Layer(Tensor kernel, List<Tensor> extra) {
    }

    @Test
    void roundTripsEveryTypeShapeAndContainer() {
        Map<Object, Object> container = Map.of(
                "f32", Nx.tensor(new float[][] {{1.5f, -2}, {Float.NaN, Float.NEGATIVE_INFINITY}}),
                "bf16", Nx.tensor(new float[] {1, 0.5f}, DType.BF16),
                "u64", Nx.tensor(new long[] {-1L}, DType.U64),
                "c128", Nx.complex(Nx.tensor(new double[] {1, 2}), Nx.tensor(new double[] {-3, 4})),
                "empty", Nx.tensor(new float[0][3]),
                "scalar", Nx.scalar((short) 7, DType.S16),
                "record", new Layer(Nx.tensor(new int[] {1, 2, 3}), List.of()),
                "array", new Tensor[] {Nx.scalar(1.0)},
                "nested", Map.of(3, List.of(Nx.scalar(2L)), 1, Map.of()));
        Object back = Nx.deserialize(Nx.serialize(container));
        Map<?, ?> m = assertInstanceOf(Map.class, back);
        assertEquals(container.keySet(), m.keySet());
        for (String k : List.of("f32", "bf16", "u64", "c128", "empty", "scalar")) {
            Tensor want = (Tensor) container.get(k);
            Tensor got = (Tensor) m.get(k);
            assertEquals(want.type(), got.type(), k);
            assertEquals(want.shape(), got.shape(), k);
            assertArrayEquals(want.toByteArray(), got.toByteArray(), k);
        }
        Layer l = assertInstanceOf(Layer.class, m.get("record"));
        assertArrayEquals(new int[] {1, 2, 3}, l.kernel().toIntArray());
        assertEquals(List.of(), l.extra());
        Tensor[] arr = assertInstanceOf(Tensor[].class, m.get("array"));
        assertEquals(1.0, arr[0].toDouble());
        Map<?, ?> nested = (Map<?, ?>) m.get("nested");
        assertEquals(List.of(1, 3), List.copyOf(nested.keySet()));
        assertEquals(2L, ((List<?>) nested.get(3)).stream().map(t -> ((Tensor) t).toLongArray()[0]).findFirst().orElseThrow());
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        byte[] b = Nx.serialize(Nx.tensor(new float[] {1, 2}));
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("JNXS", new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        in.position(4);
        assertEquals(1, in.get());          // version
        assertEquals('L', in.get());        // tensor data little-endian
        assertEquals('T', in.get());
        assertEquals(3, in.getInt());       // "f32"
        assertEquals("f32", new String(b, in.position(), 3, java.nio.charset.StandardCharsets.UTF_8));
        in.position(in.position() + 3);
        assertEquals(1, in.get());          // rank
        assertEquals(2, in.getInt());       // dim 0
        assertEquals(1f, in.getFloat());
        assertEquals(2f, in.getFloat());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), in.getInt());
        assertEquals(b.length, in.position());
    }

    @Test
    void truncatedCorruptAndForeignBytesAreClearErrors() {
        byte[] good = Nx.serialize(Map.of("w", Nx.iota(Shape.of(4, 4), DType.F32)));
        for (int n : new int[] {0, 5, 12, good.length / 2, good.length - 5, good.length - 1}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Nx.deserialize(Arrays.copyOf(good, n)), "length " + n);
            assertTrue(e.getMessage().startsWith("Nx.deserialize: "), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt")
                    || e.getMessage().contains("impossible"), e.getMessage());
        }
        byte[] flipped = good.clone();
        flipped[good.length - 10] ^= 0x40; // inside the tensor data
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Nx.deserialize(flipped)).getMessage()
                .contains("checksum mismatch"));
        byte[] version = good.clone();
        version[4] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Nx.deserialize(version)).getMessage()
                .contains("version 9 is not supported"));
        byte[] foreign = "PK\u0003\u0004 not a checkpoint".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Nx.deserialize(foreign)).getMessage()
                .contains("magic"));
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.serialize(Map.of(1.5, Nx.scalar(1))));
        assertTrue(e.getMessage().contains("map key 1.5"), e.getMessage());
    }

    /** A vectorized tensor keeps its axes: a 'V' node (names, sizes) before the tensor of every entry. */
    @Test
    void vectorizedTensorsRoundTripWithTheirAxes() {
        Tensor v = Nx.vectorize(Nx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 3, 1, 2), "rows", "one");
        Map<String, Tensor> container = Map.of("v", v, "plain", Nx.scalar(2f));
        Map<?, ?> back = (Map<?, ?>) Nx.deserialize(Nx.serialize(container));
        Tensor got = (Tensor) back.get("v");
        assertEquals(List.of(VectorizedAxis.of("rows", 3), VectorizedAxis.of("one", 1)), got.vectorizedAxes());
        assertEquals(Shape.of(2), got.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Nx.devectorize(got).toFloatArray());
        assertEquals(List.of(), ((Tensor) back.get("plain")).vectorizedAxes());

        byte[] b = Nx.serialize(Nx.vectorize(Nx.tensor(new float[] {7, 8}), "x"));
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        in.position(6);
        assertEquals('V', in.get());
        assertEquals(1, in.get());          // one vectorized axis
        assertEquals(1, in.getInt());       // "x"
        assertEquals('x', in.get());
        assertEquals(2, in.getInt());       // its size
        assertEquals('T', in.get());        // then the tensor of every entry: f32[2]
        in.position(in.position() + 4 + 3);
        assertEquals(1, in.get());
        assertEquals(2, in.getInt());
        assertEquals(7f, in.getFloat());

        // An axis size that does not match the data is a clear error (with a valid checksum).
        byte[] bad = b.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(6 + 1 + 1 + 4 + 1, 3);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bad, 0, bad.length - 4);
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(bad.length - 4, (int) crc.getValue());
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.deserialize(bad));
        assertTrue(e.getMessage().startsWith("Nx.deserialize: vectorized axes [x: 3] do not fit f32[2]"), e.getMessage());
    }
}
