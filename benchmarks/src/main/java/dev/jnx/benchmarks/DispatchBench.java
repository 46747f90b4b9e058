package dev.jnx.benchmarks;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.exla.Exla;
import dev.jnx.exla.ExlaCompiler;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fixed cost of a jitted call, in one run:
 * <ul>
 * <li>softmax over f32[5] through {@code Defn.jit(..., Exla.compiler())}, a Java {@code float[5]}
 * in and out, on the default CPU runtime (XLA's own client) and on the tf-session fallback
 * (the baseline), plus the same module driven through the PJRT bindings alone;</li>
 * <li>a function of 21 device tensors returning 21 device tensors (x + 1 each), through
 * {@code Defn.jit} (one array argument) and through the bindings alone on the same buffers: their difference
 * is what jnx's Java layers add per call;</li>
 * <li>a jitted call on the mock PJRT plugin of xla-bindings' tests (when built), whose execute
 * does next to nothing: jnx's own per-call work.</li>
 * </ul>
 * Run with {@code ./jnx bench dispatch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DispatchBench {
    static final int WIDE = 21;

    private Function<Tensor, Tensor> jitted;
    private Function<Tensor, Tensor> fallback;
    private float[] input;
    private Tensor inputTensor;
    private PjrtLoadedExecutable executable;
    private PjrtClient client;
    private Arena arena;
    private MemorySegment hostInput;

    private Tensor[] wideArgs;
    private PjrtLoadedExecutable wideExecutable;
    private PjrtBuffer[] wideBuffers;

    static Tensor softmax(Tensor x) {
        Tensor shifted = Nx.subtract(x, Nx.reduceMax(x));
        return Nx.divide(Nx.exp(shifted), Nx.sum(Nx.exp(shifted)));
    }

    static Tensor[] plusOne(Tensor... xs) {
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = Nx.add(xs[i], 1f);
        }
        return out;
    }

    /** Compiles every path and warms each once. */
    @Setup
    public void setup() {
        input = new float[] {0.1f, 0.5f, 0.2f, 0.9f, 0.3f};
        inputTensor = Nx.tensor(input);
        jitted = Defn.jit(DispatchBench::softmax, Exla.compiler());
        jitted.apply(inputTensor);
        fallback = Defn.jit(DispatchBench::softmax, Exla.compiler("cpu", Map.of("jnx_cpu_runtime", "tf-session")));
        fallback.apply(inputTensor);
        client = Exla.compiler().backend().client();
        executable = client.compile(Exla.toStableHlo(DispatchBench::softmax, inputTensor),
                dev.jnx.xla.CompileOptions.singleDevice(0));
        arena = Arena.ofShared();
        hostInput = arena.allocate(ValueLayout.JAVA_FLOAT, 5);
        hostInput.copyFrom(MemorySegment.ofArray(input));

        ExlaCompiler exla = Exla.compiler();
        wideArgs = new Tensor[WIDE];
        wideBuffers = new PjrtBuffer[WIDE];
        for (int i = 0; i < WIDE; i++) {
            wideArgs[i] = Nx.backendTransfer(Nx.tensor(new float[] {i, i, i, i}), exla.backend());
            wideBuffers[i] = client.bufferFromHost(MemorySegment.ofArray(new float[] {i, i, i, i}), ElementType.F32,
                    new long[] {4}, null);
        }
        wideJit = Defn.jit((Tensor[] a) -> List.of(plusOne(a)), exla);
        closeAll(wideJit.apply(wideArgs));
        wideExecutable = client.compile(wideModule(), dev.jnx.xla.CompileOptions.singleDevice(0));
    }

    /** What jnx lowers the 21-argument function to, written out for the bindings baseline. */
    private static String wideModule() {
        StringBuilder m = new StringBuilder("module @wide {\n  func.func public @main(");
        for (int i = 0; i < WIDE; i++) {
            m.append(i == 0 ? "" : ", ").append("%a").append(i).append(": tensor<4xf32>");
        }
        m.append(") -> (").append(String.join(", ", java.util.Collections.nCopies(WIDE, "tensor<4xf32>"))).append(") {\n");
        m.append("    %one = stablehlo.constant dense<1.0> : tensor<4xf32>\n");
        for (int i = 0; i < WIDE; i++) {
            m.append("    %r").append(i).append(" = stablehlo.add %a").append(i).append(", %one : tensor<4xf32>\n");
        }
        m.append("    return ");
        for (int i = 0; i < WIDE; i++) {
            m.append(i == 0 ? "%r" : ", %r").append(i);
        }
        m.append(" : ").append(String.join(", ", java.util.Collections.nCopies(WIDE, "tensor<4xf32>")));
        return m.append("\n  }\n}\n").toString();
    }

    private dev.jnx.Jitted.Function1<Tensor[], List<Tensor>> wideJit;

    private static void closeAll(List<?> tensors) {
        for (Object t : tensors) {
            ((Tensor) t).close();
        }
    }

    /** Frees the baselines' executables, buffers and host memory. */
    @TearDown
    public void tearDown() {
        executable.close();
        wideExecutable.close();
        for (PjrtBuffer b : wideBuffers) {
            b.close();
        }
        for (Tensor t : wideArgs) {
            t.close();
        }
        arena.close();
    }

    /** One call through Defn.jit with the Exla compiler: a Java array in, a Java array out. */
    @Benchmark
    public float[] jitSoftmax() {
        return jitted.apply(Nx.tensor(input)).toFloatArray();
    }

    /** The same on the tf-session runtime: the baseline runtime. */
    @Benchmark
    public float[] jitSoftmaxTfSession() {
        return fallback.apply(Nx.tensor(input)).toFloatArray();
    }

    /** The same module through the PJRT bindings alone. */
    @Benchmark
    public byte[] pjrtSoftmax() {
        try (PjrtBuffer in = client.bufferFromHost(hostInput, ElementType.F32, new long[] {5}, null)) {
            PjrtBuffer[] out = executable.execute(in);
            try (PjrtBuffer result = out[0]) {
                return result.toByteArray();
            }
        }
    }

    /** 21 device tensors in, 21 device tensors out, through jit. */
    @Benchmark
    public Object jitWide() {
        List<?> out = wideJit.apply(wideArgs);
        closeAll(out);
        return out;
    }

    /** The same module on the same kind of buffers through the bindings alone. */
    @Benchmark
    public Object pjrtWide() {
        PjrtBuffer[] out = wideExecutable.execute(wideBuffers);
        for (PjrtBuffer b : out) {
            b.close();
        }
        return out;
    }

    /**
     * The Java layers alone: {@code exp} over f32[5] jitted onto the mock PJRT plugin of
     * xla-bindings' tests, whose execute is a few lines of C, so what remains is jnx's own
     * per-call work (template lookup, checks, FFM calls, copies).
     */
    @State(Scope.Thread)
    public static class MockPlugin {
        Function<Tensor, Tensor> exp;
        float[] input;

        /** Jits onto the mock plugin named by {@code -Djnx.bench.mockPlugin}. */
        @Setup
        public void setup() {
            input = new float[] {0.1f, 0.5f, 0.2f, 0.9f, 0.3f};
            exp = Defn.jit(Nx::exp, Exla.compiler(System.getProperty(MOCK_PROPERTY)));
            exp.apply(Nx.tensor(input));
        }
    }

    /** System property naming the mock plugin; the launcher passes the one the tests built. */
    static final String MOCK_PROPERTY = "jnx.bench.mockPlugin";

    /** One jitted call whose plugin does next to nothing. */
    @Benchmark
    public float[] jitExpOnMockPlugin(MockPlugin m) {
        return m.exp.apply(Nx.tensor(m.input)).toFloatArray();
    }

    /** Runs the benchmarks and prints the medians and their ratios. */
    public static void main(String[] args) throws RunnerException {
        String mock = System.getProperty(MOCK_PROPERTY);
        OptionsBuilder options = new OptionsBuilder();
        options.include(DispatchBench.class.getName() + ".(jitSoftmax|jitSoftmaxTfSession|pjrtSoftmax|jitWide|pjrtWide)$");
        if (mock != null && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(mock))) {
            options.include(DispatchBench.class.getName() + ".jitExpOnMockPlugin");
            options.jvmArgsAppend("-D" + MOCK_PROPERTY + "=" + mock);
        }
        Map<String, Double> m = Medians.of(new Runner(options.build()).run());
        System.out.printf("%nmedian µs per call (SampleTime, same run):%n");
        System.out.printf("  softmax f32[5], float[] in and out, Defn.jit on tfrt-cpu   %8.2f%n", m.get("jitSoftmax"));
        System.out.printf("  the same on the tf-session runtime (baseline)              %8.2f   ratio %.3f%n",
                m.get("jitSoftmaxTfSession"), m.get("jitSoftmax") / m.get("jitSoftmaxTfSession"));
        System.out.printf("  the same module through the PJRT bindings alone           %8.2f%n", m.get("pjrtSoftmax"));
        System.out.printf("  21 device inputs / 21 outputs, Defn.jit                   %8.2f%n", m.get("jitWide"));
        System.out.printf("  the same through the PJRT bindings alone                  %8.2f   jit adds %.2f µs%n",
                m.get("pjrtWide"), m.get("jitWide") - m.get("pjrtWide"));
        if (m.containsKey("jitExpOnMockPlugin")) {
            System.out.printf("  jitted exp on the mock plugin (jnx's own per-call work)   %8.2f%n", m.get("jitExpOnMockPlugin"));
        }
    }
}
