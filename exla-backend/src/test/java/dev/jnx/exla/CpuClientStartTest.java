package dev.jnx.exla;

import dev.jnx.xla.PjrtLiveObjects;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Exla#compiler()} starts creating the bundled CPU client on a background thread. Each case
 * runs in a JVM of its own, where no client exists yet: the thread creates the client by itself,
 * a process that exits while it loads the runtime exits cleanly, and a failed creation is
 * reported to the first caller as before.
 */
class CpuClientStartTest {
    /** The child JVM: {@code args[0]} says what it does after {@code Exla.compiler()}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Exla.compiler();
            switch (args[0]) {
                case "return" -> {
                    // main returns while the runtime loads
                }
                case "exit" -> System.exit(3);
                case "background" -> {
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        if (t.getName().equals("jnx-cpu-client")) {
                            t.join();
                        }
                    }
                    System.out.println("LIVE " + PjrtLiveObjects.byKind().getOrDefault("PjrtClient", 0L));
                }
                case "fail" -> {
                    try {
                        Exla.cpuClient();
                        System.out.println("NO ERROR");
                    } catch (IllegalStateException e) {
                        System.out.println("ERROR " + e.getMessage());
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run child(String what, String... properties) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("jnx.")) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        cmd.addAll(List.of(properties));
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(Child.class.getName());
        cmd.add(what);
        Process p = new ProcessBuilder(cmd).start();
        // Read both streams to the end before waiting, so that neither pipe fills up.
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theBackgroundThreadCreatesTheClient() throws Exception {
        Run r = child("background");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("LIVE 1"), r.out() + r.err());
    }

    @Test
    void aProcessEndingWhileTheRuntimeLoadsExitsCleanly() throws Exception {
        Run returned = child("return");
        assertEquals(0, returned.exit(), returned.err());
        Run exited = child("exit");
        assertEquals(3, exited.exit(), exited.err());
        for (Run r : List.of(returned, exited)) {
            assertTrue(!r.err().contains("fatal error") && !r.err().contains("SIGSEGV"), r.err());
        }
    }

    @Test
    void aFailedCreationIsTheFirstCallersError() throws Exception {
        Run r = child("fail", "-D" + CpuPlugin.PLUGIN_PROPERTY + "=/nonexistent/libjnx_pjrt_cpu.so");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("ERROR the CPU PJRT plugin named by -Djnx.pjrt.cpu.plugin does not exist: "
                + "/nonexistent/libjnx_pjrt_cpu.so"), r.out() + r.err());
    }
}
