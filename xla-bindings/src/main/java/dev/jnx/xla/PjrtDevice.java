package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.jnx.xla.PjrtLayouts.DeviceAddressableMemoriesArgs;
import dev.jnx.xla.PjrtLayouts.DeviceDefaultMemoryArgs;
import dev.jnx.xla.PjrtLayouts.DeviceDescriptionAttributesArgs;
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
            DeviceGetDescriptionArgs.DEVICE.set(g, handle);
            api.call(ApiSlot.PJRT_Device_GetDescription, g);
            MemorySegment desc = DeviceGetDescriptionArgs.DEVICE_DESCRIPTION.get(g);

            MemorySegment i = DeviceDescriptionIdArgs.STRUCT.allocate(s);
            DeviceDescriptionIdArgs.DEVICE_DESCRIPTION.set(i, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_Id, i);
            id = DeviceDescriptionIdArgs.ID.get(i);

            MemorySegment p = DeviceDescriptionProcessIndexArgs.STRUCT.allocate(s);
            DeviceDescriptionProcessIndexArgs.DEVICE_DESCRIPTION.set(p, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_ProcessIndex, p);
            processIndex = DeviceDescriptionProcessIndexArgs.PROCESS_INDEX.get(p);

            MemorySegment k = DeviceDescriptionKindArgs.STRUCT.allocate(s);
            DeviceDescriptionKindArgs.DEVICE_DESCRIPTION.set(k, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_Kind, k);
            kind = PjrtApi.string(DeviceDescriptionKindArgs.DEVICE_KIND.get(k),
                    DeviceDescriptionKindArgs.DEVICE_KIND_SIZE.get(k));

            MemorySegment d = DeviceDescriptionDebugStringArgs.STRUCT.allocate(s);
            DeviceDescriptionDebugStringArgs.DEVICE_DESCRIPTION.set(d, desc);
            api.call(ApiSlot.PJRT_DeviceDescription_DebugString, d);
            debugString = PjrtApi.string(DeviceDescriptionDebugStringArgs.DEBUG_STRING.get(d),
                    DeviceDescriptionDebugStringArgs.DEBUG_STRING_SIZE.get(d));

            MemorySegment a = DeviceIsAddressableArgs.STRUCT.allocate(s);
            DeviceIsAddressableArgs.DEVICE.set(a, handle);
            api.call(ApiSlot.PJRT_Device_IsAddressable, a);
            addressable = DeviceIsAddressableArgs.IS_ADDRESSABLE.get(a);
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
        try (Scratch s = client.resource.call()) {
            MemorySegment a = DeviceAddressableMemoriesArgs.STRUCT.allocate(s);
            DeviceAddressableMemoriesArgs.DEVICE.set(a, handle);
            api.call(ApiSlot.PJRT_Device_AddressableMemories, a);
            long n = DeviceAddressableMemoriesArgs.NUM_MEMORIES.get(a);
            MemorySegment list = DeviceAddressableMemoriesArgs.MEMORIES.get(a).reinterpret(8 * n);
            java.util.List<PjrtMemory> out = new java.util.ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(PjrtMemory.read(api, list.getAtIndex(ADDRESS, i)));
            }
            return java.util.List.copyOf(out);
        }
    }

    /** The memory buffers go to by default ({@code PJRT_Device_DefaultMemory}). */
    public PjrtMemory defaultMemory() {
        PjrtApi api = client.api;
        try (Scratch s = client.resource.call()) {
            MemorySegment a = DeviceDefaultMemoryArgs.STRUCT.allocate(s);
            DeviceDefaultMemoryArgs.DEVICE.set(a, handle);
            api.call(ApiSlot.PJRT_Device_DefaultMemory, a);
            return PjrtMemory.read(api, DeviceDefaultMemoryArgs.MEMORY.get(a));
        }
    }

    /**
     * The device description's attributes ({@code PJRT_DeviceDescription_Attributes}), e.g. a
     * GPU's {@code compute_capability}; values are String, Long, long[], Float or Boolean.
     */
    public java.util.Map<String, Object> attributes() {
        PjrtApi api = client.api;
        try (Scratch s = client.resource.call()) {
            MemorySegment g = DeviceGetDescriptionArgs.STRUCT.allocate(s);
            DeviceGetDescriptionArgs.DEVICE.set(g, handle);
            api.call(ApiSlot.PJRT_Device_GetDescription, g);
            MemorySegment a = DeviceDescriptionAttributesArgs.STRUCT.allocate(s);
            DeviceDescriptionAttributesArgs.DEVICE_DESCRIPTION.set(a, DeviceGetDescriptionArgs.DEVICE_DESCRIPTION.get(g));
            api.call(ApiSlot.PJRT_DeviceDescription_Attributes, a);
            return NamedValues.decode(DeviceDescriptionAttributesArgs.ATTRIBUTES.get(a),
                    DeviceDescriptionAttributesArgs.NUM_ATTRIBUTES.get(a));
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
