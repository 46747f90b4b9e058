package dev.jnx.train.data;

import dev.jnx.Backend;
import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.exla.Exla;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batching, shuffling, prefetching, and the IDX / Fashion-MNIST loaders on synthetic files. */
class DatasetTest {
    static Dataset tenRows() {
        return Dataset.of(Nx.reshape(Nx.iota(Shape.of(20), DType.F32), Shape.of(10, 2)), Nx.iota(Shape.of(10), DType.S32));
    }

    static List<int[]> labels(Dataset d, int epoch, Backend backend) {
        List<int[]> out = new ArrayList<>();
        try (Dataset.Batches b = d.batches(epoch, backend)) {
            while (b.hasNext()) {
                try (Batch batch = b.next()) {
                    assertSame(backend, batch.x().backend());
                    out.add(batch.y().toIntArray());
                    out.add(batch.mask().toIntArray());
                }
            }
        }
        return out;
    }

    @Test
    void dropOrPadTheLastBatch() {
        Dataset drop = tenRows().batch(4, true);
        assertEquals(2, drop.batchCount());
        assertFalse(drop.padsLastBatch());
        List<int[]> l = labels(drop, 0, Backend.HOST);
        assertArrayEquals(new int[] {4, 5, 6, 7}, l.get(2));
        Dataset pad = tenRows().batch(4, false);
        assertEquals(3, pad.batchCount());
        assertTrue(pad.padsLastBatch());
        l = labels(pad, 0, Backend.HOST);
        assertArrayEquals(new int[] {8, 9, 0, 0}, l.get(4));
        assertArrayEquals(new int[] {1, 1, 0, 0}, l.get(5));
        assertEquals(2, pad.examplesIn(2));
        assertFalse(tenRows().batch(5, false).padsLastBatch());
    }

    @Test
    void shufflingIsSeededPerEpochAndAPermutation() {
        Dataset d = tenRows().shuffle(3).batch(5, true);
        int[] e0 = concat(labels(d, 0, Backend.HOST));
        assertArrayEquals(e0, concat(labels(d, 0, Backend.HOST)));
        int[] e1 = concat(labels(d, 1, Backend.HOST));
        assertFalse(Arrays.equals(e0, e1));
        for (int[] e : List.of(e0, e1)) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Arrays.stream(e).sorted().toArray());
        }
        // inputs move with their labels
        try (Dataset.Batches b = d.batches(1, Backend.HOST); Batch first = b.next()) {
            int[] y = first.y().toIntArray();
            float[] x = first.x().toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(2 * y[i], x[2 * i]);
            }
        }
    }

    /** Labels only (every other entry of {@link #labels} is a mask). */
    static int[] concat(List<int[]> batches) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < batches.size(); i += 2) {
            for (int v : batches.get(i)) {
                out.add(v);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void batchesArePrefetchedToADevice() {
        Dataset d = tenRows().batch(4, false);
        assertEquals(labels(d, 0, Backend.HOST).stream().map(Arrays::toString).toList(),
                labels(d, 0, Exla.backend()).stream().map(Arrays::toString).toList());
    }

    @Test
    void mismatchedRowsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(Nx.iota(Shape.of(3, 2), DType.F32),
                Nx.iota(Shape.of(4), DType.S32)));
        assertTrue(e.getMessage().contains("different numbers of examples"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tenRows().batch(0, true));
    }

    static void writeIdx(Path p, int typeCode, int[] dims, byte[] bigEndianValues, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(p);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(o)) {
            out.writeInt((typeCode << 8) | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(bigEndianValues);
        }
    }

    @Test
    void idxFilesOfSeveralTypes(@TempDir Path dir) throws IOException {
        Path u8 = dir.resolve("a.gz");
        writeIdx(u8, 0x08, new int[] {2, 3}, new byte[] {0, 1, 2, (byte) 200, (byte) 255, 7}, true);
        Tensor t = Idx.read(u8);
        assertEquals(DType.U8, t.type());
        assertEquals(Shape.of(2, 3), t.shape());
        assertArrayEquals(new int[] {0, 1, 2, 200, 255, 7}, t.toIntArray());
        Path f32 = dir.resolve("b.idx");
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2f);
        writeIdx(f32, 0x0D, new int[] {2}, bb.array(), false);
        assertArrayEquals(new float[] {1.5f, -2f}, Idx.read(f32).toFloatArray());
        Path truncated = dir.resolve("c.gz");
        writeIdx(truncated, 0x08, new int[] {4, 4}, new byte[5], true);
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(truncated));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("16 bytes"), e.getMessage());
        Path bad = dir.resolve("d");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Idx.read(bad)).getMessage().contains("not an IDX file"));
    }

    @Test
    void fashionMnistFromSyntheticFiles(@TempDir Path dir) throws IOException {
        byte[] images = new byte[2 * 28 * 28];
        images[0] = (byte) 255;
        images[28 * 28 + 1] = (byte) 51;
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x08, new int[] {2, 28, 28}, images, true);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte.gz"), 0x08, new int[] {2}, new byte[] {9, 3}, true);
        FashionMnist.Split s = FashionMnist.load(dir, "t10k");
        assertEquals(Shape.of(2, 28, 28, 1), s.images().shape());
        assertEquals(DType.F32, s.images().type());
        float[] px = s.images().toFloatArray();
        assertEquals(1f, px[0]);
        assertEquals(0.2f, px[28 * 28 + 1], 1e-7f);
        assertArrayEquals(new int[] {9, 3}, s.labels().toIntArray());
        assertEquals(DType.S32, s.labels().type());
        var e = assertThrows(IllegalStateException.class, () -> FashionMnist.load(dir, "train"));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist") && e.getMessage().contains("train-images-idx3-ubyte.gz"),
                e.getMessage());
    }

    @Test
    void theRealDataWhereTheDebianPackageIsInstalled() {
        Assumptions.assumeTrue(Files.isReadable(FashionMnist.DEFAULT_DIR.resolve("t10k-labels-idx1-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        FashionMnist.Split test = FashionMnist.test();
        assertEquals(Shape.of(10_000, 28, 28, 1), test.images().shape());
        int[] counts = new int[10];
        for (int l : test.labels().toIntArray()) {
            counts[l]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, counts);
    }
}
