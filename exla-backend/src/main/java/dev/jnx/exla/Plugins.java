package dev.jnx.exla;

import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtPlugin;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a plugin choice ({@code "host"}, {@code "cpu"}, {@code "cuda"} or a path) into a
 * compiler over one shared client per plugin and options. Plugins and clients live as long as
 * the process: executables and device tensors anywhere may refer to them.
 */
final class Plugins {
    /** System property naming the plugin {@link Exla#compiler()} uses: a name or a path. */
    static final String PLUGIN_PROPERTY = "jnx.pjrt.plugin";
    /** Environment variable read when {@value #PLUGIN_PROPERTY} is not set. */
    static final String PLUGIN_ENV = "JNX_PJRT_PLUGIN";
    /** System property / environment variable with the path of xla_cuda_plugin.so for {@code "cuda"}. */
    static final String CUDA_PROPERTY = "jnx.pjrt.cuda.plugin", CUDA_ENV = "JNX_PJRT_CUDA_PLUGIN";

    private static final Map<String, ExlaCompiler> COMPILERS = new ConcurrentHashMap<>();
    private static final Map<Path, PjrtPlugin> PLUGINS = new ConcurrentHashMap<>();

    private Plugins() {
    }

    /** The configured choice: the system property, else the environment variable, else null. */
    static String configured() {
        String p = System.getProperty(PLUGIN_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(PLUGIN_ENV);
        }
        return p == null || p.isBlank() ? null : p.trim();
    }

    /** Whether {@code spec} names the bundled CPU plugin. */
    static boolean isBundledCpu(String spec) {
        return spec.equals("host") || spec.equals("cpu");
    }

    /**
     * The compiler for {@code spec} with {@code createOptions}, creating plugin and client once.
     *
     * @throws dev.jnx.xla.PjrtException if the plugin is missing, not a PJRT plugin, of an
     *     incompatible API version, or refuses to create a client
     * @throws IllegalStateException if {@code "cuda"} cannot be located
     */
    static ExlaCompiler compiler(String spec, Map<String, Object> createOptions) {
        Path path = resolve(spec);
        String options = describe(createOptions);
        String key = path.toAbsolutePath().normalize() + "|" + options;
        return COMPILERS.computeIfAbsent(key, k -> {
            PjrtPlugin plugin = PLUGINS.computeIfAbsent(path.toAbsolutePath().normalize(), PjrtPlugin::load);
            PjrtClient client = plugin.createClient(isBundledCpu(spec) ? CpuPlugin.createOptions(createOptions) : createOptions);
            return new ExlaCompiler(() -> client, ClientNames.of(client, options));
        });
    }

    /** The plugin file for a name or a path. */
    static Path resolve(String spec) {
        if (isBundledCpu(spec)) {
            return CpuPlugin.locate();
        }
        if (spec.equals("cuda")) {
            return locateCuda();
        }
        return Path.of(spec);
    }

    /** {@value #CUDA_PROPERTY}, {@value #CUDA_ENV}, else jax_plugins/xla_cuda13|12 under Python's site-packages. */
    static Path locateCuda() {
        for (String configured : new String[] {System.getProperty(CUDA_PROPERTY), System.getenv(CUDA_ENV)}) {
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured.trim());
            }
        }
        List<Path> searched = new ArrayList<>();
        for (Path site : sitePackages()) {
            for (String pkg : new String[] {"xla_cuda13", "xla_cuda12"}) {
                Path p = site.resolve("jax_plugins").resolve(pkg).resolve("xla_cuda_plugin.so");
                searched.add(p);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("no CUDA PJRT plugin found: install jax-cuda13-pjrt or jax-cuda12-pjrt, or set -D"
                + CUDA_PROPERTY + "=<path of xla_cuda_plugin.so> (or " + CUDA_ENV + "); searched " + searched);
    }

    private static List<Path> sitePackages() {
        List<Path> roots = new ArrayList<>();
        String venv = System.getenv("VIRTUAL_ENV");
        if (venv != null) {
            roots.add(Path.of(venv, "lib"));
        }
        roots.add(Path.of(System.getProperty("user.home"), ".local", "lib"));
        roots.add(Path.of("/usr/local/lib"));
        roots.add(Path.of("/usr/lib"));
        roots.add(Path.of("/opt/conda/lib"));
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> pythons = Files.newDirectoryStream(root, "python3*")) {
                for (Path py : pythons) {
                    out.add(py.resolve("site-packages"));
                    out.add(py.resolve("dist-packages"));
                }
            } catch (IOException e) {
                // An unreadable directory is just not searched.
            }
        }
        return out;
    }

    /** The options in key order, {@code "a=1, b=[2, 3]"}; {@code ""} for none. */
    private static String describe(Map<String, Object> options) {
        Map<String, String> sorted = new TreeMap<>();
        options.forEach((k, v) -> sorted.put(k, v instanceof long[] a ? Arrays.toString(a) : String.valueOf(v)));
        String s = sorted.toString();
        return s.substring(1, s.length() - 1);
    }
}
