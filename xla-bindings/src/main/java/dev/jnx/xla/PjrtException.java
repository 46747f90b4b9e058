package dev.jnx.xla;

/**
 * A failure reported by a PJRT plugin, or a plugin that cannot be loaded or used.
 *
 * <p>For errors the plugin returned, the message has the form
 * {@code "PJRT_Client_Compile failed (INVALID_ARGUMENT): <plugin message>"}.
 */
public class PjrtException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String function;
    private final String pluginMessage;

    /**
     * An error a plugin returned from {@code function}.
     *
     * @param function the C API function that failed, e.g. {@code PJRT_Client_Compile}
     * @param code the plugin's error code
     * @param pluginMessage the plugin's error message
     */
    public PjrtException(String function, ErrorCode code, String pluginMessage) {
        super(function + " failed (" + code + "): " + pluginMessage);
        this.code = code;
        this.function = function;
        this.pluginMessage = pluginMessage;
    }

    /**
     * An error detected by the bindings themselves (loading, version checks); it has no
     * plugin message.
     */
    public PjrtException(String message, ErrorCode code) {
        this(message, code, (Throwable) null);
    }

    /** Like {@link #PjrtException(String, ErrorCode)}, with a cause. */
    public PjrtException(String message, ErrorCode code, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.function = null;
        this.pluginMessage = "";
    }

    /** The error code: the plugin's, or the closest one for errors the bindings detect. */
    public ErrorCode code() {
        return code;
    }

    /** The message the plugin returned; empty when the error did not come from the plugin. */
    public String pluginMessage() {
        return pluginMessage;
    }

    /** The C API function that failed, or {@code null} when the error did not come from the plugin. */
    public String function() {
        return function;
    }
}
