package dev.jnx;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classes of module dev.jnx form layers, each using only the layers below it (and itself):
 * (1) values, (2) the graph, tracing and reference rules ({@code dev.jnx.defn}, and the compiler
 * SPI the evaluator implements), (3) the op API, (4) transforms ({@code dev.jnx.grad}, {@code dev.jnx.vmap}), (5) the
 * jit API. Checked on the class files with {@code jdeps -verbose:class}; each violating edge is
 * named. A new class of {@code dev.jnx} must be given its layer here.
 */
class LayeringTest {
    private static final Set<String> VALUES = Set.of("Tensor", "TensorData", "HostData", "DType", "Shape", "Complex",
            "Backend", "HostBackend", "ConvOptions", "WindowOptions", "VectorizedAxis");
    private static final Set<String> OP_API = Set.of("Nx", "LinAlg", "Random", "FftOps", "IndexingOps", "Reductions",
            "HostArrays", "Serialization", "Kernel", "Vectorization");
    private static final Set<String> JIT_API = Set.of("Defn", "Jitted", "JitOptions", "FunctionNames");

    /**
     * The one edge up the layers: the running product's custom gradient (Reductions) is itself a
     * gradient, of the same product written as a scan, taken with {@code Defn.grad} when the
     * gradient is built; an op defined through a transform of ops.
     */
    private static final Set<String> ALLOWED = Set.of("dev.jnx.Reductions -> dev.jnx.Defn");

    private static int layer(String className) {
        String pkg = className.substring(0, className.lastIndexOf('.'));
        String name = className.substring(pkg.length() + 1);
        return switch (pkg) {
            case "dev.jnx.defn" -> 2;
            case "dev.jnx.grad", "dev.jnx.vmap" -> 4;
            case "dev.jnx" -> VALUES.contains(name) ? 1 : name.equals("Compiler") ? 2 : OP_API.contains(name) ? 3
                    : JIT_API.contains(name) ? 5 : -1;
            default -> -1;
        };
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        Map<String, Set<String>> edges = Jdeps.classEdges(Jdeps.classesOf(Defn.class).toString());
        assertTrue(edges.getOrDefault("dev.jnx.Nx", Set.of()).contains("dev.jnx.defn.Expr"),
                () -> "jdeps found no edge Nx -> Expr; it read nothing? " + edges);
        List<String> unassigned = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        Set<String> allowedSeen = new TreeSet<>();
        edges.forEach((from, tos) -> {
            for (String to : tos) {
                int a = layer(from);
                int b = layer(to);
                if (a < 0 || b < 0) {
                    unassigned.add(a < 0 ? from : to);
                } else if (b > a) {
                    String edge = from + " -> " + to;
                    if (ALLOWED.contains(edge)) {
                        allowedSeen.add(edge);
                    } else {
                        violations.add(edge + " (layer " + a + " uses layer " + b + ")");
                    }
                }
            }
        });
        assertEquals(List.of(), unassigned.stream().distinct().toList(), "classes without a layer in LayeringTest");
        assertEquals(List.of(), violations, () -> "edges up the layers:\n  " + String.join("\n  ", violations));
        assertEquals(ALLOWED, allowedSeen, "an allowed edge no longer exists: drop it from ALLOWED");
    }

    @Test
    void theModuleExportsTheApiAndTheGraphOnlyToItsCompilers() {
        ModuleDescriptor d = ModuleFinder.of(Jdeps.classesOf(Defn.class)).find("dev.jnx").orElseThrow().descriptor();
        Map<String, Set<String>> exports = new TreeMap<>();
        for (ModuleDescriptor.Exports e : d.exports()) {
            exports.put(e.source(), e.isQualified() ? new TreeSet<>(e.targets()) : Set.of("ALL"));
        }
        assertEquals(Map.of("dev.jnx", Set.of("ALL"), "dev.jnx.defn", Set.of("dev.jnx.exla", "dev.jnx.train")), exports);
        assertEquals(Set.of("dev.jnx", "dev.jnx.defn", "dev.jnx.grad", "dev.jnx.vmap"), d.packages());
        assertEquals(Set.of(), d.opens());
    }
}
