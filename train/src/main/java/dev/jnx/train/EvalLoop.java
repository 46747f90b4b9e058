package dev.jnx.train;

import dev.jnx.Backend;
import dev.jnx.Compiler;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Tree;
import dev.jnx.train.data.Batch;
import dev.jnx.train.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An evaluation loop, made by {@link Loop#evaluator}: the running means of its metrics over a
 * data set, from the model's inference-mode predictions, in one jitted function per compiler.
 * With a padded last batch the metrics must return per-example values
 * ({@link Reduction#NONE}) so that every example counts once.
 */
public final class EvalLoop extends Loop<EvalLoop> {
    private final Model model;
    private Compiler jittedFor;
    private boolean jittedPadded;
    private Defn.Fn3<Map<String, Map<String, Tensor>>, Totals, Batch, Totals> jitted;

    EvalLoop(Model model) {
        this.model = model;
    }

    @Override
    EvalLoop self() {
        return this;
    }

    /** Running sums of the metrics and the number of examples seen: they stay on the device. */
    private record Totals(Map<String, Tensor> sums, Tensor seen) {
    }

    /**
     * The metrics' means over {@code data}, with {@code params} copied to the compiler's backend
     * for the run (the caller's stay valid).
     *
     * @throws IllegalArgumentException if no metric was added, the data set yields no batch, or
     *                                  the model or a metric rejects the batch's shapes
     */
    public Map<String, Double> run(Dataset data, Map<String, Map<String, Tensor>> params, Compiler compiler) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("EvalLoop.run: no metric to compute (add one with metric(name, fn))");
        }
        requireBatches("EvalLoop.run", data);
        boolean padded = data.padsLastBatch();
        if (jitted == null || jittedFor != compiler || jittedPadded != padded) {
            int before = Tree.leaves(params).size() + metrics.size() + 1; // the batch's leaves follow
            jitted = Defn.jit((Map<String, Map<String, Tensor>> p, Totals t, Batch b) -> {
                Tensor prediction = model.predict(p, b.x());
                Tensor n = Nx.sum(b.mask());
                return new Totals(addMetrics(t.sums(), b.y(), prediction, b.mask(), padded, n), Nx.add(t.seen(), n));
            }, markingBatches(compiler, before)).named("eval_step");
            jittedFor = compiler;
            jittedPadded = padded;
        }
        Backend device = compiler.backend();
        Map<String, Map<String, Tensor>> onDevice = copyTo(params, device);
        Totals[] now = {new Totals(zeros(new ArrayList<>(metrics.keySet()), device),
                Nx.backendTransfer(Nx.scalar(0f), device))};
        Progress bar = progress == null ? null : new Progress("Evaluating", progress);
        int iterations = data.batchCount();
        long start = System.nanoTime();
        int done = 0;
        long examples = 0;
        try {
            fire(Event.STARTED, state(Event.STARTED, 0, iterations, 0, now));
            LoopState started = state(Event.EPOCH_STARTED, 0, iterations, 0, now);
            if (bar != null) {
                bar.epochStarted(started);
            }
            fire(Event.EPOCH_STARTED, started);
            try (Dataset.Batches batches = data.batches(0, compiler.batchBackend())) {
                while (batches.hasNext()) {
                    try (Batch b = batches.next()) {
                        Totals next = jitted.apply(onDevice, now[0], b);
                        closeReplaced(now[0], next);
                        now[0] = next;
                    }
                    done++;
                    examples += batches.examplesInLast();
                    LoopState s = state(Event.ITERATION_COMPLETED, done, iterations, rate(examples, start), now);
                    if (bar != null) {
                        bar.iterationCompleted(s);
                    }
                    if (fire(Event.ITERATION_COMPLETED, s) != Control.CONTINUE) {
                        break;
                    }
                }
            }
            LoopState finished = state(Event.EPOCH_COMPLETED, done, iterations, rate(examples, start), now);
            if (bar != null) {
                bar.epochCompleted(finished);
            }
            fire(Event.EPOCH_COMPLETED, finished);
            fire(Event.COMPLETED, state(Event.COMPLETED, done, iterations, rate(examples, start), now));
            return means(now[0].sums(), now[0].seen());
        } finally {
            Tree.close(now[0]);
            Tree.close(List.of(onDevice));
        }
    }

    private static double rate(long examples, long start) {
        double s = (System.nanoTime() - start) / 1e9;
        return s > 0 ? examples / s : 0;
    }

    private static LoopState state(Event e, int done, int iterations, double rate, Totals[] now) {
        Totals t = now[0];
        return new LoopState(e, 0, 0, done, iterations, done, rate, () -> means(t.sums(), t.seen()),
                () -> Double.NaN, () -> null);
    }
}
