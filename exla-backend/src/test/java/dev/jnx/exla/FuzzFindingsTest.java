package dev.jnx.exla;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import dev.jnx.defn.Defn;
import dev.jnx.defn.Evaluator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Regression tests for bugs the differential fuzzer found (its seeds in the comments). */
class FuzzFindingsTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    /**
     * Window ops over a rank-0 tensor (a window of no dimensions) were invalid StableHLO: the
     * empty padding was printed {@code dense<[]> : tensor<0x2xi64>} (fuzz seeds 12, 28, 136); once
     * printed right, XLA aborted the process on a rank-0 {@code select_and_scatter}, now lowered
     * as the add its one window amounts to.
     */
    @Test
    void windowsOverAScalar() {
        int[] none = new int[0];
        WindowOptions o = WindowOptions.defaults();
        java.util.function.Function<Tensor[], List<Tensor>> f = a -> List.of(Nx.windowSum(a[0], none, o), Nx.windowMax(a[0], none, o),
                Nx.windowMean(a[0], none, o), Nx.windowProduct(a[0], none, o),
                Nx.windowReduce(a[0], 1, none, o, Nx::add),
                Nx.windowScatterMax(a[0], Nx.scalar(5f), 1, none, o), Nx.windowScatterMin(a[0], Nx.scalar(5f), 1, none, o));
        Tensor x = Nx.scalar(2f);
        for (var compiler : List.of(Evaluator.compiler(), Exla.compiler())) {
            List<?> r = (List<?>) Defn.jitContainers(a -> f.apply(java.util.Arrays.copyOf(a, a.length, Tensor[].class)),
                    compiler).invoke(x);
            // the one window holds x = 2; window_reduce adds its init 1; the scatter adds 5 to init 1
            assertEquals(List.of(2.0, 2.0, 2.0, 2.0, 3.0, 6.0, 6.0), r.stream().map(t -> ((Tensor) t).toDouble()).toList(),
                    compiler.name());
        }
    }

    /** {@code LinAlg.matmul} of scalars or vectors threw NegativeArraySizeException (fuzz seeds 20, 72, 116). */
    @Test
    void matmulOfLessThanMatricesIsRefusedNamingTheShapes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.jnx.LinAlg.matmul(Nx.scalar(2f), Nx.scalar(3f)));
        assertEquals("LinAlg.matmul: expected matrices or batches of matrices, got a f32[] and b f32[]", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Defn.jit((Tensor a, Tensor b) -> dev.jnx.LinAlg.matmul(a, b), Exla.compiler())
                        .apply(Nx.tensor(new float[] {1, 2}, 1, 2), Nx.tensor(new float[] {2})));
        assertEquals("LinAlg.matmul: expected matrices or batches of matrices, got a f32[1, 2] and b f32[1]",
                e.getMessage());
    }
}
