package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The C layouts of every PJRT struct the bindings fill or read (header API 0.94, x86_64 LP64).
 *
 * <p>Each nested class holds one struct's {@link Struct} and the byte offsets of its fields,
 * derived by name from the layout so that {@code AbiLayoutTest} checking the layout against
 * {@code abi.tsv} also checks every offset used. Members are listed in declaration order;
 * padding is inserted by C alignment rules as explicit {@link MemoryLayout#paddingLayout}s.
 */
final class PjrtLayouts {
    private PjrtLayouts() {}

    /** Name of the layout that stands for an anonymous union, as {@code abi.tsv} names it. */
    static final String UNION = "(union)";

    /**
     * One C struct.
     *
     * @param name the C struct name
     * @param layout the full layout, {@code sizeof} bytes long
     * @param structSize the header's {@code <name>_STRUCT_SIZE}: the end of the last field,
     *     which is what goes into the {@code struct_size} member (sometimes less than sizeof)
     */
    record Struct(String name, StructLayout layout, long structSize) {
        long offset(String field) {
            return layout.byteOffset(PathElement.groupElement(field));
        }

        boolean hasStructSizeField() {
            return !layout.memberLayouts().isEmpty()
                    && layout.memberLayouts().get(0).name().orElse("").equals("struct_size");
        }

        /** Allocates a zeroed instance (both allocators used here zero) and sets struct_size. */
        MemorySegment allocate(SegmentAllocator allocator) {
            MemorySegment s = allocator.allocate(layout);
            s.set(JAVA_LONG, 0, structSize);
            return s;
        }
    }

    static MemoryLayout ptr(String name) {
        return ADDRESS.withName(name);
    }

    static MemoryLayout size(String name) {
        return JAVA_LONG.withName(name);
    }

    static MemoryLayout i64(String name) {
        return JAVA_LONG.withName(name);
    }

    static MemoryLayout i32(String name) {
        return JAVA_INT.withName(name);
    }

    static MemoryLayout bool(String name) {
        return JAVA_BOOLEAN.withName(name);
    }

    /** A struct laid out by the C rules: each member at its natural alignment, tail padded. */
    static Struct struct(String name, MemoryLayout... members) {
        List<MemoryLayout> out = new ArrayList<>();
        long offset = 0;
        long align = 1;
        for (MemoryLayout m : members) {
            long a = m.byteAlignment();
            if (offset % a != 0) {
                long pad = a - offset % a;
                out.add(MemoryLayout.paddingLayout(pad));
                offset += pad;
            }
            out.add(m);
            offset += m.byteSize();
            align = Math.max(align, a);
        }
        long end = offset;
        if (offset % align != 0) {
            out.add(MemoryLayout.paddingLayout(align - offset % align));
        }
        return new Struct(name, MemoryLayout.structLayout(out.toArray(MemoryLayout[]::new)).withName(name), end);
    }

    /** The usual {@code *_Args} shape: struct_size, extension_start, then the members. */
    static Struct args(String name, MemoryLayout... members) {
        MemoryLayout[] all = new MemoryLayout[members.length + 2];
        all[0] = size("struct_size");
        all[1] = ptr("extension_start");
        System.arraycopy(members, 0, all, 2, members.length);
        return struct(name, all);
    }

    // ---- PJRT_Api: only its head is laid out; function slots are read through ApiSlot. ----

    /** Offsets in {@code PJRT_Api} before the function slots. */
    static final class Api {
        static final String NAME = "PJRT_Api";
        static final long STRUCT_SIZE = 0;
        static final long PJRT_API_VERSION = 16;
        /** Offset of slot 0 ({@code PJRT_Error_Destroy}); slot i is at FIRST_SLOT + 8 i. */
        static final long FIRST_SLOT = 40;
    }

    static final class ApiVersion {
        static final Struct STRUCT = args("PJRT_Api_Version", i32("major_version"), i32("minor_version"));
        static final long MAJOR_VERSION = STRUCT.offset("major_version");
        static final long MINOR_VERSION = STRUCT.offset("minor_version");
    }

    // ---- Errors ----

    static final class ErrorDestroyArgs {
        static final Struct STRUCT = args("PJRT_Error_Destroy_Args", ptr("error"));
        static final long ERROR = STRUCT.offset("error");
    }

    static final class ErrorMessageArgs {
        static final Struct STRUCT = args("PJRT_Error_Message_Args", ptr("error"), ptr("message"), size("message_size"));
        static final long ERROR = STRUCT.offset("error");
        static final long MESSAGE = STRUCT.offset("message");
        static final long MESSAGE_SIZE = STRUCT.offset("message_size");
    }

    static final class ErrorGetCodeArgs {
        static final Struct STRUCT = args("PJRT_Error_GetCode_Args", ptr("error"), i32("code"));
        static final long ERROR = STRUCT.offset("error");
        static final long CODE = STRUCT.offset("code");
    }

    // ---- Named values, plugin ----

    static final class NamedValue {
        static final Struct STRUCT = args("PJRT_NamedValue",
                ptr("name"), size("name_size"), i32("type"),
                MemoryLayout.unionLayout(
                        ptr("string_value"), i64("int64_value"), ptr("int64_array_value"),
                        JAVA_FLOAT.withName("float_value"), bool("bool_value")).withName(UNION),
                size("value_size"));
        static final long NAME = STRUCT.offset("name");
        static final long NAME_SIZE = STRUCT.offset("name_size");
        static final long TYPE = STRUCT.offset("type");
        static final long VALUE = STRUCT.offset(UNION);
        static final long VALUE_SIZE = STRUCT.offset("value_size");

        /** {@code PJRT_NamedValue_Type} values. */
        static final int K_STRING = 0, K_INT64 = 1, K_INT64_LIST = 2, K_FLOAT = 3, K_BOOL = 4;
    }

    static final class PluginInitializeArgs {
        static final Struct STRUCT = args("PJRT_Plugin_Initialize_Args");
    }

    static final class PluginAttributesArgs {
        static final Struct STRUCT = args("PJRT_Plugin_Attributes_Args", ptr("attributes"), size("num_attributes"));
        static final long ATTRIBUTES = STRUCT.offset("attributes");
        static final long NUM_ATTRIBUTES = STRUCT.offset("num_attributes");
    }

    // ---- Events ----

    static final class EventDestroyArgs {
        static final Struct STRUCT = args("PJRT_Event_Destroy_Args", ptr("event"));
        static final long EVENT = STRUCT.offset("event");
    }

    static final class EventAwaitArgs {
        static final Struct STRUCT = args("PJRT_Event_Await_Args", ptr("event"));
        static final long EVENT = STRUCT.offset("event");
    }

    // ---- Client ----

    static final class ClientCreateArgs {
        static final Struct STRUCT = args("PJRT_Client_Create_Args",
                ptr("create_options"), size("num_options"),
                ptr("kv_get_callback"), ptr("kv_get_user_arg"),
                ptr("kv_put_callback"), ptr("kv_put_user_arg"),
                ptr("client"),
                ptr("kv_try_get_callback"), ptr("kv_try_get_user_arg"));
        static final long CREATE_OPTIONS = STRUCT.offset("create_options");
        static final long NUM_OPTIONS = STRUCT.offset("num_options");
        static final long CLIENT = STRUCT.offset("client");
    }

    static final class ClientDestroyArgs {
        static final Struct STRUCT = args("PJRT_Client_Destroy_Args", ptr("client"));
        static final long CLIENT = STRUCT.offset("client");
    }

    static final class ClientPlatformNameArgs {
        static final Struct STRUCT = args("PJRT_Client_PlatformName_Args",
                ptr("client"), ptr("platform_name"), size("platform_name_size"));
        static final long CLIENT = STRUCT.offset("client");
        static final long PLATFORM_NAME = STRUCT.offset("platform_name");
        static final long PLATFORM_NAME_SIZE = STRUCT.offset("platform_name_size");
    }

    static final class ClientPlatformVersionArgs {
        static final Struct STRUCT = args("PJRT_Client_PlatformVersion_Args",
                ptr("client"), ptr("platform_version"), size("platform_version_size"));
        static final long CLIENT = STRUCT.offset("client");
        static final long PLATFORM_VERSION = STRUCT.offset("platform_version");
        static final long PLATFORM_VERSION_SIZE = STRUCT.offset("platform_version_size");
    }

    static final class ClientProcessIndexArgs {
        static final Struct STRUCT = args("PJRT_Client_ProcessIndex_Args", ptr("client"), i32("process_index"));
        static final long CLIENT = STRUCT.offset("client");
        static final long PROCESS_INDEX = STRUCT.offset("process_index");
    }

    static final class ClientDevicesArgs {
        static final Struct STRUCT = args("PJRT_Client_Devices_Args",
                ptr("client"), ptr("devices"), size("num_devices"));
        static final long CLIENT = STRUCT.offset("client");
        static final long DEVICES = STRUCT.offset("devices");
        static final long NUM_DEVICES = STRUCT.offset("num_devices");
    }

    static final class ClientAddressableDevicesArgs {
        static final Struct STRUCT = args("PJRT_Client_AddressableDevices_Args",
                ptr("client"), ptr("addressable_devices"), size("num_addressable_devices"));
        static final long CLIENT = STRUCT.offset("client");
        static final long ADDRESSABLE_DEVICES = STRUCT.offset("addressable_devices");
        static final long NUM_ADDRESSABLE_DEVICES = STRUCT.offset("num_addressable_devices");
    }

    static final class Program {
        static final Struct STRUCT = args("PJRT_Program",
                ptr("code"), size("code_size"), ptr("format"), size("format_size"));
        static final long CODE = STRUCT.offset("code");
        static final long CODE_SIZE = STRUCT.offset("code_size");
        static final long FORMAT = STRUCT.offset("format");
        static final long FORMAT_SIZE = STRUCT.offset("format_size");
    }

    static final class ClientCompileArgs {
        static final Struct STRUCT = args("PJRT_Client_Compile_Args",
                ptr("client"), ptr("program"), ptr("compile_options"), size("compile_options_size"),
                ptr("executable"));
        static final long CLIENT = STRUCT.offset("client");
        static final long PROGRAM = STRUCT.offset("program");
        static final long COMPILE_OPTIONS = STRUCT.offset("compile_options");
        static final long COMPILE_OPTIONS_SIZE = STRUCT.offset("compile_options_size");
        static final long EXECUTABLE = STRUCT.offset("executable");
    }

    static final class ClientBufferFromHostBufferArgs {
        static final Struct STRUCT = args("PJRT_Client_BufferFromHostBuffer_Args",
                ptr("client"), ptr("data"), i32("type"), ptr("dims"), size("num_dims"),
                ptr("byte_strides"), size("num_byte_strides"), i32("host_buffer_semantics"),
                ptr("device"), ptr("memory"), ptr("device_layout"), ptr("done_with_host_buffer"),
                ptr("buffer"));
        static final long CLIENT = STRUCT.offset("client");
        static final long DATA = STRUCT.offset("data");
        static final long TYPE = STRUCT.offset("type");
        static final long DIMS = STRUCT.offset("dims");
        static final long NUM_DIMS = STRUCT.offset("num_dims");
        static final long BYTE_STRIDES = STRUCT.offset("byte_strides");
        static final long NUM_BYTE_STRIDES = STRUCT.offset("num_byte_strides");
        static final long HOST_BUFFER_SEMANTICS = STRUCT.offset("host_buffer_semantics");
        static final long DEVICE = STRUCT.offset("device");
        static final long MEMORY = STRUCT.offset("memory");
        static final long DEVICE_LAYOUT = STRUCT.offset("device_layout");
        static final long DONE_WITH_HOST_BUFFER = STRUCT.offset("done_with_host_buffer");
        static final long BUFFER = STRUCT.offset("buffer");

        /** {@code PJRT_HostBufferSemantics} values. */
        static final int K_IMMUTABLE_ONLY_DURING_CALL = 0, K_IMMUTABLE_UNTIL_TRANSFER_COMPLETES = 1,
                K_IMMUTABLE_ZERO_COPY = 2, K_MUTABLE_ZERO_COPY = 3;
    }

    // ---- Devices ----

    static final class DeviceGetDescriptionArgs {
        static final Struct STRUCT = args("PJRT_Device_GetDescription_Args", ptr("device"), ptr("device_description"));
        static final long DEVICE = STRUCT.offset("device");
        static final long DEVICE_DESCRIPTION = STRUCT.offset("device_description");
    }

    static final class DeviceIsAddressableArgs {
        static final Struct STRUCT = args("PJRT_Device_IsAddressable_Args", ptr("device"), bool("is_addressable"));
        static final long DEVICE = STRUCT.offset("device");
        static final long IS_ADDRESSABLE = STRUCT.offset("is_addressable");
    }

    static final class DeviceDescriptionIdArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_Id_Args", ptr("device_description"), i32("id"));
        static final long DEVICE_DESCRIPTION = STRUCT.offset("device_description");
        static final long ID = STRUCT.offset("id");
    }

    static final class DeviceDescriptionProcessIndexArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_ProcessIndex_Args",
                ptr("device_description"), i32("process_index"));
        static final long DEVICE_DESCRIPTION = STRUCT.offset("device_description");
        static final long PROCESS_INDEX = STRUCT.offset("process_index");
    }

    static final class DeviceDescriptionKindArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_Kind_Args",
                ptr("device_description"), ptr("device_kind"), size("device_kind_size"));
        static final long DEVICE_DESCRIPTION = STRUCT.offset("device_description");
        static final long DEVICE_KIND = STRUCT.offset("device_kind");
        static final long DEVICE_KIND_SIZE = STRUCT.offset("device_kind_size");
    }

    static final class DeviceDescriptionDebugStringArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_DebugString_Args",
                ptr("device_description"), ptr("debug_string"), size("debug_string_size"));
        static final long DEVICE_DESCRIPTION = STRUCT.offset("device_description");
        static final long DEBUG_STRING = STRUCT.offset("debug_string");
        static final long DEBUG_STRING_SIZE = STRUCT.offset("debug_string_size");
    }

    // ---- Executables ----

    static final class ExecuteOptions {
        static final Struct STRUCT = args("PJRT_ExecuteOptions",
                ptr("send_callbacks"), ptr("recv_callbacks"), size("num_send_ops"), size("num_recv_ops"),
                i32("launch_id"), ptr("non_donatable_input_indices"), size("num_non_donatable_input_indices"),
                ptr("context"), ptr("call_location"), size("num_tasks"), ptr("task_ids"),
                ptr("incarnation_ids"));
        static final long LAUNCH_ID = STRUCT.offset("launch_id");
        static final long NON_DONATABLE_INPUT_INDICES = STRUCT.offset("non_donatable_input_indices");
        static final long NUM_NON_DONATABLE_INPUT_INDICES = STRUCT.offset("num_non_donatable_input_indices");
    }

    static final class LoadedExecutableDestroyArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_Destroy_Args", ptr("executable"));
        static final long EXECUTABLE = STRUCT.offset("executable");
    }

    static final class LoadedExecutableGetExecutableArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_GetExecutable_Args",
                ptr("loaded_executable"), ptr("executable"));
        static final long LOADED_EXECUTABLE = STRUCT.offset("loaded_executable");
        static final long EXECUTABLE = STRUCT.offset("executable");
    }

    static final class LoadedExecutableExecuteArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_Execute_Args",
                ptr("executable"), ptr("options"), ptr("argument_lists"), size("num_devices"),
                size("num_args"), ptr("output_lists"), ptr("device_complete_events"),
                ptr("execute_device"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long OPTIONS = STRUCT.offset("options");
        static final long ARGUMENT_LISTS = STRUCT.offset("argument_lists");
        static final long NUM_DEVICES = STRUCT.offset("num_devices");
        static final long NUM_ARGS = STRUCT.offset("num_args");
        static final long OUTPUT_LISTS = STRUCT.offset("output_lists");
        static final long DEVICE_COMPLETE_EVENTS = STRUCT.offset("device_complete_events");
        static final long EXECUTE_DEVICE = STRUCT.offset("execute_device");
    }

    static final class LoadedExecutableAddressableDevicesArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_AddressableDevices_Args",
                ptr("executable"), ptr("addressable_devices"), size("num_addressable_devices"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long ADDRESSABLE_DEVICES = STRUCT.offset("addressable_devices");
        static final long NUM_ADDRESSABLE_DEVICES = STRUCT.offset("num_addressable_devices");
    }

    static final class ExecutableSerializeArgs {
        static final Struct STRUCT = args("PJRT_Executable_Serialize_Args",
                ptr("executable"), ptr("serialized_bytes"), size("serialized_bytes_size"),
                ptr("serialized_executable"), ptr("serialized_executable_deleter"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long SERIALIZED_BYTES = STRUCT.offset("serialized_bytes");
        static final long SERIALIZED_BYTES_SIZE = STRUCT.offset("serialized_bytes_size");
        static final long SERIALIZED_EXECUTABLE = STRUCT.offset("serialized_executable");
        static final long SERIALIZED_EXECUTABLE_DELETER = STRUCT.offset("serialized_executable_deleter");
    }

    static final class ExecutableDeserializeAndLoadArgs {
        static final Struct STRUCT = args("PJRT_Executable_DeserializeAndLoad_Args",
                ptr("client"), ptr("serialized_executable"), size("serialized_executable_size"),
                ptr("loaded_executable"), ptr("overridden_serialized_compile_options"),
                size("overridden_serialized_compile_options_size"));
        static final long CLIENT = STRUCT.offset("client");
        static final long SERIALIZED_EXECUTABLE = STRUCT.offset("serialized_executable");
        static final long SERIALIZED_EXECUTABLE_SIZE = STRUCT.offset("serialized_executable_size");
        static final long LOADED_EXECUTABLE = STRUCT.offset("loaded_executable");
    }

    static final class ExecutableDestroyArgs {
        static final Struct STRUCT = args("PJRT_Executable_Destroy_Args", ptr("executable"));
        static final long EXECUTABLE = STRUCT.offset("executable");
    }

    static final class ExecutableNumOutputsArgs {
        static final Struct STRUCT = args("PJRT_Executable_NumOutputs_Args", ptr("executable"), size("num_outputs"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long NUM_OUTPUTS = STRUCT.offset("num_outputs");
    }

    static final class ExecutableOutputElementTypesArgs {
        static final Struct STRUCT = args("PJRT_Executable_OutputElementTypes_Args",
                ptr("executable"), ptr("output_types"), size("num_output_types"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long OUTPUT_TYPES = STRUCT.offset("output_types");
        static final long NUM_OUTPUT_TYPES = STRUCT.offset("num_output_types");
    }

    static final class ExecutableOutputDimensionsArgs {
        static final Struct STRUCT = args("PJRT_Executable_OutputDimensions_Args",
                ptr("executable"), size("num_outputs"), ptr("dims"), ptr("dim_sizes"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long NUM_OUTPUTS = STRUCT.offset("num_outputs");
        static final long DIMS = STRUCT.offset("dims");
        static final long DIM_SIZES = STRUCT.offset("dim_sizes");
    }

    // ---- Buffers ----

    static final class BufferDestroyArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Destroy_Args", ptr("buffer"));
        static final long BUFFER = STRUCT.offset("buffer");
    }

    static final class BufferElementTypeArgs {
        static final Struct STRUCT = args("PJRT_Buffer_ElementType_Args", ptr("buffer"), i32("type"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long TYPE = STRUCT.offset("type");
    }

    static final class BufferDimensionsArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Dimensions_Args", ptr("buffer"), ptr("dims"), size("num_dims"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long DIMS = STRUCT.offset("dims");
        static final long NUM_DIMS = STRUCT.offset("num_dims");
    }

    static final class BufferOnDeviceSizeInBytesArgs {
        static final Struct STRUCT = args("PJRT_Buffer_OnDeviceSizeInBytes_Args",
                ptr("buffer"), size("on_device_size_in_bytes"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long ON_DEVICE_SIZE_IN_BYTES = STRUCT.offset("on_device_size_in_bytes");
    }

    static final class BufferDeviceArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Device_Args", ptr("buffer"), ptr("device"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long DEVICE = STRUCT.offset("device");
    }

    static final class BufferDeleteArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Delete_Args", ptr("buffer"));
        static final long BUFFER = STRUCT.offset("buffer");
    }

    static final class BufferIsDeletedArgs {
        static final Struct STRUCT = args("PJRT_Buffer_IsDeleted_Args", ptr("buffer"), bool("is_deleted"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long IS_DELETED = STRUCT.offset("is_deleted");
    }

    static final class BufferReadyEventArgs {
        static final Struct STRUCT = args("PJRT_Buffer_ReadyEvent_Args", ptr("buffer"), ptr("event"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long EVENT = STRUCT.offset("event");
    }

    static final class BufferCopyToDeviceArgs {
        static final Struct STRUCT = args("PJRT_Buffer_CopyToDevice_Args",
                ptr("buffer"), ptr("dst_device"), ptr("dst_buffer"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long DST_DEVICE = STRUCT.offset("dst_device");
        static final long DST_BUFFER = STRUCT.offset("dst_buffer");
    }

    static final class BufferMemoryArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Memory_Args", ptr("buffer"), ptr("memory"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long MEMORY = STRUCT.offset("memory");
    }

    /** {@code PJRT_Buffer_MemoryLayout_Tiled}, one arm of the union in {@link BufferMemoryLayout}. */
    static final class BufferMemoryLayoutTiled {
        static final Struct STRUCT = args("PJRT_Buffer_MemoryLayout_Tiled",
                ptr("minor_to_major"), size("minor_to_major_size"), ptr("tile_dims"), ptr("tile_dim_sizes"),
                size("num_tiles"));
        static final long MINOR_TO_MAJOR = STRUCT.offset("minor_to_major");
        static final long MINOR_TO_MAJOR_SIZE = STRUCT.offset("minor_to_major_size");
        static final long NUM_TILES = STRUCT.offset("num_tiles");
    }

    /** {@code PJRT_Buffer_MemoryLayout_Strides}, the other arm. */
    static final class BufferMemoryLayoutStrides {
        static final Struct STRUCT = args("PJRT_Buffer_MemoryLayout_Strides",
                ptr("byte_strides"), size("num_byte_strides"));
        static final long BYTE_STRIDES = STRUCT.offset("byte_strides");
        static final long NUM_BYTE_STRIDES = STRUCT.offset("num_byte_strides");
    }

    /** {@code PJRT_Buffer_MemoryLayout}: embedded by value in {@link BufferGetMemoryLayoutArgs}. */
    static final class BufferMemoryLayout {
        static final Struct STRUCT = args("PJRT_Buffer_MemoryLayout",
                MemoryLayout.unionLayout(
                        BufferMemoryLayoutTiled.STRUCT.layout().withName("tiled"),
                        BufferMemoryLayoutStrides.STRUCT.layout().withName("strides")).withName(UNION),
                i32("type"));
        static final long UNION_OFFSET = STRUCT.offset(UNION);
        static final long TYPE = STRUCT.offset("type");

        /** {@code PJRT_Buffer_MemoryLayout_Type} values. */
        static final int K_TILED = 0, K_STRIDES = 1;
    }

    static final class BufferGetMemoryLayoutArgs {
        static final Struct STRUCT = args("PJRT_Buffer_GetMemoryLayout_Args",
                ptr("buffer"), BufferMemoryLayout.STRUCT.layout().withName("layout"));
        static final long BUFFER = STRUCT.offset("buffer");
        static final long LAYOUT = STRUCT.offset("layout");
    }

    // ---- Events, memories, executable metadata (bridge additions) ----

    static final class EventIsReadyArgs {
        static final Struct STRUCT = args("PJRT_Event_IsReady_Args", ptr("event"), bool("is_ready"));
        static final long EVENT = STRUCT.offset("event");
        static final long IS_READY = STRUCT.offset("is_ready");
    }

    static final class EventOnReadyArgs {
        static final Struct STRUCT = args("PJRT_Event_OnReady_Args", ptr("event"), ptr("callback"), ptr("user_arg"));
        static final long EVENT = STRUCT.offset("event");
        static final long CALLBACK = STRUCT.offset("callback");
        static final long USER_ARG = STRUCT.offset("user_arg");
    }

    static final class EventErrorArgs {
        static final Struct STRUCT = args("PJRT_Event_Error_Args", ptr("event"));
        static final long EVENT = STRUCT.offset("event");
    }

    static final class DeviceAddressableMemoriesArgs {
        static final Struct STRUCT = args("PJRT_Device_AddressableMemories_Args",
                ptr("device"), ptr("memories"), size("num_memories"));
        static final long DEVICE = STRUCT.offset("device");
        static final long MEMORIES = STRUCT.offset("memories");
        static final long NUM_MEMORIES = STRUCT.offset("num_memories");
    }

    static final class DeviceDefaultMemoryArgs {
        static final Struct STRUCT = args("PJRT_Device_DefaultMemory_Args", ptr("device"), ptr("memory"));
        static final long DEVICE = STRUCT.offset("device");
        static final long MEMORY = STRUCT.offset("memory");
    }

    static final class DeviceDescriptionAttributesArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_Attributes_Args",
                ptr("device_description"), size("num_attributes"), ptr("attributes"));
        static final long DEVICE_DESCRIPTION = STRUCT.offset("device_description");
        static final long NUM_ATTRIBUTES = STRUCT.offset("num_attributes");
        static final long ATTRIBUTES = STRUCT.offset("attributes");
    }

    static final class MemoryIdArgs {
        static final Struct STRUCT = args("PJRT_Memory_Id_Args", ptr("memory"), i32("id"));
        static final long MEMORY = STRUCT.offset("memory");
        static final long ID = STRUCT.offset("id");
    }

    static final class MemoryKindArgs {
        static final Struct STRUCT = args("PJRT_Memory_Kind_Args", ptr("memory"), ptr("kind"), size("kind_size"));
        static final long MEMORY = STRUCT.offset("memory");
        static final long KIND = STRUCT.offset("kind");
        static final long KIND_SIZE = STRUCT.offset("kind_size");
    }

    static final class MemoryDebugStringArgs {
        static final Struct STRUCT = args("PJRT_Memory_DebugString_Args",
                ptr("memory"), ptr("debug_string"), size("debug_string_size"));
        static final long MEMORY = STRUCT.offset("memory");
        static final long DEBUG_STRING = STRUCT.offset("debug_string");
        static final long DEBUG_STRING_SIZE = STRUCT.offset("debug_string_size");
    }

    static final class ExecutableNameArgs {
        static final Struct STRUCT = args("PJRT_Executable_Name_Args",
                ptr("executable"), ptr("executable_name"), size("executable_name_size"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long EXECUTABLE_NAME = STRUCT.offset("executable_name");
        static final long EXECUTABLE_NAME_SIZE = STRUCT.offset("executable_name_size");
    }

    static final class ExecutableFingerprintArgs {
        static final Struct STRUCT = args("PJRT_Executable_Fingerprint_Args",
                ptr("executable"), ptr("executable_fingerprint"), size("executable_fingerprint_size"));
        static final long EXECUTABLE = STRUCT.offset("executable");
        static final long EXECUTABLE_FINGERPRINT = STRUCT.offset("executable_fingerprint");
        static final long EXECUTABLE_FINGERPRINT_SIZE = STRUCT.offset("executable_fingerprint_size");
    }

    static final class BufferToHostBufferArgs {
        static final Struct STRUCT = args("PJRT_Buffer_ToHostBuffer_Args",
                ptr("src"), ptr("host_layout"), ptr("dst"), size("dst_size"), ptr("event"));
        static final long SRC = STRUCT.offset("src");
        static final long HOST_LAYOUT = STRUCT.offset("host_layout");
        static final long DST = STRUCT.offset("dst");
        static final long DST_SIZE = STRUCT.offset("dst_size");
        static final long EVENT = STRUCT.offset("event");
    }
}
