package dev.jnx.examples;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.exla.Exla;

import java.util.SplittableRandom;

/**
 * The seed's example (Nx Tip of the Week #7): softmax jitted with the Exla compiler, through
 * the default-compiler route, and on the reference evaluator, with the largest difference.
 * Run with {@code ./jnx example softmax [seed]}.
 */
public final class Softmax {
    private Softmax() {
    }

    /** {@code exp(x - max(x)) / sum(exp(x - max(x)))}, as the seed's {@code defn softmax}. */
    static Tensor softmax(Tensor x) {
        Tensor maxVal = Nx.reduceMax(x);
        return Nx.divide(Nx.exp(Nx.subtract(x, maxVal)), Nx.sum(Nx.exp(Nx.subtract(x, maxVal))));
    }

    /** Prints the input, the three results and their largest absolute difference. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : System.nanoTime();
        Tensor x = randomUniform(new SplittableRandom(seed), Shape.of(5));
        System.out.println("input (random uniform in [0, 1), seed " + seed + "):\n" + x);

        // Nx.Defn.jit(&JIT.softmax/1, [x], compiler: EXLA)
        Tensor viaJit = Defn.jit(Softmax::softmax, Exla.compiler()).apply(x);
        System.out.println("Defn.jit(softmax, Exla.compiler()):\n" + viaJit);

        // @default_defn_compiler EXLA; JIT.softmax(x)
        Defn.setDefaultCompiler(Exla.compiler());
        Tensor viaDefault = Defn.jit(Softmax::softmax).apply(x);
        System.out.println("default compiler (Exla):\n" + viaDefault);

        Tensor reference = Defn.jit(Softmax::softmax, Evaluator.compiler()).apply(x);
        System.out.println("reference evaluator:\n" + reference);

        double diff = Math.max(maxAbsDiff(viaJit, reference), maxAbsDiff(viaDefault, reference));
        System.out.printf("max |XLA - reference| = %.3g%n", diff);
    }

    private static Tensor randomUniform(SplittableRandom random, Shape shape) {
        float[] values = new float[shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        return Nx.reshape(Nx.tensor(values), shape);
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        float[] p = a.toFloatArray();
        float[] q = b.toFloatArray();
        double m = 0;
        for (int i = 0; i < p.length; i++) {
            m = Math.max(m, Math.abs(p[i] - q[i]));
        }
        return m;
    }
}
