package dev.jnx.train;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

/**
 * Metrics after {@code Axon.Metrics}: per-example values (1 for a hit, 0 for a miss), then a
 * {@link Reduction}; the two-argument forms take the mean. They are computed on predictions as
 * they are, with no gradient.
 */
public final class Metrics {
    private Metrics() {
    }

    /** {@link #accuracy(Tensor, Tensor, Reduction)}, the mean over examples. */
    public static Tensor accuracy(Tensor yTrue, Tensor yPred) {
        return accuracy(yTrue, yPred, Reduction.MEAN);
    }

    /**
     * Whether each prediction is right, as f32 1 or 0, for the three target layouts Axon accepts:
     * <ul>
     * <li>binary: {@code yPred} of shape {@code [batch, 1]} or {@code [batch]} holding
     * probabilities, right when {@code yPred > 0.5} equals {@code yTrue != 0};</li>
     * <li>one-hot: {@code yTrue} shaped like {@code yPred [batch, classes]}, right when the
     * arg-maxes agree;</li>
     * <li>sparse: integer {@code yTrue [batch]} class indices, right when they equal the arg-max.</li>
     * </ul>
     */
    public static Tensor accuracy(Tensor yTrue, Tensor yPred, Reduction reduction) {
        String op = "Metrics.accuracy";
        Tensor hits;
        boolean binary = yPred.rank() <= 1 || yPred.shape().dim(yPred.rank() - 1) == 1;
        if (binary && yTrue.shape().equals(yPred.shape())) {
            Tensor predicted = Nx.greater(yPred, 0.5);
            Tensor actual = Nx.notEqual(yTrue, 0);
            hits = Nx.equal(predicted, actual);
            if (yPred.rank() > 1) {
                hits = Nx.reshape(hits, leading(yPred));
            }
        } else if (yTrue.shape().equals(yPred.shape())) {
            hits = Nx.equal(argmaxLast(yTrue), argmaxLast(yPred));
        } else if (yTrue.type().isInteger() && yPred.rank() >= 1) {
            hits = Nx.equal(Losses.sparseLabels(op, yTrue, yPred), argmaxLast(yPred));
        } else {
            throw new IllegalArgumentException(op + ": y_true " + yTrue.type() + yTrue.shape() + " does not fit y_pred "
                    + yPred.type() + yPred.shape() + " (expected one-hot targets of y_pred's shape, integer class"
                    + " indices of shape " + leading(yPred) + ", or binary targets of y_pred's shape)");
        }
        return Losses.reduce(Nx.asType(hits, DType.F32), reduction);
    }

    /** {@link #topKAccuracy(Tensor, Tensor, int, Reduction)}, the mean over examples. */
    public static Tensor topKAccuracy(Tensor yTrue, Tensor yPred, int k) {
        return topKAccuracy(yTrue, yPred, k, Reduction.MEAN);
    }

    /**
     * Whether the target class is among the {@code k} highest predictions of each example
     * ({@code top_k_categorical_accuracy}); targets are one-hot rows or integer class indices.
     */
    public static Tensor topKAccuracy(Tensor yTrue, Tensor yPred, int k, Reduction reduction) {
        String op = "Metrics.topKAccuracy";
        if (yPred.rank() != 2) {
            throw new IllegalArgumentException(op + ": y_pred must be [batch, classes], got " + yPred.type() + yPred.shape());
        }
        int classes = yPred.shape().dim(1);
        if (k < 1 || k > classes) {
            throw new IllegalArgumentException(op + ": k must be in [1, " + classes + "] for y_pred " + yPred.type()
                    + yPred.shape() + ", got " + k);
        }
        Tensor labels = yTrue.shape().equals(yPred.shape()) ? argmaxLast(yTrue) : Losses.sparseLabels(op, yTrue, yPred);
        Tensor top = Nx.topK(yPred, k)[1];
        int batch = yPred.shape().dim(0);
        Tensor hit = Nx.equal(top, Nx.broadcast(Nx.reshape(Nx.asType(labels, top.type()), Shape.of(batch, 1)),
                Shape.of(batch, k)));
        return Losses.reduce(Nx.asType(Nx.any(hit, new int[] {1}, false), DType.F32), reduction);
    }

    private static Tensor argmaxLast(Tensor x) {
        return Nx.argmax(x, x.rank() - 1, false, false, DType.S32);
    }

    private static Shape leading(Tensor yPred) {
        return Shape.of(java.util.Arrays.copyOf(yPred.shape().dims(), Math.max(yPred.rank() - 1, 0)));
    }
}
