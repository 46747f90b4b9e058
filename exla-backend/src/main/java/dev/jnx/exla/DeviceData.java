package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.TensorData;
import dev.jnx.xla.PjrtBuffer;

/**
 * Tensor values in a PJRT device buffer: the data of tensors on an {@link ExlaBackend}.
 *
 * <p>It owns its buffer: {@link #close()} (reached through {@code Tensor.close()}) frees the
 * device memory at once; a tensor that is never closed is freed by the buffer's
 * {@link java.lang.ref.Cleaner} after it becomes unreachable, which is a safety net, not a
 * schedule. Host reads ({@link #toHost}) copy the buffer each time they are called.
 */
public final class DeviceData implements TensorData, AutoCloseable {
    private final ExlaBackend backend;
    private final PjrtBuffer buffer;

    DeviceData(ExlaBackend backend, PjrtBuffer buffer) {
        this.backend = backend;
        this.buffer = buffer;
    }

    /** The backend holding the values. */
    @Override
    public ExlaBackend backend() {
        return backend;
    }

    /**
     * The PJRT buffer, for interoperation; it stays owned by this object.
     *
     * @throws IllegalStateException if the tensor is closed
     */
    public PjrtBuffer buffer() {
        ensureOpen();
        return buffer;
    }

    /** Whether the device memory has been released. */
    public boolean isClosed() {
        return buffer.isClosed();
    }

    void ensureOpen() {
        if (buffer.isClosed()) {
            throw new IllegalStateException("the tensor on " + backend.name()
                    + " is closed (its device memory was released by close() or Nx.backendTransfer)");
        }
    }

    PjrtBuffer rawBuffer() {
        return buffer;
    }

    /**
     * Copies the values to the host.
     *
     * @throws IllegalStateException if the tensor is closed
     */
    @Override
    public HostData toHost(Shape shape, DType type) {
        ensureOpen();
        long expected = HostData.hostByteSize("copying a tensor from " + backend.name() + " to the host", shape, type);
        byte[] bytes;
        try {
            bytes = buffer.toByteArray();
        } catch (IllegalStateException e) { // closed by another thread between the check and the read
            ensureOpen();
            throw e;
        }
        if (bytes.length != expected) {
            throw new IllegalStateException("device buffer " + buffer + " has " + bytes.length + " bytes, not those of "
                    + type + shape);
        }
        return new HostData(bytes);
    }

    /** Releases the device memory; idempotent. */
    @Override
    public void close() {
        buffer.close();
    }

    @Override
    public String toString() {
        return "DeviceData[" + backend.name() + ", " + buffer + "]";
    }
}
