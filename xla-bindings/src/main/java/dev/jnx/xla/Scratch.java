package dev.jnx.xla;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * One scope of short-lived memory for the argument structs of a PJRT call, bump-allocated from
 * a per-thread block and invalid once the scope is closed.
 *
 * <p>Hot calls (buffer upload, execute, download) need a handful of small zeroed structs that
 * live only for the call; slicing them from a reused per-thread block avoids the malloc/free per
 * struct that allocating each from an {@link Arena#ofConfined()} would cost. Each scope still has
 * its own confined arena, which costs no native memory: its slices of the block are bound to it,
 * so a slice kept past {@link #close()} fails on access ({@code IllegalStateException: Already
 * closed}) instead of reading whatever a later call put there. Requests that do not fit the
 * block are allocated from that arena and freed with it. Scopes nest (an error raised inside a
 * call reads it in a scope of its own): closing one gives its part of the block back.
 */
// reinterpret (restricted) is what binds the block to each scope; callers grant --enable-native-access.
@SuppressWarnings("restricted")
final class Scratch implements SegmentAllocator, AutoCloseable {
    private static final long CAPACITY = 16 * 1024;
    private static final ThreadLocal<Block> BLOCK = ThreadLocal.withInitial(Block::new);

    /** A thread's memory and how much of it open scopes use. */
    private static final class Block {
        // An automatic arena so that the memory is freed when its thread (and this object) is gone.
        final MemorySegment memory = Arena.ofAuto().allocate(CAPACITY, 64);
        long top;
        /** The scope that owns the block's top; only it bump-allocates. */
        Scratch innermost;
    }

    private final Block block;
    /** Where this scope's part of the block starts; the block's top returns here on close. */
    private final long mark;
    private final Scratch outer;
    private final Arena arena = Arena.ofConfined();
    /** The block, accessible only while {@link #arena} is open. */
    private final MemorySegment view;

    private Scratch(Block block) {
        this.block = block;
        this.mark = block.top;
        this.outer = block.innermost;
        this.view = block.memory.reinterpret(arena, null);
        block.innermost = this;
    }

    /** Opens a scope on the calling thread; close it there, with try-with-resources. */
    static Scratch open() {
        return new Scratch(BLOCK.get());
    }

    /** Zeroed memory valid until this scope closes; fails once it is closed. */
    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        long start = (block.top + byteAlignment - 1) & -byteAlignment;
        // An outer scope allocating while an inner one is open must not take memory that the
        // inner one gives back on close: it goes to the arena instead.
        if (start + byteSize <= CAPACITY && block.innermost == this) {
            block.top = start + byteSize;
            return view.asSlice(start, byteSize).fill((byte) 0);
        }
        return arena.allocate(byteSize, byteAlignment);
    }

    @Override
    public void close() {
        arena.close();
        block.top = mark;
        block.innermost = outer;
    }
}
