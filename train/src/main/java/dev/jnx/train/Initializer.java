package dev.jnx.train;

import dev.jnx.DType;
import dev.jnx.Shape;
import dev.jnx.Tensor;

/**
 * How a layer's parameter starts ({@code Axon.Initializers}): values of a shape and type from a
 * random key, knowing the layer's fan-in and fan-out (inputs and outputs per unit, times the
 * receptive field for convolutions). {@link Initializers} has the usual ones.
 */
@FunctionalInterface
public interface Initializer {
    /** The initial values. */
    Tensor apply(Tensor key, Shape shape, DType type, int fanIn, int fanOut);
}
