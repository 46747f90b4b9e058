package dev.jnx.exla;

import dev.jnx.defn.Evaluator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link DifferentialOps}: the element-wise, reduction and sort ops, XLA against the reference evaluator. */
class ExlaOpsDifferentialTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    @Test
    void elementwiseReductionAndSortOpsAgree() {
        List<String> failures = DifferentialOps.run(Evaluator.compiler(), Exla.compiler());
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
    }
}
