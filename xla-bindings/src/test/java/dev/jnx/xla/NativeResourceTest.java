package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
    void callPassesTheHandleAndReleasesItAlsoOnFailure() {
        NativeResource r = new NativeResource("a", MemorySegment.ofAddress(42), h -> destroyed.add("a"), null, false);
        try (Scratch s = r.call()) {
            assertEquals(42, s.handle().address());
        }
        RuntimeException boom = new RuntimeException("boom");
        assertSame(boom, assertThrows(RuntimeException.class, () -> {
            try (Scratch s = r.call()) {
                throw boom;
            }
        }));
        r.close();
        assertEquals(List.of("a"), destroyed, "no reference left behind by either call");
        IllegalStateException closed = assertThrows(IllegalStateException.class, r::call);
        assertEquals("a is closed", closed.getMessage());
    }

    @Test
    void callHoldsTheHandleAgainstAConcurrentClose() {
        NativeResource r = resource("a", null, false);
        MemorySegment kept;
        try (Scratch s = r.call()) {
            kept = s.allocate(8, 8);
            r.close();
            assertTrue(destroyed.isEmpty(), "freed under a running call");
        }
        assertEquals(List.of("a"), destroyed);
        assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void scratchMemoryIsInvalidAfterItsScope() {
        assertTrue(Scratch.CHECKED, "the tests run with assertions, so Scratch is checked");
        MemorySegment kept;
        MemorySegment keptBig;
        try (Scratch s = Scratch.open()) {
            kept = s.allocate(16, 8);
            kept.set(ValueLayout.JAVA_LONG, 0, 7);
            keptBig = s.allocate(1 << 20, 8); // past the block: from the scope's arena
            assertEquals(7, kept.get(ValueLayout.JAVA_LONG, 0));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_LONG, 0));
        assertEquals("Already closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> kept.set(ValueLayout.JAVA_LONG, 0, 1));
        assertThrows(IllegalStateException.class, () -> keptBig.get(ValueLayout.JAVA_BYTE, 0));
        // The next scope reuses the memory, and its own slices are valid.
        try (Scratch s = Scratch.open()) {
            MemorySegment next = s.allocate(16, 8);
            assertEquals(kept.address(), next.address());
            assertEquals(0, next.get(ValueLayout.JAVA_LONG, 0));
            assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void anInnerScopesMemoryIsInvalidAfterItWhileTheOuterStaysValid() {
        assertTrue(Scratch.CHECKED, "the tests run with assertions, so Scratch is checked");
        try (Scratch outer = Scratch.open()) {
            MemorySegment a = outer.allocate(8, 8);
            a.set(ValueLayout.JAVA_LONG, 0, 5);
            MemorySegment b;
            try (Scratch inner = Scratch.open()) {
                b = inner.allocate(8, 8);
                // An outer scope allocating meanwhile must not get memory the inner one gives back.
                MemorySegment c = outer.allocate(8, 8);
                MemorySegment d = inner.allocate(8, 8);
                assertTrue(c.address() + 8 <= d.address() || d.address() + 8 <= c.address(), "c and d overlap");
                c.set(ValueLayout.JAVA_LONG, 0, 6);
                d.set(ValueLayout.JAVA_LONG, 0, 8);
                assertEquals(6, c.get(ValueLayout.JAVA_LONG, 0));
            }
            assertThrows(IllegalStateException.class, () -> b.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(5, a.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void aClosedScopeAllocatesNothing() {
        assertTrue(Scratch.CHECKED, "the tests run with assertions, so Scratch is checked");
        Scratch s = Scratch.open();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.allocate(8, 8));
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
