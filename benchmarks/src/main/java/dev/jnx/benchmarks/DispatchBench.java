package dev.jnx.benchmarks;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Defn;
import dev.jnx.exla.Exla;
import dev.jnx.xla.ElementType;
import dev.jnx.xla.PjrtBuffer;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtLoadedExecutable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The cost of one jitted call: softmax over f32[5] through {@code Defn.jit(..., Exla.compiler())}
 * (host tensor in, host tensor out), against the same compiled module driven directly through
 * the PJRT bindings (upload, execute, download) in the same run. Their ratio is what jnx's
 * Java layers add on top of PJRT and the plugin. Run with {@code ./jnx bench dispatch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DispatchBench {
    private Function<Tensor, Tensor> jitted;
    private Tensor input;
    private PjrtLoadedExecutable executable;
    private PjrtClient client;
    private Arena arena;
    private MemorySegment hostInput;

    static Tensor softmax(Tensor x) {
        Tensor shifted = Nx.subtract(x, Nx.reduceMax(x));
        return Nx.divide(Nx.exp(shifted), Nx.sum(Nx.exp(shifted)));
    }

    /** Compiles both paths and warms them once. */
    @Setup
    public void setup() {
        input = Nx.tensor(new float[] {0.1f, 0.5f, 0.2f, 0.9f, 0.3f});
        jitted = Defn.jit(DispatchBench::softmax, Exla.compiler());
        jitted.apply(input);
        client = Exla.compiler().backend().client();
        executable = client.compile(Exla.toStableHlo(DispatchBench::softmax, input), new byte[0]);
        arena = Arena.ofShared();
        hostInput = arena.allocate(ValueLayout.JAVA_FLOAT, 5);
        hostInput.copyFrom(input.hostSegment());
    }

    /** Frees the baseline's executable and host memory. */
    @TearDown
    public void tearDown() {
        executable.close();
        arena.close();
    }

    /** One call through Defn.jit with the Exla compiler. */
    @Benchmark
    public float[] jitSoftmax() {
        return jitted.apply(input).toFloatArray();
    }

    /** The same module through the PJRT bindings alone: the baseline. */
    @Benchmark
    public byte[] pjrtSoftmax() {
        try (PjrtBuffer in = client.bufferFromHost(hostInput, ElementType.F32, new long[] {5}, null)) {
            PjrtBuffer[] out = executable.execute(in);
            try (PjrtBuffer result = out[0]) {
                return result.toByteArray();
            }
        }
    }

    /**
     * The Java layers alone: {@code exp} over f32[5] jitted onto the mock PJRT plugin of
     * xla-bindings' tests, whose execute is a few lines of C, so what remains is jnx's own
     * per-call work (template lookup, checks, FFM calls, copies).
     */
    @State(Scope.Thread)
    public static class MockPlugin {
        Function<Tensor, Tensor> exp;
        Tensor input;

        /** Jits onto the mock plugin named by {@code -Djnx.bench.mockPlugin}. */
        @Setup
        public void setup() {
            input = Nx.tensor(new float[] {0.1f, 0.5f, 0.2f, 0.9f, 0.3f});
            exp = Defn.jit(Nx::exp, Exla.compiler(System.getProperty(MOCK_PROPERTY)));
            exp.apply(input);
        }
    }

    /** System property naming the mock plugin; the launcher passes the one the tests built. */
    static final String MOCK_PROPERTY = "jnx.bench.mockPlugin";

    /** One jitted call whose plugin does next to nothing. */
    @Benchmark
    public float[] jitExpOnMockPlugin(MockPlugin m) {
        return m.exp.apply(m.input).toFloatArray();
    }

    /** Runs the benchmarks and prints the medians and their ratio. */
    public static void main(String[] args) throws RunnerException {
        String mock = System.getProperty(MOCK_PROPERTY);
        OptionsBuilder options = new OptionsBuilder();
        options.include(DispatchBench.class.getName() + ".(jitSoftmax|pjrtSoftmax)");
        if (mock != null && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(mock))) {
            options.include(DispatchBench.class.getName() + ".jitExpOnMockPlugin");
            options.jvmArgsAppend("-D" + MOCK_PROPERTY + "=" + mock);
        }
        java.util.Map<String, Double> medians = new java.util.TreeMap<>();
        for (RunResult r : new Runner(options.build()).run()) {
            String name = r.getParams().getBenchmark();
            medians.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getStatistics().getPercentile(50));
        }
        double jit = medians.get("jitSoftmax");
        double pjrt = medians.get("pjrtSoftmax");
        System.out.printf("%nsoftmax f32[5], median µs per call (SampleTime, same run):%n");
        System.out.printf("  Defn.jit(softmax, Exla.compiler())      %8.2f%n", jit);
        System.out.printf("  PJRT bindings alone (baseline)          %8.2f%n", pjrt);
        System.out.printf("  ratio jit / baseline                    %8.3f%n", jit / pjrt);
        if (medians.containsKey("jitExpOnMockPlugin")) {
            System.out.printf("  jitted exp on the mock plugin (jnx's own per-call work) %8.2f%n",
                    medians.get("jitExpOnMockPlugin"));
        }
    }
}
