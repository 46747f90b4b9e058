package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plugin contract against the project's CPU plugin (system property
 * {@code jnx.pjrt.cpu.plugin}), plus the bridge's richer entry points that the mock does not
 * implement; skipped while that plugin has not been built.
 */
class CpuPluginIntegrationTest extends PluginContractTest {
    static final String MATRIX = """
            module @jit_pair {
              func.func public @main(%arg0: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<i32>) {
                %0 = stablehlo.add %arg0, %arg0 : tensor<2x3xf32>
                %1 = stablehlo.constant dense<7> : tensor<i32>
                return %0, %1 : tensor<2x3xf32>, tensor<i32>
              }
            }
            """;

    @Override
    Path pluginPath() {
        String p = System.getProperty("jnx.pjrt.cpu.plugin", "");
        assumeTrue(!p.isEmpty() && Files.exists(Path.of(p)), "CPU PJRT plugin not built: '" + p + "'");
        return Path.of(p);
    }

    PjrtBuffer upload2x3() {
        return client.bufferFromHost(MemorySegment.ofArray(new float[] {1, 2, 3, 4, 5, 6}), ElementType.F32,
                new long[] {2, 3}, null);
    }

    @Test
    void deviceAndMemoryDescriptions() {
        PjrtDevice d = client.addressableDevices().get(0);
        assertEquals(0, d.id());
        assertEquals("cpu", d.kind());
        List<PjrtMemory> memories = d.memories();
        assertEquals(1, memories.size());
        assertEquals(new PjrtMemory(0, "device", "JNX_CPU_0_device"), memories.get(0));
        assertEquals(memories.get(0), d.defaultMemory());
        assertEquals(java.util.Map.of(), d.attributes());
        assertEquals("tfrt-cpu,tf-session", plugin.attributes().get("jnx_runtimes"));
    }

    @Test
    void bufferMetadata() {
        try (PjrtBuffer x = upload2x3()) {
            assertEquals(ElementType.F32, x.elementType());
            assertArrayEquals(new long[] {2, 3}, x.dimensions());
            assertEquals(24, x.onDeviceSizeInBytes());
            assertEquals(24, x.hostByteSize());
            assertEquals("device", x.memory().kind());
            BufferLayout layout = x.memoryLayout();
            assertArrayEquals(new long[] {1, 0}, layout.minorToMajor(), layout.toString());
            assertTrue(layout.isRowMajor());
            assertFalse(x.isDeleted());
        }
    }

    @Test
    void transfersWithEvents() {
        try (PjrtBuffer x = upload2x3(); Arena arena = Arena.ofConfined()) {
            try (PjrtEvent ready = x.readyEvent()) {
                ready.await();
                assertTrue(ready.isReady());
                assertEquals("PJRT_Buffer_ReadyEvent", ready.operation());
            }
            MemorySegment dst = arena.allocate(24, 8);
            PjrtEvent done = x.copyToHostAsync(dst);
            if (done != null) {
                done.await();
                done.close();
                done.close(); // idempotent
                assertThrows(IllegalStateException.class, done::await);
            }
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, dst.toArray(ValueLayout.JAVA_FLOAT));
            assertThrows(IllegalArgumentException.class, () -> x.copyToHostAsync(MemorySegment.ofArray(new byte[24])));

            try (PjrtBuffer copy = x.copyToDevice(client.addressableDevices().get(0))) {
                assertArrayEquals(new long[] {2, 3}, copy.dimensions());
                x.close(); // the copy is independent
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, toFloats(copy.toByteArray()));
            }
        }
    }

    @Test
    void deleteFreesTheStorageButKeepsTheHandle() {
        try (PjrtBuffer x = upload2x3()) {
            x.delete();
            assertTrue(x.isDeleted());
            assertFalse(x.isClosed());
            PjrtException e = assertThrows(PjrtException.class, x::toByteArray);
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertTrue(e.pluginMessage().contains("deleted"), e.pluginMessage());
            try (PjrtLoadedExecutable exe = client.compile(MATRIX, CompileOptions.singleDevice(0))) {
                PjrtException run = assertThrows(PjrtException.class, () -> exe.execute(x));
                assertEquals(ErrorCode.FAILED_PRECONDITION, run.code());
            }
        }
    }

    @Test
    void executableMetadataAndTypedOutputs() {
        try (PjrtLoadedExecutable exe = client.compile(MATRIX, CompileOptions.singleDevice(0));
                PjrtLoadedExecutable same = client.compile(MATRIX, new byte[0]);
                PjrtLoadedExecutable other = client.compile(EXP, new byte[0]);
                PjrtBuffer x = upload2x3()) {
            assertEquals(2, exe.numOutputs());
            assertEquals(List.of(ElementType.F32, ElementType.S32), exe.outputElementTypes());
            assertArrayEquals(new long[] {2, 3}, exe.outputDimensions().get(0));
            assertArrayEquals(new long[0], exe.outputDimensions().get(1));
            assertEquals("jit_pair", exe.name());
            assertTrue(exe.fingerprint().matches("[0-9a-f]{16}"), exe.fingerprint());
            assertEquals(exe.fingerprint(), same.fingerprint());
            assertNotEquals(exe.fingerprint(), other.fingerprint());

            PjrtBuffer[] out = exe.execute(new int[] {0}, x);
            try (PjrtBuffer a = out[0]; PjrtBuffer b = out[1]) {
                assertEquals("PjrtBuffer[F32[2, 3]]", a.toString());
                assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, toFloats(a.toByteArray()));
                assertEquals(7, java.nio.ByteBuffer.wrap(b.toByteArray()).order(java.nio.ByteOrder.nativeOrder()).getInt());
            }
            assertFalse(x.isDeleted(), "the CPU plugin never donates");
            assertThrows(IllegalArgumentException.class, () -> exe.execute(new int[] {1}, x));
        }
    }

    @Test
    void closedArgumentIsNamed() {
        try (PjrtLoadedExecutable exe = client.compile(EXP, new byte[0])) {
            PjrtBuffer x = upload(1f, 2f, 3f);
            x.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> exe.execute(x));
            assertEquals("execute: argument 0 (a PjrtBuffer) is closed", e.getMessage());
        }
    }

    @Test
    void liveObjectsReturnToTheirBaseline() {
        long nativeBefore = plugin.nativeLiveObjects().orElseThrow();
        long javaBefore = PjrtLiveObjects.total();
        PjrtLoadedExecutable exe = client.compile(EXP, new byte[0]);
        PjrtBuffer x = upload(0f, 1f, 2f);
        PjrtBuffer y = exe.execute(x)[0];
        PjrtEvent e = y.readyEvent();
        assertEquals(javaBefore + 4, PjrtLiveObjects.total(), PjrtLiveObjects.byKind().toString());
        assertTrue(plugin.nativeLiveObjects().orElseThrow() >= nativeBefore + 4);
        client.close(); // closes what it owns: executable, buffers, event
        assertTrue(exe.isClosed() && x.isClosed() && y.isClosed() && e.isClosed());
        assertEquals(javaBefore - 1, PjrtLiveObjects.total(), PjrtLiveObjects.byKind().toString());
        assertEquals(nativeBefore - 1, plugin.nativeLiveObjects().orElseThrow(), "the client itself is gone too");
    }

    @Test
    void compileOptionsProtoBytes() {
        // Hand-encoded: CompileOptionsProto{3: ExecutableBuildOptionsProto{1: -1, 4: 1, 5: 1,
        // 9: DeviceAssignmentProto{1: 1, 2: 1, 3: {1: [0] packed}}}}.
        byte[] expected = {
            0x1a, 26,
            0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01,
            0x20, 0x01, 0x28, 0x01,
            0x4a, 9, 0x08, 0x01, 0x10, 0x01, 0x1a, 3, 0x0a, 1, 0x00};
        assertArrayEquals(expected, CompileOptions.singleDevice(0).toProto());
        byte[] twoDevices = new CompileOptions(2, 1, new int[][] {{3, 300}}).toProto();
        // The packed ids 3 and 300 (0xac 0x02) end the message.
        assertArrayEquals(new byte[] {0x0a, 3, 0x03, (byte) 0xac, 0x02},
                java.util.Arrays.copyOfRange(twoDevices, twoDevices.length - 5, twoDevices.length));
        assertThrows(IllegalArgumentException.class, () -> new CompileOptions(1, 1, new int[][] {{0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> new CompileOptions(0, 1, null));
    }

    @Test
    void compileOptionOverridesAreMapEntriesOrderedByName() {
        byte[] base = CompileOptions.singleDevice(0).toProto();
        byte[] with = CompileOptions.singleDevice(0).withOverrides(java.util.Map.of("b", true, "a", 300L)).toProto();
        // After the build options, field 7 entries {1: name, 2: OptionOverrideProto}: "a" first,
        // int_field (3) 300 = 0xac 0x02, then "b" with bool_field (2) 1.
        byte[] entries = {
            0x3a, 8, 0x0a, 1, 'a', 0x12, 3, 0x18, (byte) 0xac, 0x02,
            0x3a, 7, 0x0a, 1, 'b', 0x12, 2, 0x10, 0x01};
        assertArrayEquals(base, java.util.Arrays.copyOf(with, base.length));
        assertArrayEquals(entries, java.util.Arrays.copyOfRange(with, base.length, with.length));
        byte[] dbl = CompileOptions.singleDevice(0).withOverrides(java.util.Map.of("d", 1.0)).toProto();
        // double_field (4, fixed64): 1.0 is 0x3ff0000000000000, little-endian.
        assertArrayEquals(new byte[] {0x21, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f},
                java.util.Arrays.copyOfRange(dbl, dbl.length - 9, dbl.length));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CompileOptions.singleDevice(0).withOverrides(java.util.Map.of("x", new int[1])));
        assertTrue(bad.getMessage().contains("compile option override x"), bad.getMessage());
    }
}
