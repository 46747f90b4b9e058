package dev.jnx.exla;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locating and extracting the bundled plugin, with small stand-in files in jars. */
class CpuPluginTest {
    @TempDir
    Path tmp;

    private Path jar(String name, String... entriesAndContents) throws IOException {
        Path jar = tmp.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (int i = 0; i < entriesAndContents.length; i += 2) {
                out.putNextEntry(new JarEntry(entriesAndContents[i]));
                out.write(entriesAndContents[i + 1].getBytes());
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void propertyWinsAndMustNameAFile() throws IOException {
        Path so = Files.writeString(tmp.resolve("plugin.so"), "x");
        assertEquals(so, CpuPlugin.locate(so.toString(), getClass().getClassLoader(), tmp));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CpuPlugin.locate(tmp.resolve("missing.so").toString(), getClass().getClassLoader(), tmp));
        assertTrue(e.getMessage().contains("missing.so") && e.getMessage().contains(CpuPlugin.PLUGIN_PROPERTY));
    }

    @Test
    void extractsOnceNextToTheTensorFlowLibraries() throws IOException {
        Path nativeJar = jar("native.jar", CpuPlugin.PLUGIN_RESOURCE, "plugin-bytes");
        Path tfJar = jar("tf.jar", CpuPlugin.TF_RESOURCE_DIR + "libtensorflow_cc.so.2", "cc",
                CpuPlugin.TF_RESOURCE_DIR + "libtensorflow_framework.so.2", "framework");
        Path cache = tmp.resolve("cache");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{nativeJar.toUri().toURL(), tfJar.toUri().toURL()}, null)) {
            Path plugin = CpuPlugin.locate(null, loader, cache);
            assertEquals("libjnx_pjrt_cpu.so", plugin.getFileName().toString());
            assertArrayEquals("plugin-bytes".getBytes(), Files.readAllBytes(plugin));
            assertArrayEquals("cc".getBytes(), Files.readAllBytes(plugin.resolveSibling("libtensorflow_cc.so.2")));
            assertArrayEquals("framework".getBytes(), Files.readAllBytes(plugin.resolveSibling("libtensorflow_framework.so.2")));
            FileTime old = FileTime.fromMillis(1_000_000L);
            Files.setLastModifiedTime(plugin, old);
            assertEquals(plugin, CpuPlugin.locate(null, loader, cache));
            assertEquals(old, Files.getLastModifiedTime(plugin), "an extracted file of the right size is reused");
            try (var files = Files.list(plugin.getParent())) {
                assertEquals(3, files.count(), "no temporary files are left behind");
            }
        }
    }

    @Test
    void missingResourcesAreNamed() throws IOException {
        Path nativeJar = jar("native-only.jar", CpuPlugin.PLUGIN_RESOURCE, "plugin-bytes");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{nativeJar.toUri().toURL()}, null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CpuPlugin.locate(null, loader, tmp.resolve("c")));
            assertTrue(e.getMessage().contains("libtensorflow_framework.so.2")
                    && e.getMessage().contains("tensorflow-core-native"), e.getMessage());
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CpuPlugin.locate("", empty, tmp.resolve("c")));
            assertTrue(e.getMessage().contains("jnx-native"), e.getMessage());
        }
    }
}
