package dev.jnx.xla;

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
            MemoryIdArgs.MEMORY.set(i, memory);
            api.call(ApiSlot.PJRT_Memory_Id, i);
            MemorySegment k = MemoryKindArgs.STRUCT.allocate(s);
            MemoryKindArgs.MEMORY.set(k, memory);
            api.call(ApiSlot.PJRT_Memory_Kind, k);
            String debug = "";
            if (api.has(ApiSlot.PJRT_Memory_DebugString)) {
                MemorySegment d = MemoryDebugStringArgs.STRUCT.allocate(s);
                MemoryDebugStringArgs.MEMORY.set(d, memory);
                api.call(ApiSlot.PJRT_Memory_DebugString, d);
                debug = PjrtApi.string(MemoryDebugStringArgs.DEBUG_STRING.get(d),
                        MemoryDebugStringArgs.DEBUG_STRING_SIZE.get(d));
            }
            return new PjrtMemory(MemoryIdArgs.ID.get(i),
                    PjrtApi.string(MemoryKindArgs.KIND.get(k), MemoryKindArgs.KIND_SIZE.get(k)),
                    debug);
        }
    }
}
