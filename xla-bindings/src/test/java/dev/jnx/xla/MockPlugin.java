package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code src/test/c/mock_pjrt.c} with gcc into a shared library, with struct offsets
 * generated from the ABI table. Returns null when gcc is unavailable, so callers can skip.
 */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
final class MockPlugin {
    private static final Map<Integer, Path> BUILT = new ConcurrentHashMap<>();

    private MockPlugin() {}

    static synchronized Path build(int minorVersion) {
        Path cached = BUILT.get(minorVersion);
        if (cached != null) {
            return cached;
        }
        try {
            Path source = Path.of("src/test/c/mock_pjrt.c").toAbsolutePath();
            Path dir = Path.of("target/mock-pjrt").toAbsolutePath();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("abi_offsets.h"), AbiTable.cHeader());
            Path lib = dir.resolve("libmock_pjrt_" + minorVersion + ".so");
            Process p = new ProcessBuilder("gcc", "-std=gnu11", "-O1", "-Wall", "-shared", "-fPIC",
                    "-DMOCK_MINOR_VERSION=" + minorVersion, "-I", dir.toString(),
                    "-o", lib.toString(), source.toString(), "-lm")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("gcc failed for the mock PJRT plugin:\n" + out);
            }
            BUILT.put(minorVersion, lib);
            return lib;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("gcc")) {
                return null; // no compiler on this machine
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How many errors, events, clients, executables and buffers the mock has live. */
    static int liveObjects(Path lib) {
        try {
            MethodHandle h = Linker.nativeLinker().downcallHandle(
                    SymbolLookup.libraryLookup(lib, Arena.global()).find("mock_live_objects").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            return (int) h.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
