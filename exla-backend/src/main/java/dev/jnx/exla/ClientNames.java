package dev.jnx.exla;

import dev.jnx.xla.PjrtClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Names PJRT clients for messages ({@link ExlaCompiler#name()}), so that no two clients share
 * a name. {@code exla(cpu:0)} is device 0 of the bundled CPU plugin's default client; any other
 * client of a platform adds what sets it apart: its create options, its plugin file when
 * another plugin of the platform is loaded or the name is still taken, and last an ordinal
 * ({@code exla(cpu:1, cpu_device_count=2)}, {@code exla(cuda:0, /opt/b/xla_cuda_plugin.so)},
 * {@code exla(cpu:0, /x/plugin.so, client 3)}).
 */
final class ClientNames {
    /** A client's platform and what tells it apart from other clients of that platform ({@code ""}: nothing). */
    record Label(String platform, String qualifier) {
        /** The name of the client's device {@code index}: {@code exla(cpu:0)}. */
        String device(int index) {
            return "exla(" + platform + ":" + index + (qualifier.isEmpty() ? "" : ", " + qualifier) + ")";
        }

        /** The client's name: {@code exla(cpu)}. */
        @Override
        public String toString() {
            return "exla(" + platform + (qualifier.isEmpty() ? "" : ", " + qualifier) + ")";
        }
    }

    /** A named client: its platform, plugin file and label. */
    record Named(String platform, Path file, Label label) {
    }

    /** The label of {@link Exla#cpuClient()}, known before the client exists and taken by no other client. */
    static final Label DEFAULT_CPU = new Label("cpu", "");

    /** Weak keys: a client that is gone gives its name up. */
    private static final Map<PjrtClient, Named> NAMED = new WeakHashMap<>();
    private static final Map<String, Integer> ORDINALS = new HashMap<>();

    private ClientNames() {
    }

    /** Records {@code client} as the bundled CPU plugin's default client. */
    static synchronized void nameDefaultCpu(PjrtClient client) {
        NAMED.put(client, named(client, DEFAULT_CPU));
        ORDINALS.merge(DEFAULT_CPU.platform(), 1, Integer::sum);
    }

    /**
     * The label of {@code client}, chosen when it is first seen; {@code createOptions} describes
     * the options it was created with ({@code ""} for none or unknown).
     */
    static synchronized Label of(PjrtClient client, String createOptions) {
        Named known = NAMED.get(client);
        if (known != null) {
            return known.label();
        }
        String platform = platform(client);
        int ordinal = ORDINALS.merge(platform, 1, Integer::sum);
        Label label = choose(platform, file(client), createOptions, ordinal, NAMED.values());
        NAMED.put(client, named(client, label));
        return label;
    }

    /** The naming rule of {@link ClientNames} for a new client among those {@code named} so far. */
    static Label choose(String platform, Path file, String createOptions, int ordinal, Collection<Named> named) {
        List<String> parts = new ArrayList<>();
        if (!createOptions.isEmpty()) {
            parts.add(createOptions);
        }
        Label label = new Label(platform, String.join(", ", parts));
        boolean otherPlugin = named.stream().anyMatch(n -> n.platform().equals(platform) && !n.file().equals(file));
        if (otherPlugin || taken(label, named)) {
            parts.add(file.toString());
            label = new Label(platform, String.join(", ", parts));
        }
        if (taken(label, named)) {
            parts.add("client " + ordinal);
            label = new Label(platform, String.join(", ", parts));
        }
        return label;
    }

    private static boolean taken(Label label, Collection<Named> named) {
        return label.equals(DEFAULT_CPU) || named.stream().anyMatch(n -> n.label().equals(label));
    }

    private static Named named(PjrtClient client, Label label) {
        return new Named(platform(client), file(client), label);
    }

    private static String platform(PjrtClient client) {
        return client.platformName().toLowerCase(Locale.ROOT);
    }

    private static Path file(PjrtClient client) {
        return client.pluginPath().toAbsolutePath().normalize();
    }
}
