package dev.jnx;

/** {@link Backend#HOST}: values in a Java byte array ({@link HostData}). */
final class HostBackend implements Backend {
    @Override
    public String name() {
        return "host";
    }

    @Override
    public Tensor transfer(Tensor t) {
        if (t.data() instanceof HostData) {
            return t;
        }
        Tensor h = copy(t);
        t.close(); // a transfer moves: the device copy is released now, not by the Cleaner later
        return h;
    }

    @Override
    public Tensor copy(Tensor t) {
        // HostData is immutable, so sharing it is a copy as far as anyone can observe.
        HostData values = t.data() instanceof HostData h ? h : t.host();
        return Tensor.of(t.shape(), t.type(), values);
    }

    @Override
    public String toString() {
        return "Backend[host]";
    }
}
