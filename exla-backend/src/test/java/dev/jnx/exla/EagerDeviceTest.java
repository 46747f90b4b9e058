package dev.jnx.exla;

import dev.jnx.Backend;
import dev.jnx.DType;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Eager ops follow their operands' backend (Nx's dispatch to EXLA.Backend): on device tensors
 * they run on the device, once compiled per template, and agree with the host reference;
 * device tensors a jitted function captures are arguments of its module.
 */
class EagerDeviceTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    private static Tensor device(Tensor host) {
        return Nx.backendCopy(host, Exla.backend());
    }

    /** {@code op} on device copies of {@code inputs} gives device tensors equal to {@code op} on the host ones. */
    private static void agrees(String what, Function<List<Tensor>, Tensor> op, Tensor... inputs) {
        Tensor want = op.apply(List.of(inputs));
        assertEquals(Backend.HOST, want.backend(), what + ": host operands stay on the host");
        List<Tensor> onDevice = java.util.Arrays.stream(inputs).map(EagerDeviceTest::device).toList();
        Tensor got = op.apply(onDevice);
        assertInstanceOf(DeviceData.class, got.data(), what + ": device operands give a device tensor");
        assertEquals(want.type(), got.type(), what);
        assertEquals(want.shape(), got.shape(), what);
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 1e-5, what);
        got.close();
        onDevice.forEach(Tensor::close);
    }

    @Test
    void opFamiliesOnDeviceAgreeWithTheHost() {
        Tensor m = Nx.tensor(new float[] {4, 2, 0.6f, 2, 5, 1, 0.6f, 1, 3}, 3, 3);
        Tensor v = Nx.tensor(new float[] {3, -1, 2.5f, 0});
        agrees("exp", a -> Nx.exp(a.get(0)), v);
        agrees("multiply by a host scalar", a -> Nx.multiply(a.get(0), 0.9), v);
        agrees("add", a -> Nx.add(a.get(0), a.get(1)), m, Nx.iota(Shape.of(3), DType.F32));
        agrees("sum", a -> Nx.sum(a.get(0), new int[] {1}, false), m);
        agrees("reduceMax", a -> Nx.reduceMax(a.get(0)), v);
        agrees("dot", a -> Nx.dot(a.get(0), a.get(1)), m, m);
        agrees("slice", a -> Nx.slice(a.get(0), new int[] {1, 0}, new int[] {2, 2}), m);
        agrees("take", a -> Nx.take(a.get(0), a.get(1), 0), m, Nx.tensor(new int[] {2, 0, 2}));
        agrees("sort", a -> Nx.sort(a.get(0)), v);
        agrees("argsort", a -> Nx.argsort(a.get(0)), v);
        agrees("cholesky", a -> LinAlg.cholesky(a.get(0)), m);
        agrees("select", a -> Nx.select(Nx.greater(a.get(0), 0), a.get(0), Nx.scalar(7f)), v);
    }

    @Test
    void hostValuesAreHandChecked() {
        try (Tensor x = device(Nx.tensor(new float[] {0, 1, 2}));
             Tensor y = Nx.add(Nx.multiply(x, 2), 1)) {
            assertInstanceOf(DeviceData.class, y.data());
            assertArrayEquals(new float[] {1, 3, 5}, y.toFloatArray());
        }
    }

    @Test
    void anOpIsCompiledOncePerTemplate() {
        ExlaBackend exla = Exla.backend();
        Tensor a = device(Nx.tensor(new float[] {1, 2, 3, 4, 5, 6, 7}));
        Tensor b = device(Nx.tensor(new float[] {0, -1, -2, -3, -4, -5, -6}));
        long before = exla.eagerCompileCount();
        Nx.log1p(Nx.abs(a)).close();
        long afterFirst = exla.eagerCompileCount();
        assertTrue(afterFirst <= before + 2, "abs and log1p of f32[7]: at most two new modules");
        // Same ops, same template, other values and another host scalar: served from the cache.
        Tensor r = Nx.log1p(Nx.abs(b));
        assertEquals(afterFirst, exla.eagerCompileCount());
        assertArrayEquals(new float[] {0, (float) Math.log(2), (float) Math.log(3)},
                java.util.Arrays.copyOf(r.toFloatArray(), 3), 1e-6f);
        Nx.multiply(a, 0.5).close();
        long scaled = exla.eagerCompileCount();
        Tensor q = Nx.multiply(b, 0.25);
        assertEquals(scaled, exla.eagerCompileCount(), "a host scalar is an argument, not part of the module");
        assertEquals(-1.5f, q.toFloatArray()[6]);
        assertTrue(exla.eagerCacheSize() > 0);
        for (Tensor t : List.of(a, b, r, q)) {
            t.close();
        }
    }

    @Test
    void twoDeviceBackendsInOneOpAreAnError() {
        ExlaCompiler two = Exla.compiler("cpu", Map.of("cpu_device_count", 2L));
        try (Tensor a = Nx.backendCopy(Nx.tensor(new float[] {1, 2}), two.backend());
             Tensor b = Nx.backendCopy(Nx.tensor(new float[] {3, 4}), two.onDevice(1).backend())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nx.add(a, b));
            assertTrue(e.getMessage().contains("Binary add") && e.getMessage().contains("on exla(cpu:0, cpu_device_count=2) and")
                    && e.getMessage().contains("on exla(cpu:1, cpu_device_count=2);") && e.getMessage().contains("backendTransfer"),
                    e.getMessage());
            // Moving one of them is the fix.
            try (Tensor moved = Nx.backendCopy(b, two.backend()); Tensor sum = Nx.add(a, moved)) {
                assertArrayEquals(new float[] {4, 6}, sum.toFloatArray());
            }
        }
    }

    @Test
    void aClosedDeviceOperandIsNamed() {
        Tensor x = device(Nx.tensor(new float[] {1, 2}));
        x.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Nx.exp(x));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void capturedDeviceTensorIsAParameterNotAConstant() {
        float[] big = new float[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        try (Tensor w = device(Nx.tensor(big))) {
            ExlaCompiler exla = Exla.compiler();
            ExlaExecutable exe = exla.compile(Defn.trace(x -> Nx.add(x, w), Nx.tensor(new float[1000])));
            String text = exe.moduleText();
            assertTrue(text.contains("%arg1: tensor<1000xf32>"), text);
            assertFalse(text.contains("stablehlo.constant"), "no constant for the captured tensor:\n" + text);
            try (Tensor y = exe.run(List.of(device(Nx.iota(Shape.of(1000), DType.F32)))).get(0)) {
                float[] got = y.toFloatArray();
                assertEquals(999 + 499.5f, got[999]);
                assertEquals(3 + 1.5f, got[3]);
            }
            // Through jit too, with a host argument.
            Jitted.Unary f = Defn.jit(x -> Nx.multiply(x, w), exla);
            assertEquals(6f, f.apply(Nx.broadcast(Nx.scalar(2f), Shape.of(1000))).toFloatArray()[6]);
        }
    }

    @Test
    void nestedJitUnderGradEqualsTheFlatVersion() {
        ExlaCompiler exla = Exla.compiler();
        Jitted.Unary inner = Defn.jit(x -> Nx.sum(Nx.multiply(Nx.sin(x), x)), exla);
        Jitted.Unary nested = Defn.jit(x -> Defn.grad(x, inner), exla);
        Jitted.Unary flat = Defn.jit(x -> Defn.grad(x, y -> Nx.sum(Nx.multiply(Nx.sin(y), y))), exla);
        Tensor x = Nx.tensor(new double[] {0.5, -1.25, 2});
        double[] want = flat.apply(x).toDoubleArray();
        assertArrayEquals(want, nested.apply(x).toDoubleArray(), 1e-12);
        // d/dx sum(sin x * x) = cos x * x + sin x, checked by hand.
        for (int i = 0; i < 3; i++) {
            double xi = x.toDoubleArray()[i];
            assertEquals(Math.cos(xi) * xi + Math.sin(xi), want[i], 1e-12);
        }
        assertEquals(0, inner.cacheSize(), "inlined: the inner function compiled nothing");
        // Eager grad (outside jit) inlines too.
        assertArrayEquals(want, Defn.grad(x, inner).toDoubleArray(), 1e-12);
        assertEquals(0, inner.cacheSize());
    }

    @Test
    void eagerGradOfDeviceTensorsRunsOnTheDevice() {
        Tensor host = Nx.tensor(new double[] {0.5, -1.25, 2});
        Function<Tensor, Tensor> f = y -> Nx.sum(Nx.multiply(Nx.exp(y), y));
        Tensor want = Defn.grad(host, f);
        assertEquals(Backend.HOST, want.backend());
        ExlaBackend exla = Exla.backend();
        try (Tensor x = device(host)) {
            Defn.ValueAndGrad<Tensor> vg = Defn.valueAndGrad(x, f);
            assertInstanceOf(DeviceData.class, vg.grad().data());
            assertInstanceOf(DeviceData.class, vg.value().data());
            assertArrayEquals(want.toDoubleArray(), vg.grad().toDoubleArray(), 1e-12);
            // d/dx sum(exp(x) x) = exp(x) (1 + x).
            assertEquals(Math.exp(2) * 3, vg.grad().toDoubleArray()[2], 1e-12);
            long compiled = exla.eagerCompileCount();
            try (Tensor x2 = device(Nx.tensor(new double[] {1, 2, 3}))) {
                assertEquals(Math.exp(1) * 2, Defn.grad(x2, f).toDoubleArray()[0], 1e-12);
            }
            assertEquals(compiled, exla.eagerCompileCount(), "the gradient of the same template is compiled once");
        }
    }

    @Test
    void hostTensorsStayOnTheHost() {
        Tensor y = Nx.exp(Nx.tensor(new float[] {0, 1}));
        assertEquals(Backend.HOST, y.data().backend());
        assertArrayEquals(new float[] {1, (float) Math.E}, y.toFloatArray(), 1e-6f);
    }
}
