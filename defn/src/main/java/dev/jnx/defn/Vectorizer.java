package dev.jnx.defn;

import dev.jnx.Tensor;

/**
 * How {@link Tracing#bind} runs an op with vectorized operands (Nx's vectorized axes): as the
 * batching of the op's node over the entries of their vectorized axes. The transforms layer
 * provides it (module {@code dev.jnx} {@code provides} it, {@link java.util.ServiceLoader}),
 * so this layer does not depend on that one.
 */
public interface Vectorizer {
    /**
     * The op {@code node} applied to each entry of the vectorized {@code inputs}: vectorized by
     * the union of their vectorized axes, matched by name.
     *
     * @param node   the op over {@link Tracing#nodeOf} its operands, of one entry's shapes
     * @param inputs the tensors the node reads, at least one of them vectorized
     * @throws IllegalArgumentException naming the op, the axis and both sizes if one name has two sizes (neither 1)
     */
    Tensor bind(Expr node, Tensor[] inputs);
}
