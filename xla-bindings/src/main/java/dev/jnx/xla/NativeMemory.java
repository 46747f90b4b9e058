package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * C heap memory that any thread may free: the staging copy of a large upload, which a plugin
 * keeps (zero-copy) until it says it is done, possibly on its own thread. An {@code Arena}
 * cannot serve here: a confined one is bound to its thread, and closing a shared one costs a
 * handshake with every thread of the JVM.
 */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
final class NativeMemory {
    /** XLA:CPU uses caller memory in place when it is aligned like its own buffers. */
    static final long ALIGNMENT = 64;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle ALIGNED_ALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("aligned_alloc").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));

    private NativeMemory() {
    }

    /** {@code bytes} of uninitialised memory aligned to {@value #ALIGNMENT}; free it with {@link #free}. */
    static MemorySegment allocate(long bytes) {
        long rounded = (Math.max(1, bytes) + ALIGNMENT - 1) & -ALIGNMENT; // aligned_alloc wants a multiple
        MemorySegment p;
        try {
            p = (MemorySegment) ALIGNED_ALLOC.invokeExact(ALIGNMENT, rounded);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (p.address() == 0) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of native memory");
        }
        return p.reinterpret(bytes);
    }

    /** Frees memory from {@link #allocate}. */
    static void free(MemorySegment p) {
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
