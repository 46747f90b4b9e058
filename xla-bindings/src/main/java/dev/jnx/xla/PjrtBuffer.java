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

    /**
     * Starts copying the buffer into native memory {@code dst} and returns the event that
     * completes the copy ({@code PJRT_Buffer_ToHostBuffer} without waiting). {@code dst} must
     * stay alive and unread until the event is awaited.
     *
     * @return the event to await and close, or null when the plugin finished the copy before returning
     * @param dst exactly {@link #hostByteSize()} bytes of writable native memory
     * @throws IllegalArgumentException if {@code dst} is not native, has the wrong size or is read-only
     */
    public PjrtEvent copyToHostAsync(MemorySegment dst) {
        Objects.requireNonNull(dst, "dst");
        long size = hostByteSize();
        if (!dst.isNative() || dst.isReadOnly() || dst.byteSize() != size) {
            throw new IllegalArgumentException("copyToHostAsync: needs " + size
                    + " bytes of writable native memory, got " + dst);
        }
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = BufferToHostBufferArgs.STRUCT.allocate(s);
            a.set(ADDRESS, BufferToHostBufferArgs.SRC, h);
            a.set(ADDRESS, BufferToHostBufferArgs.DST, dst);
            a.set(JAVA_LONG, BufferToHostBufferArgs.DST_SIZE, size);
            api.call(ApiSlot.PJRT_Buffer_ToHostBuffer, a);
            return event(a.get(ADDRESS, BufferToHostBufferArgs.EVENT), ApiSlot.PJRT_Buffer_ToHostBuffer);
        } finally {
            resource.release();
        }
    }

    /** Wraps an event the plugin returned; a NULL event (allowed: "already done") becomes a ready one. */
    private PjrtEvent event(MemorySegment handle, ApiSlot operation) {
        return handle.address() == 0 ? null : new PjrtEvent(client, handle, operation.name());
    }

    /**
     * The event that completes when the buffer's contents are ready ({@code PJRT_Buffer_ReadyEvent}),
     * e.g. after an asynchronous execution or transfer produced it. Close it after use.
     */
    public PjrtEvent readyEvent() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.BufferReadyEventArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.BufferReadyEventArgs.BUFFER, h);
            api.call(ApiSlot.PJRT_Buffer_ReadyEvent, a);
            return new PjrtEvent(client, a.get(ADDRESS, PjrtLayouts.BufferReadyEventArgs.EVENT),
                    ApiSlot.PJRT_Buffer_ReadyEvent.name());
        } finally {
            resource.release();
        }
    }

    /**
     * Copies the buffer to {@code device} of the same client ({@code PJRT_Buffer_CopyToDevice});
     * the copy is a new buffer the caller owns. Waits until the copy is ready.
     *
     * @throws IllegalArgumentException if {@code device} belongs to another client
     */
    public PjrtBuffer copyToDevice(PjrtDevice device) {
        Objects.requireNonNull(device, "device");
        if (device.client != client) {
            throw new IllegalArgumentException("copyToDevice: device " + device + " belongs to another PjrtClient");
        }
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.BufferCopyToDeviceArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.BufferCopyToDeviceArgs.BUFFER, h);
            a.set(ADDRESS, PjrtLayouts.BufferCopyToDeviceArgs.DST_DEVICE, device.handle);
            api.call(ApiSlot.PJRT_Buffer_CopyToDevice, a);
            PjrtBuffer copy = new PjrtBuffer(client, a.get(ADDRESS, PjrtLayouts.BufferCopyToDeviceArgs.DST_BUFFER),
                    type, dims);
            try (PjrtEvent ready = copy.readyEvent()) {
                ready.await();
            } catch (UnsupportedOperationException notOffered) {
                // Without ReadyEvent the copy is usable as is: later calls order after it.
            } catch (RuntimeException e) {
                copy.close();
                throw e;
            }
            return copy;
        } finally {
            resource.release();
        }
    }

    /** The memory holding the buffer ({@code PJRT_Buffer_Memory}). */
    public PjrtMemory memory() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.BufferMemoryArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.BufferMemoryArgs.BUFFER, h);
            api.call(ApiSlot.PJRT_Buffer_Memory, a);
            return PjrtMemory.read(api, a.get(ADDRESS, PjrtLayouts.BufferMemoryArgs.MEMORY));
        } finally {
            resource.release();
        }
    }

    /** The buffer's layout in device memory ({@code PJRT_Buffer_GetMemoryLayout}). */
    public BufferLayout memoryLayout() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.BufferGetMemoryLayoutArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.BufferGetMemoryLayoutArgs.BUFFER, h);
            // The embedded layout is an output, but it carries its own struct_size.
            MemorySegment layout = a.asSlice(PjrtLayouts.BufferGetMemoryLayoutArgs.LAYOUT,
                    PjrtLayouts.BufferMemoryLayout.STRUCT.layout().byteSize());
            layout.set(JAVA_LONG, 0, PjrtLayouts.BufferMemoryLayout.STRUCT.structSize());
            api.call(ApiSlot.PJRT_Buffer_GetMemoryLayout, a);
            MemorySegment u = layout.asSlice(PjrtLayouts.BufferMemoryLayout.UNION_OFFSET);
            if (layout.get(JAVA_INT, PjrtLayouts.BufferMemoryLayout.TYPE) == PjrtLayouts.BufferMemoryLayout.K_STRIDES) {
                return new BufferLayout(new long[0], 0, PjrtApi.longs(
                        u.get(ADDRESS, PjrtLayouts.BufferMemoryLayoutStrides.BYTE_STRIDES),
                        u.get(JAVA_LONG, PjrtLayouts.BufferMemoryLayoutStrides.NUM_BYTE_STRIDES)));
            }
            return new BufferLayout(PjrtApi.longs(u.get(ADDRESS, PjrtLayouts.BufferMemoryLayoutTiled.MINOR_TO_MAJOR),
                    u.get(JAVA_LONG, PjrtLayouts.BufferMemoryLayoutTiled.MINOR_TO_MAJOR_SIZE)),
                    u.get(JAVA_LONG, PjrtLayouts.BufferMemoryLayoutTiled.NUM_TILES), new long[0]);
        } finally {
            resource.release();
        }
    }

    /**
     * Frees the device memory now but keeps the handle ({@code PJRT_Buffer_Delete}): later
     * reads fail with the plugin's error, {@link #isDeleted()} is true. {@link #close()} still
     * has to run (it is what frees the handle); most callers only need close.
     */
    public void delete() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.BufferDeleteArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.BufferDeleteArgs.BUFFER, h);
            api.call(ApiSlot.PJRT_Buffer_Delete, a);
        } finally {
            resource.release();
        }
    }

    /**
     * Whether the device memory has been freed ({@code PJRT_Buffer_IsDeleted}): by
     * {@link #delete()}, or by an execution that took the buffer as a donated input.
     */
    public boolean isDeleted() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.BufferIsDeletedArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.BufferIsDeletedArgs.BUFFER, h);
            api.call(ApiSlot.PJRT_Buffer_IsDeleted, a);
            return a.get(java.lang.foreign.ValueLayout.JAVA_BOOLEAN, PjrtLayouts.BufferIsDeletedArgs.IS_DELETED);
        } finally {
            resource.release();
        }
    }

    /** The client owning this buffer. */
    public PjrtClient client() {
        return client;
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
