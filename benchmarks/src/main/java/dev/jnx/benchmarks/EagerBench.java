package dev.jnx.benchmarks;

import dev.jnx.Backend;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.Defn;
import dev.jnx.exla.Exla;
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

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code Nx.exp} of a 1M-element f32 tensor on the Exla CPU device, in one run: eager (the op
 * dispatched to the tensor's backend, compiled once and cached), through {@code Defn.jit}, and
 * the host round trip eager ops cost before they followed their operands' backend (read the
 * tensor back, the reference evaluator's exp, upload the result) as the baseline. Every result
 * stays on the device and is closed. Run with {@code ./jnx bench eager}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EagerBench {
    static final int N = 1 << 20;

    private Tensor x;
    private Function<Tensor, Tensor> jitted;

    /** Puts the input on the device and compiles both paths once. */
    @Setup
    public void setup() {
        float[] values = new float[N];
        for (int i = 0; i < N; i++) {
            values[i] = (i % 1000) * 1e-3f;
        }
        x = Nx.backendTransfer(Nx.reshape(Nx.tensor(values), Shape.of(N)), Exla.backend());
        jitted = Defn.jit(Nx::exp, Exla.compiler());
        jitted.apply(x).close();
        Nx.exp(x).close();
    }

    /** Frees the input. */
    @TearDown
    public void tearDown() {
        x.close();
    }

    /** The eager op on a device tensor. */
    @Benchmark
    public Object eager() {
        Tensor y = Nx.exp(x);
        y.close();
        return y;
    }

    /** The same op jitted. */
    @Benchmark
    public Object jitted() {
        Tensor y = jitted.apply(x);
        y.close();
        return y;
    }

    /** The baseline: to the host, exp there, back to the device. */
    @Benchmark
    public Object hostRoundTrip() {
        Tensor y = Nx.backendTransfer(Nx.exp(Nx.backendCopy(x, Backend.HOST)), Exla.backend());
        y.close();
        return y;
    }

    /** Runs the benchmarks and prints the medians and their ratios. */
    public static void main(String[] args) throws RunnerException {
        Map<String, Double> m = Medians.of(new Runner(new OptionsBuilder()
                .include(EagerBench.class.getName() + ".").build()).run());
        double jit = m.get("jitted");
        System.out.printf("%nNx.exp of f32[%d] on the Exla CPU device, median us (SampleTime, same run):%n", N);
        System.out.printf("  eager (dispatched to the device, cached)   %10.1f   %.2f x jitted%n", m.get("eager"), m.get("eager") / jit);
        System.out.printf("  Defn.jit                                   %10.1f%n", jit);
        System.out.printf("  host round trip (baseline)                 %10.1f   %.2f x jitted%n", m.get("hostRoundTrip"), m.get("hostRoundTrip") / jit);
    }
}
