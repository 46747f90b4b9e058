package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Executable;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.PjrtLiveObjects;
import dev.jnx.xla.PjrtPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Threads sharing one client and cache, and the soak run: many jitted calls with device
 * tensors leave no native object behind and do not grow the process. The soak makes 2,000
 * calls by default and 100,000 with {@code -Djnx.soak=true} (see README.md).
 */
class BridgeStressTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    static Tensor affine(Tensor x) {
        return Nx.add(Nx.multiply(x, 3), 1);
    }

    /** Counts compilations and makes each one slow, so that racing threads overlap. */
    static final class CountingCompiler implements Compiler {
        final Compiler delegate;
        final AtomicInteger compilations = new AtomicInteger();

        CountingCompiler(Compiler delegate) {
            this.delegate = delegate;
        }

        @Override
        public Executable compile(TracedFunction function) {
            compilations.incrementAndGet();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.compile(function);
        }

        @Override
        public String name() {
            return "counting(" + delegate.name() + ")";
        }
    }

    @Test
    void eightThreadsShareOneCacheAndCompileOnce() throws Exception {
        CountingCompiler counting = new CountingCompiler(Exla.compiler());
        Jitted.Unary f = Defn.jit(BridgeStressTest::affine, counting);
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 200; i++) {
                        float v = id * 1000 + i;
                        Tensor x = Nx.tensor(new float[] {v, -v});
                        if (i % 2 == 0) {
                            try (Tensor d = Nx.backendTransfer(x, Exla.backend()); Tensor y = f.apply(d)) {
                                assertArrayEquals(new float[] {3 * v + 1, -3 * v + 1}, y.toFloatArray());
                            }
                        } else {
                            assertArrayEquals(new float[] {3 * v + 1, -3 * v + 1}, f.apply(x).toFloatArray());
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> d : done) {
                assertEquals(200, d.get());
            }
        }
        assertEquals(1, counting.compilations.get(), "one template, compiled once");
        assertEquals(1, f.traceCount());
    }

    @Test
    void soakLeavesNoNativeObjectsAndFlatRss() throws Exception {
        int calls = Boolean.getBoolean("jnx.soak") ? 100_000 : 2_000;
        PjrtPlugin plugin = PjrtPlugin.load(CpuPlugin.locate());
        System.gc();
        long nativeStart = plugin.nativeLiveObjects().orElseThrow();
        // A client of its own, so that "everything freed" is exact: closing it must bring the
        // plugin back to where it was before the client existed.
        dev.jnx.xla.PjrtClient client = plugin.createClient(java.util.Map.of());
        ExlaCompiler exla = new ExlaCompiler(client);
        Function<Tensor, Tensor> f = Defn.jit(BridgeStressTest::affine, exla);
        // Warm up (compile, allocator pools, JIT) before taking the baselines.
        runDeviceCalls(f, exla, 500);
        System.gc();
        long javaBefore = PjrtLiveObjects.total();
        assertEquals(1, client.liveObjects(), "after the warm-up: the compiled executable");
        long nativeBefore = plugin.nativeLiveObjects().orElseThrow();
        long rssBefore = rssKb();
        runDeviceCalls(f, exla, calls);
        System.gc();
        long rssAfter = rssKb();
        // Exact for the soak's client: only the executable the jit cache holds is left.
        assertEquals(1, client.liveObjects(), "buffers, events or executables of the soak left open");
        // The global counters include other tests' objects, which a Cleaner may free meanwhile:
        // they must not have grown.
        assertTrue(PjrtLiveObjects.total() <= javaBefore, PjrtLiveObjects.byKind().toString());
        assertTrue(plugin.nativeLiveObjects().orElseThrow() <= nativeBefore, "live objects in the plugin grew");
        client.close(); // frees the executable the jit cache still holds, then the client
        long nativeEnd = plugin.nativeLiveObjects().orElseThrow();
        System.out.printf("soak: %d calls, RSS %d -> %d kB, plugin objects %d -> %d (before the soak's client)%n",
                calls, rssBefore, rssAfter, nativeStart, nativeEnd);
        assertEquals(0, client.liveObjects());
        assertTrue(nativeEnd <= nativeStart, "the soak's client left native objects behind: " + nativeStart + " -> " + nativeEnd);
        assertTrue(rssAfter - rssBefore < 64 * 1024, "RSS grew from " + rssBefore + " kB to " + rssAfter + " kB");
    }

    private static void runDeviceCalls(Function<Tensor, Tensor> f, ExlaCompiler exla, int calls) {
        try (Tensor x = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3, 4, 5}), exla.backend())) {
            Tensor y = f.apply(x);
            for (int i = 1; i < calls; i++) {
                Tensor next = f.apply(y.shape().equals(x.shape()) ? x : y);
                y.close();
                y = next;
            }
            assertArrayEquals(new float[] {4, 7, 10, 13, 16}, y.toFloatArray());
            y.close();
        }
    }

    private static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
