package dev.jnx.xla;

import dev.jnx.xla.PjrtLayouts.ClientCreateArgs;
import dev.jnx.xla.PjrtLayouts.PluginAttributesArgs;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A PJRT plugin: a shared library exporting {@code GetPjrtApi}, e.g. a CPU or CUDA plugin.
 *
 * <p>The library is loaded and initialized once per process; several {@code PjrtPlugin}
 * objects for the same file share it. It is never unloaded. Closing a plugin closes the
 * clients it created. Thread-safe.
 */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
public final class PjrtPlugin implements AutoCloseable {
    /** Oldest PJRT C API minor version accepted (major must be 0). */
    public static final int MIN_MINOR_VERSION = PjrtApi.MIN_MINOR_VERSION;

    final PjrtApi api;
    private final NativeResource resource;

    private PjrtPlugin(PjrtApi api) {
        this.api = api;
        this.resource = new NativeResource("PjrtPlugin", MemorySegment.NULL, null, null, true);
    }

    /**
     * Loads the plugin at {@code sharedLibrary}, checks its API version, and initializes it.
     *
     * @throws PjrtException if the file is missing, is not a shared library, does not export
     *     {@code GetPjrtApi}, has an incompatible API version, or fails to initialize
     */
    public static PjrtPlugin load(Path sharedLibrary) {
        Objects.requireNonNull(sharedLibrary, "sharedLibrary");
        return new PjrtPlugin(PjrtApi.load(sharedLibrary));
    }

    /** The plugin's PJRT C API major version. */
    public int majorVersion() {
        return api.majorVersion;
    }

    /** The plugin's PJRT C API minor version. */
    public int minorVersion() {
        return api.minorVersion;
    }

    /** The absolute path the plugin was loaded from. */
    public Path path() {
        return api.path;
    }

    /**
     * The plugin's attributes ({@code PJRT_Plugin_Attributes}); values are String, Long,
     * long[], Float or Boolean. Empty if the plugin does not implement the call.
     */
    public Map<String, Object> attributes() {
        try (Scratch s = resource.call()) {
            if (!api.has(ApiSlot.PJRT_Plugin_Attributes)) {
                return Map.of();
            }
            MemorySegment a = PluginAttributesArgs.STRUCT.allocate(s);
            api.call(ApiSlot.PJRT_Plugin_Attributes, a);
            return NamedValues.decode(PluginAttributesArgs.ATTRIBUTES.get(a), PluginAttributesArgs.NUM_ATTRIBUTES.get(a));
        }
    }

    /**
     * Creates a client ({@code PJRT_Client_Create}).
     *
     * @param createOptions plugin-specific options; values may be String, Long, Integer,
     *     long[], Float, Double (sent as float) or Boolean
     * @throws IllegalArgumentException for an option value of another type
     * @throws PjrtException if the plugin refuses to create the client
     * @throws IllegalStateException if this plugin is closed
     */
    public PjrtClient createClient(Map<String, Object> createOptions) {
        Map<String, Object> options = createOptions == null ? Map.of() : createOptions;
        try (Scratch s = resource.call()) {
            MemorySegment a = ClientCreateArgs.STRUCT.allocate(s);
            ClientCreateArgs.CREATE_OPTIONS.set(a, NamedValues.encode(options, s));
            ClientCreateArgs.NUM_OPTIONS.set(a, options.size());
            api.call(ApiSlot.PJRT_Client_Create, a);
            return new PjrtClient(this, resource, ClientCreateArgs.CLIENT.get(a));
        }
    }

    /**
     * The plugin's own count of live objects, if it exports {@code int64_t
     * jnx_pjrt_live_objects(void)} as the bundled CPU plugin does (clients, executables,
     * buffers, events, errors); empty for other plugins. For leak checks.
     */
    public java.util.OptionalLong nativeLiveObjects() {
        var symbol = api.library.find("jnx_pjrt_live_objects");
        if (symbol.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            var handle = java.lang.foreign.Linker.nativeLinker().downcallHandle(symbol.get(),
                    java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG));
            return java.util.OptionalLong.of((long) handle.invokeExact());
        } catch (Throwable t) {
            throw new IllegalStateException("calling jnx_pjrt_live_objects of " + api.path + " failed", t);
        }
    }

    /** Closes every client this plugin created and is still open; idempotent. */
    @Override
    public void close() {
        resource.close();
    }

    @Override
    public String toString() {
        return "PjrtPlugin[" + api.path + ", API " + api.majorVersion + "." + api.minorVersion + "]";
    }
}
