package dev.jnx.exla;

import dev.jnx.Defn;
import dev.jnx.Tensor;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtPlugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Entry points of the Exla backend: compilers and device backends over PJRT plugins, and the
 * StableHLO text of a function for inspection.
 *
 * <pre>{@code
 * var softmax = Defn.jit(x -> Nx.divide(Nx.exp(x), Nx.sum(Nx.exp(x))), Exla.compiler());
 * softmax.apply(Nx.tensor(new float[] {1, 2, 3}));
 * }</pre>
 *
 * <p>Choosing a plugin: {@link #compiler()} uses the plugin named by the system property
 * {@code jnx.pjrt.plugin}, else the environment variable {@code JNX_PJRT_PLUGIN}, else the
 * bundled CPU plugin. A choice is {@code "host"} or {@code "cpu"} (the bundled CPU plugin, found
 * as {@link CpuPlugin} describes: {@code -Djnx.pjrt.cpu.plugin}, else extracted from the
 * classpath), {@code "cuda"} (jax-cuda13/12-pjrt's {@code xla_cuda_plugin.so}, or
 * {@code -Djnx.pjrt.cuda.plugin}), or the path of any PJRT plugin. Each plugin and set of
 * create options gets one client, shared by every compiler, backend and thread.
 */
public final class Exla {
    private static final ExlaCompiler CPU = new ExlaCompiler(Exla::cpuClient, ClientNames.DEFAULT_CPU);
    /** The compiler {@link #compiler()} returns, resolved once from the configuration. */
    private static volatile ExlaCompiler defaultCompiler;
    private static volatile PjrtClient cpuClient;
    /** Held for the life of the process: closing a plugin closes its clients. */
    private static PjrtPlugin cpuPlugin;
    private static final java.util.concurrent.atomic.AtomicBoolean CPU_CLIENT_STARTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private Exla() {
    }

    /**
     * The default Exla compiler: over the plugin named by {@code -Djnx.pjrt.plugin} or
     * {@code JNX_PJRT_PLUGIN} if set, else over the bundled CPU plugin (client created on first use).
     *
     * @throws dev.jnx.xla.PjrtException if the configured plugin is missing, wrong or incompatible
     */
    public static ExlaCompiler compiler() {
        ExlaCompiler c = defaultCompiler;
        if (c == null) {
            String spec = Plugins.configured();
            c = spec == null || Plugins.isBundledCpu(spec) ? CPU : Plugins.compiler(spec, Map.of());
            defaultCompiler = c;
        }
        if (c == CPU) {
            startCpuClient();
        }
        return c;
    }

    /**
     * Starts creating the bundled CPU client on a background thread, once, unless it exists.
     * Loading the TensorFlow runtime keeps a thread in the dynamic loader for 300 ms and more,
     * which the caller's own work (reading data, building a model, tracing its first function)
     * can overlap; the client's first use waits for it ({@link #cpuClient()} holds the lock the
     * creation runs under) and, should it have failed, creates it again, so errors surface there as
     * before. A shutdown hook waits for the thread, so the process never exits in the middle of
     * loading the runtime.
     */
    private static void startCpuClient() {
        if (cpuClient != null || !CPU_CLIENT_STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = Thread.ofPlatform().daemon().name("jnx-cpu-client").unstarted(() -> {
            try {
                cpuClient();
            } catch (RuntimeException e) {
                // The first use creates the client again and throws this to its caller.
            }
        });
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> joinQuietly(t)));
        } catch (IllegalStateException e) {
            return; // the JVM is shutting down: the client's first use creates it, if any comes
        }
        t.start();
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The compiler over a chosen plugin: {@code "host"}/{@code "cpu"}, {@code "cuda"} or a path.
     *
     * @throws dev.jnx.xla.PjrtException if the plugin is missing, not a PJRT plugin (no
     *     {@code GetPjrtApi}), of an incompatible API version, or refuses to create a client
     * @throws IllegalStateException if {@code "cuda"} is asked for and no CUDA plugin is found
     */
    public static ExlaCompiler compiler(String plugin) {
        return compiler(plugin, Map.of());
    }

    /**
     * Like {@link #compiler(String)}, creating the client with plugin-specific options, e.g.
     * for CUDA {@code Map.of("memory_fraction", 0.5f, "preallocate", false)}; for the bundled
     * CPU plugin {@code intra_op_threads} (XLA:CPU's thread pool, default one per CPU),
     * {@code cpu_device_count} (that many CPU devices, see {@link ExlaCompiler#onDevice(int)})
     * and {@code jnx_cpu_runtime} ({@code tfrt-cpu}, {@code tf-session} or {@code auto}).
     * Values may be String, Long, Integer, long[], Float, Double or Boolean.
     */
    public static ExlaCompiler compiler(String plugin, Map<String, Object> createOptions) {
        java.util.Objects.requireNonNull(plugin, "plugin");
        String spec = plugin.trim();
        if (Plugins.isBundledCpu(spec) && (createOptions == null || createOptions.isEmpty())) {
            startCpuClient();
            return CPU;
        }
        return Plugins.compiler(spec, createOptions == null ? Map.of() : createOptions);
    }

    /** The device backend of {@link #compiler()}: {@code Nx.backendTransfer(t, Exla.backend())}. */
    public static ExlaBackend backend() {
        return compiler().backend();
    }

    /** The device backend of {@link #compiler(String)}. */
    public static ExlaBackend backend(String plugin) {
        return compiler(plugin).backend();
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
                    c = cpuPlugin.createClient(CpuPlugin.createOptions(Map.of()));
                    ClientNames.nameDefaultCpu(c);
                    cpuClient = c;
                }
            }
        }
        return c;
    }

    /**
     * The platform version of {@link #compiler()}'s client ({@code PJRT_Client_PlatformVersion}).
     * For the bundled CPU plugin it names the runtime in use: {@code TfrtCpuClient} (XLA's own
     * PJRT CPU client) or {@code tf-session} (the fallback, with the reason it is used).
     */
    public static String platformVersion() {
        return compiler().platformVersion();
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
