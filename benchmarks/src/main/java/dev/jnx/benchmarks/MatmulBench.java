package dev.jnx.benchmarks;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.exla.Exla;
import dev.jnx.exla.ExlaCompiler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A 1024x1024 f32 matmul with both operands on the device: jnx on the default CPU runtime
 * (XLA's own client, all cores), jnx on one intra-op thread, jnx on the tf-session runtime, and
 * TensorFlow Java's MatMul op (oneDNN) in a JMH fork of its own, all in one run. Run with
 * {@code ./jnx bench matmul}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MatmulBench {
    static final int N = 1024;

    static float[] matrix(int seed) {
        float[] m = new float[N * N];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextFloat() - 0.5f;
        }
        return m;
    }

    /** A jitted dot over device-resident operands of one compiler. */
    abstract static class Jnx {
        BiFunction<Tensor, Tensor, Tensor> dot;
        Tensor a;
        Tensor b;

        abstract ExlaCompiler compiler();

        @Setup(Level.Trial)
        public void setup() {
            ExlaCompiler c = compiler();
            a = Nx.backendTransfer(Nx.reshape(Nx.tensor(matrix(1)), dev.jnx.Shape.of(N, N)), c.backend());
            b = Nx.backendTransfer(Nx.reshape(Nx.tensor(matrix(2)), dev.jnx.Shape.of(N, N)), c.backend());
            dot = Defn.jit((Defn.TensorBiFunction) Nx::dot, c);
            dot.apply(a, b).close();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
        }

        Object run() {
            Tensor c = dot.apply(a, b);
            c.close();
            return c;
        }
    }

    /** The default runtime and thread count. */
    @State(Scope.Thread)
    public static class TfrtCpu extends Jnx {
        @Override
        ExlaCompiler compiler() {
            return Exla.compiler();
        }
    }

    /** XLA's client on one intra-op thread. */
    @State(Scope.Thread)
    public static class OneThread extends Jnx {
        @Override
        ExlaCompiler compiler() {
            return Exla.compiler("cpu", Map.of("intra_op_threads", 1L));
        }
    }

    /** The tf-session fallback runtime. */
    @State(Scope.Thread)
    public static class TfSession extends Jnx {
        @Override
        ExlaCompiler compiler() {
            return Exla.compiler("cpu", Map.of("jnx_cpu_runtime", "tf-session"));
        }
    }

    /** TensorFlow Java: a graph with MatMul, the operands fed as tensors it keeps. */
    @State(Scope.Thread)
    public static class TensorFlowJava {
        Graph graph;
        Session session;
        Placeholder<TFloat32> pa;
        Placeholder<TFloat32> pb;
        MatMul<TFloat32> product;
        TFloat32 a;
        TFloat32 b;

        @Setup(Level.Trial)
        public void setup() {
            graph = new Graph();
            Ops tf = Ops.create(graph);
            pa = tf.placeholder(TFloat32.class);
            pb = tf.placeholder(TFloat32.class);
            product = tf.linalg.matMul(pa, pb);
            session = new Session(graph);
            a = TFloat32.tensorOf(Shape.of(N, N), DataBuffers.of(matrix(1), true, false));
            b = TFloat32.tensorOf(Shape.of(N, N), DataBuffers.of(matrix(2), true, false));
            run();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
            session.close();
            graph.close();
        }

        Object run() {
            try (var result = session.runner().feed(pa, a).feed(pb, b).fetch(product).run()) {
                return result;
            }
        }
    }

    /** jnx, XLA's own CPU client, default threads. */
    @Benchmark
    public Object jnxTfrtCpu(TfrtCpu s) {
        return s.run();
    }

    /** jnx, XLA's own CPU client, one intra-op thread. */
    @Benchmark
    public Object jnxOneThread(OneThread s) {
        return s.run();
    }

    /** jnx on the tf-session fallback. */
    @Benchmark
    public Object jnxTfSession(TfSession s) {
        return s.run();
    }

    /** TensorFlow Java (oneDNN). */
    @Benchmark
    public Object tensorFlowJava(TensorFlowJava s) {
        return s.run();
    }

    /** Runs the benchmarks and prints the medians and their ratios. */
    public static void main(String[] args) throws RunnerException {
        Map<String, Double> m = Medians.of(new Runner(new OptionsBuilder()
                .include(MatmulBench.class.getName() + ".").build()).run());
        double tf = m.get("tensorFlowJava");
        System.out.printf("%n1024x1024 f32 matmul, operands on the device, median ms (SampleTime, same run):%n");
        System.out.printf("  jnx, tfrt-cpu (XLA's CPU client), default threads  %8.3f   %.3f x TF Java%n", m.get("jnxTfrtCpu"), m.get("jnxTfrtCpu") / tf);
        System.out.printf("  jnx, tfrt-cpu, intra_op_threads = 1               %8.3f   %.3f x TF Java%n", m.get("jnxOneThread"), m.get("jnxOneThread") / tf);
        System.out.printf("  jnx, tf-session runtime                           %8.3f   %.3f x TF Java%n", m.get("jnxTfSession"), m.get("jnxTfSession") / tf);
        System.out.printf("  TensorFlow Java 1.1.0 MatMul (baseline)           %8.3f%n", tf);
    }
}
