package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.DeviceDescriptionDebugStringArgs;
import dev.jnx.xla.PjrtLayouts.DeviceDescriptionIdArgs;
import dev.jnx.xla.PjrtLayouts.DeviceDescriptionKindArgs;
import dev.jnx.xla.PjrtLayouts.DeviceDescriptionProcessIndexArgs;
import dev.jnx.xla.PjrtLayouts.DeviceGetDescriptionArgs;
import dev.jnx.xla.PjrtLayouts.DeviceIsAddressableArgs;
import java.lang.foreign.MemorySegment;

/**
 * One device of a {@link PjrtClient}. The client owns it; its properties are read once when
 * the client lists its devices, so they stay readable after the client is closed.
 */
public final class PjrtDevice {
    final PjrtClient client;
    final MemorySegment handle;
    private final int id;
    private final int processIndex;
    private final String kind;
    private final String debugString;
    private final boolean addressable;

    PjrtDevice(PjrtClient client, MemorySegment handle) {
        this.client = client;
        this.handle = handle;
        PjrtApi api = client.api;
        try (Scratch s = Scratch.open()) {
            MemorySegment g = DeviceGetDescriptionArgs.STRUCT.allocate(s);
            g.set(ADDRESS, DeviceGetDescriptionArgs.DEVICE, handle);
            api.call(ApiSlot.PJRT_Device_GetDescription, g);
            MemorySegment desc = g.get(ADDRESS, DeviceGetDescriptionArgs.DEVICE_DESCRIPTION);

            MemorySegment i = DeviceDescriptionIdArgs.STRUCT.allocate(s);
            i.set(ADDRESS, DeviceDescriptionIdArgs.DEVICE_DESCRIPTION, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_Id, i);
            id = i.get(JAVA_INT, DeviceDescriptionIdArgs.ID);

            MemorySegment p = DeviceDescriptionProcessIndexArgs.STRUCT.allocate(s);
            p.set(ADDRESS, DeviceDescriptionProcessIndexArgs.DEVICE_DESCRIPTION, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_ProcessIndex, p);
            processIndex = p.get(JAVA_INT, DeviceDescriptionProcessIndexArgs.PROCESS_INDEX);

            MemorySegment k = DeviceDescriptionKindArgs.STRUCT.allocate(s);
            k.set(ADDRESS, DeviceDescriptionKindArgs.DEVICE_DESCRIPTION, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_Kind, k);
            kind = PjrtApi.string(k.get(ADDRESS, DeviceDescriptionKindArgs.DEVICE_KIND),
                    k.get(JAVA_LONG, DeviceDescriptionKindArgs.DEVICE_KIND_SIZE));

            MemorySegment d = DeviceDescriptionDebugStringArgs.STRUCT.allocate(s);
            d.set(ADDRESS, DeviceDescriptionDebugStringArgs.DEVICE_DESCRIPTION, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_DebugString, d);
            debugString = PjrtApi.string(d.get(ADDRESS, DeviceDescriptionDebugStringArgs.DEBUG_STRING),
                    d.get(JAVA_LONG, DeviceDescriptionDebugStringArgs.DEBUG_STRING_SIZE));

            MemorySegment a = DeviceIsAddressableArgs.STRUCT.allocate(s);
            a.set(ADDRESS, DeviceIsAddressableArgs.DEVICE, handle);
            api.call(ApiSlot.PJRT_Device_IsAddressable, a);
            addressable = a.get(JAVA_BOOLEAN, DeviceIsAddressableArgs.IS_ADDRESSABLE);
        }
    }

    /** The device id, unique within the platform. */
    public int id() {
        return id;
    }

    /** The device kind, e.g. {@code "cpu"} or a GPU model name. */
    public String kind() {
        return kind;
    }

    /** The index of the process that drives this device. */
    public int processIndex() {
        return processIndex;
    }

    /** The plugin's debug description of the device. */
    public String debugString() {
        return debugString;
    }

    /** Whether this process can use the device. */
    public boolean isAddressable() {
        return addressable;
    }

    /**
     * The memories this device can address ({@code PJRT_Device_AddressableMemories}), read
     * from the plugin on each call.
     *
     * @throws IllegalStateException if the client is closed
     */
    public java.util.List<PjrtMemory> memories() {
        PjrtApi api = client.api;
        client.resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.DeviceAddressableMemoriesArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.DeviceAddressableMemoriesArgs.DEVICE, handle);
            api.call(ApiSlot.PJRT_Device_AddressableMemories, a);
            long n = a.get(JAVA_LONG, PjrtLayouts.DeviceAddressableMemoriesArgs.NUM_MEMORIES);
            MemorySegment list = a.get(ADDRESS, PjrtLayouts.DeviceAddressableMemoriesArgs.MEMORIES).reinterpret(8 * n);
            java.util.List<PjrtMemory> out = new java.util.ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(PjrtMemory.read(api, list.getAtIndex(ADDRESS, i)));
            }
            return java.util.List.copyOf(out);
        } finally {
            client.resource.release();
        }
    }

    /** The memory buffers go to by default ({@code PJRT_Device_DefaultMemory}). */
    public PjrtMemory defaultMemory() {
        PjrtApi api = client.api;
        client.resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.DeviceDefaultMemoryArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.DeviceDefaultMemoryArgs.DEVICE, handle);
            api.call(ApiSlot.PJRT_Device_DefaultMemory, a);
            return PjrtMemory.read(api, a.get(ADDRESS, PjrtLayouts.DeviceDefaultMemoryArgs.MEMORY));
        } finally {
            client.resource.release();
        }
    }

    /**
     * The device description's attributes ({@code PJRT_DeviceDescription_Attributes}), e.g. a
     * GPU's {@code compute_capability}; values are String, Long, long[], Float or Boolean.
     */
    public java.util.Map<String, Object> attributes() {
        PjrtApi api = client.api;
        client.resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment g = DeviceGetDescriptionArgs.STRUCT.allocate(s);
            g.set(ADDRESS, DeviceGetDescriptionArgs.DEVICE, handle);
            api.call(ApiSlot.PJRT_Device_GetDescription, g);
            MemorySegment a = PjrtLayouts.DeviceDescriptionAttributesArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.DeviceDescriptionAttributesArgs.DEVICE_DESCRIPTION,
                    g.get(ADDRESS, DeviceGetDescriptionArgs.DEVICE_DESCRIPTION));
            api.call(ApiSlot.PJRT_DeviceDescription_Attributes, a);
            return NamedValues.decode(a.get(ADDRESS, PjrtLayouts.DeviceDescriptionAttributesArgs.ATTRIBUTES),
                    a.get(JAVA_LONG, PjrtLayouts.DeviceDescriptionAttributesArgs.NUM_ATTRIBUTES));
        } finally {
            client.resource.release();
        }
    }

    /** The client this device belongs to. */
    public PjrtClient client() {
        return client;
    }

    @Override
    public String toString() {
        return debugString.isEmpty() ? kind + ":" + id : debugString;
    }
}
