package dev.jnx.xla;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * Per-thread bump allocator for the short-lived argument structs of a PJRT call.
 *
 * <p>Hot calls (buffer upload, execute, download) need a handful of small zeroed structs that
 * live only for the call; slicing them from a reused per-thread block avoids a malloc/free per
 * struct that a fresh {@link Arena#ofConfined()} would cost. Scopes nest (an error raised inside
 * a call allocates its own structs), so {@link #open()} pushes a mark and {@link #close()} pops
 * it. Requests that do not fit go to a confined overflow arena, freed when the outermost scope
 * closes.
 */
final class Scratch implements SegmentAllocator, AutoCloseable {
    private static final long CAPACITY = 16 * 1024;
    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    // An automatic arena so that the block is freed when its thread (and this object) is gone.
    private final MemorySegment block = Arena.ofAuto().allocate(CAPACITY, 64);
    private long top;
    private long[] marks = new long[8];
    private int depth;
    private Arena overflow;

    private Scratch() {}

    /** Opens a scope on the calling thread's scratch; close it with try-with-resources. */
    static Scratch open() {
        Scratch s = CURRENT.get();
        if (s.depth == s.marks.length) {
            s.marks = java.util.Arrays.copyOf(s.marks, s.depth * 2);
        }
        s.marks[s.depth++] = s.top;
        return s;
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        long start = (top + byteAlignment - 1) & -byteAlignment;
        if (start + byteSize <= CAPACITY) {
            top = start + byteSize;
            return block.asSlice(start, byteSize).fill((byte) 0);
        }
        if (overflow == null) {
            overflow = Arena.ofConfined();
        }
        return overflow.allocate(byteSize, byteAlignment);
    }

    @Override
    public void close() {
        top = marks[--depth];
        if (depth == 0 && overflow != null) {
            overflow.close();
            overflow = null;
        }
    }
}
