package dev.jnx.benchmarks;

import dev.jnx.Defn;
import dev.jnx.Tensor;
import dev.jnx.defn.TracedFunction;
import dev.jnx.exla.Exla;
import dev.jnx.exla.StableHlo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What a new template of the Fashion-MNIST MLP training step ({@link MlpStep}: forward,
 * {@code valueAndGrad}, Adam) costs before XLA sees it: tracing, the gradient and the StableHLO
 * lowering. Measured one shot per fresh JVM (several forks): the first template of the process
 * (cold) and a second one (a last partial batch after the first; the JVM is warm but has not
 * compiled jnx yet); on JDK 25+ both again with an AOT cache of a training fork (JEP 483/514,
 * {@code -XX:AOTCache}); and the steady state once the JIT has compiled jnx. The baseline, in
 * the same run: the whole first step of a new jitted function (trace, lower, XLA's compile with
 * the persistent compile cache off, and one run). Run with {@code ./jnx bench trace [forks]}.
 */
@State(Scope.Thread)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
public class TraceBench {
    private static final Function<Object[], Object> STEP =
            args -> MlpStep.step((MlpStep.State) args[0], (Tensor) args[1], (Tensor) args[2]);

    private MlpStep.State state;
    private Tensor images;
    private Tensor labels;

    /** The initial state and one batch of 128. */
    @Setup
    public void setup() {
        state = MlpStep.init(1);
        Tensor[] b = MlpStep.batch(2, 128);
        images = b[0];
        labels = b[1];
    }

    /** Trace (with the gradient) and lower one template. */
    @Benchmark
    public String traceAndLower() {
        return StableHlo.lower(Defn.traceContainers(STEP, state, images, labels));
    }

    /** A process that has traced and lowered the batch-128 template, and a last batch of 112 to come. */
    @State(Scope.Thread)
    public static class AfterFirstTemplate {
        MlpStep.State state;
        Tensor images;
        Tensor labels;

        /** Traces and lowers the first template, untimed. */
        @Setup
        public void setup() {
            TraceBench first = new TraceBench();
            first.setup();
            first.traceAndLower();
            state = first.state;
            Tensor[] b = MlpStep.batch(3, 112);
            images = b[0];
            labels = b[1];
        }
    }

    /** Trace and lower the second distinct template of the process. */
    @Benchmark
    public String secondTemplate(AfterFirstTemplate p) {
        return StableHlo.lower(Defn.traceContainers(STEP, p.state, p.images, p.labels));
    }

    /** The baseline: a new jitted step's first call through XLA:CPU (trace, lower, compile, run). */
    @Benchmark
    public Object firstStep() {
        return Defn.jit(MlpStep::step, Exla.compiler()).apply(state, images, labels).loss().toDouble();
    }

    /** Runs the one-shot, AOT-cached and steady-state measurements and prints their medians. */
    public static void main(String[] args) throws RunnerException {
        int forks = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String oneShot = TraceBench.class.getName() + ".(traceAndLower|secondTemplate)";
        Map<String, Double> plain = OneShot.medians(oneShot, Map.of(), forks);
        // Training fork: several templates, so that the cache holds what tracing loads, links and profiles.
        Map<String, Double> aot = OneShot.mediansWithAotCache(oneShot, Map.of(), forks, 20,
                Path.of("benchmarks", "target", "trace.aot").toAbsolutePath());
        Map<String, Double> warm = Medians.of(new Runner(new OptionsBuilder()
                .include(TraceBench.class.getName() + ".(traceAndLower|firstStep)")
                .mode(Mode.SampleTime).forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                // The persistent compile cache off: the baseline is XLA's compile, not a cache hit.
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Djnx.compile.cache=false").build()).run());
        TraceBench b = new TraceBench();
        b.setup();
        TracedFunction f = Defn.traceContainers(STEP, b.state, b.images, b.labels);
        int lines = StableHlo.lower(f).split("\n").length;
        System.out.printf("%nMLP training step (784-128-10 relu, softmax cross-entropy, valueAndGrad, Adam; batch 128):"
                + " %d parameters, %d outputs, %d-line StableHLO module%n", f.parameters().size(), f.outputs().size(), lines);
        System.out.printf("trace + grad + lower, median ms (one shot in each of %d fresh JVMs, or SampleTime):%n", forks);
        System.out.printf("  first template of the process (cold)                     %8.2f%n", plain.get("traceAndLower"));
        System.out.printf("  second template of the process (batch 112 after 128)     %8.2f%n", plain.get("secondTemplate"));
        if (!aot.isEmpty()) {
            System.out.printf("  first template, JVM started with an AOT cache            %8.2f%n", aot.get("traceAndLower"));
            System.out.printf("  second template, JVM started with an AOT cache           %8.2f%n", aot.get("secondTemplate"));
        }
        System.out.printf("  steady state (JIT-compiled jnx, SampleTime)              %8.2f%n", warm.get("traceAndLower"));
        System.out.printf("  baseline: first call of a new jitted step (trace, lower, XLA compile without the cache, run) %8.2f%n",
                warm.get("firstStep"));
    }
}
