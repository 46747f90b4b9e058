package dev.jnx.train.data;

import dev.jnx.Backend;
import dev.jnx.HostData;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-memory data set of examples (rows of {@code x}) and their targets (rows of {@code y}),
 * split into batches: optionally shuffled, with a seed, anew each epoch; the last partial batch
 * dropped or padded to full size (with its {@link Batch#mask}), so no batch ever has another
 * shape. Immutable; {@link #shuffle} and {@link #batch} return new data sets.
 */
public final class Dataset {
    private final Tensor x;
    private final Tensor y;
    private final byte[] xBytes;
    private final byte[] yBytes;
    private final int size;
    private final int batchSize;
    private final boolean dropRemainder;
    private final Long seed;

    private Dataset(Tensor x, Tensor y, byte[] xBytes, byte[] yBytes, int batchSize, boolean dropRemainder, Long seed) {
        this.x = x;
        this.y = y;
        this.xBytes = xBytes;
        this.yBytes = yBytes;
        this.size = x.shape().dim(0);
        this.batchSize = batchSize;
        this.dropRemainder = dropRemainder;
        this.seed = seed;
    }

    /**
     * A data set of the rows of {@code x} and {@code y} (axis 0 indexes examples), in batches of
     * 32 with the remainder dropped, unshuffled. Device tensors are copied to the host.
     *
     * @throws IllegalArgumentException if a tensor is a scalar or they hold different numbers of rows
     */
    public static Dataset of(Tensor x, Tensor y) {
        if (x.rank() == 0 || y.rank() == 0) {
            throw new IllegalArgumentException("Dataset.of: inputs and targets need an example axis, got x "
                    + x.type() + x.shape() + " and y " + y.type() + y.shape());
        }
        if (x.shape().dim(0) != y.shape().dim(0)) {
            throw new IllegalArgumentException("Dataset.of: x " + x.type() + x.shape() + " and y " + y.type() + y.shape()
                    + " hold different numbers of examples");
        }
        Tensor hx = Nx.backendCopy(x);
        Tensor hy = Nx.backendCopy(y);
        return new Dataset(hx, hy, hx.host().toByteArray(), hy.host().toByteArray(), 32, true, null);
    }

    /** This data set shuffled before every epoch: epoch {@code e}'s order depends only on {@code seed} and {@code e}. */
    public Dataset shuffle(long seed) {
        return new Dataset(x, y, xBytes, yBytes, batchSize, dropRemainder, seed);
    }

    /**
     * This data set in batches of {@code batchSize}. With {@code dropRemainder} a last partial
     * batch is left out; without it, it is padded to full size (the mask says which rows are real).
     */
    public Dataset batch(int batchSize, boolean dropRemainder) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Dataset.batch: batch size must be positive, got " + batchSize);
        }
        return new Dataset(x, y, xBytes, yBytes, batchSize, dropRemainder, seed);
    }

    /** Number of examples. */
    public int size() {
        return size;
    }

    /** Examples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether the last batch is padded (rather than dropped when partial). */
    public boolean padsLastBatch() {
        return !dropRemainder && size % batchSize != 0;
    }

    /** Batches per epoch. */
    public int batchCount() {
        return dropRemainder ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    /** Real (unpadded) examples in batch {@code i}. */
    public int examplesIn(int i) {
        return Math.min(batchSize, size - i * batchSize);
    }

    /** The inputs, all rows. */
    public Tensor x() {
        return x;
    }

    /** The targets, all rows. */
    public Tensor y() {
        return y;
    }

    /** The per-example shape and type of the inputs, e.g. {@code f32[784]}. */
    public String describe() {
        return x.type() + rowShape(x).toString() + " -> " + y.type() + rowShape(y);
    }

    /** The order of the examples in {@code epoch}: the identity, or a seeded Fisher-Yates shuffle. */
    int[] order(int epoch) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        if (seed != null) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** Batch {@code i} of {@code epoch} on the host. */
    Batch hostBatch(int[] order, int i) {
        int n = examplesIn(i);
        float[] mask = new float[batchSize];
        Arrays.fill(mask, 0, n, 1f);
        int[] rows = Arrays.copyOfRange(order, i * batchSize, i * batchSize + n);
        return new Batch(rows(x, xBytes, rows), rows(y, yBytes, rows), Nx.tensor(mask));
    }

    private Tensor rows(Tensor t, byte[] bytes, int[] rows) {
        int rowBytes = t.size() / Math.max(size, 1) * t.type().byteSize();
        byte[] out = new byte[batchSize * rowBytes];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(bytes, rows[k] * rowBytes, out, k * rowBytes, rowBytes);
        }
        int[] dims = t.shape().dims();
        dims[0] = batchSize;
        return Tensor.of(Shape.of(dims), t.type(), new HostData(out));
    }

    /**
     * The batches of {@code epoch}, each moved to {@code backend} on a background thread while
     * the caller works on the previous one (one batch ahead). Close each batch when done with it,
     * and the iterator at the end (it closes a batch fetched ahead and not taken).
     */
    public Batches batches(int epoch, Backend backend) {
        return new Batches(this, order(epoch), backend);
    }

    /** An epoch's batches, prefetched to a backend one ahead. */
    public static final class Batches implements Iterator<Batch>, AutoCloseable {
        private final Dataset data;
        private final int[] order;
        private final Backend backend;
        private final ExecutorService prefetcher;
        private CompletableFuture<Batch> next;
        private int index;

        private Batches(Dataset data, int[] order, Backend backend) {
            this.data = data;
            this.order = order;
            this.backend = backend;
            this.prefetcher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "jnx-prefetch");
                t.setDaemon(true);
                return t;
            });
            fetch();
        }

        private void fetch() {
            int i = index;
            next = i < data.batchCount() ? CompletableFuture.supplyAsync(() -> {
                Batch h = data.hostBatch(order, i);
                return new Batch(Nx.backendTransfer(h.x(), backend), Nx.backendTransfer(h.y(), backend),
                        Nx.backendTransfer(h.mask(), backend));
            }, prefetcher) : null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        /** The next batch, on the backend; the one after it starts moving there now. */
        @Override
        public Batch next() {
            if (next == null) {
                throw new NoSuchElementException("no batch left in this epoch");
            }
            Batch b = next.join();
            index++;
            fetch();
            return b;
        }

        /** Real examples in the batch {@link #next} returned last. */
        public int examplesInLast() {
            return data.examplesIn(index - 1);
        }

        @Override
        public void close() {
            if (next != null) {
                next.join().close();
                next = null;
            }
            prefetcher.shutdown();
        }
    }

    private static Shape rowShape(Tensor t) {
        return Shape.of(Arrays.copyOfRange(t.shape().dims(), 1, t.rank()));
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " examples " + describe() + ", batches of " + batchSize
                + (dropRemainder ? ", remainder dropped" : ", last batch padded") + (seed != null ? ", shuffled" : "") + "]";
    }
}
