package dev.jnx.defn;

import dev.jnx.Tensor;

import java.util.List;

/**
 * How {@link Tracing#bind} runs an op with vectorized operands (Nx's vectorized axes): as the
 * batching of the op's node over the entries of their vectorized axes. The transforms layer
 * provides it (module {@code dev.jnx} {@code provides} it, {@link java.util.ServiceLoader}),
 * so this layer does not depend on that one.
 */
public interface Vectorizer {
    /**
     * The op of {@code roots} applied to each entry of the vectorized {@code inputs}: vectorized
     * by the union of their vectorized axes, matched by name; a result that is the same for
     * every entry stays plain.
     *
     * @param roots  the op's results (one node, or the elements of a loop or conditional) over
     *               {@link Tracing#nodeOf} its operands, of one entry's shapes; a vectorized
     *               constant in their graph, or captured by their regions, stands for its entry
     * @param inputs the tensors the roots read, at least one of them vectorized
     * @throws IllegalArgumentException naming the op, the axis and both sizes if one name has two sizes (neither 1)
     */
    List<Tensor> bind(List<Expr> roots, List<Tensor> inputs);
}
