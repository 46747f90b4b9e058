package dev.jnx.train;

/**
 * The usual optimizers as chains of {@link Updates} ({@code Polaris.Optimizers}, Optax's aliases),
 * with Optax's default hyperparameters. A learning rate is a number or a {@link Schedule}.
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** Stochastic gradient descent: {@code -lr * g}. */
    public static Optimizer sgd(double learningRate) {
        return Updates.scaleByLearningRate(learningRate);
    }

    /** Stochastic gradient descent with a learning-rate schedule. */
    public static Optimizer sgd(Schedule learningRate) {
        return Updates.scaleByLearningRate(learningRate);
    }

    /** SGD with (optionally Nesterov) momentum {@code momentum}: {@link Updates#trace} then the learning rate. */
    public static Optimizer sgd(double learningRate, double momentum, boolean nesterov) {
        return Updates.chain(Updates.trace(momentum, nesterov), Updates.scaleByLearningRate(learningRate));
    }

    /** Adam with b1 0.9, b2 0.999, eps 1e-8. */
    public static Optimizer adam(double learningRate) {
        return adam(Schedules.constant(learningRate), 0.9, 0.999, 1e-8);
    }

    /** Adam with a learning-rate schedule. */
    public static Optimizer adam(Schedule learningRate) {
        return adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /** Adam: {@link Updates#scaleByAdam(double, double, double)} then the learning rate. */
    public static Optimizer adam(Schedule learningRate, double b1, double b2, double eps) {
        return Updates.chain(Updates.scaleByAdam(b1, b2, eps), Updates.scaleByLearningRate(learningRate));
    }

    /** AdamW with b1 0.9, b2 0.999, eps 1e-8 and weight decay 1e-4 (Optax's defaults). */
    public static Optimizer adamw(double learningRate) {
        return adamw(Schedules.constant(learningRate), 0.9, 0.999, 1e-8, 1e-4);
    }

    /** AdamW (Loshchilov and Hutter): Adam's scaling, plus {@code decay * params}, then the learning rate. */
    public static Optimizer adamw(Schedule learningRate, double b1, double b2, double eps, double decay) {
        return Updates.chain(Updates.scaleByAdam(b1, b2, eps), Updates.addDecayedWeights(decay),
                Updates.scaleByLearningRate(learningRate));
    }

    /** RMSProp with decay 0.9 and eps 1e-8, no momentum. */
    public static Optimizer rmsprop(double learningRate) {
        return rmsprop(Schedules.constant(learningRate), 0.9, 1e-8, 0);
    }

    /** RMSProp: {@link Updates#scaleByRms}, then momentum if {@code momentum > 0}, then the learning rate. */
    public static Optimizer rmsprop(Schedule learningRate, double decay, double eps, double momentum) {
        return momentum > 0
                ? Updates.chain(Updates.scaleByRms(decay, eps), Updates.trace(momentum, false),
                        Updates.scaleByLearningRate(learningRate))
                : Updates.chain(Updates.scaleByRms(decay, eps), Updates.scaleByLearningRate(learningRate));
    }

    /** Adagrad with initial accumulator 0.1 and eps 1e-7. */
    public static Optimizer adagrad(double learningRate) {
        return adagrad(Schedules.constant(learningRate), 0.1, 1e-7);
    }

    /** Adagrad: {@link Updates#scaleByRss}, then the learning rate. */
    public static Optimizer adagrad(Schedule learningRate, double initialAccumulator, double eps) {
        return Updates.chain(Updates.scaleByRss(initialAccumulator, eps), Updates.scaleByLearningRate(learningRate));
    }

    /** LAMB with b1 0.9, b2 0.999, eps 1e-6 and no weight decay. */
    public static Optimizer lamb(double learningRate) {
        return lamb(Schedules.constant(learningRate), 0.9, 0.999, 1e-6, 0);
    }

    /**
     * LAMB (You et al.): Adam's scaling, weight decay, the layer-wise
     * {@link Updates#scaleByTrustRatio trust ratio}, then the learning rate.
     */
    public static Optimizer lamb(Schedule learningRate, double b1, double b2, double eps, double decay) {
        return Updates.chain(Updates.scaleByAdam(b1, b2, eps), Updates.addDecayedWeights(decay),
                Updates.scaleByTrustRatio(0), Updates.scaleByLearningRate(learningRate));
    }
}
