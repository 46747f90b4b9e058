package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin contract against the fake plugin built from src/test/c/mock_pjrt.c, plus checks
 * only a fake can make: nothing native leaks, and unimplemented slots are reported.
 */
class MockPluginTest extends PluginContractTest {
    @Override
    Path pluginPath() {
        Path p = MockPlugin.build(94);
        assumeTrue(p != null, "gcc is not available to build the mock plugin");
        return p;
    }

    @AfterEach
    void nothingLeaks() {
        closeAll();
        assertEquals(0, MockPlugin.liveObjects(pluginPath()), "live native objects after plugin.close()");
    }

    @Test
    void attributesAreDecoded() {
        Map<String, Object> a = plugin.attributes();
        assertEquals("mock", a.get("mock_name"));
        assertArrayEquals(new long[] {4, 5, 6}, (long[]) a.get("mock_list"));
    }

    @Test
    void createOptionsOfEveryTypeAreAccepted() {
        try (PjrtClient c = plugin.createClient(Map.of("s", "x", "l", 1L, "i", 2, "a", new long[] {1, 2},
                "f", 1.5f, "d", 2.5, "b", true))) {
            assertEquals("cpu", c.platformName());
        }
        assertThrows(IllegalArgumentException.class, () -> plugin.createClient(Map.of("bad", new Object())));
    }

    @Test
    void unimplementedSlotIsUnsupportedOperation() {
        try (PjrtLoadedExecutable exe = client.compile(EXP, new byte[0])) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, exe::outputDimensions);
            assertTrue(e.getMessage().contains("does not implement PJRT_Executable_OutputDimensions"), e.getMessage());
            assertTrue(e.getMessage().contains(pluginPath().toString()), e.getMessage());
        }
    }

    @Test
    void pluginErrorCarriesCodeAndMessage() {
        PjrtException e = assertThrows(PjrtException.class, () -> client.compile("garbage", (byte[]) null));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.pluginMessage().startsWith("mock: cannot parse module: garbage"), e.pluginMessage());
        assertEquals("PJRT_Client_Compile failed (INVALID_ARGUMENT): " + e.pluginMessage(), e.getMessage());
    }

    @Test
    void closingAClientFreesWhatItStillOwns() {
        PjrtLoadedExecutable exe = client.compile(EXP, new byte[0]);
        PjrtBuffer x = client.bufferFromHost(MemorySegment.ofArray(new float[3]), ElementType.F32, new long[] {3}, null);
        PjrtBuffer y = exe.execute(x)[0];
        assertTrue(MockPlugin.liveObjects(pluginPath()) >= 4);
        client.close();
        assertTrue(exe.isClosed() && x.isClosed() && y.isClosed());
        assertEquals(0, MockPlugin.liveObjects(pluginPath()));
    }

    @Test
    void forgottenBuffersAreFreedByTheCleaner() throws InterruptedException {
        int before = MockPlugin.liveObjects(pluginPath());
        for (int i = 0; i < 100; i++) {
            client.bufferFromHost(MemorySegment.ofArray(new float[3]), ElementType.F32, new long[] {3}, null);
        }
        assertTrue(MockPlugin.liveObjects(pluginPath()) >= before + 100);
        for (int i = 0; i < 50 && MockPlugin.liveObjects(pluginPath()) > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(before, MockPlugin.liveObjects(pluginPath()));
    }

    @Test
    void sameLibraryLoadsOnce() {
        try (PjrtPlugin again = PjrtPlugin.load(pluginPath())) {
            assertEquals(plugin.path(), again.path());
            assertTrue(plugin.api == again.api, "one PjrtApi per library");
        }
    }
}
