package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.jnx.xla.PjrtLayouts.EventDestroyArgs;
import dev.jnx.xla.PjrtLayouts.EventOnReadyArgs;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a Java action when a PJRT event becomes ready ({@code PJRT_Event_OnReady}), for the
 * caller memory of zero-copy uploads: the plugin says when it is done with it, maybe much
 * later and from its own thread. One upcall stub serves every event; the action is found by
 * the id passed as the callback's user argument.
 */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
final class HostRelease {
    private static final System.Logger LOG = System.getLogger(HostRelease.class.getName());
    private static final Map<Long, Pending> PENDING = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong(1);
    private static final MemorySegment CALLBACK;

    private record Pending(PjrtApi api, Runnable action) {
    }

    static {
        try {
            var target = MethodHandles.lookup().findStatic(HostRelease.class, "onReady",
                    MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class));
            CALLBACK = Linker.nativeLinker().upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS, ADDRESS),
                    Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private HostRelease() {
    }

    /** Runs {@code action} once {@code event} is ready, then destroys the event (taken over here). */
    static void whenReady(PjrtApi api, MemorySegment event, Runnable action) {
        long id = IDS.getAndIncrement();
        PENDING.put(id, new Pending(api, action));
        try (Scratch s = Scratch.open()) {
            try {
                MemorySegment a = EventOnReadyArgs.STRUCT.allocate(s);
                EventOnReadyArgs.EVENT.set(a, event);
                EventOnReadyArgs.CALLBACK.set(a, CALLBACK);
                EventOnReadyArgs.USER_ARG.set(a, MemorySegment.ofAddress(id));
                api.call(ApiSlot.PJRT_Event_OnReady, a);
            } catch (RuntimeException e) {
                // Without a callback the plugin's readiness is unknowable: wait for it here.
                Pending p = PENDING.remove(id);
                try {
                    api.awaitAndDestroy(event, ApiSlot.PJRT_Event_OnReady.name(), s);
                } finally {
                    if (p != null) {
                        p.action().run();
                    }
                }
                return;
            }
            api.destroy(ApiSlot.PJRT_Event_Destroy, EventDestroyArgs.STRUCT, EventDestroyArgs.EVENT, event, s);
        }
    }

    /**
     * Makes the upcall on a background thread, unless made already. Its first making costs
     * 10–15 ms in a new JVM, which would otherwise fall on the first large upload; the JDK's own
     * work, so it can overlap whatever native code the caller runs meanwhile.
     */
    static void prepareInBackground() {
        Thread.ofPlatform().daemon().name("jnx-upcall-link").start(HostRelease::pending);
    }

    /** Zero-copy uploads whose memory the plugin still holds. */
    static int pending() {
        return PENDING.size();
    }

    /** The upcall: never throws into native code. */
    private static void onReady(MemorySegment error, MemorySegment userArg) {
        Pending p = PENDING.remove(userArg.address());
        if (p == null) {
            return;
        }
        try {
            if (error.address() != 0) {
                LOG.log(System.Logger.Level.WARNING, "a zero-copy upload completed with an error: "
                        + p.api().toException("PJRT_Event_OnReady", error).getMessage());
            }
            p.action().run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "releasing zero-copy host memory failed", t);
        }
    }
}
