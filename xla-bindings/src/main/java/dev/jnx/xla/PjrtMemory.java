package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.MemoryDebugStringArgs;
import dev.jnx.xla.PjrtLayouts.MemoryIdArgs;
import dev.jnx.xla.PjrtLayouts.MemoryKindArgs;
import java.lang.foreign.MemorySegment;

/**
 * One memory space a device can address ({@code PJRT_Memory}), e.g. a GPU's HBM
 * ({@code "device"}) or pinned host memory ({@code "pinned_host"}). Its facts are read once;
 * the client owns it.
 *
 * @param id the memory id, unique within the client
 * @param kind the memory kind, e.g. {@code "device"}
 * @param debugString the plugin's description
 */
public record PjrtMemory(int id, String kind, String debugString) {
    /** Reads a plugin memory's facts. */
    static PjrtMemory read(PjrtApi api, MemorySegment memory) {
        try (Scratch s = Scratch.open()) {
            MemorySegment i = MemoryIdArgs.STRUCT.allocate(s);
            i.set(ADDRESS, MemoryIdArgs.MEMORY, memory);
            api.call(ApiSlot.PJRT_Memory_Id, i);
            MemorySegment k = MemoryKindArgs.STRUCT.allocate(s);
            k.set(ADDRESS, MemoryKindArgs.MEMORY, memory);
            api.call(ApiSlot.PJRT_Memory_Kind, k);
            String debug = "";
            if (api.has(ApiSlot.PJRT_Memory_DebugString)) {
                MemorySegment d = MemoryDebugStringArgs.STRUCT.allocate(s);
                d.set(ADDRESS, MemoryDebugStringArgs.MEMORY, memory);
                api.call(ApiSlot.PJRT_Memory_DebugString, d);
                debug = PjrtApi.string(d.get(ADDRESS, MemoryDebugStringArgs.DEBUG_STRING),
                        d.get(JAVA_LONG, MemoryDebugStringArgs.DEBUG_STRING_SIZE));
            }
            return new PjrtMemory(i.get(JAVA_INT, MemoryIdArgs.ID),
                    PjrtApi.string(k.get(ADDRESS, MemoryKindArgs.KIND), k.get(JAVA_LONG, MemoryKindArgs.KIND_SIZE)),
                    debug);
        }
    }
}
