package dev.jnx.exla;

import dev.jnx.Backend;
import dev.jnx.HostData;
import dev.jnx.Tensor;
import dev.jnx.TensorData;
import dev.jnx.xla.PjrtBuffer;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtDevice;

/**
 * Tensors in the buffers of one PJRT client's device (EXLA.Backend). Get it from
 * {@link Exla#backend()} or {@link ExlaCompiler#backend()}; the compiler and its backend share
 * the client, so jitted functions take its tensors without a host round trip.
 *
 * <pre>{@code
 * Tensor x = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), Exla.backend());
 * Tensor y = softmax.apply(x);       // runs on the device, y stays there
 * float[] v = y.toFloatArray();      // explicit host read
 * y.close(); x.close();              // frees device memory now
 * }</pre>
 */
public final class ExlaBackend implements Backend {
    private final ExlaCompiler compiler;

    ExlaBackend(ExlaCompiler compiler) {
        this.compiler = compiler;
    }

    /** The compiler's name, e.g. {@code "exla(cpu)"}: what {@link Tensor#backend()} reports. */
    @Override
    public String name() {
        return compiler.name();
    }

    /** The PJRT client holding the buffers (created on first use). */
    public PjrtClient client() {
        return compiler.client();
    }

    /** The device buffers go to. */
    public PjrtDevice device() {
        return compiler.device();
    }

    /**
     * Moves {@code t} to this backend's device. A tensor already here is returned as is; one on
     * another device of this client is copied device to device, one elsewhere is read back;
     * either way the source is then closed.
     */
    @Override
    public Tensor transfer(Tensor t) {
        if (owns(t)) {
            ((DeviceData) t.data()).ensureOpen();
            return t;
        }
        Tensor moved = copy(t);
        t.close();
        return moved;
    }

    /** Copies {@code t} to this backend's device; a tensor of this client is copied between devices directly. */
    @Override
    public Tensor copy(Tensor t) {
        if (t.data() instanceof DeviceData d && d.backend().client() == client()) {
            d.ensureOpen();
            return Tensor.of(t.shape(), t.type(), new DeviceData(this, d.rawBuffer().copyToDevice(device())));
        }
        return upload(t);
    }

    /** Whether {@code t} lives in a buffer of this backend's client and device. */
    boolean owns(Tensor t) {
        return t.data() instanceof DeviceData d && d.backend().client() == client() && d.backend().device() == device();
    }

    private Tensor upload(Tensor t) {
        TensorData data = t.data();
        HostData host = data instanceof HostData h ? h : t.host();
        return Tensor.of(t.shape(), t.type(), wrap(upload(host, t)));
    }

    PjrtBuffer upload(HostData host, Tensor t) {
        return client().bufferFromHost(host.segment(), ExlaExecutable.elementType(t.type()),
                java.util.Arrays.stream(t.shape().dims()).asLongStream().toArray(), device());
    }

    DeviceData wrap(PjrtBuffer buffer) {
        return new DeviceData(this, buffer);
    }

    @Override
    public String toString() {
        return "ExlaBackend[" + name() + "]";
    }
}
