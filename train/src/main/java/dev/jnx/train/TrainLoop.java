package dev.jnx.train;

import dev.jnx.Backend;
import dev.jnx.Compiler;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Tensor;
import dev.jnx.defn.Tree;
import dev.jnx.train.data.Batch;
import dev.jnx.train.data.Dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training loop, made by {@link Loop#trainer}. {@link #run} jits the step once with the
 * compiler it is given; parameters, optimizer state and running metrics then stay on that
 * compiler's backend ({@link Compiler#backend()}) from step to step, donated to each step
 * (XLA may reuse their buffers for the new ones) and closed once replaced, and the next batch
 * moves there while a step runs. Only the values handlers (or the progress bar) ask for come
 * back to the host.
 */
public final class TrainLoop extends Loop<TrainLoop> {
    private final Model model;
    private final Loss loss;
    private final Optimizer optimizer;
    private long seed;
    private EvalLoop validator;
    private Dataset validation;

    TrainLoop(Model model, Loss loss, Optimizer optimizer) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    @Override
    TrainLoop self() {
        return this;
    }

    /** The seed of the parameters' random key in {@link #init} (0 unless set). */
    public TrainLoop seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Evaluates the model on {@code data} after every epoch, with the loss and the metrics; the
     * results join the epoch's metrics as {@code validation_loss}, {@code validation_<metric>}.
     */
    public TrainLoop validate(Dataset data) {
        this.validation = Objects.requireNonNull(data, "data");
        return this;
    }

    /** Saves the {@link TrainState} to {@code path} after every epoch ({@link Checkpoint}), replacing the last one. */
    public TrainLoop checkpoint(Path path) {
        Objects.requireNonNull(path, "path");
        return handle(Event.EPOCH_COMPLETED, s -> {
            Checkpoint.save(path, s.trainState());
            return Control.CONTINUE;
        });
    }

    /** {@link #earlyStop(String, int, boolean)} for a metric to minimize, such as {@code validation_loss}. */
    public TrainLoop earlyStop(String metric, int patience) {
        return earlyStop(metric, patience, false);
    }

    /**
     * Halts the loop when {@code metric}'s epoch value has not improved on its best for
     * {@code patience} epochs ({@code Axon.Loop.early_stop}).
     */
    public TrainLoop earlyStop(String metric, int patience, boolean maximize) {
        if (patience < 1) {
            throw new IllegalArgumentException("earlyStop: patience must be positive, got " + patience);
        }
        double[] best = {Double.NaN};
        int[] since = {0};
        return handle(Event.EPOCH_COMPLETED, s -> {
            Double v = s.metrics().get(metric);
            if (v == null) {
                throw new IllegalArgumentException("earlyStop: no metric named " + metric + " (the epoch has "
                        + s.metrics().keySet() + ")");
            }
            if (Double.isNaN(best[0]) || (maximize ? v > best[0] : v < best[0])) {
                best[0] = v;
                since[0] = 0;
                return Control.CONTINUE;
            }
            return ++since[0] >= patience ? Control.HALT_LOOP : Control.CONTINUE;
        });
    }

    /** Fresh parameters for {@code data}'s inputs (key from {@link #seed}) and the optimizer's initial state. */
    public TrainState init(Dataset data) {
        Map<String, Map<String, Tensor>> params = model.init(Random.key(seed), data.x().type());
        return new TrainState(params, optimizer.init(model.trainable(params)), 0, 0);
    }

    /** Trains from fresh parameters for {@code epochs} epochs; returns the final state, on the host. */
    public TrainState run(Dataset data, int epochs, Compiler compiler) {
        return run(data, init(data), epochs, compiler);
    }

    /** The step's carried values: they stay on the compiler's backend between steps. */
    private record Carry(Map<String, Map<String, Tensor>> params, Object optimizerState, Map<String, Tensor> totals,
                         Tensor seen) {
    }

    private record StepOut(Carry carry, Tensor loss) {
    }

    /**
     * Trains from {@code from} until {@code epochs} epochs are complete (epochs
     * {@code from.epoch()} to {@code epochs - 1}): resuming from a {@link Checkpoint} continues
     * exactly where the saved run was. Returns the final state, on the host.
     *
     * @throws IllegalArgumentException if the data set yields no batch, or (when the step is
     *                                  traced) the model, loss or a metric rejects the batch's shapes
     */
    public TrainState run(Dataset data, TrainState from, int epochs, Compiler compiler) {
        requireBatches("TrainLoop.run", data);
        if (epochs < from.epoch()) {
            throw new IllegalArgumentException("TrainLoop.run: the state has " + from.epoch() + " epochs done, more than "
                    + epochs);
        }
        boolean padded = data.padsLastBatch();
        Backend device = compiler.backend();
        List<String> names = new ArrayList<>();
        names.add("loss");
        names.addAll(metrics.keySet());
        Progress bar = progress == null ? null : new Progress("Epoch", progress);
        Run r = new Run(epochs, data.batchCount(), from.step());
        r.carry = new Carry(copyTo(from.params(), device), copyTo(from.optimizerState(), device),
                zeros(names, device), Nx.backendTransfer(Nx.scalar(0f), device));
        // Donation: each step gives up its carry (argument 0, the first leaves), so XLA may
        // write the new parameters and optimizer state into the old buffers; the batch's leaves
        // follow, marked as batches for a data-parallel compiler.
        Jitted.Function2<Carry, Batch, StepOut> step = Defn.jit((Carry c, Batch b) -> step(c, b, padded),
                markingBatches(compiler, Tree.leaves(r.carry).size())).donating(0).named("train_step");
        int epoch = from.epoch();
        try {
            fire(Event.STARTED, r.state(Event.STARTED, epoch, epoch, Map.of()));
            boolean halted = false;
            while (!halted && epoch < epochs) {
                Carry reset = new Carry(r.carry.params(), r.carry.optimizerState(), zeros(names, device),
                        Nx.backendTransfer(Nx.scalar(0f), device));
                Tree.close(List.of(r.carry.totals(), r.carry.seen()));
                r.carry = reset;
                r.startEpoch();
                LoopState started = r.state(Event.EPOCH_STARTED, epoch, epoch, Map.of());
                if (bar != null) {
                    bar.epochStarted(started);
                }
                fire(Event.EPOCH_STARTED, started);
                try (Dataset.Batches batches = data.batches(epoch, compiler.batchBackend())) {
                    while (batches.hasNext()) {
                        try (Batch b = batches.next()) {
                            StepOut out = step.apply(r.carry, b);
                            // Donated leaves are closed by the call already; this closes what a
                            // compiler that ignores donation (the reference backend) left.
                            closeReplaced(r.carry, out.carry());
                            r.carry = out.carry();
                            if (r.lastLoss != null) {
                                r.lastLoss.close();
                            }
                            r.lastLoss = out.loss();
                        }
                        r.iteration++;
                        r.steps++;
                        r.examples += batches.examplesInLast();
                        LoopState s = r.state(Event.ITERATION_COMPLETED, epoch, epoch, Map.of());
                        if (bar != null) {
                            bar.iterationCompleted(s);
                        }
                        Control c = fire(Event.ITERATION_COMPLETED, s);
                        if (c != Control.CONTINUE) {
                            halted = c == Control.HALT_LOOP;
                            break;
                        }
                    }
                }
                Map<String, Double> validated = validation == null ? Map.of()
                        : prefixed(validator().run(validation, r.carry.params(), compiler));
                LoopState done = r.state(Event.EPOCH_COMPLETED, epoch, epoch + 1, validated);
                if (bar != null) {
                    bar.epochCompleted(done);
                }
                halted |= fire(Event.EPOCH_COMPLETED, done) == Control.HALT_LOOP;
                epoch++;
            }
            fire(Event.COMPLETED, r.state(Event.COMPLETED, epoch, epoch, Map.of()));
            return new TrainState(copyTo(r.carry.params(), Backend.HOST), copyTo(r.carry.optimizerState(), Backend.HOST),
                    epoch, r.steps);
        } finally {
            Tree.close(r.carry);
            if (r.lastLoss != null) {
                r.lastLoss.close();
            }
        }
    }

    /** The mutable progress of one run, which the handlers' {@link LoopState} reads. */
    private final class Run {
        final int epochs;
        final int iterations;
        Carry carry;
        Tensor lastLoss;
        long steps;
        int iteration;
        long examples;
        long epochStart;

        Run(int epochs, int iterations, long steps) {
            this.epochs = epochs;
            this.iterations = iterations;
            this.steps = steps;
        }

        void startEpoch() {
            iteration = 0;
            examples = 0;
            epochStart = System.nanoTime();
        }

        LoopState state(Event event, int epoch, int completed, Map<String, Double> extra) {
            Carry c = carry;
            Tensor l = lastLoss;
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            return new LoopState(event, epoch, epochs, iteration, iterations, steps,
                    seconds > 0 ? examples / seconds : 0, () -> {
                        Map<String, Double> m = new LinkedHashMap<>(means(c.totals(), c.seen()));
                        m.putAll(extra);
                        return m;
                    }, () -> l == null ? Double.NaN : l.toDouble(),
                    () -> new TrainState(c.params(), c.optimizerState(), completed, steps));
        }
    }

    private StepOut step(Carry c, Batch b, boolean padded) {
        Map<String, Map<String, Tensor>> trainable = model.trainable(c.params());
        Map<String, Map<String, Tensor>> state = model.state(c.params());
        Model.Forward[] forward = new Model.Forward[1];
        Defn.ValueAndGrad<Map<String, Map<String, Tensor>>> vg = Defn.valueAndGrad(trainable, p -> {
            forward[0] = model.forward(Model.merge(p, state), b.x(), true);
            return batchMean("loss", loss.apply(b.y(), forward[0].prediction()), b.mask(), padded);
        });
        Optimizer.Update u = optimizer.update(vg.grad(), c.optimizerState(), trainable);
        Map<String, Map<String, Tensor>> next = Updates.applyUpdates(trainable, u.updates());
        Tensor prediction = Defn.stopGrad(forward[0].prediction());
        Tensor n = Nx.sum(b.mask());
        Map<String, Tensor> totals = new LinkedHashMap<>(c.totals());
        totals.put("loss", Nx.add(c.totals().get("loss"), Nx.multiply(Defn.stopGrad(vg.value()), n)));
        totals = addMetrics(totals, b.y(), prediction, b.mask(), padded, n);
        Map<String, Map<String, Tensor>> params = Model.merge(Model.merge(next, state), forward[0].state());
        return new StepOut(new Carry(params, u.state(), totals, Nx.add(c.seen(), n)), vg.value());
    }

    private EvalLoop validator() {
        if (validator == null) {
            validator = Loop.evaluator(model).progress(false);
            metrics.forEach(validator::metric);
            validator.metric("loss", loss::apply);
        }
        return validator;
    }

    private static Map<String, Double> prefixed(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put("validation_" + k, v));
        return out;
    }
}
