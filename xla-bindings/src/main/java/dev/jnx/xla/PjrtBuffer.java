package dev.jnx.xla;

import dev.jnx.xla.PjrtLayouts.BufferCopyToDeviceArgs;
import dev.jnx.xla.PjrtLayouts.BufferDeleteArgs;
import dev.jnx.xla.PjrtLayouts.BufferDestroyArgs;
import dev.jnx.xla.PjrtLayouts.BufferDeviceArgs;
import dev.jnx.xla.PjrtLayouts.BufferDimensionsArgs;
import dev.jnx.xla.PjrtLayouts.BufferElementTypeArgs;
import dev.jnx.xla.PjrtLayouts.BufferGetMemoryLayoutArgs;
import dev.jnx.xla.PjrtLayouts.BufferIsDeletedArgs;
import dev.jnx.xla.PjrtLayouts.BufferMemoryArgs;
import dev.jnx.xla.PjrtLayouts.BufferMemoryLayout;
import dev.jnx.xla.PjrtLayouts.BufferMemoryLayoutStrides;
import dev.jnx.xla.PjrtLayouts.BufferMemoryLayoutTiled;
import dev.jnx.xla.PjrtLayouts.BufferOnDeviceSizeInBytesArgs;
import dev.jnx.xla.PjrtLayouts.BufferReadyEventArgs;
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
            try (Scratch s = resource.call()) {
                t = readElementType(s);
            }
        }
        return t;
    }

    /** Asks the plugin for the element type, in a call scope of this buffer, and caches it. */
    private ElementType readElementType(Scratch s) {
        MemorySegment a = BufferElementTypeArgs.STRUCT.allocate(s);
        BufferElementTypeArgs.BUFFER.set(a, s.handle());
        api.call(ApiSlot.PJRT_Buffer_ElementType, a);
        ElementType t = ElementType.of(BufferElementTypeArgs.TYPE.get(a));
        type = t;
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
            try (Scratch s = resource.call()) {
                d = readDims(s);
            }
        }
        return d;
    }

    /** Asks the plugin for the dimensions, in a call scope of this buffer, and caches them. */
    private long[] readDims(Scratch s) {
        MemorySegment a = BufferDimensionsArgs.STRUCT.allocate(s);
        BufferDimensionsArgs.BUFFER.set(a, s.handle());
        api.call(ApiSlot.PJRT_Buffer_Dimensions, a);
        long[] d = PjrtApi.longs(BufferDimensionsArgs.DIMS.get(a), BufferDimensionsArgs.NUM_DIMS.get(a));
        dims = d;
        return d;
    }

    /** Bytes the buffer occupies on its device ({@code PJRT_Buffer_OnDeviceSizeInBytes}). */
    public long onDeviceSizeInBytes() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferOnDeviceSizeInBytesArgs.STRUCT.allocate(s);
            BufferOnDeviceSizeInBytesArgs.BUFFER.set(a, h);
            api.call(ApiSlot.PJRT_Buffer_OnDeviceSizeInBytes, a);
            return BufferOnDeviceSizeInBytesArgs.ON_DEVICE_SIZE_IN_BYTES.get(a);
        }
    }

    /** The device holding the buffer ({@code PJRT_Buffer_Device}). */
    public PjrtDevice device() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferDeviceArgs.STRUCT.allocate(s);
            BufferDeviceArgs.BUFFER.set(a, h);
            api.call(ApiSlot.PJRT_Buffer_Device, a);
            return client.device(BufferDeviceArgs.DEVICE.get(a));
        }
    }

    /** Bytes of the dense, row-major host copy of this buffer. */
    public long hostByteSize() {
        resource.ensureOpen();
        ElementType t = type;
        long[] d = dims;
        if (t == null || d == null && hasHostLayout(t)) {
            // An execute output may know neither yet: one call scope asks for both.
            try (Scratch s = resource.call()) {
                t = t != null ? t : readElementType(s);
                d = d != null || !hasHostLayout(t) ? d : readDims(s);
            }
        }
        if (!hasHostLayout(t)) {
            // The plugin decides how such types look on the host; ask it.
            try (Scratch s = resource.call()) {
                MemorySegment h = s.handle();
                MemorySegment a = BufferToHostBufferArgs.STRUCT.allocate(s);
                BufferToHostBufferArgs.SRC.set(a, h);
                api.call(ApiSlot.PJRT_Buffer_ToHostBuffer, a);
                return BufferToHostBufferArgs.DST_SIZE.get(a);
            }
        }
        return PjrtClient.hostByteSize(t, d);
    }

    /** Whether the host copy is the dense array of the element type's size; else the plugin decides. */
    private static boolean hasHostLayout(ElementType t) {
        return !t.isSubByte() && t.byteSize() != 0;
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
        try (Scratch s = resource.call()) {
            MemorySegment target = dst.isNative() ? dst : s.allocate(Math.max(1, size), 64);
            MemorySegment a = BufferToHostBufferArgs.STRUCT.allocate(s);
            BufferToHostBufferArgs.SRC.set(a, s.handle());
            BufferToHostBufferArgs.DST.set(a, target);
            BufferToHostBufferArgs.DST_SIZE.set(a, size);
            api.call(ApiSlot.PJRT_Buffer_ToHostBuffer, a);
            MemorySegment event = BufferToHostBufferArgs.EVENT.get(a);
            if (event.address() != 0) {
                api.awaitAndDestroy(event, ApiSlot.PJRT_Buffer_ToHostBuffer.name(), s);
            }
            if (target != dst) {
                MemorySegment.copy(target, 0, dst, 0, size);
            }
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
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferToHostBufferArgs.STRUCT.allocate(s);
            BufferToHostBufferArgs.SRC.set(a, h);
            BufferToHostBufferArgs.DST.set(a, dst);
            BufferToHostBufferArgs.DST_SIZE.set(a, size);
            api.call(ApiSlot.PJRT_Buffer_ToHostBuffer, a);
            return event(BufferToHostBufferArgs.EVENT.get(a), ApiSlot.PJRT_Buffer_ToHostBuffer);
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
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferReadyEventArgs.STRUCT.allocate(s);
            BufferReadyEventArgs.BUFFER.set(a, h);
            api.call(ApiSlot.PJRT_Buffer_ReadyEvent, a);
            return new PjrtEvent(client, BufferReadyEventArgs.EVENT.get(a),
                    ApiSlot.PJRT_Buffer_ReadyEvent.name());
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
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferCopyToDeviceArgs.STRUCT.allocate(s);
            BufferCopyToDeviceArgs.BUFFER.set(a, h);
            BufferCopyToDeviceArgs.DST_DEVICE.set(a, device.handle);
            api.call(ApiSlot.PJRT_Buffer_CopyToDevice, a);
            PjrtBuffer copy = new PjrtBuffer(client, BufferCopyToDeviceArgs.DST_BUFFER.get(a),
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
        }
    }

    /** The memory holding the buffer ({@code PJRT_Buffer_Memory}). */
    public PjrtMemory memory() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferMemoryArgs.STRUCT.allocate(s);
            BufferMemoryArgs.BUFFER.set(a, h);
            api.call(ApiSlot.PJRT_Buffer_Memory, a);
            return PjrtMemory.read(api, BufferMemoryArgs.MEMORY.get(a));
        }
    }

    /** The buffer's layout in device memory ({@code PJRT_Buffer_GetMemoryLayout}). */
    public BufferLayout memoryLayout() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferGetMemoryLayoutArgs.STRUCT.allocate(s);
            BufferGetMemoryLayoutArgs.BUFFER.set(a, h);
            // The embedded layout is an output, but it carries its own struct_size.
            MemorySegment layout = BufferMemoryLayout.STRUCT.initialize(BufferGetMemoryLayoutArgs.LAYOUT.slice(a));
            api.call(ApiSlot.PJRT_Buffer_GetMemoryLayout, a);
            if (BufferMemoryLayout.TYPE.get(layout) == BufferMemoryLayout.K_STRIDES) {
                MemorySegment strides = BufferMemoryLayout.STRIDES.slice(layout);
                return new BufferLayout(new long[0], 0, PjrtApi.longs(
                        BufferMemoryLayoutStrides.BYTE_STRIDES.get(strides),
                        BufferMemoryLayoutStrides.NUM_BYTE_STRIDES.get(strides)));
            }
            MemorySegment tiled = BufferMemoryLayout.TILED.slice(layout);
            return new BufferLayout(PjrtApi.longs(BufferMemoryLayoutTiled.MINOR_TO_MAJOR.get(tiled),
                    BufferMemoryLayoutTiled.MINOR_TO_MAJOR_SIZE.get(tiled)),
                    BufferMemoryLayoutTiled.NUM_TILES.get(tiled), new long[0]);
        }
    }

    /**
     * Frees the device memory now but keeps the handle ({@code PJRT_Buffer_Delete}): later
     * reads fail with the plugin's error, {@link #isDeleted()} is true. {@link #close()} still
     * has to run (it is what frees the handle); most callers only need close.
     */
    public void delete() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferDeleteArgs.STRUCT.allocate(s);
            BufferDeleteArgs.BUFFER.set(a, h);
            api.call(ApiSlot.PJRT_Buffer_Delete, a);
        }
    }

    /**
     * Whether the device memory has been freed ({@code PJRT_Buffer_IsDeleted}): by
     * {@link #delete()}, or by an execution that took the buffer as a donated input.
     */
    public boolean isDeleted() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = BufferIsDeletedArgs.STRUCT.allocate(s);
            BufferIsDeletedArgs.BUFFER.set(a, h);
            api.call(ApiSlot.PJRT_Buffer_IsDeleted, a);
            return BufferIsDeletedArgs.IS_DELETED.get(a);
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
