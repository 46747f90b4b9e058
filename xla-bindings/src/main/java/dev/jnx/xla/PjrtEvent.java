package dev.jnx.xla;

import dev.jnx.xla.PjrtLayouts.EventAwaitArgs;
import dev.jnx.xla.PjrtLayouts.EventDestroyArgs;
import dev.jnx.xla.PjrtLayouts.EventErrorArgs;
import dev.jnx.xla.PjrtLayouts.EventIsReadyArgs;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * A PJRT event: the completion of an asynchronous operation (a transfer, an execution, a
 * buffer becoming ready). {@link #await()} blocks until it completes and reports its failure;
 * {@link #close()} frees it (a {@link Cleaner} frees forgotten ones). Owned by the client of
 * the operation that produced it. Thread-safe.
 */
public final class PjrtEvent implements AutoCloseable {
    private final PjrtApi api;
    private final NativeResource resource;
    private final Cleaner.Cleanable cleanable;
    private final String operation;

    PjrtEvent(PjrtClient client, MemorySegment handle, String operation) {
        this.api = client.api;
        this.operation = operation;
        PjrtApi a = client.api;
        this.resource = new NativeResource("PjrtEvent", handle,
                h -> a.destroy(ApiSlot.PJRT_Event_Destroy, EventDestroyArgs.STRUCT, EventDestroyArgs.EVENT, h),
                client.resource, false);
        this.cleanable = PjrtClient.CLEANER.register(this, resource::close);
    }

    /** Whether the operation has completed, successfully or not ({@code PJRT_Event_IsReady}); never blocks. */
    public boolean isReady() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = EventIsReadyArgs.STRUCT.allocate(s);
            EventIsReadyArgs.EVENT.set(a, h);
            api.call(ApiSlot.PJRT_Event_IsReady, a);
            return EventIsReadyArgs.IS_READY.get(a);
        }
    }

    /**
     * Blocks until the operation completes ({@code PJRT_Event_Await}).
     *
     * @throws PjrtException naming the operation if it failed
     * @throws IllegalStateException if this event is closed
     */
    public void await() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = EventAwaitArgs.STRUCT.allocate(s);
            EventAwaitArgs.EVENT.set(a, h);
            api.callAs(ApiSlot.PJRT_Event_Await, a, operation);
            // Await's own status and the event's may differ in some plugins: ask for the latter too.
            if (api.has(ApiSlot.PJRT_Event_Error)) {
                MemorySegment e = EventErrorArgs.STRUCT.allocate(s);
                EventErrorArgs.EVENT.set(e, h);
                api.callAs(ApiSlot.PJRT_Event_Error, e, operation);
            }
        }
    }

    /** The operation this event completes, e.g. {@code PJRT_Buffer_ToHostBuffer}. */
    public String operation() {
        return operation;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return resource.isClosed();
    }

    /** Frees the event; idempotent. Does not wait for the operation. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
