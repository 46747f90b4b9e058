package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.BufferDestroyArgs;
import dev.jnx.xla.PjrtLayouts.BufferDeviceArgs;
import dev.jnx.xla.PjrtLayouts.BufferDimensionsArgs;
import dev.jnx.xla.PjrtLayouts.BufferElementTypeArgs;
import dev.jnx.xla.PjrtLayouts.BufferOnDeviceSizeInBytesArgs;
import dev.jnx.xla.PjrtLayouts.BufferToHostBufferArgs;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Objects;

/**
 * An array in a device's memory. Owned by the {@link PjrtClient} that created it; close it
 * when done (a {@link Cleaner} frees forgotten ones eventually). Thread-safe.
 */
public final class PjrtBuffer implements AutoCloseable {
    final PjrtClient client;
    final NativeResource resource;
    private final PjrtApi api;
    private final Cleaner.Cleanable cleanable;
    // Immutable facts of the buffer, read lazily (execute outputs) and cached.
    private volatile ElementType type;
    private volatile long[] dims;

    PjrtBuffer(PjrtClient client, MemorySegment handle, ElementType type, long[] dims) {
        this.client = client;
        this.api = client.api;
        PjrtApi a = client.api;
        this.resource = new NativeResource("PjrtBuffer", handle,
                h -> a.destroy(ApiSlot.PJRT_Buffer_Destroy, BufferDestroyArgs.STRUCT, BufferDestroyArgs.BUFFER, h),
                client.resource, false);
        this.cleanable = PjrtClient.CLEANER.register(this, resource::close);
        this.type = type;
        this.dims = dims;
    }

    /** The element type ({@code PJRT_Buffer_ElementType}). */
    public ElementType elementType() {
        resource.ensureOpen();
        ElementType t = type;
        if (t == null) {
            MemorySegment h = resource.acquire();
            try (Scratch s = Scratch.open()) {
                MemorySegment a = BufferElementTypeArgs.STRUCT.allocate(s);
                a.set(ADDRESS, BufferElementTypeArgs.BUFFER, h);
                api.call(ApiSlot.PJRT_Buffer_ElementType, a);
                t = ElementType.of(a.get(JAVA_INT, BufferElementTypeArgs.TYPE));
                type = t;
            } finally {
                resource.release();
            }
        }
        return t;
    }

    /** The dimensions, major to minor ({@code PJRT_Buffer_Dimensions}); a fresh copy. */
    public long[] dimensions() {
        return dims().clone();
    }

    private long[] dims() {
        resource.ensureOpen();
        long[] d = dims;
        if (d == null) {
            MemorySegment h = resource.acquire();
            try (Scratch s = Scratch.open()) {
                MemorySegment a = BufferDimensionsArgs.STRUCT.allocate(s);
                a.set(ADDRESS, BufferDimensionsArgs.BUFFER, h);
                api.call(ApiSlot.PJRT_Buffer_Dimensions, a);
                d = PjrtApi.longs(a.get(ADDRESS, BufferDimensionsArgs.DIMS), a.get(JAVA_LONG, BufferDimensionsArgs.NUM_DIMS));
                dims = d;
            } finally {
                resource.release();
            }
        }
        return d;
    }

    /** Bytes the buffer occupies on its device ({@code PJRT_Buffer_OnDeviceSizeInBytes}). */
    public long onDeviceSizeInBytes() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = BufferOnDeviceSizeInBytesArgs.STRUCT.allocate(s);
            a.set(ADDRESS, BufferOnDeviceSizeInBytesArgs.BUFFER, h);
            api.call(ApiSlot.PJRT_Buffer_OnDeviceSizeInBytes, a);
            return a.get(JAVA_LONG, BufferOnDeviceSizeInBytesArgs.ON_DEVICE_SIZE_IN_BYTES);
        } finally {
            resource.release();
        }
    }

    /** The device holding the buffer ({@code PJRT_Buffer_Device}). */
    public PjrtDevice device() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = BufferDeviceArgs.STRUCT.allocate(s);
            a.set(ADDRESS, BufferDeviceArgs.BUFFER, h);
            api.call(ApiSlot.PJRT_Buffer_Device, a);
            return client.device(a.get(ADDRESS, BufferDeviceArgs.DEVICE));
        } finally {
            resource.release();
        }
    }

    /** Bytes of the dense, row-major host copy of this buffer. */
    public long hostByteSize() {
        ElementType t = elementType();
        if (t.isSubByte() || t.byteSize() == 0) {
            // The plugin decides how such types look on the host; ask it.
            MemorySegment h = resource.acquire();
            try (Scratch s = Scratch.open()) {
                MemorySegment a = BufferToHostBufferArgs.STRUCT.allocate(s);
                a.set(ADDRESS, BufferToHostBufferArgs.SRC, h);
                api.call(ApiSlot.PJRT_Buffer_ToHostBuffer, a);
                return a.get(JAVA_LONG, BufferToHostBufferArgs.DST_SIZE);
            } finally {
                resource.release();
            }
        }
        return PjrtClient.hostByteSize(t, dims());
    }

    /**
     * Copies the buffer into {@code dst} as a dense, row-major array
     * ({@code PJRT_Buffer_ToHostBuffer}) and waits for the copy to finish.
     *
     * @param dst exactly {@link #hostByteSize()} bytes, writable; heap segments are accepted
     * @throws IllegalArgumentException if {@code dst} has the wrong size or is read-only
     * @throws IllegalStateException if the buffer is closed
     * @throws PjrtException if the plugin fails the copy
     */
    public void copyToHost(MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        long size = hostByteSize();
        if (dst.byteSize() != size) {
            throw new IllegalArgumentException("copyToHost: " + elementType() + Arrays.toString(dims())
                    + " needs " + size + " bytes but dst has " + dst.byteSize());
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("copyToHost: dst is read-only");
        }
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment target = dst.isNative() ? dst : s.allocate(Math.max(1, size), 64);
            MemorySegment a = BufferToHostBufferArgs.STRUCT.allocate(s);
            a.set(ADDRESS, BufferToHostBufferArgs.SRC, h);
            a.set(ADDRESS, BufferToHostBufferArgs.DST, target);
            a.set(JAVA_LONG, BufferToHostBufferArgs.DST_SIZE, size);
            api.call(ApiSlot.PJRT_Buffer_ToHostBuffer, a);
            MemorySegment event = a.get(ADDRESS, BufferToHostBufferArgs.EVENT);
            if (event.address() != 0) {
                api.awaitAndDestroy(event, ApiSlot.PJRT_Buffer_ToHostBuffer.name());
            }
            if (target != dst) {
                MemorySegment.copy(target, 0, dst, 0, size);
            }
        } finally {
            resource.release();
        }
    }

    /** The buffer's contents as a dense, row-major byte array in native byte order. */
    public byte[] toByteArray() {
        long size = hostByteSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("PjrtBuffer of " + size + " bytes does not fit a byte[]");
        }
        byte[] out = new byte[(int) size];
        copyToHost(MemorySegment.ofArray(out));
        return out;
    }

    /** Whether {@link #close()} has been called (directly or through the client). */
    public boolean isClosed() {
        return resource.isClosed();
    }

    /** Frees the device memory; idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return resource.isClosed() ? "PjrtBuffer[closed]"
                : "PjrtBuffer[" + elementType() + Arrays.toString(dims()) + "]";
    }
}
