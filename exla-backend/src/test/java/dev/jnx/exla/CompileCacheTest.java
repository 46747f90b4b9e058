package dev.jnx.exla;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The persistent compile cache: hits, and corrupt, foreign, disabled and evicted entries. */
class CompileCacheTest {
    @TempDir
    Path dir;
    private String savedDir;
    private String savedEnabled;

    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    @BeforeEach
    void useTempDir() {
        savedDir = System.getProperty(CompileCache.DIR_PROPERTY);
        savedEnabled = System.getProperty(CompileCache.ENABLED_PROPERTY);
        System.setProperty(CompileCache.DIR_PROPERTY, dir.toString());
        System.clearProperty(CompileCache.ENABLED_PROPERTY);
    }

    @AfterEach
    void restore() {
        restore(CompileCache.DIR_PROPERTY, savedDir);
        restore(CompileCache.ENABLED_PROPERTY, savedEnabled);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** A function no other test compiles, so that its first compile here is a miss. */
    static Tensor cubePlus(Tensor x) {
        return Nx.add(Nx.multiply(Nx.multiply(x, x), x), 0.25f);
    }

    private static float[] run() {
        // A fresh jitted function each time: its in-memory cache is empty, so it compiles again.
        Function<Tensor, Tensor> f = Defn.jit(CompileCacheTest::cubePlus, Exla.compiler());
        return f.apply(Nx.tensor(new float[] {1, 2, -3})).toFloatArray();
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".bin")).toList();
        }
    }

    @Test
    void secondCompileLoadsFromDisk() throws IOException {
        long hits = CompileCache.hits();
        float[] first = run();
        assertArrayEquals(new float[] {1.25f, 8.25f, -26.75f}, first);
        assertEquals(1, entries().size(), "one entry written");
        assertArrayEquals(first, run());
        assertEquals(hits + 1, CompileCache.hits(), "the second compile was served from disk");
    }

    @Test
    void corruptEntryIsRecompiledAndReplaced() throws IOException {
        run();
        Path entry = entries().get(0);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(entry, bytes);
        long misses = CompileCache.misses();
        assertArrayEquals(new float[] {1.25f, 8.25f, -26.75f}, run());
        assertEquals(misses + 1, CompileCache.misses(), "a corrupt entry is a miss");
        long hits = CompileCache.hits();
        run();
        assertEquals(hits + 1, CompileCache.hits(), "the entry was rewritten whole");
    }

    @Test
    void truncatedOrForeignEntriesAreRefused() {
        byte[] key = CompileCache.key("plugin", new byte[] {1}, "module");
        byte[] other = CompileCache.key("plugin", new byte[] {2}, "module");
        assertFalse(java.util.Arrays.equals(key, other), "options are part of the key");
        assertFalse(CompileCache.fileName(key).equals(CompileCache.fileName(other)));
        byte[] payload = {10, 20, 30, 40};
        byte[] entry = CompileCache.entry(key, payload);
        assertArrayEquals(payload, CompileCache.payload(entry, key));
        assertNull(CompileCache.payload(new byte[10], key), "too short");
        assertNull(CompileCache.payload(java.util.Arrays.copyOf(entry, entry.length - 1), key), "truncated");
        assertNull(CompileCache.payload(CompileCache.entry(other, payload), key), "an entry for another key");
        byte[] flipped = entry.clone();
        flipped[entry.length - 6] ^= 1; // a payload byte: the CRC-32C no longer matches
        assertNull(CompileCache.payload(flipped, key), "a corrupt payload");
    }

    @Test
    void disabledCacheWritesNothing() throws IOException {
        System.setProperty(CompileCache.ENABLED_PROPERTY, "false");
        run();
        assertTrue(entries().isEmpty());
    }

    @Test
    void evictionDropsTheLeastRecentlyUsed() throws IOException {
        Path old = Files.write(dir.resolve("a.bin"), new byte[100]);
        Path recent = Files.write(dir.resolve("b.bin"), new byte[100]);
        Files.setLastModifiedTime(old, FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(recent, FileTime.fromMillis(2_000));
        CompileCache.evict(dir, 150);
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(recent));
    }
}
