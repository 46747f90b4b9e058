package dev.jnx.train;

import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

/**
 * Loss functions after {@code Axon.Losses}: each computes one value per example (the mean over
 * the last axis where there is one) and then applies a {@link Reduction}. The two-argument forms
 * take the mean over examples, the value a training step minimizes (Axon's default is
 * {@code :none}). Cross entropies from logits go through a log-softmax built on
 * {@code Nx.logsumexp}, so extreme logits stay finite.
 */
public final class Losses {
    /** Probabilities are clipped to [EPS, 1 - EPS] before their logarithm (as Keras and Axon). */
    static final double EPS = 1e-7;

    private Losses() {
    }

    /** {@link #categoricalCrossEntropy(Tensor, Tensor, boolean, Reduction)} from probabilities, mean over examples. */
    public static Tensor categoricalCrossEntropy(Tensor yTrue, Tensor yPred) {
        return categoricalCrossEntropy(yTrue, yPred, false, Reduction.MEAN);
    }

    /**
     * {@code -sum(yTrue * log(p))} over the last axis, where {@code p} is {@code yPred} (class
     * probabilities) or {@code softmax(yPred)} when {@code fromLogits}. {@code yTrue} holds one-hot
     * rows or target distributions, shaped like {@code yPred}.
     */
    public static Tensor categoricalCrossEntropy(Tensor yTrue, Tensor yPred, boolean fromLogits, Reduction reduction) {
        String op = "Losses.categoricalCrossEntropy";
        requireFloat(op, "y_pred", yPred);
        if (!yTrue.shape().equals(yPred.shape()) || yPred.rank() == 0) {
            throw new IllegalArgumentException(op + ": y_true " + yTrue.type() + yTrue.shape() + " must have the shape of"
                    + " y_pred " + yPred.type() + yPred.shape() + " (one-hot rows; for class indices use"
                    + " sparseCategoricalCrossEntropy or Preprocessing.oneHot)");
        }
        Tensor logP = logProbabilities(yPred, fromLogits);
        Tensor perExample = Nx.negate(Nx.sum(Nx.multiply(Nx.asType(yTrue, yPred.type()), logP), lastAxis(yPred), false));
        return reduce(perExample, reduction);
    }

    /** {@link #sparseCategoricalCrossEntropy(Tensor, Tensor, boolean, Reduction)} from probabilities, mean over examples. */
    public static Tensor sparseCategoricalCrossEntropy(Tensor labels, Tensor yPred) {
        return sparseCategoricalCrossEntropy(labels, yPred, false, Reduction.MEAN);
    }

    /**
     * {@code -log(p[label])} per example: {@code labels} are integer class indices of shape
     * {@code [batch]} (or {@code [batch, 1]}), {@code yPred} probabilities or logits {@code [batch, classes]}.
     */
    public static Tensor sparseCategoricalCrossEntropy(Tensor labels, Tensor yPred, boolean fromLogits,
                                                       Reduction reduction) {
        String op = "Losses.sparseCategoricalCrossEntropy";
        requireFloat(op, "y_pred", yPred);
        Tensor oneHot = Preprocessing.oneHot(op, sparseLabels(op, labels, yPred), yPred.shape().dim(yPred.rank() - 1),
                yPred.type());
        Tensor logP = logProbabilities(yPred, fromLogits);
        return reduce(Nx.negate(Nx.sum(Nx.multiply(oneHot, logP), lastAxis(yPred), false)), reduction);
    }

    /** {@link #binaryCrossEntropy(Tensor, Tensor, boolean, Reduction)} from probabilities, mean over examples. */
    public static Tensor binaryCrossEntropy(Tensor yTrue, Tensor yPred) {
        return binaryCrossEntropy(yTrue, yPred, false, Reduction.MEAN);
    }

    /**
     * {@code -(y log p + (1 - y) log(1 - p))}, averaged over the last axis: {@code yPred} holds
     * probabilities, or logits when {@code fromLogits} (then computed as
     * {@code max(x, 0) - x y + log1p(exp(-|x|))}, exact for any logit).
     */
    public static Tensor binaryCrossEntropy(Tensor yTrue, Tensor yPred, boolean fromLogits, Reduction reduction) {
        String op = "Losses.binaryCrossEntropy";
        requireFloat(op, "y_pred", yPred);
        requireSameShape(op, yTrue, yPred);
        Tensor y = Nx.asType(yTrue, yPred.type());
        Tensor elementwise;
        if (fromLogits) {
            elementwise = Nx.add(Nx.subtract(Nx.max(yPred, 0), Nx.multiply(yPred, y)),
                    Nx.log1p(Nx.exp(Nx.negate(Nx.abs(yPred)))));
        } else {
            Tensor p = Nx.clip(yPred, EPS, 1 - EPS);
            elementwise = Nx.negate(Nx.add(Nx.multiply(y, Nx.log(p)), Nx.multiply(Nx.subtract(1, y), Nx.log1p(Nx.negate(p)))));
        }
        return reduce(meanOverLastAxis(elementwise), reduction);
    }

    /** Mean squared error over the last axis, mean over examples. */
    public static Tensor meanSquaredError(Tensor yTrue, Tensor yPred) {
        return meanSquaredError(yTrue, yPred, Reduction.MEAN);
    }

    /** {@code mean((yTrue - yPred)^2)} over the last axis per example, then {@code reduction}. */
    public static Tensor meanSquaredError(Tensor yTrue, Tensor yPred, Reduction reduction) {
        requireSameShape("Losses.meanSquaredError", yTrue, yPred);
        Tensor d = Nx.subtract(yTrue, yPred);
        return reduce(meanOverLastAxis(Nx.multiply(d, d)), reduction);
    }

    /** Mean absolute error over the last axis, mean over examples. */
    public static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred) {
        return meanAbsoluteError(yTrue, yPred, Reduction.MEAN);
    }

    /** {@code mean(|yTrue - yPred|)} over the last axis per example, then {@code reduction}. */
    public static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred, Reduction reduction) {
        requireSameShape("Losses.meanAbsoluteError", yTrue, yPred);
        return reduce(meanOverLastAxis(Nx.abs(Nx.subtract(yTrue, yPred))), reduction);
    }

    /** {@code x - logsumexp(x)} over the last axis: finite for any finite logits. */
    public static Tensor logSoftmax(Tensor logits) {
        return Nx.subtract(logits, Nx.logsumexp(logits, lastAxis(logits), true));
    }

    static Tensor reduce(Tensor perExample, Reduction reduction) {
        return switch (reduction) {
            case MEAN -> Nx.mean(perExample);
            case SUM -> Nx.sum(perExample);
            case NONE -> perExample;
        };
    }

    private static Tensor logProbabilities(Tensor yPred, boolean fromLogits) {
        return fromLogits ? logSoftmax(yPred) : Nx.log(Nx.clip(yPred, EPS, 1 - EPS));
    }

    private static Tensor meanOverLastAxis(Tensor x) {
        return x.rank() == 0 ? x : Nx.mean(x, lastAxis(x), false);
    }

    static int[] lastAxis(Tensor x) {
        return new int[] {x.rank() - 1};
    }

    /** Labels as {@code [batch]} integers matching {@code yPred}'s leading axes. */
    static Tensor sparseLabels(String op, Tensor labels, Tensor yPred) {
        if (!labels.type().isInteger()) {
            throw new IllegalArgumentException(op + ": labels must be integer class indices, got " + labels.type()
                    + labels.shape() + " (for one-hot or probability targets use the non-sparse form)");
        }
        int[] lead = java.util.Arrays.copyOf(yPred.shape().dims(), Math.max(yPred.rank() - 1, 0));
        Shape want = Shape.of(lead);
        if (labels.shape().equals(want)) {
            return labels;
        }
        int[] withOne = java.util.Arrays.copyOf(lead, lead.length + 1);
        withOne[lead.length] = 1;
        if (yPred.rank() >= 1 && labels.shape().equals(Shape.of(withOne))) {
            return Nx.reshape(labels, want);
        }
        throw new IllegalArgumentException(op + ": labels " + labels.type() + labels.shape() + " do not fit y_pred "
                + yPred.type() + yPred.shape() + " (expected one class index per row: shape " + want + ")");
    }

    private static void requireFloat(String op, String name, Tensor t) {
        if (!t.type().isFloat()) {
            throw new IllegalArgumentException(op + ": " + name + " must be floating-point, got " + t.type() + t.shape());
        }
    }

    private static void requireSameShape(String op, Tensor yTrue, Tensor yPred) {
        if (!yTrue.shape().equals(yPred.shape())) {
            throw new IllegalArgumentException(op + ": y_true " + yTrue.type() + yTrue.shape() + " and y_pred "
                    + yPred.type() + yPred.shape() + " must have the same shape");
        }
    }
}
