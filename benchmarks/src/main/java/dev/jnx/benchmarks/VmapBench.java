package dev.jnx.benchmarks;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
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

/**
 * The forward pass of a 784-128-10 MLP over 256 examples on the Exla CPU device, in one run:
 * jitted {@code Defn.vmap} of the per-example function against the same function written for a
 * batch by hand. The parameters and the batch are device tensors; results are closed. Run with
 * {@code ./jnx bench vmap}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class VmapBench {
    static final int BATCH = 256;

    /** The MLP's parameters. */
    public record Params(Tensor w1, Tensor b1, Tensor w2, Tensor b2) {
    }

    /** The forward pass of one example {@code x} (f32[784]), or of a batch (f32[n, 784]): the same ops. */
    static Tensor forward(Params p, Tensor x) {
        Tensor h = Nx.max(Nx.add(Nx.dot(x, p.w1()), p.b1()), 0f);
        return Nx.add(Nx.dot(h, p.w2()), p.b2());
    }

    private Params params;
    private Tensor x;
    private Defn.Fn2<Params, Tensor, Tensor> vmapped;
    private Defn.Fn2<Params, Tensor, Tensor> batched;

    private static Tensor values(long seed, int... dims) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextFloat() - 0.5f) * 0.1f;
        }
        return Nx.backendTransfer(Nx.tensor(v, dims), Exla.backend());
    }

    /** Puts the parameters and batch on the device and compiles both functions once. */
    @Setup
    public void setup() {
        params = new Params(values(1, 784, 128), values(2, 128), values(3, 128, 10), values(4, 10));
        x = values(5, BATCH, 784);
        vmapped = Defn.jit(Defn.vmap(VmapBench::forward, null, 0, 0), Exla.compiler());
        batched = Defn.jit(VmapBench::forward, Exla.compiler());
        vmapped.apply(params, x).close();
        batched.apply(params, x).close();
    }

    /** Frees the device tensors. */
    @TearDown
    public void tearDown() {
        x.close();
        params.w1().close();
        params.b1().close();
        params.w2().close();
        params.b2().close();
    }

    /** The per-example function, vmapped and jitted. */
    @Benchmark
    public Object vmapped() {
        return closed(vmapped.apply(params, x));
    }

    /** The same forward pass written for the batch, jitted. */
    @Benchmark
    public Object handBatched() {
        return closed(batched.apply(params, x));
    }

    /** Frees a result's device buffer; the tensor object is what JMH consumes. */
    private static Object closed(Tensor y) {
        y.close();
        return y;
    }

    /** Runs the benchmarks and prints the medians and their ratio. */
    public static void main(String[] args) throws RunnerException {
        Map<String, Double> m = Medians.of(new Runner(new OptionsBuilder().include(VmapBench.class.getName() + ".")
                .build()).run());
        double hand = m.get("handBatched");
        System.out.printf("%nMLP 784-128-10 forward over %d examples on the Exla CPU device, median us (SampleTime, same run):%n", BATCH);
        System.out.printf("  jit(vmap(per-example forward))   %10.1f   %.2f x hand-batched%n", m.get("vmapped"), m.get("vmapped") / hand);
        System.out.printf("  jit(hand-batched forward)        %10.1f%n", hand);
    }
}
