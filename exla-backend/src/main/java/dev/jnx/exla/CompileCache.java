package dev.jnx.exla;

import dev.jnx.xla.CompileOptions;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLoadedExecutable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The persistent compilation cache (JAX's {@code jax_compilation_cache_dir}): compiled
 * executables serialized by the plugin ({@code PJRT_Executable_Serialize}) are kept on disk,
 * keyed by the module text, the compile options and the plugin's identity (its file and
 * platform version, which names the runtime and TensorFlow build), so that another process
 * compiling the same function loads it instead ({@code PJRT_Executable_DeserializeAndLoad}).
 *
 * <p>On by default in {@code ~/.cache/jnx/compiled/}; {@value #DIR_PROPERTY} moves it,
 * {@code -D}{@value #ENABLED_PROPERTY}{@code =false} turns it off, {@value #MAX_BYTES_PROPERTY}
 * bounds it (default 512 MiB; the least recently used entries go first). An entry carries its
 * whole key (plugin identity, options, module text), compared exactly, and a CRC-32C of its
 * payload: a truncated, corrupt or foreign file is deleted and the module compiled again, never
 * loaded blindly. Plugins that cannot serialize executables are simply not cached.
 *
 * <p>No cryptographic digest: the file name is only a 64-bit hash of the key, so a collision
 * just recompiles, and a new process's first use of {@code MessageDigest} costs 35–45 ms of
 * security-provider start-up, a third of a cache-hit first step.
 */
final class CompileCache {
    static final String DIR_PROPERTY = "jnx.compile.cache.dir";
    static final String ENABLED_PROPERTY = "jnx.compile.cache";
    static final String MAX_BYTES_PROPERTY = "jnx.compile.cache.maxBytes";

    private static final byte[] MAGIC = "JNXCC2\n".getBytes(StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger(CompileCache.class.getName());

    private static final AtomicLong HITS = new AtomicLong();
    private static final AtomicLong MISSES = new AtomicLong();

    private CompileCache() {
    }

    /**
     * The executable of {@code text} for {@code client}: loaded from the cache, or compiled
     * (and stored) when it is not there or cannot be used.
     *
     * @throws PjrtException if the plugin rejects the module or options
     */
    static PjrtLoadedExecutable compile(PjrtClient client, String pluginIdentity, String text, CompileOptions options) {
        Path dir = directory();
        if (dir == null) {
            return client.compile(text, options);
        }
        byte[] optionBytes = options.toProto();
        byte[] key = key(pluginIdentity, optionBytes, text);
        Path entry = dir.resolve(fileName(key));
        PjrtLoadedExecutable loaded = load(client, entry, key);
        if (loaded != null) {
            HITS.incrementAndGet();
            return loaded;
        }
        MISSES.incrementAndGet();
        PjrtLoadedExecutable exe = client.compile(text, optionBytes);
        store(dir, entry, key, exe);
        return exe;
    }

    /** Loads served from disk in this process. */
    static long hits() {
        return HITS.get();
    }

    /** Compilations the cache could not serve in this process. */
    static long misses() {
        return MISSES.get();
    }

    /** The cache directory, or null when the cache is off. */
    static Path directory() {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim())) {
            return null;
        }
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        return Path.of(System.getProperty("user.home"), ".cache", "jnx", "compiled");
    }

    /** What an entry is for: the plugin identity, the serialized options and the module text, each length-prefixed. */
    static byte[] key(String pluginIdentity, byte[] options, String text) {
        byte[][] parts = {pluginIdentity.getBytes(StandardCharsets.UTF_8), options, text.getBytes(StandardCharsets.UTF_8)};
        int size = 0;
        for (byte[] part : parts) {
            size = Math.addExact(size, 8 + part.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] part : parts) {
            b.putLong(part.length).put(part);
        }
        return b.array();
    }

    /** The entry's file name: a 64-bit hash of {@code key} (CRC-32C and CRC-32), in hex. */
    static String fileName(byte[] key) {
        CRC32C c = new CRC32C();
        c.update(key);
        CRC32 d = new CRC32();
        d.update(key);
        return HexFormat.of().toHexDigits((c.getValue() << 32) | d.getValue()) + ".bin";
    }

    /** An entry's bytes: magic, key, payload (each length-prefixed), then the payload's CRC-32C. */
    static byte[] entry(byte[] key, byte[] payload) {
        CRC32C sum = new CRC32C();
        sum.update(payload);
        return ByteBuffer.allocate(MAGIC.length + 8 + key.length + 8 + payload.length + 4)
                .put(MAGIC).putLong(key.length).put(key).putLong(payload.length).put(payload)
                .putInt((int) sum.getValue()).array();
    }

    private static PjrtLoadedExecutable load(PjrtClient client, Path entry, byte[] key) {
        byte[] file;
        try {
            file = Files.readAllBytes(entry);
        } catch (IOException e) {
            return null; // absent (the usual miss) or unreadable
        }
        byte[] payload = payload(file, key);
        if (payload == null) {
            LOG.log(System.Logger.Level.WARNING, "ignoring corrupt or foreign compile cache entry " + entry);
            deleteQuietly(entry);
            return null;
        }
        try {
            PjrtLoadedExecutable exe = client.deserialize(payload);
            touch(entry);
            return exe;
        } catch (PjrtException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "compile cache entry " + entry + " did not load: " + e.getMessage());
            deleteQuietly(entry);
            return null;
        }
    }

    /** The payload of a well-formed entry for {@code key}, else null. */
    static byte[] payload(byte[] file, byte[] key) {
        int keyAt = MAGIC.length + 8;
        int payloadAt = keyAt + key.length + 8;
        if (file.length < payloadAt + 4 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.getLong(MAGIC.length) != key.length || !Arrays.equals(file, keyAt, keyAt + key.length, key, 0, key.length)
                || b.getLong(keyAt + key.length) != file.length - payloadAt - 4) {
            return null;
        }
        CRC32C sum = new CRC32C();
        sum.update(file, payloadAt, file.length - payloadAt - 4);
        return (int) sum.getValue() == b.getInt(file.length - 4) ? Arrays.copyOfRange(file, payloadAt, file.length - 4)
                : null;
    }

    private static void store(Path dir, Path entry, byte[] key, PjrtLoadedExecutable exe) {
        byte[] payload;
        try {
            payload = exe.serialize();
        } catch (UnsupportedOperationException | PjrtException e) {
            return; // this plugin's executables are not serializable: nothing to keep
        }
        byte[] bytes = entry(key, payload);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, entry.getFileName().toString(), ".part");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, entry, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            evict(dir, maxBytes());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the compile cache entry " + entry + ": " + e);
        }
    }

    private static long maxBytes() {
        try {
            return Long.parseLong(System.getProperty(MAX_BYTES_PROPERTY, String.valueOf(512L << 20)).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + MAX_BYTES_PROPERTY + " must be a number of bytes, got "
                    + System.getProperty(MAX_BYTES_PROPERTY), e);
        }
    }

    /** Deletes the least recently used entries until the directory holds at most {@code max} bytes. */
    static void evict(Path dir, long max) throws IOException {
        record Entry(Path path, long size, FileTime used) {
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.bin")) {
            for (Path p : files) {
                try {
                    Entry e = new Entry(p, Files.size(p), Files.getLastModifiedTime(p));
                    entries.add(e);
                    total += e.size();
                } catch (IOException gone) {
                    // Removed by another process meanwhile.
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::used));
        for (int i = 0; total > max && i < entries.size(); i++) {
            deleteQuietly(entries.get(i).path());
            total -= entries.get(i).size();
        }
    }

    private static void touch(Path entry) {
        try {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // Only the eviction order suffers.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A read-only cache just stays as it is.
        }
    }

}
