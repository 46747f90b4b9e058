package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every PJRT CPU plugin must do through these bindings; run against the mock plugin and
 * against the project's real CPU plugin.
 */
abstract class PluginContractTest {
    static final String EXP = """
            module @jit_f {
              func.func public @main(%arg0: tensor<3xf32>) -> tensor<3xf32> {
                %0 = stablehlo.exponential %arg0 : tensor<3xf32>
                return %0 : tensor<3xf32>
              }
            }
            """;
    static final String ADD = """
            func.func public @main(%arg0: tensor<3xf32>, %arg1: tensor<3xf32>) -> tensor<3xf32> {
              %0 = stablehlo.add %arg0, %arg1 : tensor<3xf32>
              return %0 : tensor<3xf32>
            }
            """;

    PjrtPlugin plugin;
    PjrtClient client;

    /** The plugin under test; the subclass skips the test (assumption) if it is absent. */
    abstract Path pluginPath();

    @BeforeEach
    void open() {
        plugin = PjrtPlugin.load(pluginPath());
        client = plugin.createClient(Map.of());
    }

    @AfterEach
    void closeAll() {
        if (plugin != null) {
            plugin.close();
        }
    }

    static MemorySegment floats(Arena arena, float... v) {
        MemorySegment s = arena.allocate(4L * v.length, 4);
        MemorySegment.copy(v, 0, s, JAVA_FLOAT, 0, v.length);
        return s;
    }

    PjrtBuffer upload(float... v) {
        try (Arena arena = Arena.ofConfined()) {
            return client.bufferFromHost(floats(arena, v), ElementType.F32, new long[] {v.length}, null);
        }
    }

    static float[] toFloats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().get(out);
        return out;
    }

    @Test
    void pluginAndClientDescribeThemselves() {
        assertEquals(0, plugin.majorVersion());
        assertTrue(plugin.minorVersion() >= PjrtPlugin.MIN_MINOR_VERSION);
        assertEquals(pluginPath().toAbsolutePath().normalize(), plugin.path());
        assertDoesNotThrow(plugin::attributes);
        assertEquals("cpu", client.platformName());
        assertEquals(0, client.processIndex());
        assertFalse(client.devices().isEmpty());
        assertFalse(client.addressableDevices().isEmpty());
        PjrtDevice d = client.addressableDevices().get(0);
        assertTrue(d.isAddressable());
        assertEquals(0, d.processIndex());
        assertFalse(d.kind().isEmpty());
        assertSame(client, d.client());
    }

    @Test
    void compilesAndRunsExp() {
        try (PjrtLoadedExecutable exe = client.compile(EXP, new byte[0]);
                PjrtBuffer x = upload(0f, 1f, 2f)) {
            assertEquals(1, exe.numOutputs());
            assertEquals(ElementType.F32, x.elementType());
            assertArrayEquals(new long[] {3}, x.dimensions());
            assertSame(client.addressableDevices().get(0), x.device());
            PjrtBuffer[] out = exe.execute(x);
            assertEquals(1, out.length);
            try (PjrtBuffer y = out[0]) {
                assertEquals(ElementType.F32, y.elementType());
                assertArrayEquals(new long[] {3}, y.dimensions());
                assertTrue(y.onDeviceSizeInBytes() >= 12);
                float[] got = toFloats(y.toByteArray());
                for (int i = 0; i < 3; i++) {
                    assertEquals((float) Math.exp(i), got[i], 1e-5f * (float) Math.exp(i));
                }
                // Into a native segment as well as a heap one.
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment dst = arena.allocate(12);
                    y.copyToHost(dst);
                    assertEquals(got[2], dst.getAtIndex(JAVA_FLOAT, 2));
                    assertThrows(IllegalArgumentException.class, () -> y.copyToHost(arena.allocate(8)));
                }
            }
            // The argument survives execution and can be reused.
            try (PjrtBuffer again = exe.execute(x)[0]) {
                assertEquals((float) Math.E, toFloats(again.toByteArray())[1], 1e-5f);
            }
        }
    }

    @Test
    void runsTwoArgumentProgramAndReportsOutputTypes() {
        try (PjrtLoadedExecutable exe = client.compile(ADD, (byte[]) null);
                PjrtBuffer a = upload(1f, 2f, 3f);
                PjrtBuffer b = upload(10f, 20f, 30f);
                PjrtBuffer c = exe.execute(a, b)[0]) {
            assertArrayEquals(new float[] {11f, 22f, 33f}, toFloats(c.toByteArray()));
            try {
                assertEquals(List.of(ElementType.F32), exe.outputElementTypes());
            } catch (UnsupportedOperationException e) {
                assertTrue(e.getMessage().contains("PJRT_Executable_OutputElementTypes"), e.getMessage());
            }
        }
    }

    @Test
    void heapHostDataIsAccepted() {
        float[] v = {0.5f, 1.5f, 2.5f};
        try (PjrtBuffer x = client.bufferFromHost(MemorySegment.ofArray(v), ElementType.F32, new long[] {3}, null)) {
            assertArrayEquals(v, toFloats(x.toByteArray()));
            float[] back = new float[3];
            x.copyToHost(MemorySegment.ofArray(back));
            assertArrayEquals(v, back);
        }
    }

    @Test
    void malformedModuleIsAPjrtException() {
        PjrtException e = assertThrows(PjrtException.class,
                () -> client.compile("this is not { a module", new byte[0]));
        assertFalse(e.pluginMessage().isBlank(), "plugin message");
        assertTrue(e.getMessage().startsWith("PJRT_Client_Compile failed ("), e.getMessage());
        assertTrue(e.getMessage().contains(e.pluginMessage()));
        assertEquals("PJRT_Client_Compile", e.function());
    }

    @Test
    void wrongShapedArgumentIsAnExceptionNotACrash() {
        try (PjrtLoadedExecutable exe = client.compile(EXP, new byte[0]);
                PjrtBuffer four = upload(1f, 2f, 3f, 4f)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> exe.execute(four));
            assertTrue(e instanceof PjrtException || e instanceof IllegalArgumentException, e.toString());
            RuntimeException none = assertThrows(RuntimeException.class, () -> exe.execute());
            assertTrue(none instanceof PjrtException || none instanceof IllegalArgumentException, none.toString());
        }
    }

    @Test
    void hostDataIsValidatedBeforeTheNativeCall() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment twelve = arena.allocate(12);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.bufferFromHost(twelve, ElementType.F32, new long[] {4}, null));
            assertTrue(e.getMessage().contains("F32[4]") && e.getMessage().contains("16"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> client.bufferFromHost(twelve, ElementType.F32, new long[] {-3}, null));
            assertThrows(IllegalArgumentException.class,
                    () -> client.bufferFromHost(twelve, ElementType.TOKEN, new long[] {12}, null));
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsIllegalState() {
        PjrtLoadedExecutable exe = client.compile(EXP, new byte[0]);
        PjrtBuffer x = upload(0f, 1f, 2f);
        x.close();
        x.close();
        assertTrue(x.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, x::toByteArray);
        assertEquals("PjrtBuffer is closed", e.getMessage());
        assertThrows(IllegalStateException.class, x::dimensions);
        assertThrows(IllegalStateException.class, () -> exe.execute(x));

        exe.close();
        exe.close();
        PjrtBuffer y = upload(0f, 1f, 2f);
        assertThrows(IllegalStateException.class, () -> exe.execute(y));

        client.close();
        client.close();
        assertTrue(y.isClosed(), "client.close() closes its buffers");
        assertThrows(IllegalStateException.class, () -> client.compile(EXP, new byte[0]));
        assertThrows(IllegalStateException.class, () -> upload(1f));
        assertEquals("cpu", client.platformName()); // cached facts stay readable
    }

    @Test
    void buffersOfAnotherClientAreRejected() {
        try (PjrtClient other = plugin.createClient(Map.of());
                PjrtLoadedExecutable exe = client.compile(EXP, new byte[0]);
                PjrtBuffer foreign = upload(other)) {
            assertThrows(IllegalArgumentException.class, () -> exe.execute(foreign));
            assertThrows(IllegalArgumentException.class, () -> client.bufferFromHost(
                    MemorySegment.ofArray(new float[3]), ElementType.F32, new long[] {3},
                    other.addressableDevices().get(0)));
        }
    }

    private static PjrtBuffer upload(PjrtClient c) {
        return c.bufferFromHost(MemorySegment.ofArray(new float[] {1, 2, 3}), ElementType.F32, new long[] {3}, null);
    }

    @Test
    void executesFromManyThreads() throws Exception {
        try (PjrtLoadedExecutable exe = client.compile(EXP, new byte[0]);
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    float[] last = null;
                    for (int i = 0; i < 50; i++) {
                        try (PjrtBuffer x = upload(0f, 1f, 2f); PjrtBuffer y = exe.execute(x)[0]) {
                            last = toFloats(y.toByteArray());
                        }
                    }
                    return last;
                }));
            }
            for (Future<float[]> f : results) {
                assertEquals((float) Math.exp(2), f.get()[2], 1e-4f);
            }
        }
    }
}
