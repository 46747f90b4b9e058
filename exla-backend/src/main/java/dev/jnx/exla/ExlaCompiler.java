package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.CompileOptions;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtDevice;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLoadedExecutable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Exla {@link Compiler}: lowers a traced function to StableHLO ({@link StableHlo}), has
 * the PJRT client compile it, and returns an {@link ExlaExecutable} running it on one of the
 * client's addressable devices (the first, or the one {@link #onDevice(int)} chose). {@link Exla#compiler()} gives the one over the bundled CPU plugin.
 */
public final class ExlaCompiler implements Compiler {
    /**
     * Where a jitted function's results go. The default, {@link #FOLLOW_INPUTS}, keeps host code
     * on the host and device code on the device: results are device tensors when at least one
     * argument is a device tensor of this compiler's client, host tensors otherwise.
     */
    public enum OutputPlacement {
        /** Device results if any argument is a device tensor of this client, else host results. */
        FOLLOW_INPUTS,
        /** Always device tensors (close them, or let the Cleaner free them). */
        DEVICE,
        /** Always host tensors; device buffers of the results are freed before the call returns. */
        HOST
    }

    /** The client and one backend per device: shared by every placement and device variant of a compiler. */
    private static final class Shared {
        final Supplier<PjrtClient> clientSupplier;
        final ClientNames.Label label;
        volatile PjrtClient client;
        volatile String identity;
        volatile Map<String, Object> overrides;
        final ConcurrentHashMap<Integer, ExlaBackend> backends = new ConcurrentHashMap<>();

        Shared(Supplier<PjrtClient> clientSupplier, ClientNames.Label label) {
            this.clientSupplier = clientSupplier;
            this.label = label;
        }

        /** The client's plugin and platform, for the compile cache's keys; computed once. */
        String identity() {
            String id = identity;
            if (id == null) {
                id = pluginIdentity(client());
                identity = id;
            }
            return id;
        }

        /**
         * XLA options every compile on this client gets. XLA:CPU splits its LLVM code into 32
         * modules by default to compile them in parallel; each pays LLVM's per-module set-up, which
         * made the MLP step's compile 1.6–1.8× as costly in CPU time as one module, with no gain in
         * wall time on 2 cores.
         */
        Map<String, Object> overrides() {
            Map<String, Object> o = overrides;
            if (o == null) {
                o = client().platformName().equalsIgnoreCase("cpu")
                        ? Map.of("xla_cpu_parallel_codegen_split_count", 1) : Map.of();
                overrides = o;
            }
            return o;
        }

        PjrtClient client() {
            PjrtClient c = client;
            if (c == null) {
                synchronized (this) {
                    c = client;
                    if (c == null) {
                        c = clientSupplier.get();
                        if (c.addressableDevices().isEmpty()) {
                            throw new IllegalStateException(label + ": the PJRT client has no addressable device");
                        }
                        client = c;
                    }
                }
            }
            return c;
        }
    }

    private final Shared shared;
    private final int deviceIndex;
    private final OutputPlacement placement;
    /** XLA options this compiler adds to every compile ({@link #withXlaOptions}); empty by default. */
    private final Map<String, Object> xlaOptions;


    /**
     * A compiler over {@code client}, which must outlive every executable this compiler makes.
     * Compilers over one client share its name ({@link #name()}).
     */
    public ExlaCompiler(PjrtClient client) {
        this(() -> client, ClientNames.of(client, ""));
    }

    /** A compiler whose client is created on first use, named {@code label}. */
    ExlaCompiler(Supplier<PjrtClient> clientSupplier, ClientNames.Label label) {
        this(new Shared(clientSupplier, label), 0, OutputPlacement.FOLLOW_INPUTS, Map.of());
    }

    private ExlaCompiler(Shared shared, int deviceIndex, OutputPlacement placement, Map<String, Object> xlaOptions) {
        this.shared = shared;
        this.deviceIndex = deviceIndex;
        this.placement = placement;
        this.xlaOptions = xlaOptions;
    }

    /**
     * This compiler with another output placement; it shares the client, device and backend.
     * Jitted functions cache per compiler, so jit with the variant you want.
     */
    public ExlaCompiler withOutputs(OutputPlacement placement) {
        Objects.requireNonNull(placement, "placement");
        return placement == this.placement ? this : new ExlaCompiler(shared, deviceIndex, placement, xlaOptions);
    }

    /**
     * This compiler with XLA options by name added to every compile of its jitted functions
     * (JAX's {@code compiler_options}, EXLA's XLA flags): {@code DebugOptions} fields such as
     * {@code Map.of("xla_cpu_enable_fast_math", true)}, over the plugin's defaults and jnx's own
     * ({@code xla_cpu_parallel_codegen_split_count} on XLA:CPU). It shares the client, device and
     * backend; eager ops on the backend compile without them. A name XLA does not know fails
     * the first compile with XLA's message.
     *
     * @throws IllegalArgumentException if a value is not a String, Boolean, Integer, Long or Double
     */
    public ExlaCompiler withXlaOptions(Map<String, ?> options) {
        Objects.requireNonNull(options, "options");
        // Checks the value types now rather than at the first compile.
        Map<String, Object> all = CompileOptions.singleDevice(0).withOverrides(xlaOptions).withOverrides(options)
                .overrides();
        return new ExlaCompiler(shared, deviceIndex, placement, all);
    }

    /**
     * This compiler for the client's addressable device {@code index} (a CPU client has several
     * with the create option {@code cpu_device_count}): executables are compiled for and run on
     * that device, and its {@link #backend()} holds tensors there. Named {@code exla(cpu:1)} etc. (see {@link #name()}).
     *
     * @throws IllegalArgumentException if the client has no such device
     */
    public ExlaCompiler onDevice(int index) {
        int n = shared.client().addressableDevices().size();
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException(name() + ": no device " + index + "; the client has " + n
                    + " addressable device(s)");
        }
        return index == deviceIndex ? this : new ExlaCompiler(shared, index, placement, xlaOptions);
    }

    /**
     * This compiler for functions split over a mesh (JAX's {@code jit} with {@code in_shardings}
     * and {@code out_shardings}): one program per template, compiled for all the mesh's devices
     * by XLA's SPMD partitioner, which inserts the collectives. {@code inputs} and
     * {@code outputs} give one sharding per flattened argument and result leaf, in order; a
     * {@code null} entry (or a null list) is replicated. Arguments already laid out as given
     * are used in place; results are sharded tensors ({@link dev.jnx.Tensor#shards()}) when an argument
     * was on a device.
     *
     * @throws IllegalArgumentException if the shardings use different meshes, or a mesh of
     *     another client
     */
    public ShardedCompiler withShardings(List<Sharding> inputs, List<Sharding> outputs) {
        return new ShardedCompiler(this, inputs, outputs);
    }

    /**
     * This compiler for data-parallel functions over {@code mesh}: parameters a caller marks as
     * batches ({@link dev.jnx.defn.TracedFunction#batched()}, e.g. jnx-train's loop) are split
     * along {@code axis} by their leading dimension, everything else (parameters, optimizer
     * state, results) is replicated, and XLA's SPMD partitioner all-reduces what the replicas
     * must agree on. Donation hints are dropped.
     *
     * @throws IllegalArgumentException if {@code axis} is not the mesh's, or the mesh is another client's
     */
    public ShardedCompiler dataParallel(Mesh mesh, String axis) {
        return new ShardedCompiler(this, mesh, axis);
    }

    /**
     * This compiler in a debugging mode: every call also runs the reference evaluator on the
     * same arguments and throws a {@link ValidationException} naming the function, the output,
     * the first differing element and both values when the results disagree under
     * {@code tolerance} ({@link Tolerance#defaults()} is the rule the project's fuzzer uses).
     * Off unless asked for; each call then costs an interpretation of the graph on the host
     * ({@link ValidatingCompiler}).
     *
     * @throws NullPointerException if {@code tolerance} is null
     */
    public ValidatingCompiler validating(Tolerance tolerance) {
        return new ValidatingCompiler(this, tolerance);
    }

    /** The backend of each addressable device of this compiler's client, in order (to build a {@link Mesh}). */
    public List<ExlaBackend> devices() {
        List<ExlaBackend> out = new java.util.ArrayList<>();
        for (int i = 0; i < client().addressableDevices().size(); i++) {
            out.add(onDevice(i).backend());
        }
        return List.copyOf(out);
    }

    /** Where this compiler's executables put their results. */
    public OutputPlacement outputPlacement() {
        return placement;
    }

    /** The backend of device tensors this compiler's executables accept without a host copy. */
    public ExlaBackend backend() {
        return shared.backends.computeIfAbsent(deviceIndex,
                i -> new ExlaBackend(placement == OutputPlacement.FOLLOW_INPUTS && xlaOptions.isEmpty() ? this
                        : new ExlaCompiler(shared, i, OutputPlacement.FOLLOW_INPUTS, Map.of())));
    }

    /** The device executables run on (creating the client on first use). */
    public PjrtDevice device() {
        return client().addressableDevices().get(deviceIndex);
    }

    /**
     * The client's platform and this compiler's device index, e.g. {@code exla(cpu:0)} for the
     * bundled CPU plugin's default client. Another client of the platform adds what sets it
     * apart: its create options ({@code exla(cpu:1, cpu_device_count=2)}), its plugin file when
     * two plugins of the platform are loaded, else an ordinal; no two clients share a name.
     */
    @Override
    public String name() {
        return shared.label.device(deviceIndex);
    }

    /** The platform version of this compiler's client ({@code PJRT_Client_PlatformVersion}). */
    public String platformVersion() {
        return client().platformVersion();
    }

    /**
     * Lowers and compiles {@code function}. Tensors of this compiler's device backend that the
     * graph holds as constants (device tensors a jitted function read from outside its
     * arguments) become arguments of the module, passed by every call (Nx's and JAX's closure
     * conversion): they are neither copied to the host nor written into the module text.
     *
     * @throws IllegalArgumentException if the graph cannot be lowered
     * @throws ExlaException            if the plugin rejects the module (with its message)
     *                                  (a lazily compiling plugin may report it on the first run)
     */
    @Override
    public ExlaExecutable compile(TracedFunction function) {
        List<Expr.Constant> captured = new ArrayList<>();
        for (Expr e : Graph.postOrder(function.outputs())) {
            if (e instanceof Expr.Constant c && backend().owns(c.value())) {
                captured.add(c);
            }
        }
        String text = StableHlo.lower(function, captured, PlatformQuirks.of(client().platformName()));
        PjrtLoadedExecutable exe = compileModule(StableHlo.moduleName(function.name()), text,
                CompileOptions.singleDevice(device().id()));
        return new ExlaExecutable(function, captured.stream().map(Expr.Constant::value).toList(), text, exe, backend(),
                placement);
    }

    /**
     * Compiles MLIR text, or loads it from the persistent {@link CompileCache}; a plugin error
     * becomes an {@link ExlaException} naming the module.
     */
    PjrtLoadedExecutable compileModule(String moduleName, String text, CompileOptions options) {
        try {
            // A real CompileOptionsProto (1 replica, 1 partition, this device): GPU plugins require it.
            return CompileCache.compile(client(), shared.identity(), text,
                    options.withOverrides(shared.overrides()).withOverrides(xlaOptions));
        } catch (PjrtException e) {
            throw new ExlaException("compiling", moduleName, text, e);
        }
    }

    /** What a compiled executable depends on besides its module and options. */
    static String pluginIdentity(PjrtClient client) {
        java.nio.file.Path p = client.pluginPath();
        String file;
        try {
            file = p + " " + java.nio.file.Files.size(p) + " " + java.nio.file.Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
            file = p.toString();
        }
        String version;
        try {
            version = client.platformVersion();
        } catch (UnsupportedOperationException e) {
            version = "(no PJRT_Client_PlatformVersion)"; // the file's size and time stand for it
        }
        return file + "\n" + client.platformName() + "\n" + version;
    }

    /** The client, created on first use. */
    PjrtClient client() {
        return shared.client();
    }

    @Override
    public String toString() {
        return "ExlaCompiler[" + name() + ", outputs=" + placement + "]";
    }
}
