package dev.jnx.exla;

import dev.jnx.Tensor;
import dev.jnx.defn.Compiler;
import dev.jnx.defn.Defn;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtPlugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Entry points of the Exla backend: the compiler over the bundled CPU PJRT plugin, and the
 * StableHLO text of a function for inspection.
 *
 * <pre>{@code
 * var softmax = Defn.jit(x -> Nx.divide(Nx.exp(x), Nx.sum(Nx.exp(x))), Exla.compiler());
 * softmax.apply(Nx.tensor(new float[] {1, 2, 3}));
 * }</pre>
 *
 * <p>The plugin is found as {@link CpuPlugin} describes (system property
 * {@code jnx.pjrt.cpu.plugin}, else extracted from the classpath); it is loaded, and its one
 * client created, on the first compilation.
 */
public final class Exla {
    private static final ExlaCompiler CPU = new ExlaCompiler(Exla::cpuClient, "exla(cpu)");
    private static volatile PjrtClient cpuClient;
    /** Held for the life of the process: closing a plugin closes its clients. */
    private static PjrtPlugin cpuPlugin;

    private Exla() {
    }

    /** The Exla compiler over the bundled CPU plugin; it shares one client, created on first use. */
    public static Compiler compiler() {
        return CPU;
    }

    /**
     * The shared client of the bundled CPU plugin, loading the plugin on first use.
     *
     * @throws IllegalStateException if the plugin cannot be found
     */
    public static PjrtClient cpuClient() {
        PjrtClient c = cpuClient;
        if (c == null) {
            synchronized (Exla.class) {
                c = cpuClient;
                if (c == null) {
                    Path path = CpuPlugin.locate();
                    cpuPlugin = PjrtPlugin.load(path);
                    c = cpuPlugin.createClient(Map.of());
                    cpuClient = c;
                }
            }
        }
        return c;
    }

    /** The StableHLO module of {@code f} traced for an argument shaped like {@code x}. */
    public static String toStableHlo(Function<Tensor, Tensor> f, Tensor x) {
        return StableHlo.lower(Defn.trace(f, x));
    }

    /** The StableHLO module of {@code f} traced for arguments shaped like {@code x} and {@code y}. */
    public static String toStableHlo(BiFunction<Tensor, Tensor, Tensor> f, Tensor x, Tensor y) {
        return StableHlo.lower(Defn.trace(f, x, y));
    }

    /** The StableHLO module of {@code f} traced for arguments shaped like {@code args}. */
    public static String toStableHloVarargs(Defn.Variadic f, Tensor... args) {
        return StableHlo.lower(Defn.traceVarargs(f, args));
    }
}
