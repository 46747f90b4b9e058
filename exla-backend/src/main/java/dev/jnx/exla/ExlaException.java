package dev.jnx.exla;

import dev.jnx.xla.ErrorCode;
import dev.jnx.xla.PjrtException;

/**
 * A StableHLO module the PJRT plugin refused to compile or failed to run. The message names
 * the module and carries the plugin's message; {@link #moduleText()} holds the module for
 * debugging. Plugins that compile lazily (the bundled CPU plugin has XLA compile on the first
 * execution) report compile errors of a well-formed signature on the first run.
 */
public final class ExlaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String moduleName;
    private final String moduleText;
    private final String pluginMessage;

    ExlaException(String action, String moduleName, String moduleText, PjrtException cause) {
        super(action + " StableHLO module @" + moduleName + " failed: " + pluginMessage(cause), cause);
        this.moduleName = moduleName;
        this.moduleText = moduleText;
        this.pluginMessage = pluginMessage(cause);
    }

    private static String pluginMessage(PjrtException e) {
        String m = e.pluginMessage();
        return m == null || m.isEmpty() ? e.getMessage() : m;
    }

    /** The module's symbol, e.g. {@code jit_softmax}. */
    public String moduleName() {
        return moduleName;
    }

    /** The MLIR text that was compiled. */
    public String moduleText() {
        return moduleText;
    }

    /** The PJRT error code the plugin reported, e.g. {@code INVALID_ARGUMENT} or {@code RESOURCE_EXHAUSTED}. */
    public ErrorCode code() {
        return ((PjrtException) getCause()).code();
    }

    /** The plugin's own error message. */
    public String pluginMessage() {
        return pluginMessage;
    }
}
