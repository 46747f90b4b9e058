package dev.jnx.exla;

import dev.jnx.defn.Compiler;
import dev.jnx.defn.TracedFunction;
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
    private final Supplier<PjrtClient> clientSupplier;
    private final String name;
    private volatile Target target;

    private record Target(PjrtClient client, PjrtDevice device) {
    }

    /** A compiler over {@code client}, which must outlive every executable this compiler makes. */
    public ExlaCompiler(PjrtClient client) {
        Objects.requireNonNull(client, "client");
        this.clientSupplier = () -> client;
        this.name = "exla(" + client.platformName().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    /** A compiler whose client is created on first use. */
    ExlaCompiler(Supplier<PjrtClient> clientSupplier, String name) {
        this.clientSupplier = clientSupplier;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
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
        PjrtLoadedExecutable exe = compileModule(t.client(), StableHlo.moduleName(function.name()), text);
        return new ExlaExecutable(function, text, exe, t.client(), t.device());
    }

    /** Compiles MLIR text, turning a plugin error into an {@link ExlaException} naming the module. */
    static PjrtLoadedExecutable compileModule(PjrtClient client, String moduleName, String text) {
        try {
            return client.compile(text, new byte[0]);
        } catch (PjrtException e) {
            throw new ExlaException("compiling", moduleName, text, e);
        }
    }

    /** The client, created on first use, and the device executables run on. */
    PjrtClient client() {
        return target().client();
    }

    private Target target() {
        Target t = target;
        if (t == null) {
            synchronized (this) {
                t = target;
                if (t == null) {
                    PjrtClient c = clientSupplier.get();
                    List<PjrtDevice> devices = c.addressableDevices();
                    if (devices.isEmpty()) {
                        throw new IllegalStateException(name + ": the PJRT client has no addressable device");
                    }
                    t = new Target(c, devices.get(0));
                    target = t;
                }
            }
        }
        return t;
    }
}
