package dev.jnx;

/**
 * Where a tensor's values live: on the host ({@link HostData}), in a traced expression graph
 * ({@code dev.jnx.defn.Expr}), or on a device (provided by a compiler backend such as Exla).
 */
public interface TensorData {
    /**
     * The backend holding the values, as {@link Tensor#backend()} reports it; eager ops over
     * them compute there ({@code Tracing.evaluate}).
     */
    Backend backend();

    /**
     * The values copied to the host, for a tensor of the given shape and type.
     *
     * @throws IllegalStateException if the values cannot be read, e.g. for a traced tensor
     */
    HostData toHost(Shape shape, DType type);

    /**
     * What a tensor over these values prints instead of its values, if it has none to show: a
     * traced node prints the graph that computes it ({@link Tensor#toString()}).
     */
    default java.util.Optional<String> inspectGraph() {
        return java.util.Optional.empty();
    }

    /** The per-device pieces of {@code whole}, whose data this is ({@link Tensor#shards()}). */
    default java.util.List<Tensor> shards(Tensor whole) {
        return java.util.List.of(whole);
    }
}
