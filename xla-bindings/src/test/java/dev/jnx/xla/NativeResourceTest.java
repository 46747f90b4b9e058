package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ownership rules, without any plugin. */
class NativeResourceTest {
    private final List<String> destroyed = new ArrayList<>();

    private NativeResource resource(String name, NativeResource parent, boolean owner) {
        return new NativeResource(name, MemorySegment.ofAddress(1), h -> destroyed.add(name), parent, owner);
    }

    @Test
    void closeIsIdempotent() {
        NativeResource r = resource("a", null, false);
        r.close();
        r.close();
        assertEquals(List.of("a"), destroyed);
        IllegalStateException e = assertThrows(IllegalStateException.class, r::acquire);
        assertEquals("a is closed", e.getMessage());
    }

    @Test
    void closeDuringUseDefersTheFree() {
        NativeResource r = resource("a", null, false);
        r.acquire();
        r.close();
        assertTrue(destroyed.isEmpty(), "still in use");
        assertThrows(IllegalStateException.class, r::acquire);
        r.release();
        assertEquals(List.of("a"), destroyed);
    }

    @Test
    void childrenAreFreedBeforeTheirParent() {
        NativeResource client = resource("client", null, true);
        resource("buffer1", client, false);
        NativeResource b2 = resource("buffer2", client, false);
        b2.close();
        client.close();
        assertEquals("buffer2", destroyed.get(0));
        assertEquals("client", destroyed.get(destroyed.size() - 1));
        assertEquals(3, destroyed.size());
    }

    @Test
    void parentWaitsForAChildInUse() {
        NativeResource client = resource("client", null, true);
        NativeResource b = resource("buffer", client, false);
        b.acquire();
        client.close();
        assertEquals(List.of(), destroyed);
        b.release();
        assertEquals(List.of("buffer", "client"), destroyed);
    }

    @Test
    void aChildOfAClosedParentIsFreedAndRefused() {
        NativeResource client = resource("client", null, true);
        client.close();
        assertThrows(IllegalStateException.class, () -> resource("late", client, false));
        assertEquals(List.of("client", "late"), destroyed);
    }

    @Test
    void scratchScopesNestAndZero() {
        try (Scratch outer = Scratch.open()) {
            MemorySegment a = outer.allocate(16, 8);
            a.fill((byte) 7);
            long addr;
            try (Scratch inner = Scratch.open()) {
                MemorySegment b = inner.allocate(16, 8);
                assertTrue(b.address() >= a.address() + 16);
                b.fill((byte) 9);
                addr = b.address();
                MemorySegment big = inner.allocate(1 << 20, 8); // overflow arena
                assertEquals(1 << 20, big.byteSize());
            }
            MemorySegment c = outer.allocate(16, 8);
            assertEquals(addr, c.address(), "inner scope's memory is reused");
            assertEquals(0, c.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0), "zeroed");
            assertEquals(7, a.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        }
    }
}
