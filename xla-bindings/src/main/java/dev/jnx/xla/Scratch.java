package dev.jnx.xla;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Arrays;

/**
 * One scope of short-lived memory for a PJRT call: its argument structs, bump-allocated from a
 * per-thread block, and (opened {@linkplain #open(NativeResource) on a resource}) a reference on
 * the resource's handle. Closing the scope, with try-with-resources, gives both back.
 *
 * <p>Hot calls (buffer upload, execute, download) need a handful of small zeroed structs that
 * live only for the call; slicing them from a reused per-thread block avoids the malloc/free per
 * struct that allocating each from an {@link Arena#ofConfined()} would cost. Scopes nest (an
 * error raised inside a call reads it in a scope of its own): closing one gives its part of the
 * block back. Requests that do not fit the block come from a confined arena freed with the scope.
 *
 * <p>{@linkplain #CHECKED Checked} (by default with assertions, as the tests run; or as
 * {@code -Djnx.checkScratch=true|false} says), each scope is a fresh object with a confined arena of its own
 * and hands out slices of the block bound to that arena, so a slice kept past {@link #close()}
 * fails on access ({@code IllegalStateException: Already closed}) instead of reading whatever a
 * later call put there. Unchecked, slices are of the block itself and scope objects are reused
 * per nesting depth, so a scope allocates nothing: a confined arena costs some 20-30 ns and 170
 * bytes a scope, and a tiny jitted call opens six, 10-20% of jnx's own per-call time (the
 * mock-plugin row of {@code ./jnx bench dispatch}). Scratch never leaves this package, so a use
 * after the scope is a bug of these bindings, which the checked test runs catch.
 */
// reinterpret (restricted) is what binds the block to each scope; callers grant --enable-native-access.
@SuppressWarnings("restricted")
final class Scratch implements SegmentAllocator, AutoCloseable {
    private static final long CAPACITY = 16 * 1024;
    /** Whether slices are bound to their scope; see the class comment. */
    static final boolean CHECKED = Boolean.parseBoolean(
            System.getProperty("jnx.checkScratch", String.valueOf(Scratch.class.desiredAssertionStatus())));
    private static final ThreadLocal<Block> BLOCK = ThreadLocal.withInitial(Block::new);

    /** A thread's memory, how much of it open scopes use, and (unchecked) its scope objects. */
    private static final class Block {
        // An automatic arena so that the memory is freed when its thread (and this object) is gone.
        final MemorySegment memory = Arena.ofAuto().allocate(CAPACITY, 64);
        long top;
        int depth;
        /** The scope that owns the block's top; only it bump-allocates. */
        Scratch innermost;
        Scratch[] reusable = new Scratch[4];
    }

    private final Block block;
    // The state of one opening; an unchecked scope object is opened again once closed.
    /** Where this scope's part of the block starts; the block's top returns here on close. */
    private long mark;
    private Scratch outer;
    /** Checked: made with the scope; unchecked: made for a request that does not fit the block. */
    private Arena arena;
    /** The block; checked, accessible only while {@link #arena} is open. */
    private MemorySegment view;
    /** The resource whose handle this scope holds a reference on, or null. */
    private NativeResource resource;
    private MemorySegment handle;
    private boolean closed;

    private Scratch(Block block) {
        this.block = block;
    }

    /** Opens a scope on the calling thread; close it there, with try-with-resources. */
    static Scratch open() {
        return open(BLOCK.get(), null, null);
    }

    /**
     * Opens a scope for a native call on {@code resource}: its handle stays referenced until
     * the scope closes.
     *
     * @throws IllegalStateException "<kind> is closed" if the resource is closed
     */
    static Scratch open(NativeResource resource) {
        MemorySegment h = resource.acquire();
        try {
            return open(BLOCK.get(), resource, h);
        } catch (RuntimeException | Error e) {
            resource.release();
            throw e;
        }
    }

    private static Scratch open(Block block, NativeResource resource, MemorySegment handle) {
        Scratch s;
        if (CHECKED) {
            s = new Scratch(block);
            s.arena = Arena.ofConfined();
            s.view = block.memory.reinterpret(s.arena, null);
        } else {
            if (block.depth == block.reusable.length) {
                block.reusable = Arrays.copyOf(block.reusable, 2 * block.depth);
            }
            s = block.reusable[block.depth];
            if (s == null) {
                s = block.reusable[block.depth] = new Scratch(block);
                s.view = block.memory;
            }
            s.arena = null;
        }
        s.mark = block.top;
        s.outer = block.innermost;
        s.resource = resource;
        s.handle = handle;
        s.closed = false;
        block.innermost = s;
        block.depth++;
        return s;
    }

    /** The handle of the resource this scope was opened on. */
    MemorySegment handle() {
        return handle;
    }

    /** Zeroed memory valid until this scope closes. */
    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (closed) {
            throw new IllegalStateException("Scratch scope is closed");
        }
        long start = (block.top + byteAlignment - 1) & -byteAlignment;
        // An outer scope allocating while an inner one is open must not take memory that the
        // inner one gives back on close: it goes to the arena instead.
        if (start + byteSize <= CAPACITY && block.innermost == this) {
            block.top = start + byteSize;
            return view.asSlice(start, byteSize).fill((byte) 0);
        }
        if (arena == null) {
            arena = Arena.ofConfined();
        }
        return arena.allocate(byteSize, byteAlignment);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (arena != null) {
            arena.close(); // confined: cannot fail on the thread that opened the scope
        }
        block.top = mark;
        block.innermost = outer;
        block.depth--;
        NativeResource r = resource;
        if (r != null) {
            resource = null;
            handle = null;
            r.release();
        }
    }
}
