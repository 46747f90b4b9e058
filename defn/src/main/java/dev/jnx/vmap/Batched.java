package dev.jnx.vmap;

import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.List;

/**
 * A value of the batched computation (JAX's {@code BatchTracer}): {@code value} holds every
 * example along {@code axis}, or, with {@code axis == NOT_BATCHED}, is the same for all of
 * them and has the unbatched node's shape.
 */
record Batched(Tensor value, int axis) {
    /** The axis of a value shared by every example. */
    static final int NOT_BATCHED = -1;

    /** A value shared by every example. */
    static Batched shared(Tensor value) {
        return new Batched(value, NOT_BATCHED);
    }

    boolean isBatched() {
        return axis != NOT_BATCHED;
    }

    /** The value with the examples along axis 0, broadcasting a shared one to {@code size} examples. */
    Tensor atFront(int size) {
        return at(0, size);
    }

    /** The value with the examples along {@code to}, broadcasting a shared one to {@code size} examples. */
    Tensor at(int to, int size) {
        if (!isBatched()) {
            Shape s = value.shape();
            int[] dims = new int[s.rank() + 1];
            int[] axes = new int[s.rank()];
            for (int d = 0, k = 0; d < dims.length; d++) {
                if (d == to) {
                    dims[d] = size;
                } else {
                    axes[k] = d;
                    dims[d] = s.dim(k++);
                }
            }
            return Nx.broadcast(value, Shape.of(dims), axes);
        }
        return moveAxis(value, axis, to);
    }

    /** {@code t} with axis {@code from} moved to position {@code to}, the others in order. */
    static Tensor moveAxis(Tensor t, int from, int to) {
        if (from == to) {
            return t;
        }
        int rank = t.rank();
        int[] perm = new int[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            if (d == to) {
                perm[d] = from;
            } else {
                if (k == from) {
                    k++;
                }
                perm[d] = k++;
            }
        }
        return Nx.transpose(t, perm);
    }

    /** Whether any of {@code values} is batched. */
    static boolean anyBatched(List<Batched> values) {
        for (Batched b : values) {
            if (b.isBatched()) {
                return true;
            }
        }
        return false;
    }
}
