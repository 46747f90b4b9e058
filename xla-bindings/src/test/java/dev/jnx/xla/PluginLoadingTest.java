package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading failures must be clear exceptions, never crashes. Needs no real plugin. */
class PluginLoadingTest {
    @TempDir
    Path tmp;

    @Test
    void missingFile() {
        Path missing = tmp.resolve("nope/libmissing.so");
        PjrtException e = assertThrows(PjrtException.class, () -> PjrtPlugin.load(missing));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains(missing.toString()), e.getMessage());
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    @Test
    void directory() {
        PjrtException e = assertThrows(PjrtException.class, () -> PjrtPlugin.load(tmp));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void notASharedLibrary() throws IOException {
        Path text = Files.writeString(tmp.resolve("libfake.so"), "this is not an ELF file\n");
        PjrtException e = assertThrows(PjrtException.class, () -> PjrtPlugin.load(text));
        assertTrue(e.getMessage().contains("not a loadable shared library") && e.getMessage().contains(text.toString()),
                e.getMessage());
    }

    @Test
    void sharedLibraryWithoutGetPjrtApi() throws IOException {
        Path libm;
        try (Stream<Path> s = Stream.of("/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6",
                "/lib64/libm.so.6").map(Path::of)) {
            libm = s.filter(Files::exists).findFirst().orElse(null);
        }
        assumeTrue(libm != null, "no libm.so.6 found");
        PjrtException e = assertThrows(PjrtException.class, () -> PjrtPlugin.load(libm));
        assertTrue(e.getMessage().contains("does not export GetPjrtApi"), e.getMessage());
    }

    @Test
    void tooOldApiVersion() {
        Path old = MockPlugin.build(40);
        assumeTrue(old != null, "gcc is not available to build the mock plugin");
        PjrtException e = assertThrows(PjrtException.class, () -> PjrtPlugin.load(old));
        assertTrue(e.getMessage().contains(old.toString()) && e.getMessage().contains("0.40")
                && e.getMessage().contains("0." + PjrtPlugin.MIN_MINOR_VERSION), e.getMessage());
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
    }
}
