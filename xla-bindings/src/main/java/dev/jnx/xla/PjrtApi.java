package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.ApiVersion;
import dev.jnx.xla.PjrtLayouts.ErrorDestroyArgs;
import dev.jnx.xla.PjrtLayouts.ErrorGetCodeArgs;
import dev.jnx.xla.PjrtLayouts.ErrorMessageArgs;
import dev.jnx.xla.PjrtLayouts.EventAwaitArgs;
import dev.jnx.xla.PjrtLayouts.EventDestroyArgs;
import dev.jnx.xla.PjrtLayouts.PluginInitializeArgs;
import dev.jnx.xla.PjrtLayouts.Struct;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded plugin's {@code PJRT_Api} table and the calling conventions around it.
 *
 * <p>All API functions but two have the shape {@code PJRT_Error* f(Args*)}, so a single
 * address-taking downcall handle serves every slot: it is created once per process and the
 * JIT inlines it like a per-slot bound handle. Function pointers are read once at load time;
 * a slot past the plugin's {@code struct_size} or holding NULL is "not implemented".
 */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
final class PjrtApi {
    /** Oldest minor version whose {@code PJRT_Api} slot order matches ours (0.57 rearranged it). */
    static final int MIN_MINOR_VERSION = 57;
    /** The header version these bindings were written and tested against. */
    static final int HEADER_MAJOR_VERSION = 0, HEADER_MINOR_VERSION = 94;

    private static final Linker LINKER = Linker.nativeLinker();
    /** {@code (MemorySegment fn, MemorySegment args) -> MemorySegment error}. */
    private static final MethodHandle CALL = LINKER.downcallHandle(FunctionDescriptor.of(ADDRESS, ADDRESS));
    /** {@code (MemorySegment fn, MemorySegment arg) -> void}: Error_Destroy, Error_Message, deleters. */
    private static final MethodHandle CALL_VOID = LINKER.downcallHandle(FunctionDescriptor.ofVoid(ADDRESS));

    /** A library is dlopen-ed and initialized once per process, however often it is loaded. */
    private static final Map<Path, PjrtApi> LOADED = new ConcurrentHashMap<>();

    final Path path;
    final int majorVersion;
    final int minorVersion;
    private final long structSize;
    private final MemorySegment[] functions = new MemorySegment[ApiSlot.values().length];
    /** The library's symbols, for plugin-specific extras such as jnx's live-object counter. */
    final SymbolLookup library;

    private PjrtApi(Path path, MemorySegment api, SymbolLookup library) {
        this.path = path;
        this.library = library;
        this.structSize = PjrtLayouts.Api.STRUCT_SIZE.get(api);
        MemorySegment version = PjrtLayouts.Api.PJRT_API_VERSION.slice(api);
        this.majorVersion = ApiVersion.MAJOR_VERSION.get(version);
        this.minorVersion = ApiVersion.MINOR_VERSION.get(version);
        for (ApiSlot slot : ApiSlot.values()) {
            long off = slot.offset();
            functions[slot.ordinal()] = off + 8 <= structSize ? api.get(ADDRESS, off) : MemorySegment.NULL;
        }
    }

    /** Loads (or finds already loaded) the plugin at {@code file}; never dlopens a missing file. */
    static PjrtApi load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new PjrtException("PJRT plugin not found: " + abs, ErrorCode.NOT_FOUND);
        }
        if (!Files.isRegularFile(abs)) {
            throw new PjrtException("PJRT plugin is not a regular file: " + abs, ErrorCode.INVALID_ARGUMENT);
        }
        Path key;
        try {
            key = abs.toRealPath();
        } catch (IOException e) {
            throw new PjrtException("Cannot resolve PJRT plugin path " + abs + ": " + e, ErrorCode.NOT_FOUND, e);
        }
        return LOADED.computeIfAbsent(key, k -> open(abs));
    }

    private static PjrtApi open(Path abs) {
        // A plugin's libraries keep this thread in the dynamic loader for a while (TensorFlow's
        // for 300 ms and more), with the other cores idle.
        HostRelease.prepareInBackground();
        SymbolLookup lib;
        try {
            // The global arena: a PJRT plugin starts threads and registers process-wide state,
            // so unloading it (dlclose) while anything remains is a crash, not a cleanup.
            lib = SymbolLookup.libraryLookup(abs, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new PjrtException("Cannot load PJRT plugin " + abs
                    + ": not a loadable shared library (" + e.getMessage() + ")", ErrorCode.INVALID_ARGUMENT, e);
        }
        MemorySegment getApi = lib.find("GetPjrtApi").orElseThrow(() -> new PjrtException(
                "PJRT plugin " + abs + " does not export GetPjrtApi; it is not a PJRT plugin",
                ErrorCode.NOT_FOUND));
        MemorySegment api;
        try {
            api = (MemorySegment) LINKER.downcallHandle(getApi, FunctionDescriptor.of(ADDRESS)).invokeExact();
        } catch (Throwable t) {
            throw new PjrtException("GetPjrtApi of " + abs + " failed: " + t, ErrorCode.INTERNAL, t);
        }
        if (api.address() == 0) {
            throw new PjrtException("GetPjrtApi of " + abs + " returned NULL", ErrorCode.INTERNAL);
        }
        long size = PjrtLayouts.Api.STRUCT_SIZE.get(api.reinterpret(PjrtLayouts.Api.HEAD.byteSize()));
        long minimum = ApiSlot.PJRT_Plugin_Initialize.offset() + 8;
        if (size < minimum || size > (1 << 20)) {
            throw new PjrtException("PJRT plugin " + abs + " reports PJRT_Api.struct_size " + size
                    + ", expected at least " + minimum, ErrorCode.FAILED_PRECONDITION);
        }
        PjrtApi result = new PjrtApi(abs, api.reinterpret(size), lib);
        if (result.majorVersion != HEADER_MAJOR_VERSION || result.minorVersion < MIN_MINOR_VERSION) {
            throw new PjrtException("PJRT plugin " + abs + " has PJRT C API version " + result.majorVersion + "."
                    + result.minorVersion + "; expected " + HEADER_MAJOR_VERSION + "." + MIN_MINOR_VERSION
                    + " or a later 0.x (bindings written against " + HEADER_MAJOR_VERSION + "."
                    + HEADER_MINOR_VERSION + ")", ErrorCode.FAILED_PRECONDITION);
        }
        if (result.has(ApiSlot.PJRT_Plugin_Initialize)) {
            try (Scratch s = Scratch.open()) {
                result.call(ApiSlot.PJRT_Plugin_Initialize, PluginInitializeArgs.STRUCT.allocate(s));
            }
        }
        return result;
    }

    boolean has(ApiSlot slot) {
        return functions[slot.ordinal()].address() != 0;
    }

    private MemorySegment function(ApiSlot slot) {
        MemorySegment f = functions[slot.ordinal()];
        if (f.address() == 0) {
            throw new UnsupportedOperationException("PJRT plugin " + path + " does not implement " + slot.name());
        }
        return f;
    }

    /** Calls {@code slot} with {@code args}; a returned error becomes a {@link PjrtException}. */
    void call(ApiSlot slot, MemorySegment args) {
        callAs(slot, args, slot.name());
    }

    /** Like {@link #call}, attributing a failure to {@code operation} (e.g. the call an event completes). */
    void callAs(ApiSlot slot, MemorySegment args, String operation) {
        MemorySegment error;
        try {
            error = (MemorySegment) CALL.invokeExact(function(slot), args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (error.address() != 0) {
            throw toException(operation, error);
        }
    }

    /** Calls a destroy-style function {@code slot} whose Args hold one handle, {@code field}. */
    void destroy(ApiSlot slot, Struct args, Field.OfAddress field, MemorySegment handle) {
        try (Scratch s = Scratch.open()) {
            destroy(slot, args, field, handle, s);
        }
    }

    /** Like {@link #destroy(ApiSlot, Struct, Field.OfAddress, MemorySegment)}, in a scope the caller has open. */
    void destroy(ApiSlot slot, Struct args, Field.OfAddress field, MemorySegment handle, SegmentAllocator scratch) {
        MemorySegment a = args.allocate(scratch);
        field.set(a, handle);
        call(slot, a);
    }

    /**
     * Waits for {@code event}, then destroys it; a failed event becomes a {@link PjrtException}
     * attributed to {@code operation}, the call that produced the event. The Args structs come
     * from {@code scratch}: called inside a call's own scope, it needs none of its own.
     */
    void awaitAndDestroy(MemorySegment event, String operation, SegmentAllocator scratch) {
        MemorySegment a = EventAwaitArgs.STRUCT.allocate(scratch);
        EventAwaitArgs.EVENT.set(a, event);
        MemorySegment error;
        try {
            error = (MemorySegment) CALL.invokeExact(function(ApiSlot.PJRT_Event_Await), a);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            destroy(ApiSlot.PJRT_Event_Destroy, EventDestroyArgs.STRUCT, EventDestroyArgs.EVENT, event, scratch);
        }
        if (error.address() != 0) {
            throw toException(operation, error);
        }
    }

    /** Calls a plugin's {@code void deleter(void*)} (e.g. of a serialized executable). */
    static void callDeleter(MemorySegment deleter, MemorySegment object) {
        if (deleter.address() == 0) {
            return;
        }
        try {
            CALL_VOID.invokeExact(deleter, object);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads code and message from a PJRT_Error, destroys it, and wraps them. */
    PjrtException toException(String function, MemorySegment error) {
        try (Scratch s = Scratch.open()) {
            MemorySegment m = ErrorMessageArgs.STRUCT.allocate(s);
            ErrorMessageArgs.ERROR.set(m, error);
            invokeVoid(ApiSlot.PJRT_Error_Message, m);
            String message = string(ErrorMessageArgs.MESSAGE.get(m), ErrorMessageArgs.MESSAGE_SIZE.get(m));

            ErrorCode code = ErrorCode.UNKNOWN;
            if (has(ApiSlot.PJRT_Error_GetCode)) {
                MemorySegment c = ErrorGetCodeArgs.STRUCT.allocate(s);
                ErrorGetCodeArgs.ERROR.set(c, error);
                MemorySegment nested = (MemorySegment) CALL.invokeExact(function(ApiSlot.PJRT_Error_GetCode), c);
                if (nested.address() == 0) {
                    code = ErrorCode.of(ErrorGetCodeArgs.CODE.get(c));
                } else {
                    destroyError(nested);
                }
            }
            destroyError(error);
            return new PjrtException(function, code, message);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void destroyError(MemorySegment error) {
        try (Scratch s = Scratch.open()) {
            MemorySegment d = ErrorDestroyArgs.STRUCT.allocate(s);
            ErrorDestroyArgs.ERROR.set(d, error);
            invokeVoid(ApiSlot.PJRT_Error_Destroy, d);
        }
    }

    private void invokeVoid(ApiSlot slot, MemorySegment args) {
        try {
            CALL_VOID.invokeExact(function(slot), args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Copies a plugin-owned {@code (const char*, size_t)} string. */
    static String string(MemorySegment chars, long size) {
        if (chars.address() == 0 || size <= 0) {
            return "";
        }
        return new String(chars.reinterpret(size).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Copies a plugin-owned {@code int64_t} array. */
    static long[] longs(MemorySegment array, long count) {
        if (count == 0) {
            return new long[0];
        }
        return array.reinterpret(count * 8).toArray(JAVA_LONG);
    }
}
