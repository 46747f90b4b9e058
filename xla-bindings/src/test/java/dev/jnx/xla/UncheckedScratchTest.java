package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scratch as production runs it (no assertions): scope objects reused per depth, slices of the
 * block itself. Run by the {@code unchecked-scratch} surefire execution, with
 * {@code -Djnx.checkScratch=false}; the checked scopes are {@link NativeResourceTest}'s.
 */
class UncheckedScratchTest {
    @BeforeEach
    void unchecked() {
        assertFalse(Scratch.CHECKED, "run with -Djnx.checkScratch=false");
    }

    @Test
    void scopesAreReusedPerDepthAndHandOutZeroedMemory() {
        Scratch first;
        long address;
        try (Scratch s = Scratch.open()) {
            first = s;
            MemorySegment a = s.allocate(16, 8);
            a.fill((byte) 7);
            address = a.address();
            try (Scratch inner = Scratch.open()) {
                assertTrue(inner != s, "a nested scope is another object");
                assertTrue(inner.allocate(8, 8).address() >= address + 16);
            }
        }
        try (Scratch s = Scratch.open()) {
            assertSame(first, s, "no allocation per scope");
            MemorySegment again = s.allocate(16, 8);
            assertEquals(address, again.address());
            assertEquals(0, again.get(ValueLayout.JAVA_LONG, 0), "zeroed");
        }
    }

    @Test
    void anOuterScopeAllocatingDuringAnInnerOneKeepsItsMemory() {
        try (Scratch outer = Scratch.open()) {
            MemorySegment c;
            try (Scratch inner = Scratch.open()) {
                c = outer.allocate(8, 8);
                c.set(ValueLayout.JAVA_LONG, 0, 6);
                inner.allocate(8, 8).set(ValueLayout.JAVA_LONG, 0, 9);
            }
            try (Scratch next = Scratch.open()) {
                next.allocate(64, 8).fill((byte) 1);
            }
            assertEquals(6, c.get(ValueLayout.JAVA_LONG, 0), "reused by a later scope");
        }
    }

    @Test
    void aClosedScopeAllocatesNothingAndClosesOnce() {
        List<String> destroyed = new ArrayList<>();
        NativeResource r = new NativeResource("r", MemorySegment.ofAddress(5), h -> destroyed.add("r"), null, false);
        Scratch s = r.call();
        assertEquals(5, s.handle().address());
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.allocate(8, 8));
        r.close();
        assertEquals(List.of("r"), destroyed, "the call's reference was released exactly once");
    }

    @Test
    void largeRequestsComeFromAnArenaFreedWithTheScope() {
        MemorySegment big;
        try (Scratch s = Scratch.open()) {
            big = s.allocate(1 << 20, 64);
            assertEquals(1 << 20, big.byteSize());
            assertEquals(0, big.get(ValueLayout.JAVA_LONG, (1 << 20) - 8));
        }
        assertThrows(IllegalStateException.class, () -> big.get(ValueLayout.JAVA_BYTE, 0));
    }
}
