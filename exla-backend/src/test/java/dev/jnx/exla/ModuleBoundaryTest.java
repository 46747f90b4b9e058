package dev.jnx.exla;

import dev.jnx.Defn;
import dev.jnx.Jdeps;
import dev.jnx.xla.PjrtClient;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dev.jnx.exla uses of module dev.jnx only the public classes of the packages that module
 * exports to it (the API and the graph SPI, never the gradient rules), read from the class files
 * with {@code jdeps}. javac enforces it too; this keeps the boundary visible when tests run from
 * the class path, where module-info is not consulted.
 */
class ModuleBoundaryTest {
    @Test
    void exlaUsesOnlyPublicClassesOfThePackagesDevJnxExportsToIt() throws ClassNotFoundException {
        Path api = Jdeps.classesOf(Defn.class);
        ModuleDescriptor d = ModuleFinder.of(api).find("dev.jnx").orElseThrow().descriptor();
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : d.exports()) {
            if (!e.isQualified() || e.targets().contains("dev.jnx.exla")) {
                exported.add(e.source());
            }
        }
        assertEquals(Set.of("dev.jnx", "dev.jnx.defn"), exported);
        Map<String, Set<String>> edges = Jdeps.classEdges("--module-path",
                api + File.pathSeparator + Jdeps.classesOf(PjrtClient.class), Jdeps.classesOf(Exla.class).toString());
        Set<String> used = new TreeSet<>();
        List<String> outside = new ArrayList<>();
        for (var e : edges.entrySet()) {
            for (String to : e.getValue()) {
                String pkg = to.substring(0, to.lastIndexOf('.'));
                if (e.getKey().startsWith("dev.jnx.exla.") && d.packages().contains(pkg)) {
                    used.add(to);
                    if (!exported.contains(pkg) || !Modifier.isPublic(Class.forName(to).getModifiers())) {
                        outside.add(e.getKey() + " -> " + to);
                    }
                }
            }
        }
        assertTrue(used.contains("dev.jnx.defn.Expr") && used.contains("dev.jnx.Compiler"),
                () -> "jdeps found none of exla's uses of the graph? " + used);
        assertEquals(List.of(), outside, () -> "uses outside dev.jnx's exports to dev.jnx.exla:\n  " + String.join("\n  ", outside));
    }
}
