package dev.jnx.xla;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state behind one owner object: a native handle, its reference count and its children.
 *
 * <p>It is kept apart from the owner so that a {@link java.lang.ref.Cleaner} action (this
 * object's {@link #close()}) never reaches the owner. Each native call runs in a {@link #call()}
 * scope, which acquires the handle and releases it afterwards; {@link #close()} only drops the owner's own
 * reference, so a handle closed on one thread while another thread is inside a call is
 * destroyed when that call returns, never under it. A child holds a reference on its parent,
 * so a client is destroyed only after every buffer and executable it made.
 */
final class NativeResource {
    private static final System.Logger LOG = System.getLogger(NativeResource.class.getName());

    /** Frees a native handle; must not capture the owner object. */
    @FunctionalInterface
    interface Destroyer {
        void destroy(MemorySegment handle);
    }

    private final String kind;
    private final MemorySegment handle;
    private final Destroyer destroyer;
    private final NativeResource parent;
    private final boolean tracksChildren;
    /** The live count of this kind, or null when nothing native is freed. */
    private final LongAdder live;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    // Children form an intrusive doubly-linked list guarded by the parent's monitor: joining and
    // leaving cost no allocation, which matters for the buffers every execution makes.
    private NativeResource firstChild;
    private NativeResource previousSibling;
    private NativeResource nextSibling;
    private int childCount;

    /** Live handles per kind, for leak checks ({@link PjrtLiveObjects}); only resources that free something count. */
    static final Map<String, LongAdder> LIVE = new ConcurrentHashMap<>();

    /**
     * @param kind the owner's class name, used in "... is closed" messages
     * @param destroyer null when nothing native needs freeing
     * @param parent the owning resource (acquired for this resource's lifetime), or null
     * @param tracksChildren whether this resource closes children on close
     * @throws IllegalStateException if the parent is closed (the handle is then freed)
     */
    NativeResource(String kind, MemorySegment handle, Destroyer destroyer, NativeResource parent,
            boolean tracksChildren) {
        this.kind = kind;
        this.handle = handle;
        this.destroyer = destroyer;
        this.parent = parent;
        this.tracksChildren = tracksChildren;
        this.live = destroyer == null ? null : LIVE.computeIfAbsent(kind, k -> new LongAdder());
        if (live != null && parent == null) {
            live.increment();
        }
        if (parent != null) {
            try {
                parent.acquire();
            } catch (IllegalStateException e) {
                if (destroyer != null) {
                    destroyer.destroy(handle);
                }
                throw e;
            }
            if (live != null) {
                live.increment(); // from here on destroy() runs exactly once and takes it back
            }
            parent.addChild(this);
            // A parent closing concurrently may have iterated its children before we joined.
            if (parent.closed.get()) {
                close();
                throw new IllegalStateException(parent.kind + " is closed");
            }
        }
    }

    private synchronized void addChild(NativeResource c) {
        if (!tracksChildren) {
            return;
        }
        c.nextSibling = firstChild;
        if (firstChild != null) {
            firstChild.previousSibling = c;
        }
        firstChild = c;
        childCount++;
    }

    private synchronized void removeChild(NativeResource c) {
        if (!tracksChildren || (c.previousSibling == null && firstChild != c)) {
            return; // never joined, or already gone
        }
        if (c.previousSibling != null) {
            c.previousSibling.nextSibling = c.nextSibling;
        } else {
            firstChild = c.nextSibling;
        }
        if (c.nextSibling != null) {
            c.nextSibling.previousSibling = c.previousSibling;
        }
        c.previousSibling = c.nextSibling = null;
        childCount--;
    }

    private synchronized NativeResource[] children() {
        NativeResource[] out = new NativeResource[childCount];
        int i = 0;
        for (NativeResource c = firstChild; c != null; c = c.nextSibling) {
            out[i++] = c;
        }
        return out;
    }

    /**
     * Starts a native call on this resource: the returned scope holds a reference on the handle
     * ({@link Scratch#handle()}) and the call's argument memory, and closing it (with
     * try-with-resources) frees both, also when the call throws. A try block rather than a
     * lambda: this is on every execute and transfer, where a capturing lambda would allocate.
     *
     * @throws IllegalStateException "<kind> is closed" if the resource is closed
     */
    Scratch call() {
        return Scratch.open(this);
    }

    /** The handle, referenced until {@link #release()}; fails if closed. */
    MemorySegment acquire() {
        for (;;) {
            int r = refs.get();
            if (r <= 0 || closed.get()) {
                throw new IllegalStateException(kind + " is closed");
            }
            if (refs.compareAndSet(r, r + 1)) {
                return handle;
            }
        }
    }

    /** Fails with "<kind> is closed" once closed, for calls that need no native handle. */
    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(kind + " is closed");
        }
    }

    /** Drops a reference taken by {@link #acquire()}; the last one frees the handle. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            destroy();
        }
    }

    /** Children still open (0 for a resource that does not track children). */
    synchronized int openChildren() {
        return childCount;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Idempotent: closes the children, then drops the owner's reference. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            if (tracksChildren) {
                for (NativeResource c : children()) {
                    c.close();
                }
            }
            release();
        }
    }

    private void destroy() {
        try {
            if (destroyer != null) {
                live.decrement();
                destroyer.destroy(handle);
            }
        } catch (RuntimeException e) {
            // A failed free cannot be recovered by the caller, and may surface on an unrelated
            // thread (the last releaser), so it is reported instead of thrown.
            LOG.log(System.Logger.Level.WARNING, "Freeing a " + kind + " failed", e);
        } finally {
            if (parent != null) {
                parent.removeChild(this);
                parent.release();
            }
        }
    }
}
