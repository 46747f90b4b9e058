package dev.jnx.benchmarks;

import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Tree;
import dev.jnx.exla.Exla;
import dev.jnx.exla.ExlaCompiler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Fashion-MNIST MLP 784-256(relu)-128(relu)-10 with Adam, batch 128, as a training loop runs
 * it: parameters and optimizer state on the device (donated to each step), the batch uploaded
 * from a Java {@code float[]} every step. In one run:
 * <ul>
 * <li>the step on the default CPU runtime (XLA's own client), with and without donation, and on
 * the tf-session runtime (the baseline);</li>
 * <li>a step that returns its 2.8 MB state unchanged, with and without donation: what carrying
 * the state costs;</li>
 * <li>the first step of a new process (trace, lower, compile, run), in fresh JVMs, with the
 * persistent compile cache off and warm, and on JDK 25+ warm again in JVMs started with the JDK's
 * AOT cache of a training fork ({@link OneShot}).</li>
 * </ul>
 * Run with {@code ./jnx bench mlp}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MlpBench {
    static final int BATCH = 128;
    static final int[] HIDDEN = {256, 128};

    /** A step over device-resident state, fed a new host batch each call. */
    @State(Scope.Thread)
    public static class Training {
        @Param({"tfrt-cpu", "tfrt-cpu-no-donation", "tf-session"})
        public String variant;
        Jitted.Function3<MlpStep.State, Tensor, Tensor, MlpStep.Out> step;
        MlpStep.State state;
        float[] images;
        float[] labels;

        @Setup(Level.Trial)
        public void setup() {
            ExlaCompiler c = variant.equals("tf-session") ? Exla.compiler("cpu", Map.of("jnx_cpu_runtime", "tf-session"))
                    : Exla.compiler();
            var jitted = Defn.jit(MlpStep::step, c);
            step = variant.equals("tfrt-cpu-no-donation") ? jitted : jitted.donating(0);
            state = Tree.map(MlpStep.init(1, HIDDEN), t -> Nx.backendTransfer(t, c.backend()));
            Tensor[] b = MlpStep.batch(2, BATCH);
            images = b[0].toFloatArray();
            labels = b[1].toFloatArray();
            run();
        }

        void run() {
            MlpStep.Out out = step.apply(state, Nx.tensor(images, BATCH, MlpStep.FEATURES),
                    Nx.tensor(labels, BATCH, MlpStep.CLASSES));
            if (!step.options().donatedArguments().contains(0)) {
                Tree.close(state);
            }
            state = out.state();
            out.loss().close();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Tree.close(state);
        }
    }

    /** A step that hands its state back unchanged: the cost of carrying 2.8 MB. */
    @State(Scope.Thread)
    public static class Carry {
        @Param({"donated", "copied"})
        public String variant;
        Jitted.Function1<MlpStep.State, MlpStep.State> same;
        MlpStep.State state;

        @Setup(Level.Trial)
        public void setup() {
            ExlaCompiler c = Exla.compiler();
            var jitted = Defn.jit((MlpStep.State s) -> s, c);
            same = variant.equals("donated") ? jitted.donating(0) : jitted;
            state = Tree.map(MlpStep.init(1, HIDDEN), t -> Nx.backendTransfer(t, c.backend()));
            run();
        }

        void run() {
            MlpStep.State next = same.apply(state);
            if (variant.equals("copied")) {
                Tree.close(state);
            }
            state = next;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Tree.close(state);
        }
    }

    /** One training step (plus its batch upload). */
    @Benchmark
    public Object step(Training t) {
        t.run();
        return t.state;
    }

    /** One do-nothing step over the state. */
    @Benchmark
    public Object carry(Carry c) {
        c.run();
        return c.state;
    }

    /** The first step of a fresh process: jit, trace, lower, compile (or load), run once. */
    @State(Scope.Benchmark)
    public static class FirstStep {
        @Param({"cache-off", "cache-warm"})
        public String cache;
        MlpStep.State state;
        Tensor[] batch;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "jnx-bench-mlp-cache");
            if (cache.equals("cache-off")) {
                System.setProperty("jnx.compile.cache", "false");
            } else {
                // Every fork shares the directory: the warm-up fork fills it, measured ones hit.
                Files.createDirectories(dir);
                System.setProperty("jnx.compile.cache.dir", dir.toString());
            }
            state = MlpStep.init(1, HIDDEN);
            batch = MlpStep.batch(2, BATCH);
            Exla.compiler().backend().client(); // the runtime's own start-up is not the step's
        }
    }

    /** The first call of a newly jitted step, in a new JVM. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 6, warmups = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
    public Object firstStep(FirstStep f) {
        MlpStep.Out out = Defn.jit(MlpStep::step, Exla.compiler()).apply(f.state, f.batch[0], f.batch[1]);
        return out.loss().toFloatArray();
    }

    /** Runs the benchmarks and prints the medians and their ratios. */
    public static void main(String[] args) throws RunnerException {
        var results = new Runner(new OptionsBuilder().include(MlpBench.class.getName() + ".").build()).run();
        Map<String, Double> m = new java.util.TreeMap<>();
        for (var r : results) {
            String name = r.getParams().getBenchmark();
            String key = name.substring(name.lastIndexOf('.') + 1) + "/" + String.join(",", r.getParams().getParamsKeys()
                    .stream().map(r.getParams()::getParam).toList());
            m.put(key, r.getPrimaryResult().getStatistics().getPercentile(50));
        }
        Map<String, Double> aot = OneShot.mediansWithAotCache(MlpBench.class.getName() + ".firstStep",
                Map.of("cache", "cache-warm"), 6, 1, java.nio.file.Path.of("benchmarks", "target", "mlp.aot").toAbsolutePath());
        double base = m.get("step/tf-session");
        System.out.printf("%nFashion-MNIST MLP 784-256-128-10, Adam, batch 128 from a float[] each step (same run):%n");
        System.out.printf("  step, tfrt-cpu, state donated           %9.1f µs   %.3f x tf-session%n",
                m.get("step/tfrt-cpu"), m.get("step/tfrt-cpu") / base);
        System.out.printf("  step, tfrt-cpu, state not donated       %9.1f µs   %.3f x tf-session%n",
                m.get("step/tfrt-cpu-no-donation"), m.get("step/tfrt-cpu-no-donation") / base);
        System.out.printf("  step, tf-session runtime (baseline)     %9.1f µs%n", base);
        System.out.printf("  do-nothing step over 2.8 MB, donated    %9.1f µs%n", m.get("carry/donated"));
        System.out.printf("  do-nothing step over 2.8 MB, copied     %9.1f µs%n", m.get("carry/copied"));
        System.out.printf("  first step of a new JVM, cache off      %9.1f ms (median of 6 JVMs)%n",
                m.get("firstStep/cache-off"));
        System.out.printf("  first step of a new JVM, cache warm     %9.1f ms (median of 6 JVMs)%n",
                m.get("firstStep/cache-warm"));
        if (!aot.isEmpty()) {
            System.out.printf("  the same, JVM started with an AOT cache %9.1f ms (median of 6 JVMs)%n", aot.get("firstStep"));
        }
    }
}
