package dev.jnx.benchmarks;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Host data in and out of tensors against {@code System.arraycopy} of the same array into a new
 * one, in the same run: {@code Nx.tensor(float[], dims)}, the same values as nested rows
 * ({@code float[rows][width]}), {@code Nx.fromBinary} of the raw bytes, and {@code toFloatArray()}.
 * Sizes: one Fashion-MNIST batch (128 rows of 784 floats) and a million floats (1000 rows of 1000). Run with
 * {@code ./jnx bench host-data}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HostDataBench {
    /** Number of floats. */
    @Param({"100352", "1000000"})
    public int size;

    private int width;
    private float[] flat;
    private float[][] rows;
    private byte[] bytes;
    private Tensor tensor;

    /** Random values, flat, as rows and as raw bytes. */
    @Setup
    public void setup() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        flat = new float[size];
        for (int i = 0; i < size; i++) {
            flat[i] = (float) r.nextDouble();
        }
        width = size % 784 == 0 ? 784 : 1000;
        rows = new float[size / width][width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(flat, i * width, rows[i], 0, width);
        }
        tensor = Nx.tensor(flat, size);
        bytes = tensor.toByteArray();
    }

    /** The baseline: a new array and one System.arraycopy. */
    @Benchmark
    public float[] arraycopy() {
        float[] out = new float[flat.length];
        System.arraycopy(flat, 0, out, 0, flat.length);
        return out;
    }

    /** {@code Nx.tensor(float[] data, int... dims)}. */
    @Benchmark
    public Tensor tensorFromArray() {
        return Nx.tensor(flat, flat.length / width, width);
    }

    /** {@code Nx.tensor(float[][])}: one bulk copy per row. */
    @Benchmark
    public Tensor tensorFromRows() {
        return Nx.tensor(rows);
    }

    /** {@code Nx.fromBinary(byte[], F32, dims)}. */
    @Benchmark
    public Tensor fromBinary() {
        return Nx.fromBinary(bytes, DType.F32, flat.length / width, width);
    }

    /** {@code Tensor.toFloatArray()} of an f32 tensor. */
    @Benchmark
    public float[] toFloatArray() {
        return tensor.toFloatArray();
    }

    /** Runs the benchmarks and prints medians and their ratio to the baseline of the same size. */
    public static void main(String[] args) throws RunnerException {
        String[] sizes = {"100352", "1000000"};
        Map<String, Map<String, Double>> bySize = new java.util.LinkedHashMap<>();
        for (String size : sizes) {
            bySize.put(size, Medians.of(new Runner(new OptionsBuilder()
                    .include(HostDataBench.class.getName()).param("size", size).build()).run()));
        }
        System.out.printf("%nmedian µs per call (SampleTime, same run), ratio to System.arraycopy of the same floats:%n");
        bySize.forEach((size, m) -> {
            double base = m.get("arraycopy");
            System.out.printf("  %s floats: System.arraycopy into a new float[] %9.1f%n", size, base);
            for (String b : new String[] {"tensorFromArray", "tensorFromRows", "fromBinary", "toFloatArray"}) {
                System.out.printf("    %-16s %9.1f  %5.2f×%n", b, m.get(b), m.get(b) / base);
            }
        });
    }
}
