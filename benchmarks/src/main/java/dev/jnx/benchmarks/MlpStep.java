package dev.jnx.benchmarks;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The training step of a Fashion-MNIST MLP as a user writes it: 784 → hidden layers (relu) →
 * 10 (by default one hidden layer of 128), softmax cross-entropy over one-hot labels,
 * {@code Defn.valueAndGrad} and an Adam update, all in one function to jit.
 */
final class MlpStep {
    static final int FEATURES = 784;
    static final int HIDDEN = 128;
    static final int CLASSES = 10;
    private static final double LEARNING_RATE = 1e-3;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    private MlpStep() {
    }

    /** Parameters, Adam's moments and its step count. */
    record State(Map<String, Tensor> params, Map<String, Tensor> mu, Map<String, Tensor> nu, Tensor count) {
    }

    /** The next state and the batch's loss. */
    record Out(State state, Tensor loss) {
    }

    /** Glorot-scaled random weights, zero biases and zero moments: 784-128-10. */
    static State init(long seed) {
        return init(seed, HIDDEN);
    }

    /** The same for 784 → {@code hidden...} → 10; layer {@code i} is {@code w<i>}, {@code b<i>} (from 1). */
    static State init(long seed, int... hidden) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> params = new TreeMap<>();
        int in = FEATURES;
        for (int i = 0; i <= hidden.length; i++) {
            int out = i < hidden.length ? hidden[i] : CLASSES;
            params.put("w" + (i + 1), random(r, Math.sqrt(6.0 / (in + out)), in, out));
            params.put("b" + (i + 1), Nx.tensor(new float[out], out));
            in = out;
        }
        Map<String, Tensor> zeros = new TreeMap<>();
        params.forEach((k, p) -> zeros.put(k, Nx.tensor(new float[p.size()], p.shape().dims())));
        return new State(params, zeros, zeros, Nx.scalar(0f));
    }

    /** A batch of {@code n} random images and one-hot labels. */
    static Tensor[] batch(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] labels = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            labels[i * CLASSES + r.nextInt(CLASSES)] = 1;
        }
        return new Tensor[] {random(r, 1, n, FEATURES), Nx.tensor(labels, n, CLASSES)};
    }

    static Tensor logits(Map<String, Tensor> p, Tensor x) {
        int layers = p.size() / 2;
        Tensor h = x;
        for (int i = 1; i < layers; i++) {
            h = Nx.max(Nx.add(Nx.dot(h, p.get("w" + i)), p.get("b" + i)), 0f);
        }
        return Nx.add(Nx.dot(h, p.get("w" + layers)), p.get("b" + layers));
    }

    /** Mean softmax cross-entropy: logsumexp of the logits minus the labelled logit. */
    static Tensor loss(Map<String, Tensor> p, Tensor x, Tensor labels) {
        Tensor z = logits(p, x);
        Tensor picked = Nx.sum(Nx.multiply(z, labels), new int[] {1}, false);
        return Nx.mean(Nx.subtract(Nx.logsumexp(z, new int[] {1}, false), picked));
    }

    /** One step: the loss and its gradient, then Adam with bias correction. */
    static Out step(State s, Tensor x, Tensor labels) {
        var vg = Defn.valueAndGrad(s.params(), p -> loss(p, x, labels));
        Tensor count = Nx.add(s.count(), 1f);
        Tensor c1 = Nx.subtract(1f, Nx.pow(Nx.scalar((float) B1), count));
        Tensor c2 = Nx.subtract(1f, Nx.pow(Nx.scalar((float) B2), count));
        Map<String, Tensor> params = new TreeMap<>();
        Map<String, Tensor> mu = new TreeMap<>();
        Map<String, Tensor> nu = new TreeMap<>();
        for (String k : s.params().keySet()) {
            Tensor g = vg.grad().get(k);
            Tensor m = Nx.add(Nx.multiply(s.mu().get(k), B1), Nx.multiply(g, 1 - B1));
            Tensor v = Nx.add(Nx.multiply(s.nu().get(k), B2), Nx.multiply(Nx.multiply(g, g), 1 - B2));
            Tensor update = Nx.divide(Nx.divide(m, c1), Nx.add(Nx.sqrt(Nx.divide(v, c2)), EPS));
            params.put(k, Nx.subtract(s.params().get(k), Nx.multiply(update, LEARNING_RATE)));
            mu.put(k, m);
            nu.put(k, v);
        }
        return new Out(new State(params, mu, nu, count), vg.value());
    }

    private static Tensor random(SplittableRandom r, double scale, int... dims) {
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * (2 * r.nextDouble() - 1));
        }
        return Nx.tensor(v, dims);
    }
}
