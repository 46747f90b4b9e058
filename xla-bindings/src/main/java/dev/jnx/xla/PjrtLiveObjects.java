package dev.jnx.xla;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of native PJRT objects the bindings currently own (clients, buffers, executables,
 * events), across all plugins: the Java side of leak checks. The plugin's own view, where it
 * offers one, is {@link PjrtPlugin#nativeLiveObjects()}.
 */
public final class PjrtLiveObjects {
    private PjrtLiveObjects() {
    }

    /** Live owned handles of every kind. */
    public static long total() {
        long n = 0;
        for (var a : NativeResource.LIVE.values()) {
            n += a.sum();
        }
        return n;
    }

    /** Live owned handles by owner class, e.g. {@code {PjrtBuffer=2, PjrtClient=1}}; zero counts included. */
    public static Map<String, Long> byKind() {
        Map<String, Long> out = new TreeMap<>();
        NativeResource.LIVE.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Host memory handed to plugins in place ({@link PjrtClient#bufferFromHostZeroCopy}, large
     * uploads) that they have not released yet: 0 once every such buffer is freed.
     */
    public static int pendingHostReleases() {
        return HostRelease.pending();
    }
}
