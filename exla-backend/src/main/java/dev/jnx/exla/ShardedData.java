package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.TensorData;

import java.util.List;

/**
 * The values of a tensor laid out over a {@link Mesh} by a {@link Sharding}: one device tensor
 * per mesh device, in partition order. It owns its shards: {@link #close()} frees them all.
 * Host reads put the shards back together (one copy of each piece).
 */
public final class ShardedData implements TensorData, AutoCloseable {
    private final Sharding sharding;
    private final Shape shape;
    private final DType type;
    private final List<Tensor> shards;

    ShardedData(Sharding sharding, Shape shape, DType type, List<Tensor> shards) {
        this.sharding = sharding;
        this.shape = shape;
        this.type = type;
        this.shards = List.copyOf(shards);
    }

    /** The layout. */
    public Sharding sharding() {
        return sharding;
    }

    /** Whether the device memory has been released. */
    public boolean isClosed() {
        return shards.stream().anyMatch(t -> ((DeviceData) t.data()).isClosed());
    }

    void ensureOpen() {
        for (Tensor t : shards) {
            ((DeviceData) t.data()).ensureOpen();
        }
    }

    /** Partition {@code p}'s shard (its device tensor; owned by this object). */
    Tensor shard(int p) {
        return shards.get(p);
    }

    @Override
    public Sharding backend() {
        return sharding;
    }

    @Override
    public List<Tensor> shards(Tensor whole) {
        return shards;
    }

    /** Gathers the shards into one host array. */
    @Override
    public HostData toHost(Shape shape, DType type) {
        ensureOpen();
        if (sharding.isReplicated()) {
            return shards.get(0).host();
        }
        int elem = type.byteSize();
        byte[] whole = new byte[HostData.hostByteSize("gathering a sharded tensor to the host", shape, type)];
        Shape piece = sharding.shardShape(shape);
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (int p = 0; p < shards.size(); p++) {
            int[] origin = sharding.shardOrigin(p, shape);
            if (placed.add(java.util.Arrays.toString(origin))) { // one copy of a replicated piece
                byte[] part = shards.get(p).host().toByteArray();
                place(whole, shape.dims(), part, piece.dims(), origin, 0, 0, 0, elem);
            }
        }
        return new HostData(whole);
    }

    /** Copies a row-major block into a row-major whole at {@code origin}, one innermost row at a time. */
    private static void place(byte[] whole, int[] dims, byte[] part, int[] partDims, int[] origin, int k, long at,
                              long from, int elem) {
        if (dims.length == 0) {
            System.arraycopy(part, 0, whole, 0, elem);
            return;
        }
        long stride = elem, partStride = elem;
        for (int i = k + 1; i < dims.length; i++) {
            stride *= dims[i];
            partStride *= partDims[i];
        }
        if (k == dims.length - 1) {
            System.arraycopy(part, (int) from, whole, (int) (at + origin[k] * stride), partDims[k] * elem);
            return;
        }
        for (int i = 0; i < partDims[k]; i++) {
            place(whole, dims, part, partDims, origin, k + 1, at + (origin[k] + i) * stride, from + i * partStride, elem);
        }
    }

    /** Releases every shard's device memory; idempotent. */
    @Override
    public void close() {
        shards.forEach(Tensor::close);
    }

    @Override
    public String toString() {
        return "ShardedData[" + type + shape + " " + sharding + " over " + shards.size() + " devices]";
    }
}
