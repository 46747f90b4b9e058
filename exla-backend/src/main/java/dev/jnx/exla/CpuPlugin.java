package dev.jnx.exla;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the bundled CPU PJRT plugin: the file named by the system property
 * {@value #PLUGIN_PROPERTY} if set, otherwise the plugin and the TensorFlow runtime it loads,
 * extracted once from the classpath into a cache directory ({@value #CACHE_PROPERTY}, by
 * default {@code ~/.cache/jnx/<key>/}). The plugin finds the TensorFlow libraries next to itself.
 */
final class CpuPlugin {
    /** System property: path of a CPU plugin to use instead of the bundled one. */
    static final String PLUGIN_PROPERTY = "jnx.pjrt.cpu.plugin";
    /**
     * System property: the runtime of CPU clients, {@code tfrt-cpu} (XLA's own PJRT CPU client,
     * the default where the TensorFlow binary is the verified one), {@code tf-session} (the
     * XlaCallModule fallback) or {@code auto}; the plugin also reads {@code JNX_PJRT_CPU_RUNTIME}.
     */
    static final String RUNTIME_PROPERTY = "jnx.pjrt.cpu.runtime";
    /** The create option carrying the runtime choice to the plugin. */
    static final String RUNTIME_OPTION = "jnx_cpu_runtime";
    /** System property: root of the directory the bundled libraries are extracted into. */
    static final String CACHE_PROPERTY = "jnx.cache.dir";

    static final String PLUGIN_RESOURCE = "dev/jnx/native/linux-x86_64/libjnx_pjrt_cpu.so";
    static final String TF_RESOURCE_DIR = "org/tensorflow/internal/c_api/linux-x86_64/";
    static final List<String> TF_LIBRARIES = List.of("libtensorflow_framework.so.2", "libtensorflow_cc.so.2");

    private CpuPlugin() {
    }

    /**
     * The plugin's path, extracting the bundled libraries first if needed.
     *
     * @throws IllegalStateException if the property names a missing file, the platform is not
     *                               linux-x86_64, or the libraries are not on the classpath
     */
    static Path locate() {
        return locate(System.getProperty(PLUGIN_PROPERTY), CpuPlugin.class.getClassLoader(), cacheRoot());
    }

    /** {@link #locate()} with its inputs explicit: the property's value, where resources come from, the cache root. */
    static Path locate(String configured, ClassLoader loader, Path cacheRoot) {
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("the CPU PJRT plugin named by -D" + PLUGIN_PROPERTY + " does not exist: " + p);
            }
            return p;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the bundled CPU PJRT plugin exists for linux-x86_64 only, not "
                    + os + "/" + arch + "; set -D" + PLUGIN_PROPERTY + "=<path of a PJRT plugin>");
        }
        URL plugin = resource(loader, PLUGIN_RESOURCE, "the jnx-native jar (dev.jnx:jnx-native)");
        Path dir = cacheRoot.resolve(cacheKey(plugin));
        try {
            Files.createDirectories(dir);
            for (String lib : TF_LIBRARIES) {
                extract(resource(loader, TF_RESOURCE_DIR + lib,
                        "the TensorFlow runtime jar (org.tensorflow:tensorflow-core-native, classifier linux-x86_64)"),
                        dir.resolve(lib));
            }
            Path target = dir.resolve("libjnx_pjrt_cpu.so");
            extract(plugin, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("extracting the CPU PJRT plugin into " + dir + " failed", e);
        }
    }

    /** {@code options} plus the runtime named by {@value #RUNTIME_PROPERTY}, unless the options name one. */
    static Map<String, Object> createOptions(Map<String, Object> options) {
        String runtime = System.getProperty(RUNTIME_PROPERTY);
        if (runtime == null || runtime.isBlank() || options.containsKey(RUNTIME_OPTION)) {
            return options;
        }
        Map<String, Object> all = new TreeMap<>(options);
        all.put(RUNTIME_OPTION, runtime.trim());
        return all;
    }

    private static URL resource(ClassLoader loader, String name, String from) {
        URL url = loader.getResource(name);
        if (url == null) {
            throw new IllegalStateException("classpath resource " + name + " is missing: add " + from
                    + " to the classpath, or set -D" + PLUGIN_PROPERTY + "=<path of libjnx_pjrt_cpu.so>");
        }
        return url;
    }

    private static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "jnx");
    }

    /** The version, plus a hash of the plugin entry's size and checksum so rebuilt snapshots do not collide. */
    private static String cacheKey(URL plugin) {
        String version = CpuPlugin.class.getPackage().getImplementationVersion();
        long size = -1;
        long crc = 0;
        try {
            URLConnection c = plugin.openConnection();
            size = c.getContentLengthLong();
            if (c instanceof JarURLConnection j && j.getJarEntry() != null) {
                crc = j.getJarEntry().getCrc();
            } else {
                crc = c.getLastModified();
            }
        } catch (IOException e) {
            // Fall back to the version alone.
        }
        return (version == null ? "dev" : version) + "-" + Long.toHexString(size * 31 + crc);
    }

    /** Copies {@code url} to {@code target} through a temporary file and an atomic rename, unless present with the right size. */
    private static void extract(URL url, Path target) throws IOException {
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        long size = c.getContentLengthLong();
        if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
            return;
        }
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
