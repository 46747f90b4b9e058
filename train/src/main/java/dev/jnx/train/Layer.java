package dev.jnx.train;

import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One layer of a {@link Model}: its parameters' initial values and its forward function.
 * Inputs are batched and channels-last ({@code [batch, ..., channels]}, Axon's default).
 * Parameter entries are named as in Axon ({@code kernel}, {@code bias}, {@code gamma}, ...);
 * {@link #stateNames} are updated by the forward pass in training, not by the optimizer.
 */
sealed interface Layer {
    /** The prefix of the layer's name, e.g. {@code dense} for {@code dense_0}. */
    String kind();

    /** The layer's parameter and state entries for per-example input shape {@code in}; empty if it has none. */
    Map<String, Tensor> init(String name, Tensor key, Shape in, DType type);

    /** The entries of {@link #init} that are state rather than trained parameters. */
    default Set<String> stateNames() {
        return Set.of();
    }

    /** The output for a batch {@code x}, and the new values of the state entries (training only). */
    Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training);

    /** A layer's result: the output and its updated state entries (empty when it has none). */
    record Output(Tensor y, Map<String, Tensor> state) {
        static Output of(Tensor y) {
            return new Output(y, Map.of());
        }
    }

    /** A fully connected layer: {@code x . kernel + bias}, kernel {@code [in, units]}. */
    record Dense(int units, Initializer kernel, Initializer bias) implements Layer {
        @Override
        public String kind() {
            return "dense";
        }

        @Override
        public Map<String, Tensor> init(String name, Tensor key, Shape in, DType type) {
            if (in.rank() < 1) {
                throw new IllegalArgumentException(name + ": dense needs inputs with a feature axis, got per-example shape "
                        + in + " (flatten first)");
            }
            int fanIn = in.dim(in.rank() - 1);
            Tensor keys = Random.split(key);
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("kernel", kernel.apply(row(keys, 0), Shape.of(fanIn, units), type, fanIn, units));
            p.put("bias", bias.apply(row(keys, 1), Shape.of(units), type, fanIn, units));
            return p;
        }

        @Override
        public Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training) {
            Tensor k = p.get("kernel");
            if (x.rank() < 2 || x.shape().dim(x.rank() - 1) != k.shape().dim(0)) {
                throw new IllegalArgumentException(name + ": expected input [batch, ..., " + k.shape().dim(0)
                        + "], got " + x.type() + x.shape());
            }
            return Output.of(Nx.add(Nx.dot(x, k), p.get("bias")));
        }
    }

    /** An element-wise or row-wise activation. */
    record Activation(Kind fn) implements Layer {
        /** The activations. */
        enum Kind { RELU, SIGMOID, TANH, SOFTMAX, LOG_SOFTMAX }

        @Override
        public String kind() {
            return fn.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public Map<String, Tensor> init(String name, Tensor key, Shape in, DType type) {
            return Map.of();
        }

        @Override
        public Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training) {
            return Output.of(switch (fn) {
                case RELU -> Nx.max(x, 0);
                case SIGMOID -> Nx.sigmoid(x);
                case TANH -> Nx.tanh(x);
                case SOFTMAX -> Nx.exp(Losses.logSoftmax(x));
                case LOG_SOFTMAX -> Losses.logSoftmax(x);
            });
        }
    }

    /**
     * A channels-last convolution: kernel {@code [k..., in, filters]}, input
     * {@code [batch, spatial..., in]}, output {@code [batch, spatial'..., filters]}, plus a bias.
     */
    record Conv(int filters, int[] kernelSize, ConvOptions options, Initializer kernel, Initializer bias)
            implements Layer {
        @Override
        public String kind() {
            return "conv";
        }

        @Override
        public Map<String, Tensor> init(String name, Tensor key, Shape in, DType type) {
            if (in.rank() != kernelSize.length + 1) {
                throw new IllegalArgumentException(name + ": a " + kernelSize.length + "-d convolution needs per-example"
                        + " inputs [spatial x" + kernelSize.length + ", channels], got " + in);
            }
            int channels = in.dim(in.rank() - 1);
            int receptive = Arrays.stream(kernelSize).reduce(1, (a, b) -> a * b);
            int[] dims = Arrays.copyOf(kernelSize, kernelSize.length + 2);
            dims[kernelSize.length] = channels;
            dims[kernelSize.length + 1] = filters;
            Tensor keys = Random.split(key);
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("kernel", kernel.apply(row(keys, 0), Shape.of(dims), type, channels * receptive, filters * receptive));
            p.put("bias", bias.apply(row(keys, 1), Shape.of(filters), type, channels * receptive, filters * receptive));
            return p;
        }

        @Override
        public Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training) {
            Tensor k = p.get("kernel");
            int r = k.rank();
            if (x.rank() != r || x.shape().dim(r - 1) != k.shape().dim(r - 2)) {
                throw new IllegalArgumentException(name + ": expected input [batch, spatial x" + (r - 2) + ", "
                        + k.shape().dim(r - 2) + "], got " + x.type() + x.shape());
            }
            int[] io = new int[r];
            int[] ko = new int[r];
            io[0] = 0;
            io[1] = r - 1;
            ko[0] = r - 1;
            ko[1] = r - 2;
            for (int j = 0; j < r - 2; j++) {
                io[2 + j] = 1 + j;
                ko[2 + j] = j;
            }
            Tensor y = Nx.conv(x, k, options.inputPermutation(io).kernelPermutation(ko).outputPermutation(io));
            return Output.of(Nx.add(y, p.get("bias")));
        }
    }

    /**
     * Max pooling over channels-last spatial axes; {@code options} null means valid padding.
     * Non-overlapping windows (strides equal to the window, valid padding) are computed as a
     * max over a reshape into tiles: the values of {@code Nx.window_max}, with an element-wise
     * gradient instead of {@code select_and_scatter}, which made XLA:CPU's training step several times
     * slower (an ad-hoc timing, not a benchmark).
     */
    record MaxPool(int[] window, int[] strides, WindowOptions options) implements Layer {
        @Override
        public String kind() {
            return "max_pool";
        }

        @Override
        public Map<String, Tensor> init(String name, Tensor key, Shape in, DType type) {
            if (in.rank() != window.length + 1) {
                throw new IllegalArgumentException(name + ": a " + window.length + "-d pool needs per-example inputs"
                        + " [spatial x" + window.length + ", channels], got " + in);
            }
            return Map.of();
        }

        @Override
        public Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training) {
            int n = window.length;
            if (x.rank() != n + 2) {
                throw new IllegalArgumentException(name + ": expected input [batch, spatial x" + n + ", channels], got "
                        + x.type() + x.shape());
            }
            if (options != null || !Arrays.equals(window, strides)) {
                WindowOptions o = options == null ? WindowOptions.defaults() : options;
                return Output.of(Nx.windowMax(x, full(window), o.strides(full(strides))));
            }
            int[] lengths = x.shape().dims();
            int[] tiles = new int[2 * n + 2];
            tiles[0] = lengths[0];
            for (int j = 0; j < n; j++) {
                int count = lengths[1 + j] / window[j];
                if (count == 0) {
                    throw new IllegalArgumentException(name + ": window " + Arrays.toString(window) + " is larger than"
                            + " the input " + x.type() + x.shape());
                }
                lengths[1 + j] = count * window[j];
                tiles[1 + 2 * j] = count;
                tiles[2 + 2 * j] = window[j];
            }
            tiles[2 * n + 1] = lengths[n + 1];
            Tensor cut = Arrays.equals(lengths, x.shape().dims()) ? x : Nx.slice(x, new int[n + 2], lengths);
            int[] windowAxes = java.util.stream.IntStream.range(0, n).map(j -> 2 + 2 * j).toArray();
            return Output.of(Nx.reduceMax(Nx.reshape(cut, Shape.of(tiles)), windowAxes, false));
        }

        private static int[] full(int[] spatial) {
            int[] w = new int[spatial.length + 2];
            Arrays.fill(w, 1);
            System.arraycopy(spatial, 0, w, 1, spatial.length);
            return w;
        }
    }

    /** Flattens each example to a vector. */
    record Flatten() implements Layer {
        @Override
        public String kind() {
            return "flatten";
        }

        @Override
        public Map<String, Tensor> init(String name, Tensor key, Shape in, DType type) {
            return Map.of();
        }

        @Override
        public Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training) {
            int batch = x.shape().dim(0);
            return Output.of(Nx.reshape(x, Shape.of(batch, batch == 0 ? 0 : x.size() / batch)));
        }
    }

    /**
     * Inverted dropout: in training, zeroes each value with probability {@code rate} and scales
     * the rest by {@code 1 / (1 - rate)}; the identity in inference. Its random key is state,
     * split at every training step, so runs are reproducible and resumable.
     */
    record Dropout(double rate) implements Layer {
        @Override
        public String kind() {
            return "dropout";
        }

        @Override
        public Map<String, Tensor> init(String name, Tensor key, Shape in, DType type) {
            return Map.of("key", key);
        }

        @Override
        public Set<String> stateNames() {
            return Set.of("key");
        }

        @Override
        public Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training) {
            if (!training) {
                return new Output(x, Map.of());
            }
            Random.Draw u = Random.uniform(p.get("key"), x.shape(), x.type().isFloat() ? x.type() : DType.F32);
            Tensor keep = Nx.greaterEqual(u.value(), rate);
            Tensor y = Nx.select(keep, Nx.divide(x, 1 - rate), Nx.multiply(x, 0));
            return new Output(y, Map.of("key", u.key()));
        }
    }

    /**
     * Batch normalization over every axis but the last (Axon's {@code batch_norm}): in training,
     * the batch's mean and (biased) variance, folded into the running ones as
     * {@code momentum * old + (1 - momentum) * batch}; in inference, the running ones.
     */
    record BatchNorm(double epsilon, double momentum) implements Layer {
        @Override
        public String kind() {
            return "batch_norm";
        }

        @Override
        public Map<String, Tensor> init(String name, Tensor key, Shape in, DType type) {
            if (in.rank() < 1) {
                throw new IllegalArgumentException(name + ": batch norm needs a channel axis, got per-example shape " + in);
            }
            Shape c = Shape.of(in.dim(in.rank() - 1));
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("gamma", Nx.fill(c, 1, type));
            p.put("beta", Nx.fill(c, 0, type));
            p.put("mean", Nx.fill(c, 0, type));
            p.put("var", Nx.fill(c, 1, type));
            return p;
        }

        @Override
        public Set<String> stateNames() {
            return Set.of("mean", "var");
        }

        @Override
        public Output apply(String name, Map<String, Tensor> p, Tensor x, boolean training) {
            int channels = p.get("gamma").shape().dim(0);
            if (x.rank() < 2 || x.shape().dim(x.rank() - 1) != channels) {
                throw new IllegalArgumentException(name + ": expected input [batch, ..., " + channels + "], got "
                        + x.type() + x.shape());
            }
            Tensor mean = p.get("mean");
            Tensor var = p.get("var");
            Map<String, Tensor> state = Map.of();
            if (training) {
                int[] axes = java.util.stream.IntStream.range(0, x.rank() - 1).toArray();
                mean = Nx.mean(x, axes, false);
                var = Nx.variance(x, axes, 0, false);
                state = Map.of("mean", ema(p.get("mean"), mean), "var", ema(p.get("var"), var));
            }
            Tensor normalized = Nx.multiply(Nx.subtract(x, mean), Nx.rsqrt(Nx.add(var, epsilon)));
            return new Output(Nx.add(Nx.multiply(normalized, p.get("gamma")), p.get("beta")), state);
        }

        private Tensor ema(Tensor old, Tensor batch) {
            return Nx.add(Nx.multiply(old, momentum), Nx.multiply(batch, 1 - momentum));
        }
    }

    /** Row {@code i} of a {@code [n, 2]} stack of keys. */
    static Tensor row(Tensor keys, int i) {
        return Nx.reshape(Nx.slice(keys, new int[] {i, 0}, new int[] {1, 2}), Shape.of(2));
    }
}
