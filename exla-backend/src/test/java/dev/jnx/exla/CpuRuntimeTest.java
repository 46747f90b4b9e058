package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLoadedExecutable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CPU plugin's runtime as jnx uses it: which runtime runs, compile-time errors, donation,
 * several devices, thread options, serialized executables, zero-copy uploads and concurrency.
 * Tests of what only XLA's own client (tfrt-cpu) does are skipped when the suite runs on the
 * tf-session fallback ({@code -Djnx.pjrt.cpu.runtime=tf-session}).
 */
class CpuRuntimeTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    static boolean onTfrtCpu() {
        return Exla.platformVersion().contains("TfrtCpuClient");
    }

    @Test
    void platformVersionNamesTheRuntime() {
        String v = Exla.platformVersion();
        String asked = System.getProperty(CpuPlugin.RUNTIME_PROPERTY, "");
        if (asked.equals("tf-session")) {
            assertTrue(v.contains("tf-session"), v);
        } else {
            // This build's TensorFlow is the verified binary: the default is XLA's own client.
            assertTrue(v.contains("TfrtCpuClient") && v.contains("tfrt-cpu runtime"), v);
        }
    }

    @Test
    void malformedModuleFailsAtCompileWithMlirDiagnostics() {
        assumeTrue(onTfrtCpu());
        PjrtClient client = Exla.compiler().client();
        PjrtException e = assertThrows(PjrtException.class, () -> client.compile("""
                module @bad {
                  func.func public @main(%arg0: tensor<3xf32>) -> tensor<3xf32> {
                    %0 = stablehlo.add %arg0, %arg0 : tensor<4xf32>
                    return %0 : tensor<3xf32>
                  }
                }
                """, dev.jnx.xla.CompileOptions.singleDevice(0)));
        assertTrue(e.getMessage().contains("expects different type than prior uses"), e.getMessage());
    }

    @Test
    void compileOptionOverridesReachXla() {
        assumeTrue(onTfrtCpu());
        PjrtClient client = Exla.compiler().client();
        String module = """
                module @m {
                  func.func public @main(%arg0: tensor<3xf32>) -> tensor<3xf32> {
                    %0 = stablehlo.add %arg0, %arg0 : tensor<3xf32>
                    return %0 : tensor<3xf32>
                  }
                }
                """;
        // XLA applies each override by its DebugOptions field name, so a name it lacks is an error.
        PjrtException e = assertThrows(PjrtException.class, () -> client.compile(module,
                dev.jnx.xla.CompileOptions.singleDevice(0).withOverrides(Map.of("xla_cpu_no_such_option", 1L))));
        assertTrue(e.getMessage().contains("xla_cpu_no_such_option"), e.getMessage());
        client.compile(module, dev.jnx.xla.CompileOptions.singleDevice(0)
                .withOverrides(Map.of("xla_cpu_parallel_codegen_split_count", 1L))).close();
    }

    static Tensor step(Tensor w) {
        return Nx.subtract(w, Nx.multiply(Nx.tensor(0.5f), w));
    }

    /** Writes {@code w[0] + w[1]} over {@code w[1]}: a dynamic_update_slice, which XLA does in place. */
    static Tensor putStep(Tensor w) {
        return Nx.putSlice(w, new int[] {1}, Nx.add(Nx.slice(w, new int[] {0}, new int[] {1}),
                Nx.slice(w, new int[] {1}, new int[] {1})));
    }

    @Test
    void xlaOptionsOfACompilerReachItsJittedFunctions() {
        assumeTrue(onTfrtCpu());
        Function<Tensor, Tensor> triple = x -> Nx.multiply(x, 3f);
        ExlaCompiler unknown = Exla.compiler().withXlaOptions(Map.of("xla_cpu_no_such_option", 1L));
        ExlaException e = assertThrows(ExlaException.class,
                () -> Defn.jit(triple, unknown).apply(Nx.tensor(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("xla_cpu_no_such_option"), e.getMessage());
        ExlaCompiler exact = Exla.compiler().withXlaOptions(Map.of("xla_cpu_enable_fast_math", false));
        assertArrayEquals(new float[] {3, 6}, Defn.jit(triple, exact).apply(Nx.tensor(new float[] {1, 2})).toFloatArray());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Exla.compiler().withXlaOptions(Map.of("xla_cpu_enable_fast_math", new int[0])));
        assertTrue(bad.getMessage().contains("xla_cpu_enable_fast_math"), bad.getMessage());
    }

    /** {@code step} of an f32[4] traced with its argument donated. */
    static TracedFunction donating(Function<Tensor, Tensor> step) {
        return Defn.trace(step, Nx.iota(Shape.of(4), DType.F32)).donating(Set.of(0));
    }

    /** The state {2, 4, 6, 8} on the default CPU device. */
    static Tensor deviceState() {
        return Nx.backendTransfer(Nx.tensor(new float[] {2, 4, 6, 8}), Exla.compiler().backend());
    }

    @Test
    void donatedArgumentIsUpdatedInPlaceAndClosed() {
        assumeTrue(onTfrtCpu());
        ExlaExecutable exe = Exla.compiler().compile(donating(CpuRuntimeTest::putStep));
        assertTrue(exe.moduleText().contains("{tf.aliasing_output = 0 : i32}"), exe.moduleText());
        Tensor w = deviceState();
        Tensor next = exe.run(List.of(w)).get(0);
        assertTrue(((DeviceData) w.data()).isClosed(), "the donated tensor is closed");
        assertArrayEquals(new float[] {2, 6, 6, 8}, next.toFloatArray());
        // The next step reads the updated state and donates it in turn.
        Tensor after = exe.run(List.of(next)).get(0);
        assertTrue(((DeviceData) next.data()).isClosed());
        assertArrayEquals(new float[] {2, 8, 6, 8}, after.toFloatArray());
        after.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> exe.run(List.of(w)));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void elementWiseUpdateIsNotAliasedOnXlaCpu() {
        assumeTrue(onTfrtCpu());
        TracedFunction f = donating(CpuRuntimeTest::step);
        ExlaExecutable exe = Exla.compiler().compile(f);
        // XLA:CPU would run the in-place loop unvectorized (PlatformQuirks.Quirk.IN_PLACE_LOOP_NOT_VECTORIZED);
        // another platform gets the alias.
        assertFalse(exe.moduleText().contains("tf.aliasing_output"), exe.moduleText());
        assertFalse(exe.moduleText().contains("jax.buffer_donor"), exe.moduleText());
        assertTrue(StableHlo.lower(f, "cuda").contains("{tf.aliasing_output = 0 : i32}"));
        Tensor w = deviceState();
        Tensor next = exe.run(List.of(w)).get(0);
        assertTrue(((DeviceData) w.data()).isClosed(), "the donated tensor is closed all the same");
        assertArrayEquals(new float[] {1, 2, 3, 4}, next.toFloatArray());
        next.close();
    }

    @Test
    void passThroughOfDonatedStateIsAliased() {
        assumeTrue(onTfrtCpu());
        ExlaExecutable exe = Exla.compiler().compile(donating(w -> w));
        assertTrue(exe.moduleText().contains("{tf.aliasing_output = 0 : i32}"), exe.moduleText());
        Tensor w = deviceState();
        try (Tensor same = exe.run(List.of(w)).get(0)) {
            assertTrue(((DeviceData) w.data()).isClosed());
            assertArrayEquals(new float[] {2, 4, 6, 8}, same.toFloatArray());
        }
    }

    record State(Tensor w, Tensor m) {
    }

    @Test
    void jitDonatingAContainerUpdatesItInPlace() {
        assumeTrue(onTfrtCpu());
        ExlaCompiler exla = Exla.compiler();
        Defn.Fn2<State, Tensor, State> update = (s, g) -> new State(Nx.subtract(s.w(), s.m()), Nx.add(s.m(), g));
        var step = Defn.jit(update, exla).donating(0);
        State s = new State(Nx.backendTransfer(Nx.tensor(new float[] {10, 20}), exla.backend()),
                Nx.backendTransfer(Nx.tensor(new float[] {1, 2}), exla.backend()));
        Tensor g = Nx.backendTransfer(Nx.tensor(new float[] {0.5f, 0.5f}), exla.backend());
        State next = step.apply(s, g);
        assertTrue(((DeviceData) s.w().data()).isClosed() && ((DeviceData) s.m().data()).isClosed(), "state donated");
        assertTrue(!((DeviceData) g.data()).isClosed(), "the gradient is not");
        assertArrayEquals(new float[] {9, 18}, next.w().toFloatArray());
        assertArrayEquals(new float[] {1.5f, 2.5f}, next.m().toFloatArray());
        State after = step.apply(next, g);
        assertArrayEquals(new float[] {7.5f, 15.5f}, after.w().toFloatArray());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Defn.jit(update, exla).donating(2).apply(after, g));
        assertTrue(bad.getMessage().contains("argument 2 is donated"), bad.getMessage());
    }

    @Test
    void donationWithoutAMatchingOutputStillRuns() {
        assumeTrue(onTfrtCpu());
        ExlaCompiler exla = Exla.compiler();
        TracedFunction f = Defn.trace((Tensor x) -> Nx.sum(x), Nx.iota(Shape.of(3), DType.F32)).donating(Set.of(0));
        ExlaExecutable exe = exla.compile(f);
        // Offered to XLA as a donor where in-place loops are fast; on XLA:CPU not at all.
        assertTrue(StableHlo.lower(f, "cuda").contains("{jax.buffer_donor = true}"));
        assertFalse(exe.moduleText().contains("jax.buffer_donor"), exe.moduleText());
        Tensor x = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), exla.backend());
        try (Tensor s = exe.run(List.of(x)).get(0)) {
            assertEquals(6f, s.toFloatArray()[0]);
        }
        assertTrue(((DeviceData) x.data()).isClosed());
        // A host argument at a donated position is uploaded for the call and left alone.
        Tensor h = Nx.tensor(new float[] {4, 5, 6});
        assertEquals(15f, exe.run(List.of(h)).get(0).toFloatArray()[0]);
        assertArrayEquals(new float[] {4, 5, 6}, h.toFloatArray());
    }

    @Test
    void severalCpuDevices() {
        assumeTrue(onTfrtCpu());
        ExlaCompiler two = Exla.compiler("cpu", Map.of("cpu_device_count", 2L));
        assertEquals(2, two.client().addressableDevices().size());
        ExlaCompiler second = two.onDevice(1);
        assertEquals("exla(cpu:1, cpu_device_count=2)", second.name());
        assertEquals(1, second.device().id());
        Function<Tensor, Tensor> f = Defn.jit(DeviceTensorTest::softmax, second);
        Tensor on0 = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), two.backend());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> f.apply(on0));
        assertEquals("DeviceTensorTest.softmax: argument 0 lives on exla(cpu:0, cpu_device_count=2) (another device)"
                + " but this function runs on exla(cpu:1, cpu_device_count=2); move it with Nx.backendTransfer(t, backend)",
                wrong.getMessage());
        Tensor on1 = Nx.backendTransfer(on0, second.backend());
        assertTrue(((DeviceData) on0.data()).isClosed(), "transfer moves");
        assertSame(second.backend(), on1.backend());
        try (Tensor y = f.apply(on1)) {
            assertSame(second.backend(), y.backend());
            assertEquals(1, ((DeviceData) y.data()).buffer().device().id());
            assertArrayEquals(DeviceTensorTest.SOFTMAX_123, y.toFloatArray(), 1e-6f);
        }
        on1.close();
        assertThrows(IllegalArgumentException.class, () -> two.onDevice(2));
    }

    @Test
    void intraOpThreadsOption() {
        assumeTrue(onTfrtCpu());
        ExlaCompiler one = Exla.compiler("cpu", Map.of("intra_op_threads", 1L));
        assertTrue(one.platformVersion().contains("1 intra-op thread"), one.platformVersion());
        Function<Tensor, Tensor> f = Defn.jit(DeviceTensorTest::softmax, one);
        assertArrayEquals(DeviceTensorTest.SOFTMAX_123, f.apply(Nx.tensor(new float[] {1, 2, 3})).toFloatArray(), 1e-6f);
        PjrtException bad = assertThrows(PjrtException.class, () -> Exla.compiler("cpu", Map.of("intra_op_threads", -3L)));
        assertTrue(bad.getMessage().contains("intra_op_threads"), bad.getMessage());
    }

    @Test
    void serializedExecutableLoadsAndRunsWithoutCompiling() {
        ExlaCompiler exla = Exla.compiler();
        ExlaExecutable exe = exla.compile(Defn.trace(DeviceTensorTest::softmax, Nx.tensor(new float[] {1, 2, 3})));
        byte[] bytes = exe.loadedExecutable().serialize();
        PjrtClient client = exla.client();
        try (PjrtLoadedExecutable loaded = client.deserialize(bytes)) {
            assertEquals(1, loaded.numOutputs());
            try (var in = client.bufferFromHost(java.lang.foreign.MemorySegment.ofArray(new float[] {1, 2, 3}),
                    dev.jnx.xla.ElementType.F32, new long[] {3}, null)) {
                var out = loaded.execute(in);
                float[] y = java.lang.foreign.MemorySegment.ofArray(out[0].toByteArray())
                        .toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED);
                out[0].close();
                assertArrayEquals(DeviceTensorTest.SOFTMAX_123, y, 1e-6f);
            }
        }
        assertThrows(PjrtException.class, () -> client.deserialize(new byte[] {1, 2, 3}));
        if (onTfrtCpu()) { // tf-session stores the module text and compiles it at the first run
            byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 5);
            PjrtException e = assertThrows(PjrtException.class, () -> client.deserialize(cut));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void largeUploadsAreStagedOnceAndReleased() {
        // A client of its own, so that its live-object count is this test's alone.
        ExlaCompiler exla = Exla.compiler("cpu", Map.of("cpu_device_count", 1L));
        int n = 1 << 16; // 256 kB: above the staging threshold
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = i % 97;
        }
        Function<Tensor, Tensor> f = Defn.jit((Tensor x) -> Nx.sum(x), exla);
        f.apply(Nx.tensor(data));
        int live = exla.client().liveObjects(); // the compiled executable
        double expected = 0;
        for (float v : data) {
            expected += v;
        }
        for (int k = 0; k < 20; k++) {
            assertEquals(expected, f.apply(Nx.tensor(data)).toFloatArray()[0], 1e-3 * expected);
        }
        assertEquals(live, exla.client().liveObjects(), "no buffers left behind");
        assertEquals(0, dev.jnx.xla.PjrtLiveObjects.pendingHostReleases(), "every staging copy released");
    }

    @Test
    void eightThreadsShareOneExecutable() throws Exception {
        Function<Tensor, Tensor> f = Defn.jit(DeviceTensorTest::softmax, Exla.compiler());
        f.apply(Nx.tensor(new float[] {1, 2, 3}));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> bad = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final float shift = t;
                bad.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < 1000; i++) {
                        float[] y = f.apply(Nx.tensor(new float[] {1 + shift, 2 + shift, 3 + shift})).toFloatArray();
                        for (int k = 0; k < 3; k++) {
                            wrong += Math.abs(y[k] - DeviceTensorTest.SOFTMAX_123[k]) > 1e-6f ? 1 : 0;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> b : bad) {
                assertEquals(0, b.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
