package dev.jnx.train;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

/** Small data transformations that Nx itself leaves to libraries (Scholar's {@code one_hot_encode}). */
public final class Preprocessing {
    private Preprocessing() {
    }

    /**
     * One-hot rows of {@code classes} f32 values for integer {@code labels}: shape
     * {@code labels.shape ++ [classes]}, 1 at the label's index; labels outside
     * {@code [0, classes)} give all-zero rows.
     */
    public static Tensor oneHot(Tensor labels, int classes) {
        if (!labels.type().isInteger()) {
            throw new IllegalArgumentException("Preprocessing.oneHot: labels must be integers, got " + labels.type()
                    + labels.shape());
        }
        return oneHot("Preprocessing.oneHot", labels, classes, DType.F32);
    }

    static Tensor oneHot(String op, Tensor labels, int classes, DType type) {
        if (classes < 1) {
            throw new IllegalArgumentException(op + ": the number of classes must be positive, got " + classes);
        }
        int[] dims = java.util.Arrays.copyOf(labels.shape().dims(), labels.rank() + 1);
        dims[labels.rank()] = classes;
        Shape shape = Shape.of(dims);
        Tensor expanded = Nx.reshape(labels, withLastOne(labels));
        Tensor hit = Nx.equal(Nx.broadcast(expanded, shape), Nx.iota(shape, labels.type(), labels.rank()));
        return Nx.asType(hit, type);
    }

    private static Shape withLastOne(Tensor labels) {
        int[] d = java.util.Arrays.copyOf(labels.shape().dims(), labels.rank() + 1);
        d[labels.rank()] = 1;
        return Shape.of(d);
    }
}
