package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's training step: {@code valueAndGrad} of an objective, an optimizer update and
 * {@code applyUpdates}, jitted once and called per step. Optimizers are plain Java functions
 * traced like the rest. exla-backend reruns these compiled by XLA.
 */
public class TrainingTest {
    /** The compiler the step functions are jitted with. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    /** An optimizer: from gradients, its state and the parameters to updates and a new state. */
    interface Optimizer<S> {
        S init(Object params);

        Update<S> update(Object grads, S state, Object params);
    }

    record Update<S>(Object updates, S state) {
    }

    /** Plain gradient descent. */
    record Sgd(double learningRate) implements Optimizer<Tensor> {
        public Tensor init(Object params) {
            return Nx.scalar(0f);
        }

        public Update<Tensor> update(Object grads, Tensor state, Object params) {
            return new Update<>(Tree.map(grads, g -> Nx.multiply(g, -learningRate)), state);
        }
    }

    record AdamState(Object mu, Object nu, Tensor beta1Power, Tensor beta2Power) {
    }

    /** Adam (Kingma and Ba), as Axon's {@code adam}: bias-corrected first and second moments. */
    record Adam(double learningRate) implements Optimizer<AdamState> {
        static final double B1 = 0.9;
        static final double B2 = 0.999;
        static final double EPS = 1e-8;

        public AdamState init(Object params) {
            Object zeros = Tree.map(params, p -> Nx.multiply(p, 0f));
            return new AdamState(zeros, zeros, Nx.scalar(1f), Nx.scalar(1f));
        }

        public Update<AdamState> update(Object grads, AdamState s, Object params) {
            Object mu = Tree.zip(l -> Nx.add(Nx.multiply(l.get(0), B1), Nx.multiply(l.get(1), 1 - B1)), s.mu(), grads);
            Object nu = Tree.zip(l -> Nx.add(Nx.multiply(l.get(0), B2), Nx.multiply(Nx.multiply(l.get(1), l.get(1)), 1 - B2)),
                    s.nu(), grads);
            Tensor b1 = Nx.multiply(s.beta1Power(), B1);
            Tensor b2 = Nx.multiply(s.beta2Power(), B2);
            Object updates = Tree.zip(l -> {
                Tensor mHat = Nx.divide(l.get(0), Nx.subtract(1f, b1));
                Tensor vHat = Nx.divide(l.get(1), Nx.subtract(1f, b2));
                return Nx.multiply(Nx.divide(mHat, Nx.add(Nx.sqrt(vHat), EPS)), -learningRate);
            }, mu, nu);
            return new Update<>(updates, new AdamState(mu, nu, b1, b2));
        }
    }

    record TrainState<S>(Object params, S optState) {
    }

    record StepOut<S>(TrainState<S> state, Tensor loss) {
    }

    /** Trains {@code model} on (x, y) for {@code steps} full-batch steps; returns the first and last loss. */
    <S> double[] train(Object params, Function<Object, Function<Tensor, Tensor>> model, Optimizer<S> optimizer,
                       Tensor x, Tensor y, int steps) {
        Defn.Fn3<TrainState<S>, Tensor, Tensor, StepOut<S>> step = Defn.jit((s, xb, yb) -> {
            var vg = Defn.valueAndGrad(s.params(), p -> mse(model.apply(p).apply(xb), yb));
            Update<S> upd = optimizer.update(vg.grad(), s.optState(), s.params());
            Object next = Tree.zip(l -> Nx.add(l.get(0), l.get(1)), s.params(), upd.updates());
            return new StepOut<>(new TrainState<>(next, upd.state()), vg.value());
        }, compiler());
        TrainState<S> state = new TrainState<>(params, optimizer.init(params));
        double first = Double.NaN;
        double last = Double.NaN;
        for (int i = 0; i < steps; i++) {
            StepOut<S> out = step.apply(state, x, y);
            state = out.state();
            last = out.loss().toDouble();
            if (i == 0) {
                first = last;
            }
        }
        return new double[] {first, last};
    }

    static Tensor mse(Tensor prediction, Tensor target) {
        Tensor d = Nx.subtract(prediction, target);
        return Nx.mean(Nx.multiply(d, d));
    }

    static Tensor random(SplittableRandom r, double scale, int... dims) {
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * (2 * r.nextDouble() - 1));
        }
        return Nx.reshape(Nx.tensor(v), Shape.of(dims));
    }

    record Linear(Tensor w, Tensor b) {
    }

    /** y = x·[2, -3] + 0.5 plus noise of amplitude 0.01. */
    static Tensor[] linearData(SplittableRandom r) {
        Tensor x = random(r, 1, 64, 2);
        Tensor y = Nx.add(Nx.add(Nx.dot(x, Nx.tensor(new float[] {2, -3})), 0.5f), random(r, 0.01, 64));
        return new Tensor[] {x, y};
    }

    static Function<Tensor, Tensor> linear(Object p) {
        Linear l = (Linear) p;
        return x -> Nx.add(Nx.dot(x, l.w()), l.b());
    }

    /** A 2-16-1 tanh network, parameters in a map. */
    static Function<Tensor, Tensor> mlp(Object p) {
        @SuppressWarnings("unchecked")
        Map<String, Tensor> m = (Map<String, Tensor>) p;
        return x -> {
            Tensor h = Nx.tanh(Nx.add(Nx.dot(x, m.get("w1")), m.get("b1")));
            return Nx.reshape(Nx.add(Nx.dot(h, m.get("w2")), m.get("b2")), Shape.of(x.shape().dim(0)));
        };
    }

    static Object mlpParams(SplittableRandom r) {
        return Map.of("w1", random(r, 0.5, 2, 16), "b1", random(r, 0.1, 16),
                "w2", random(r, 0.5, 16, 1), "b2", random(r, 0.1, 1));
    }

    /** A smooth nonlinear target: y = x0 * x1 + 0.5 x0. */
    static Tensor[] nonlinearData(SplittableRandom r) {
        Tensor x = random(r, 1, 64, 2);
        Tensor x0 = Nx.reshape(Nx.dot(x, Nx.tensor(new float[] {1, 0})), Shape.of(64));
        Tensor x1 = Nx.reshape(Nx.dot(x, Nx.tensor(new float[] {0, 1})), Shape.of(64));
        return new Tensor[] {x, Nx.add(Nx.multiply(x0, x1), Nx.multiply(x0, 0.5f))};
    }

    @Test
    void linearRegressionWithSgd() {
        SplittableRandom r = new SplittableRandom(1);
        Tensor[] d = linearData(r);
        double[] loss = train(new Linear(Nx.tensor(new float[] {0, 0}), Nx.scalar(0f)), TrainingTest::linear,
                new Sgd(0.3), d[0], d[1], 150);
        assertTrue(loss[1] < 1e-3 && loss[1] < loss[0] / 1000, "loss " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void linearRegressionWithAdam() {
        SplittableRandom r = new SplittableRandom(2);
        Tensor[] d = linearData(r);
        double[] loss = train(new Linear(Nx.tensor(new float[] {0, 0}), Nx.scalar(0f)), TrainingTest::linear,
                new Adam(0.1), d[0], d[1], 300);
        assertTrue(loss[1] < 1e-3, "loss " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void mlpWithSgd() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor[] d = nonlinearData(r);
        double[] loss = train(mlpParams(r), TrainingTest::mlp, new Sgd(0.2), d[0], d[1], 400);
        assertTrue(loss[1] < 0.02 && loss[1] < loss[0] / 5, "loss " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void mlpWithAdam() {
        SplittableRandom r = new SplittableRandom(4);
        Tensor[] d = nonlinearData(r);
        double[] loss = train(mlpParams(r), TrainingTest::mlp, new Adam(0.02), d[0], d[1], 400);
        assertTrue(loss[1] < 0.005 && loss[1] < loss[0] / 20, "loss " + loss[0] + " -> " + loss[1]);
    }

    @Test
    void optimizerStateIsAContainerToo() {
        Object p = List.of(Nx.scalar(1f));
        AdamState s = new Adam(0.1).init(p);
        assertTrue(s.mu() instanceof List<?> l && l.size() == 1);
    }
}
