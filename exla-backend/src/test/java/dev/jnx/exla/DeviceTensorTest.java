package dev.jnx.exla;

import dev.jnx.Backend;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.ErrorCode;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLiveObjects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Device-resident tensors, backends, bad execute-time input and plugin choice. */
class DeviceTensorTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    static Tensor softmax(Tensor x) {
        Tensor e = Nx.exp(Nx.subtract(x, Nx.reduceMax(x)));
        return Nx.divide(e, Nx.sum(e));
    }

    static final float[] SOFTMAX_123 = {0.09003057f, 0.24472847f, 0.66524096f};

    @Test
    void transferRunAndReadBack() {
        ExlaBackend exla = Exla.backend();
        assertEquals("exla(cpu:0)", exla.name());
        Tensor host = Nx.tensor(new float[] {1, 2, 3});
        assertSame(Backend.HOST, host.backend());
        try (Tensor x = Nx.backendTransfer(host, exla)) {
            assertSame(exla, x.backend());
            assertInstanceOf(DeviceData.class, x.data());
            assertSame(x, Nx.backendTransfer(x, exla), "already there");
            Function<Tensor, Tensor> f = Defn.jit(DeviceTensorTest::softmax, Exla.compiler());
            try (Tensor y = f.apply(x)) {
                assertSame(exla, y.backend(), "device in, device out");
                assertArrayEquals(SOFTMAX_123, y.toFloatArray(), 1e-6f);
                // Chained without leaving the device; the reference evaluator agrees.
                try (Tensor z = f.apply(y)) {
                    Tensor want = Defn.jit(DeviceTensorTest::softmax, Evaluator.compiler()).apply(Nx.tensor(SOFTMAX_123));
                    assertArrayEquals(want.toFloatArray(), z.toFloatArray(), 1e-6f);
                }
            }
            assertSame(Backend.HOST, f.apply(host).backend(), "host in, host out");
            assertTrue(f.apply(host).toString().contains("0.66524"));
        }
    }

    @Test
    void transferToWhereAnotherTensorLives() {
        try (Tensor there = Nx.backendTransfer(Nx.tensor(new float[] {0}), Exla.backend());
                Tensor moved = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), there.backend())) {
            assertSame(Exla.backend(), moved.backend());
            assertInstanceOf(DeviceData.class, moved.data());
            Tensor back = Nx.backendCopy(moved, Nx.tensor(new float[] {0}).backend());
            assertSame(Backend.HOST, back.backend());
            assertArrayEquals(new float[] {1, 2, 3}, back.toFloatArray());
        }
    }

    @Test
    void transferMovesAndCopyCopies() {
        ExlaBackend exla = Exla.backend();
        Tensor x = Nx.backendCopy(Nx.tensor(new int[][] {{1, 2}, {3, 4}}), exla);
        Tensor copy = Nx.backendCopy(x, exla);
        assertNotSame(((DeviceData) x.data()).buffer(), ((DeviceData) copy.data()).buffer());
        Tensor back = Nx.backendCopy(x, Backend.HOST);
        assertSame(Backend.HOST, back.backend());
        assertArrayEquals(new int[] {1, 2, 3, 4}, back.toIntArray());

        Tensor moved = Nx.backendTransfer(x); // to the host, releasing the device buffer
        assertEquals(Shape.of(2, 2), moved.shape());
        assertEquals(DType.S32, moved.type());
        assertArrayEquals(new int[] {1, 2, 3, 4}, moved.toIntArray());
        assertTrue(((DeviceData) x.data()).isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, x::toIntArray);
        assertTrue(e.getMessage().contains("exla(cpu:0)") && e.getMessage().contains("closed"), e.getMessage());

        assertArrayEquals(new int[] {1, 2, 3, 4}, copy.toIntArray(), "the copy is independent");
        copy.close();
        copy.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> Nx.backendCopy(copy, exla));
    }

    @Test
    void outputPlacementOptions() {
        ExlaCompiler exla = Exla.compiler();
        Tensor host = Nx.tensor(new float[] {1, 2, 3});
        try (Tensor d = Defn.jit(DeviceTensorTest::softmax, exla.withOutputs(ExlaCompiler.OutputPlacement.DEVICE)).apply(host)) {
            assertSame(exla.backend(), d.backend());
            assertArrayEquals(SOFTMAX_123, d.toFloatArray(), 1e-6f);
            try (Tensor xd = Nx.backendCopy(host, exla.backend())) {
                Tensor h = Defn.jit(DeviceTensorTest::softmax, exla.withOutputs(ExlaCompiler.OutputPlacement.HOST)).apply(xd);
                assertSame(Backend.HOST, h.backend());
                assertArrayEquals(SOFTMAX_123, h.toFloatArray(), 1e-6f);
            }
        }
        assertSame(exla.backend(), exla.withOutputs(ExlaCompiler.OutputPlacement.HOST).backend());
    }

    @Test
    void mixedHostAndDeviceArguments() {
        BiFunction<Tensor, Tensor, Tensor> f = Defn.jit((a, b) -> Nx.add(Nx.multiply(a, 2), b), Exla.compiler());
        try (Tensor a = Nx.backendTransfer(Nx.tensor(new double[] {1, 2}), Exla.backend());
                Tensor y = f.apply(a, Nx.tensor(new double[] {10, 20}))) {
            assertSame(Exla.backend(), y.backend());
            assertArrayEquals(new double[] {12, 24}, y.toDoubleArray());
        }
    }

    @Test
    void badInputIsRejectedBeforeTheNativeCall() {
        Function<Tensor, Tensor> f = Defn.jit(DeviceTensorTest::softmax, Exla.compiler());
        Tensor x = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), Exla.backend());
        f.apply(x).close(); // compiled for f32[3]
        x.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> f.apply(x));
        assertTrue(closed.getMessage().startsWith("DeviceTensorTest.softmax: argument 0 is a closed tensor on exla(cpu:0)"),
                closed.getMessage());
        IllegalStateException named = assertThrows(IllegalStateException.class,
                () -> Defn.jit(DeviceTensorTest::softmax, Exla.compiler()).named("train_step").apply(x));
        assertTrue(named.getMessage().startsWith("train_step: argument 0 is a closed tensor"), named.getMessage());

        // A device tensor of another client (same plugin, other create options: another client).
        ExlaCompiler other = Exla.compiler(System.getProperty(CpuPlugin.PLUGIN_PROPERTY), Map.of("jnx_test_option", 1L));
        assertNotSame(Exla.compiler().backend().client(), other.backend().client());
        try (Tensor foreign = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), other.backend())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.apply(foreign));
            assertEquals("DeviceTensorTest.softmax: argument 0 lives on exla(cpu:0, jnx_test_option=1) (another PJRT"
                    + " client) but this function runs on exla(cpu:0); move it with Nx.backendTransfer(t, backend)",
                    e.getMessage());
            // ... which Nx.backendTransfer fixes.
            try (Tensor here = Nx.backendCopy(foreign, Exla.backend()); Tensor y = f.apply(here)) {
                assertArrayEquals(SOFTMAX_123, y.toFloatArray(), 1e-6f);
            }
        }
        // Below jit (which retraces for a new template), the executable checks count, type and shape.
        Expr.Parameter p = new Expr.Parameter(0, Shape.of(3), DType.F32);
        ExlaExecutable exe = Exla.compiler().compile(new TracedFunction("neg", List.of(p),
                List.of(new Expr.Unary(Expr.UnaryOp.NEGATE, p))));
        try (Tensor d64 = Nx.backendTransfer(Nx.tensor(new double[] {1, 2, 3}), Exla.backend());
                Tensor d32 = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), Exla.backend())) {
            IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> exe.run(List.of(d64)));
            assertTrue(dtype.getMessage().contains("argument 0 expected f32[3], got f64[3]"), dtype.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> exe.run(List.of(d32, d32)));
            assertTrue(count.getMessage().contains("expected 1 arguments, got 2"), count.getMessage());
            assertArrayEquals(new float[] {-1, -2, -3}, exe.run(List.of(d32)).get(0).toFloatArray());
        }
    }

    @Test
    void pluginErrorsCarryTheirCode() {
        PjrtException missing = assertThrows(PjrtException.class, () -> Exla.compiler("/nonexistent/libnope.so"));
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().contains("/nonexistent/libnope.so"), missing.getMessage());
        Path libm = Path.of("/lib/x86_64-linux-gnu/libm.so.6");
        if (Files.exists(libm)) {
            PjrtException wrong = assertThrows(PjrtException.class, () -> Exla.compiler(libm.toString()));
            assertTrue(wrong.getMessage().contains("does not export GetPjrtApi"), wrong.getMessage());
        }
        String before = System.getProperty(Plugins.CUDA_PROPERTY);
        System.setProperty(Plugins.CUDA_PROPERTY, "/nonexistent/xla_cuda_plugin.so");
        try {
            PjrtException cuda = assertThrows(PjrtException.class, () -> Exla.compiler("cuda"));
            assertEquals(ErrorCode.NOT_FOUND, cuda.code());
        } finally {
            if (before == null) {
                System.clearProperty(Plugins.CUDA_PROPERTY);
            } else {
                System.setProperty(Plugins.CUDA_PROPERTY, before);
            }
        }
    }

    @Test
    void pluginChoiceByNameAndPath() {
        assertSame(Exla.compiler(), Exla.compiler("cpu"), "no -Djnx.pjrt.plugin in the tests: the bundled CPU plugin");
        assertSame(Exla.compiler("host"), Exla.compiler("cpu"));
        String path = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        ExlaCompiler byPath = Exla.compiler(path);
        assertSame(byPath, Exla.compiler(path), "one client per plugin and options");
        // Another client of the bundled plugin, beside the default one that is exla(cpu:0).
        assertEquals("exla(cpu:0, " + java.nio.file.Path.of(path).toAbsolutePath().normalize() + ")", byPath.name());
        // Create options pass through to PJRT_Client_Create (the CPU plugin accepts and ignores them).
        ExlaCompiler tuned = Exla.compiler(path, Map.of("memory_fraction", 0.5f, "preallocate", false));
        assertNotSame(byPath, tuned);
        assertSame(tuned, Exla.compiler(path, Map.of("preallocate", false, "memory_fraction", 0.5f)));
        assertEquals("exla(cpu:0, memory_fraction=0.5, preallocate=false)", tuned.name());
        Function<Tensor, Tensor> f = Defn.jit(DeviceTensorTest::softmax, tuned);
        assertArrayEquals(SOFTMAX_123, f.apply(Nx.tensor(new float[] {1, 2, 3})).toFloatArray(), 1e-6f);

        String before = System.getProperty(Plugins.PLUGIN_PROPERTY);
        System.setProperty(Plugins.PLUGIN_PROPERTY, " cuda ");
        try {
            assertEquals("cuda", Plugins.configured());
        } finally {
            if (before == null) {
                System.clearProperty(Plugins.PLUGIN_PROPERTY);
            } else {
                System.setProperty(Plugins.PLUGIN_PROPERTY, before);
            }
        }
    }

    @Test
    void forgottenDeviceTensorsAreFreedByTheCleaner() throws InterruptedException {
        long before = PjrtLiveObjects.byKind().getOrDefault("PjrtBuffer", 0L);
        for (int i = 0; i < 200; i++) {
            Nx.backendTransfer(Nx.tensor(new float[] {i}), Exla.backend());
        }
        for (int i = 0; i < 100 && PjrtLiveObjects.byKind().getOrDefault("PjrtBuffer", 0L) > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(PjrtLiveObjects.byKind().getOrDefault("PjrtBuffer", 0L) <= before, PjrtLiveObjects.byKind().toString());
    }
}
