package dev.jnx.exla;

import dev.jnx.defn.Compiler;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.CompileOptions;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtDevice;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLoadedExecutable;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Exla {@link Compiler}: lowers a traced function to StableHLO ({@link StableHlo}), has
 * the PJRT client compile it, and returns an {@link ExlaExecutable} running it on the client's
 * first addressable device. {@link Exla#compiler()} gives the one over the bundled CPU plugin.
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

    /** The client, its device and the backend: shared by every placement variant of a compiler. */
    private static final class Shared {
        final Supplier<PjrtClient> clientSupplier;
        final String name;
        volatile Target target;
        ExlaBackend backend;

        Shared(Supplier<PjrtClient> clientSupplier, String name) {
            this.clientSupplier = clientSupplier;
            this.name = name;
        }
    }

    private final Shared shared;
    private final OutputPlacement placement;

    private record Target(PjrtClient client, PjrtDevice device) {
    }

    /** A compiler over {@code client}, which must outlive every executable this compiler makes. */
    public ExlaCompiler(PjrtClient client) {
        Objects.requireNonNull(client, "client");
        this.shared = new Shared(() -> client, "exla(" + client.platformName().toLowerCase(java.util.Locale.ROOT) + ")");
        this.placement = OutputPlacement.FOLLOW_INPUTS;
        shared.backend = new ExlaBackend(this);
    }

    /** A compiler whose client is created on first use. */
    ExlaCompiler(Supplier<PjrtClient> clientSupplier, String name) {
        this.shared = new Shared(clientSupplier, name);
        this.placement = OutputPlacement.FOLLOW_INPUTS;
        shared.backend = new ExlaBackend(this);
    }

    private ExlaCompiler(Shared shared, OutputPlacement placement) {
        this.shared = shared;
        this.placement = placement;
    }

    /**
     * This compiler with another output placement; it shares the client, device and backend.
     * Jitted functions cache per compiler, so jit with the variant you want.
     */
    public ExlaCompiler withOutputs(OutputPlacement placement) {
        Objects.requireNonNull(placement, "placement");
        return placement == this.placement ? this : new ExlaCompiler(shared, placement);
    }

    /** Where this compiler's executables put their results. */
    public OutputPlacement outputPlacement() {
        return placement;
    }

    /** The backend of device tensors this compiler's executables accept without a host copy. */
    public ExlaBackend backend() {
        return shared.backend;
    }

    /** The device executables run on (creating the client on first use). */
    public PjrtDevice device() {
        return target().device();
    }

    @Override
    public String name() {
        return shared.name;
    }

    /**
     * Lowers and compiles {@code function}.
     *
     * @throws IllegalArgumentException if the graph cannot be lowered
     * @throws ExlaException            if the plugin rejects the module (with its message)
     *                                  (a lazily compiling plugin may report it on the first run)
     */
    @Override
    public ExlaExecutable compile(TracedFunction function) {
        String text = StableHlo.lower(function);
        Target t = target();
        PjrtLoadedExecutable exe = compileModule(t.client(), StableHlo.moduleName(function.name()), text,
                CompileOptions.singleDevice(t.device().id()));
        return new ExlaExecutable(function, text, exe, shared.backend, placement);
    }

    /** Compiles MLIR text, turning a plugin error into an {@link ExlaException} naming the module. */
    static PjrtLoadedExecutable compileModule(PjrtClient client, String moduleName, String text,
                                              CompileOptions options) {
        try {
            // A real CompileOptionsProto (1 replica, 1 partition, this device): GPU plugins require it.
            return client.compile(text, options);
        } catch (PjrtException e) {
            throw new ExlaException("compiling", moduleName, text, e);
        }
    }

    /** The client, created on first use, and the device executables run on. */
    PjrtClient client() {
        return target().client();
    }

    private Target target() {
        Shared sh = shared;
        Target t = sh.target;
        if (t == null) {
            synchronized (sh) {
                t = sh.target;
                if (t == null) {
                    PjrtClient c = sh.clientSupplier.get();
                    List<PjrtDevice> devices = c.addressableDevices();
                    if (devices.isEmpty()) {
                        throw new IllegalStateException(sh.name + ": the PJRT client has no addressable device");
                    }
                    t = new Target(c, devices.get(0));
                    sh.target = t;
                }
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "ExlaCompiler[" + shared.name + ", outputs=" + placement + "]";
    }
}
