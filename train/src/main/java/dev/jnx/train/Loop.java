package dev.jnx.train;

import dev.jnx.Backend;
import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Executable;
import dev.jnx.defn.TracedFunction;
import dev.jnx.defn.Tree;
import dev.jnx.train.data.Dataset;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Training and evaluation loops in {@code Axon.Loop}'s spirit. {@link #trainer} glues a model,
 * a loss and an optimizer into one step function, which {@code run} jits once with the compiler
 * it is given; {@link #evaluator} runs a jitted inference loop. Both keep running metrics and
 * call {@link Handler}s at {@link Event}s; a progress bar is on by default.
 *
 * <pre>{@code
 * TrainState s = Loop.trainer(model, Losses::sparseCategoricalCrossEntropy, Optimizers.adam(1e-3))
 *         .metric("accuracy", Metrics::accuracy)
 *         .run(train, 2, Exla.compiler());
 * }</pre>
 *
 * <p>A loop is configured by its methods (each returns the loop) and then run; configuration
 * is not thread-safe, runs of differently configured loops are independent.
 *
 * @param <L> the loop's own type, which the configuration methods return
 */
public abstract sealed class Loop<L extends Loop<L>> permits TrainLoop, EvalLoop {
    final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final Map<Event, List<Handler>> handlers = new EnumMap<>(Event.class);
    PrintStream progress = System.err;

    Loop() {
    }

    /**
     * A training loop ({@code Axon.Loop.trainer}): each step takes {@code valueAndGrad} of the
     * loss of the model's training-mode prediction with respect to the trained parameters,
     * applies the optimizer's update, and folds the loss and metrics into running means.
     */
    public static TrainLoop trainer(Model model, Loss loss, Optimizer optimizer) {
        return new TrainLoop(Objects.requireNonNull(model, "model"), Objects.requireNonNull(loss, "loss"),
                Objects.requireNonNull(optimizer, "optimizer"));
    }

    /** An evaluation loop ({@code Axon.Loop.evaluator}): the metrics of the model's inference-mode predictions. */
    public static EvalLoop evaluator(Model model) {
        return new EvalLoop(Objects.requireNonNull(model, "model"));
    }

    abstract L self();

    /** Adds a running metric computed on every batch's predictions, e.g. {@code metric("accuracy", Metrics::accuracy)}. */
    public L metric(String name, Metric metric) {
        Objects.requireNonNull(metric, "metric");
        if (name.equals("loss") && this instanceof TrainLoop || metrics.containsKey(name)) {
            throw new IllegalArgumentException("metric: the name " + name + " is already taken");
        }
        metrics.put(name, metric);
        return self();
    }

    /** Runs {@code handler} at every {@code event}, after the handlers added before it. */
    public L handle(Event event, Handler handler) {
        handlers.computeIfAbsent(event, e -> new ArrayList<>()).add(Objects.requireNonNull(handler, "handler"));
        return self();
    }

    /** Shows the progress bar (on standard error, the default) or not. */
    public L progress(boolean show) {
        progress = show ? System.err : null;
        return self();
    }

    /** Shows progress as plain lines on {@code out}. */
    public L progress(PrintStream out) {
        progress = Objects.requireNonNull(out, "out");
        return self();
    }

    /** Runs the handlers of {@code event}; the strongest control any of them returns wins. */
    Control fire(Event event, LoopState state) {
        Control result = Control.CONTINUE;
        for (Handler h : handlers.getOrDefault(event, List.of())) {
            Control c = Objects.requireNonNull(h.handle(state), "a handler returned null");
            if (c.compareTo(result) > 0) {
                result = c;
            }
        }
        return result;
    }

    static void requireBatches(String op, Dataset data) {
        if (data.batchCount() == 0) {
            throw new IllegalArgumentException(op + ": the data set yields no batch (" + data.size()
                    + " examples in batches of " + data.batchSize() + (data.padsLastBatch() ? "" : ", remainder dropped")
                    + ")");
        }
    }

    /**
     * The mean of a loss or metric over a batch's real examples: a scalar is taken as the batch's
     * value (impossible to mask, so refused for padded batches); per-example values are averaged
     * under the mask.
     */
    static Tensor batchMean(String what, Tensor value, Tensor mask, boolean padded) {
        int batch = mask.shape().dim(0);
        Tensor v = Nx.asType(value, DType.F32);
        if (value.rank() == 0) {
            if (padded) {
                throw new IllegalArgumentException(what + " returned a scalar " + value.type() + value.shape() + ", but the"
                        + " data set pads its last batch: return one value per example (Reduction.NONE, shape ["
                        + batch + "]) so the padding can be left out");
            }
            return v;
        }
        if (value.rank() != 1 || value.shape().dim(0) != batch) {
            throw new IllegalArgumentException(what + " returned " + value.type() + value.shape() + "; expected a scalar or"
                    + " one value per example, f32[" + batch + "]");
        }
        return Nx.divide(Nx.sum(Nx.multiply(v, mask)), Nx.max(Nx.sum(mask), 1f));
    }

    /** {@code totals} plus each metric's batch mean times the batch's number of real examples {@code n}. */
    Map<String, Tensor> addMetrics(Map<String, Tensor> totals, Tensor yTrue, Tensor yPred, Tensor mask, boolean padded,
                                   Tensor n) {
        Map<String, Tensor> out = new LinkedHashMap<>(totals);
        metrics.forEach((name, m) -> out.put(name, Nx.add(totals.get(name),
                Nx.multiply(batchMean("metric " + name, m.apply(yTrue, yPred), mask, padded), n))));
        return out;
    }

    /** A zero f32 scalar per name, on {@code device}. */
    static Map<String, Tensor> zeros(List<String> names, Backend device) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, Nx.backendTransfer(Nx.scalar(0f), device));
        }
        return out;
    }

    /** The running means {@code totals / seen}, read to the host. */
    static Map<String, Double> means(Map<String, Tensor> totals, Tensor seen) {
        double n = seen.toDouble();
        Map<String, Double> out = new LinkedHashMap<>();
        totals.forEach((k, v) -> out.put(k, n == 0 ? Double.NaN : v.toDouble() / n));
        return Collections.unmodifiableMap(out);
    }

    /** A copy of {@code container} on {@code device}; the original stays valid. */
    static <T> T copyTo(T container, Backend device) {
        return Tree.map(container, t -> Nx.backendCopy(t, device));
    }

    /**
     * {@code compiler}, compiling every function with its parameters from {@code batchFrom} on
     * (a batch's leaves) marked as batches: a data-parallel compiler splits them.
     */
    static Compiler markingBatches(Compiler compiler, int batchFrom) {
        return new Compiler() {
            @Override
            public Executable compile(TracedFunction function) {
                Set<Integer> batch = IntStream.range(batchFrom, function.parameters().size()).boxed()
                        .collect(Collectors.toSet());
                return compiler.compile(function.batching(batch));
            }

            @Override
            public String name() {
                return compiler.name();
            }

            @Override
            public Backend backend() {
                return compiler.backend();
            }

            @Override
            public Backend batchBackend() {
                return compiler.batchBackend();
            }
        };
    }

    /** Closes the leaves of {@code old} that {@code next} does not hold itself. */
    static void closeReplaced(Object old, Object next) {
        Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(Tree.leaves(next));
        for (Tensor t : Tree.leaves(old)) {
            if (!kept.contains(t)) {
                t.close();
            }
        }
    }
}
