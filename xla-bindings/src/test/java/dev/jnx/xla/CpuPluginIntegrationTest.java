package dev.jnx.xla;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plugin contract against the project's CPU plugin (system property
 * {@code jnx.pjrt.cpu.plugin}); skipped while that plugin has not been built.
 */
class CpuPluginIntegrationTest extends PluginContractTest {
    @Override
    Path pluginPath() {
        String p = System.getProperty("jnx.pjrt.cpu.plugin", "");
        assumeTrue(!p.isEmpty() && Files.exists(Path.of(p)), "CPU PJRT plugin not built: '" + p + "'");
        return Path.of(p);
    }
}
