package dev.jnx.train;

import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import dev.jnx.defn.Expr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequential model built in Axon's functional style: {@code Model.input(784).dense(128).relu().dense(10)}.
 * Each call returns a new model with one more layer, named after its kind and position among
 * layers of that kind ({@code dense_0}, {@code dense_1}, {@code conv_0}, ...). Inputs are batched;
 * image inputs are channels-last ({@code [batch, height, width, channels]}).
 *
 * <p>{@link #init} returns the parameters: a map from layer name to that layer's entries
 * ({@code {"dense_0": {"bias": ..., "kernel": ...}}}), which users may read, save and load.
 * It holds state too (batch-norm running statistics, dropout keys), which the optimizer does
 * not train: {@link #trainable} and {@link #state} split them. {@link #predict} and
 * {@link #forward} are traced functions of the parameters and a batch.
 */
public final class Model {
    private final Shape input;
    private final List<Layer> layers;
    private final List<String> names;

    private Model(Shape input, List<Layer> layers, List<String> names) {
        this.input = input;
        this.layers = layers;
        this.names = names;
    }

    /** A model that takes batches of examples of shape {@code shape} (without the batch axis). */
    public static Model input(int... shape) {
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Model.input: dimensions must be positive, got " + Arrays.toString(shape));
            }
        }
        return new Model(Shape.of(shape), List.of(), List.of());
    }

    /** The per-example input shape. */
    public Shape inputShape() {
        return input;
    }

    /** The layer names, in order. */
    public List<String> layerNames() {
        return names;
    }

    private Model then(Layer layer) {
        long same = layers.stream().filter(l -> l.kind().equals(layer.kind())).count();
        List<Layer> ls = new ArrayList<>(layers);
        ls.add(layer);
        List<String> ns = new ArrayList<>(names);
        ns.add(layer.kind() + "_" + same);
        return new Model(input, List.copyOf(ls), List.copyOf(ns));
    }

    /** A dense layer of {@code units}: Glorot-uniform kernel, zero bias. */
    public Model dense(int units) {
        return dense(units, Initializers.glorotUniform(), Initializers.zeros());
    }

    /** A dense layer with chosen initializers. */
    public Model dense(int units, Initializer kernel, Initializer bias) {
        positive("dense", "units", units);
        return then(new Layer.Dense(units, kernel, bias));
    }

    /** {@code max(x, 0)}. */
    public Model relu() {
        return then(new Layer.Activation(Layer.Activation.Kind.RELU));
    }

    /** The logistic sigmoid. */
    public Model sigmoid() {
        return then(new Layer.Activation(Layer.Activation.Kind.SIGMOID));
    }

    /** The hyperbolic tangent. */
    public Model tanh() {
        return then(new Layer.Activation(Layer.Activation.Kind.TANH));
    }

    /** Softmax over the last axis. */
    public Model softmax() {
        return then(new Layer.Activation(Layer.Activation.Kind.SOFTMAX));
    }

    /** Log-softmax over the last axis. */
    public Model logSoftmax() {
        return then(new Layer.Activation(Layer.Activation.Kind.LOG_SOFTMAX));
    }

    /** A convolution of {@code filters} with kernel size {@code kernel} per spatial axis, stride 1, valid padding. */
    public Model conv(int filters, int... kernel) {
        return conv(filters, kernel, ConvOptions.defaults());
    }

    /**
     * A convolution with Nx's options (strides, padding, dilations, groups); the layer sets the
     * permutations itself, for channels-last inputs and a {@code [k..., in, filters]} kernel.
     * Glorot-uniform kernel, zero bias.
     */
    public Model conv(int filters, int[] kernel, ConvOptions options) {
        positive("conv", "filters", filters);
        for (int k : kernel) {
            positive("conv", "kernel size", k);
        }
        return then(new Layer.Conv(filters, kernel.clone(), options, Initializers.glorotUniform(), Initializers.zeros()));
    }

    /** Max pooling with window {@code window} per spatial axis and strides equal to it, valid padding. */
    public Model maxPool(int... window) {
        return then(new Layer.MaxPool(window.clone(), window.clone(), null));
    }

    /** Max pooling with chosen spatial strides and Nx's window options (padding). */
    public Model maxPool(int[] window, int[] strides, WindowOptions options) {
        if (window.length != strides.length) {
            throw new IllegalArgumentException("maxPool: window " + Arrays.toString(window) + " and strides "
                    + Arrays.toString(strides) + " must have one value per spatial axis");
        }
        return then(new Layer.MaxPool(window.clone(), strides.clone(), java.util.Objects.requireNonNull(options, "options")));
    }

    /** Flattens each example to a vector. */
    public Model flatten() {
        return then(new Layer.Flatten());
    }

    /** Dropout of {@code rate} in training (a key in the state), the identity in inference. */
    public Model dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout: rate must be in [0, 1), got " + rate);
        }
        return then(new Layer.Dropout(rate));
    }

    /** Batch normalization with Axon's defaults: epsilon 1e-5, momentum 0.1. */
    public Model batchNorm() {
        return batchNorm(1e-5, 0.1);
    }

    /** Batch normalization over the last (channel) axis. */
    public Model batchNorm(double epsilon, double momentum) {
        return then(new Layer.BatchNorm(epsilon, momentum));
    }

    /** {@link #init(Tensor, DType)} for f32 inputs. */
    public Map<String, Map<String, Tensor>> init(Tensor key) {
        return init(key, DType.F32);
    }

    /**
     * Fresh parameters for inputs of {@code inputType}: each layer draws from its own key split
     * from {@code key} ({@code Random.key(seed)}). Parameters are of the input type if it is a
     * float type, else f32. Checks that every layer fits the shape its predecessor produces.
     */
    public Map<String, Map<String, Tensor>> init(Tensor key, DType inputType) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("Model.init: the model has no layer");
        }
        DType paramType = inputType.isFloat() ? inputType : DType.F32;
        Tensor keys = Random.split(key, layers.size());
        Map<String, Map<String, Tensor>> params = new LinkedHashMap<>();
        Shape shape = input;
        DType type = inputType;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String name = names.get(i);
            Map<String, Tensor> entries = layer.init(name, Layer.row(keys, i), shape, paramType);
            if (!entries.isEmpty()) {
                params.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
            }
            // The next layer's input: this one traced (not run) on a one-example batch.
            Expr out = Defn.trace(x -> layer.apply(name, entries, x, false).y(), Nx.fill(batched(1, shape), 0, type))
                    .outputs().get(0);
            shape = Shape.of(Arrays.copyOfRange(out.shape().dims(), 1, out.shape().rank()));
            type = out.type();
        }
        return Collections.unmodifiableMap(params);
    }

    /** The prediction for batch {@code x} in inference mode; a traced function, eager outside jit. */
    public Tensor predict(Map<String, Map<String, Tensor>> params, Tensor x) {
        return forward(params, x, false).prediction();
    }

    /**
     * The result of {@link #forward}.
     *
     * @param prediction the model's output for the batch
     * @param state      the new state entries by layer (in training; empty in inference)
     */
    public record Forward(Tensor prediction, Map<String, Map<String, Tensor>> state) {
    }

    /** The output for batch {@code x}; in {@code training} mode, dropout is on and batch norm uses and updates batch statistics. */
    public Forward forward(Map<String, Map<String, Tensor>> params, Tensor x, boolean training) {
        if (x.rank() != input.rank() + 1 || !Shape.of(Arrays.copyOfRange(x.shape().dims(), 1, x.rank())).equals(input)) {
            throw new IllegalArgumentException("Model input: expected [batch" + (input.rank() == 0 ? "" : ", ")
                    + Arrays.toString(input.dims()).replaceAll("[\\[\\]]", "") + "], got " + x.type() + x.shape());
        }
        Map<String, Map<String, Tensor>> state = new LinkedHashMap<>();
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            String name = names.get(i);
            Map<String, Tensor> p = params.getOrDefault(name, Map.of());
            Layer.Output out = layers.get(i).apply(name, p, h, training);
            if (!out.state().isEmpty()) {
                state.put(name, out.state());
            }
            h = out.y();
        }
        return new Forward(h, state);
    }

    /** The trained entries of {@code params} (without batch-norm statistics and dropout keys). */
    public Map<String, Map<String, Tensor>> trainable(Map<String, Map<String, Tensor>> params) {
        return select(params, false);
    }

    /** The state entries of {@code params}: what the forward pass updates in training. */
    public Map<String, Map<String, Tensor>> state(Map<String, Map<String, Tensor>> params) {
        return select(params, true);
    }

    /** {@code a} with the entries of {@code b} added or replaced, layer by layer. */
    public static Map<String, Map<String, Tensor>> merge(Map<String, Map<String, Tensor>> a,
                                                         Map<String, Map<String, Tensor>> b) {
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        a.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
        b.forEach((k, v) -> out.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll(v));
        out.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return Collections.unmodifiableMap(out);
    }

    /** Writes {@code params} to {@code path} with {@code Nx.serialize}. */
    public static void save(Path path, Map<String, Map<String, Tensor>> params) {
        try {
            Files.write(path, Nx.serialize(params));
        } catch (IOException e) {
            throw new UncheckedIOException("Model.save: cannot write " + path, e);
        }
    }

    /**
     * Parameters saved by {@link #save}, checked against this model: every layer's entries must
     * be there with the shapes {@code init} gives for {@code inputType}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Tensor>> load(Path path, DType inputType) {
        Object o;
        try {
            o = Nx.deserialize(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("Model.load: cannot read " + path, e);
        }
        Map<String, Map<String, Tensor>> want = init(Random.key(0), inputType);
        if (!(o instanceof Map<?, ?> m) || !dev.jnx.defn.Tree.flatten(m, new ArrayList<>())
                .equals(dev.jnx.defn.Tree.flatten(want, new ArrayList<>()))) {
            throw new IllegalArgumentException("Model.load: " + path + " does not hold this model's parameters: expected "
                    + dev.jnx.defn.Tree.flatten(want, new ArrayList<>()) + ", got "
                    + (o instanceof Map<?, ?> ? dev.jnx.defn.Tree.flatten(o, new ArrayList<>()) : o.getClass().getName()));
        }
        return (Map<String, Map<String, Tensor>>) o;
    }

    private Map<String, Map<String, Tensor>> select(Map<String, Map<String, Tensor>> params, boolean stateOnly) {
        Map<String, java.util.Set<String>> stateNames = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            stateNames.put(names.get(i), layers.get(i).stateNames());
        }
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        params.forEach((layer, entries) -> {
            java.util.Set<String> s = stateNames.getOrDefault(layer, java.util.Set.of());
            Map<String, Tensor> kept = new LinkedHashMap<>();
            entries.forEach((k, v) -> {
                if (s.contains(k) == stateOnly) {
                    kept.put(k, v);
                }
            });
            if (!kept.isEmpty()) {
                out.put(layer, Collections.unmodifiableMap(kept));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static Shape batched(int batch, Shape s) {
        int[] d = new int[s.rank() + 1];
        d[0] = batch;
        System.arraycopy(s.dims(), 0, d, 1, s.rank());
        return Shape.of(d);
    }

    private static void positive(String op, String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(op + ": " + what + " must be positive, got " + v);
        }
    }

    /** The layers and the input shape, e.g. {@code Model[input [784], dense_0, relu_0, dense_1]}. */
    @Override
    public String toString() {
        return "Model[input " + input + (names.isEmpty() ? "" : ", " + String.join(", ", names)) + "]";
    }
}
