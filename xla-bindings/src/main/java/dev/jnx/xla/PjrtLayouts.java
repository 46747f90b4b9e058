package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The C layouts of every PJRT struct the bindings fill or read (header API 0.94, x86_64 LP64).
 *
 * <p>Each nested class holds one struct's {@link Struct} and a typed {@link Field} per member the
 * bindings use, derived by name from the layout so that {@code AbiLayoutTest} checking the layout
 * and every declared field against {@code abi.tsv} also checks every offset and width used. Members are listed in declaration order;
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
     * @param structSizeField that member, which every struct here starts with
     */
    record Struct(String name, StructLayout layout, long structSize, Field.OfLong structSizeField) {
        // The member at path (names from this struct down, e.g. UNION then an arm), of one kind.

        Field.OfAddress addressField(String... path) {
            return Field.ofAddress(name, layout, path);
        }

        Field.OfLong longField(String... path) {
            return Field.ofLong(name, layout, path);
        }

        Field.OfInt intField(String... path) {
            return Field.ofInt(name, layout, path);
        }

        Field.OfBoolean booleanField(String... path) {
            return Field.ofBoolean(name, layout, path);
        }

        Field.OfFloat floatField(String... path) {
            return Field.ofFloat(name, layout, path);
        }

        Field.OfStruct structField(String... path) {
            return Field.ofStruct(name, layout, path);
        }

        boolean hasStructSizeField() {
            return !layout.memberLayouts().isEmpty()
                    && layout.memberLayouts().get(0).name().orElse("").equals("struct_size");
        }

        /** Allocates a zeroed instance (both allocators used here zero) and sets struct_size. */
        MemorySegment allocate(SegmentAllocator allocator) {
            return initialize(allocator.allocate(layout));
        }

        /** Sets struct_size in zeroed memory of this struct, e.g. an array element or an embedded struct. */
        MemorySegment initialize(MemorySegment zeroed) {
            structSizeField.set(zeroed, structSize);
            return zeroed;
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
        StructLayout layout = MemoryLayout.structLayout(out.toArray(MemoryLayout[]::new)).withName(name);
        return new Struct(name, layout, end, Field.ofLong(name, layout, "struct_size"));
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

    static final class ApiVersion {
        static final Struct STRUCT = args("PJRT_Api_Version", i32("major_version"), i32("minor_version"));
        static final Field.OfInt MAJOR_VERSION = STRUCT.intField("major_version");
        static final Field.OfInt MINOR_VERSION = STRUCT.intField("minor_version");
    }

    /** The head of {@code PJRT_Api}, the members before the function slots. */
    static final class Api {
        static final String NAME = "PJRT_Api";
        static final StructLayout HEAD = MemoryLayout.structLayout(size("struct_size"), ptr("extension_start"),
                ApiVersion.STRUCT.layout().withName("pjrt_api_version"));
        static final Field.OfLong STRUCT_SIZE = Field.ofLong(NAME, HEAD, "struct_size");
        static final Field.OfStruct PJRT_API_VERSION = Field.ofStruct(NAME, HEAD, "pjrt_api_version");
        /** Offset of slot 0 ({@code PJRT_Error_Destroy}), right after the head; slot i is at FIRST_SLOT + 8 i. */
        static final long FIRST_SLOT = HEAD.byteSize();
    }

    // ---- Errors ----

    static final class ErrorDestroyArgs {
        static final Struct STRUCT = args("PJRT_Error_Destroy_Args", ptr("error"));
        static final Field.OfAddress ERROR = STRUCT.addressField("error");
    }

    static final class ErrorMessageArgs {
        static final Struct STRUCT = args("PJRT_Error_Message_Args", ptr("error"), ptr("message"), size("message_size"));
        static final Field.OfAddress ERROR = STRUCT.addressField("error");
        static final Field.OfAddress MESSAGE = STRUCT.addressField("message");
        static final Field.OfLong MESSAGE_SIZE = STRUCT.longField("message_size");
    }

    static final class ErrorGetCodeArgs {
        static final Struct STRUCT = args("PJRT_Error_GetCode_Args", ptr("error"), i32("code"));
        static final Field.OfAddress ERROR = STRUCT.addressField("error");
        static final Field.OfInt CODE = STRUCT.intField("code");
    }

    // ---- Named values, plugin ----

    static final class NamedValue {
        static final Struct STRUCT = args("PJRT_NamedValue",
                ptr("name"), size("name_size"), i32("type"),
                MemoryLayout.unionLayout(
                        ptr("string_value"), i64("int64_value"), ptr("int64_array_value"),
                        JAVA_FLOAT.withName("float_value"), bool("bool_value")).withName(UNION),
                size("value_size"));
        static final Field.OfAddress NAME = STRUCT.addressField("name");
        static final Field.OfLong NAME_SIZE = STRUCT.longField("name_size");
        static final Field.OfInt TYPE = STRUCT.intField("type");
        static final Field.OfAddress STRING_VALUE = STRUCT.addressField(UNION, "string_value");
        static final Field.OfLong INT64_VALUE = STRUCT.longField(UNION, "int64_value");
        static final Field.OfAddress INT64_ARRAY_VALUE = STRUCT.addressField(UNION, "int64_array_value");
        static final Field.OfFloat FLOAT_VALUE = STRUCT.floatField(UNION, "float_value");
        static final Field.OfBoolean BOOL_VALUE = STRUCT.booleanField(UNION, "bool_value");
        static final Field.OfLong VALUE_SIZE = STRUCT.longField("value_size");

        /** {@code PJRT_NamedValue_Type} values. */
        static final int K_STRING = 0, K_INT64 = 1, K_INT64_LIST = 2, K_FLOAT = 3, K_BOOL = 4;
    }

    static final class PluginInitializeArgs {
        static final Struct STRUCT = args("PJRT_Plugin_Initialize_Args");
    }

    static final class PluginAttributesArgs {
        static final Struct STRUCT = args("PJRT_Plugin_Attributes_Args", ptr("attributes"), size("num_attributes"));
        static final Field.OfAddress ATTRIBUTES = STRUCT.addressField("attributes");
        static final Field.OfLong NUM_ATTRIBUTES = STRUCT.longField("num_attributes");
    }

    // ---- Events ----

    static final class EventDestroyArgs {
        static final Struct STRUCT = args("PJRT_Event_Destroy_Args", ptr("event"));
        static final Field.OfAddress EVENT = STRUCT.addressField("event");
    }

    static final class EventAwaitArgs {
        static final Struct STRUCT = args("PJRT_Event_Await_Args", ptr("event"));
        static final Field.OfAddress EVENT = STRUCT.addressField("event");
    }

    // ---- Client ----

    static final class ClientCreateArgs {
        static final Struct STRUCT = args("PJRT_Client_Create_Args",
                ptr("create_options"), size("num_options"),
                ptr("kv_get_callback"), ptr("kv_get_user_arg"),
                ptr("kv_put_callback"), ptr("kv_put_user_arg"),
                ptr("client"),
                ptr("kv_try_get_callback"), ptr("kv_try_get_user_arg"));
        static final Field.OfAddress CREATE_OPTIONS = STRUCT.addressField("create_options");
        static final Field.OfLong NUM_OPTIONS = STRUCT.longField("num_options");
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
    }

    static final class ClientDestroyArgs {
        static final Struct STRUCT = args("PJRT_Client_Destroy_Args", ptr("client"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
    }

    static final class ClientPlatformNameArgs {
        static final Struct STRUCT = args("PJRT_Client_PlatformName_Args",
                ptr("client"), ptr("platform_name"), size("platform_name_size"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfAddress PLATFORM_NAME = STRUCT.addressField("platform_name");
        static final Field.OfLong PLATFORM_NAME_SIZE = STRUCT.longField("platform_name_size");
    }

    static final class ClientPlatformVersionArgs {
        static final Struct STRUCT = args("PJRT_Client_PlatformVersion_Args",
                ptr("client"), ptr("platform_version"), size("platform_version_size"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfAddress PLATFORM_VERSION = STRUCT.addressField("platform_version");
        static final Field.OfLong PLATFORM_VERSION_SIZE = STRUCT.longField("platform_version_size");
    }

    static final class ClientProcessIndexArgs {
        static final Struct STRUCT = args("PJRT_Client_ProcessIndex_Args", ptr("client"), i32("process_index"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfInt PROCESS_INDEX = STRUCT.intField("process_index");
    }

    static final class ClientDevicesArgs {
        static final Struct STRUCT = args("PJRT_Client_Devices_Args",
                ptr("client"), ptr("devices"), size("num_devices"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfAddress DEVICES = STRUCT.addressField("devices");
        static final Field.OfLong NUM_DEVICES = STRUCT.longField("num_devices");
    }

    static final class ClientAddressableDevicesArgs {
        static final Struct STRUCT = args("PJRT_Client_AddressableDevices_Args",
                ptr("client"), ptr("addressable_devices"), size("num_addressable_devices"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfAddress ADDRESSABLE_DEVICES = STRUCT.addressField("addressable_devices");
        static final Field.OfLong NUM_ADDRESSABLE_DEVICES = STRUCT.longField("num_addressable_devices");
    }

    static final class Program {
        static final Struct STRUCT = args("PJRT_Program",
                ptr("code"), size("code_size"), ptr("format"), size("format_size"));
        static final Field.OfAddress CODE = STRUCT.addressField("code");
        static final Field.OfLong CODE_SIZE = STRUCT.longField("code_size");
        static final Field.OfAddress FORMAT = STRUCT.addressField("format");
        static final Field.OfLong FORMAT_SIZE = STRUCT.longField("format_size");
    }

    static final class ClientCompileArgs {
        static final Struct STRUCT = args("PJRT_Client_Compile_Args",
                ptr("client"), ptr("program"), ptr("compile_options"), size("compile_options_size"),
                ptr("executable"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfAddress PROGRAM = STRUCT.addressField("program");
        static final Field.OfAddress COMPILE_OPTIONS = STRUCT.addressField("compile_options");
        static final Field.OfLong COMPILE_OPTIONS_SIZE = STRUCT.longField("compile_options_size");
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
    }

    static final class ClientBufferFromHostBufferArgs {
        static final Struct STRUCT = args("PJRT_Client_BufferFromHostBuffer_Args",
                ptr("client"), ptr("data"), i32("type"), ptr("dims"), size("num_dims"),
                ptr("byte_strides"), size("num_byte_strides"), i32("host_buffer_semantics"),
                ptr("device"), ptr("memory"), ptr("device_layout"), ptr("done_with_host_buffer"),
                ptr("buffer"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfAddress DATA = STRUCT.addressField("data");
        static final Field.OfInt TYPE = STRUCT.intField("type");
        static final Field.OfAddress DIMS = STRUCT.addressField("dims");
        static final Field.OfLong NUM_DIMS = STRUCT.longField("num_dims");
        static final Field.OfAddress BYTE_STRIDES = STRUCT.addressField("byte_strides");
        static final Field.OfLong NUM_BYTE_STRIDES = STRUCT.longField("num_byte_strides");
        static final Field.OfInt HOST_BUFFER_SEMANTICS = STRUCT.intField("host_buffer_semantics");
        static final Field.OfAddress DEVICE = STRUCT.addressField("device");
        static final Field.OfAddress MEMORY = STRUCT.addressField("memory");
        static final Field.OfAddress DEVICE_LAYOUT = STRUCT.addressField("device_layout");
        static final Field.OfAddress DONE_WITH_HOST_BUFFER = STRUCT.addressField("done_with_host_buffer");
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");

        /** {@code PJRT_HostBufferSemantics} values. */
        static final int K_IMMUTABLE_ONLY_DURING_CALL = 0, K_IMMUTABLE_UNTIL_TRANSFER_COMPLETES = 1,
                K_IMMUTABLE_ZERO_COPY = 2, K_MUTABLE_ZERO_COPY = 3;
    }

    // ---- Devices ----

    static final class DeviceGetDescriptionArgs {
        static final Struct STRUCT = args("PJRT_Device_GetDescription_Args", ptr("device"), ptr("device_description"));
        static final Field.OfAddress DEVICE = STRUCT.addressField("device");
        static final Field.OfAddress DEVICE_DESCRIPTION = STRUCT.addressField("device_description");
    }

    static final class DeviceIsAddressableArgs {
        static final Struct STRUCT = args("PJRT_Device_IsAddressable_Args", ptr("device"), bool("is_addressable"));
        static final Field.OfAddress DEVICE = STRUCT.addressField("device");
        static final Field.OfBoolean IS_ADDRESSABLE = STRUCT.booleanField("is_addressable");
    }

    static final class DeviceDescriptionIdArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_Id_Args", ptr("device_description"), i32("id"));
        static final Field.OfAddress DEVICE_DESCRIPTION = STRUCT.addressField("device_description");
        static final Field.OfInt ID = STRUCT.intField("id");
    }

    static final class DeviceDescriptionProcessIndexArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_ProcessIndex_Args",
                ptr("device_description"), i32("process_index"));
        static final Field.OfAddress DEVICE_DESCRIPTION = STRUCT.addressField("device_description");
        static final Field.OfInt PROCESS_INDEX = STRUCT.intField("process_index");
    }

    static final class DeviceDescriptionKindArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_Kind_Args",
                ptr("device_description"), ptr("device_kind"), size("device_kind_size"));
        static final Field.OfAddress DEVICE_DESCRIPTION = STRUCT.addressField("device_description");
        static final Field.OfAddress DEVICE_KIND = STRUCT.addressField("device_kind");
        static final Field.OfLong DEVICE_KIND_SIZE = STRUCT.longField("device_kind_size");
    }

    static final class DeviceDescriptionDebugStringArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_DebugString_Args",
                ptr("device_description"), ptr("debug_string"), size("debug_string_size"));
        static final Field.OfAddress DEVICE_DESCRIPTION = STRUCT.addressField("device_description");
        static final Field.OfAddress DEBUG_STRING = STRUCT.addressField("debug_string");
        static final Field.OfLong DEBUG_STRING_SIZE = STRUCT.longField("debug_string_size");
    }

    // ---- Executables ----

    static final class ExecuteOptions {
        static final Struct STRUCT = args("PJRT_ExecuteOptions",
                ptr("send_callbacks"), ptr("recv_callbacks"), size("num_send_ops"), size("num_recv_ops"),
                i32("launch_id"), ptr("non_donatable_input_indices"), size("num_non_donatable_input_indices"),
                ptr("context"), ptr("call_location"), size("num_tasks"), ptr("task_ids"),
                ptr("incarnation_ids"));
        static final Field.OfInt LAUNCH_ID = STRUCT.intField("launch_id");
        static final Field.OfAddress NON_DONATABLE_INPUT_INDICES = STRUCT.addressField("non_donatable_input_indices");
        static final Field.OfLong NUM_NON_DONATABLE_INPUT_INDICES = STRUCT.longField("num_non_donatable_input_indices");
    }

    static final class LoadedExecutableDestroyArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_Destroy_Args", ptr("executable"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
    }

    static final class LoadedExecutableGetExecutableArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_GetExecutable_Args",
                ptr("loaded_executable"), ptr("executable"));
        static final Field.OfAddress LOADED_EXECUTABLE = STRUCT.addressField("loaded_executable");
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
    }

    static final class LoadedExecutableExecuteArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_Execute_Args",
                ptr("executable"), ptr("options"), ptr("argument_lists"), size("num_devices"),
                size("num_args"), ptr("output_lists"), ptr("device_complete_events"),
                ptr("execute_device"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfAddress OPTIONS = STRUCT.addressField("options");
        static final Field.OfAddress ARGUMENT_LISTS = STRUCT.addressField("argument_lists");
        static final Field.OfLong NUM_DEVICES = STRUCT.longField("num_devices");
        static final Field.OfLong NUM_ARGS = STRUCT.longField("num_args");
        static final Field.OfAddress OUTPUT_LISTS = STRUCT.addressField("output_lists");
        static final Field.OfAddress DEVICE_COMPLETE_EVENTS = STRUCT.addressField("device_complete_events");
        static final Field.OfAddress EXECUTE_DEVICE = STRUCT.addressField("execute_device");
    }

    static final class LoadedExecutableAddressableDevicesArgs {
        static final Struct STRUCT = args("PJRT_LoadedExecutable_AddressableDevices_Args",
                ptr("executable"), ptr("addressable_devices"), size("num_addressable_devices"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfAddress ADDRESSABLE_DEVICES = STRUCT.addressField("addressable_devices");
        static final Field.OfLong NUM_ADDRESSABLE_DEVICES = STRUCT.longField("num_addressable_devices");
    }

    static final class ExecutableSerializeArgs {
        static final Struct STRUCT = args("PJRT_Executable_Serialize_Args",
                ptr("executable"), ptr("serialized_bytes"), size("serialized_bytes_size"),
                ptr("serialized_executable"), ptr("serialized_executable_deleter"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfAddress SERIALIZED_BYTES = STRUCT.addressField("serialized_bytes");
        static final Field.OfLong SERIALIZED_BYTES_SIZE = STRUCT.longField("serialized_bytes_size");
        static final Field.OfAddress SERIALIZED_EXECUTABLE = STRUCT.addressField("serialized_executable");
        static final Field.OfAddress SERIALIZED_EXECUTABLE_DELETER = STRUCT.addressField("serialized_executable_deleter");
    }

    static final class ExecutableDeserializeAndLoadArgs {
        static final Struct STRUCT = args("PJRT_Executable_DeserializeAndLoad_Args",
                ptr("client"), ptr("serialized_executable"), size("serialized_executable_size"),
                ptr("loaded_executable"), ptr("overridden_serialized_compile_options"),
                size("overridden_serialized_compile_options_size"));
        static final Field.OfAddress CLIENT = STRUCT.addressField("client");
        static final Field.OfAddress SERIALIZED_EXECUTABLE = STRUCT.addressField("serialized_executable");
        static final Field.OfLong SERIALIZED_EXECUTABLE_SIZE = STRUCT.longField("serialized_executable_size");
        static final Field.OfAddress LOADED_EXECUTABLE = STRUCT.addressField("loaded_executable");
    }

    static final class ExecutableDestroyArgs {
        static final Struct STRUCT = args("PJRT_Executable_Destroy_Args", ptr("executable"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
    }

    static final class ExecutableNumOutputsArgs {
        static final Struct STRUCT = args("PJRT_Executable_NumOutputs_Args", ptr("executable"), size("num_outputs"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfLong NUM_OUTPUTS = STRUCT.longField("num_outputs");
    }

    static final class ExecutableOutputElementTypesArgs {
        static final Struct STRUCT = args("PJRT_Executable_OutputElementTypes_Args",
                ptr("executable"), ptr("output_types"), size("num_output_types"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfAddress OUTPUT_TYPES = STRUCT.addressField("output_types");
        static final Field.OfLong NUM_OUTPUT_TYPES = STRUCT.longField("num_output_types");
    }

    static final class ExecutableOutputDimensionsArgs {
        static final Struct STRUCT = args("PJRT_Executable_OutputDimensions_Args",
                ptr("executable"), size("num_outputs"), ptr("dims"), ptr("dim_sizes"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfLong NUM_OUTPUTS = STRUCT.longField("num_outputs");
        static final Field.OfAddress DIMS = STRUCT.addressField("dims");
        static final Field.OfAddress DIM_SIZES = STRUCT.addressField("dim_sizes");
    }

    // ---- Buffers ----

    static final class BufferDestroyArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Destroy_Args", ptr("buffer"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
    }

    static final class BufferElementTypeArgs {
        static final Struct STRUCT = args("PJRT_Buffer_ElementType_Args", ptr("buffer"), i32("type"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfInt TYPE = STRUCT.intField("type");
    }

    static final class BufferDimensionsArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Dimensions_Args", ptr("buffer"), ptr("dims"), size("num_dims"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfAddress DIMS = STRUCT.addressField("dims");
        static final Field.OfLong NUM_DIMS = STRUCT.longField("num_dims");
    }

    static final class BufferOnDeviceSizeInBytesArgs {
        static final Struct STRUCT = args("PJRT_Buffer_OnDeviceSizeInBytes_Args",
                ptr("buffer"), size("on_device_size_in_bytes"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfLong ON_DEVICE_SIZE_IN_BYTES = STRUCT.longField("on_device_size_in_bytes");
    }

    static final class BufferDeviceArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Device_Args", ptr("buffer"), ptr("device"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfAddress DEVICE = STRUCT.addressField("device");
    }

    static final class BufferDeleteArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Delete_Args", ptr("buffer"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
    }

    static final class BufferIsDeletedArgs {
        static final Struct STRUCT = args("PJRT_Buffer_IsDeleted_Args", ptr("buffer"), bool("is_deleted"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfBoolean IS_DELETED = STRUCT.booleanField("is_deleted");
    }

    static final class BufferReadyEventArgs {
        static final Struct STRUCT = args("PJRT_Buffer_ReadyEvent_Args", ptr("buffer"), ptr("event"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfAddress EVENT = STRUCT.addressField("event");
    }

    static final class BufferCopyToDeviceArgs {
        static final Struct STRUCT = args("PJRT_Buffer_CopyToDevice_Args",
                ptr("buffer"), ptr("dst_device"), ptr("dst_buffer"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfAddress DST_DEVICE = STRUCT.addressField("dst_device");
        static final Field.OfAddress DST_BUFFER = STRUCT.addressField("dst_buffer");
    }

    static final class BufferMemoryArgs {
        static final Struct STRUCT = args("PJRT_Buffer_Memory_Args", ptr("buffer"), ptr("memory"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfAddress MEMORY = STRUCT.addressField("memory");
    }

    /** {@code PJRT_Buffer_MemoryLayout_Tiled}, one arm of the union in {@link BufferMemoryLayout}. */
    static final class BufferMemoryLayoutTiled {
        static final Struct STRUCT = args("PJRT_Buffer_MemoryLayout_Tiled",
                ptr("minor_to_major"), size("minor_to_major_size"), ptr("tile_dims"), ptr("tile_dim_sizes"),
                size("num_tiles"));
        static final Field.OfAddress MINOR_TO_MAJOR = STRUCT.addressField("minor_to_major");
        static final Field.OfLong MINOR_TO_MAJOR_SIZE = STRUCT.longField("minor_to_major_size");
        static final Field.OfLong NUM_TILES = STRUCT.longField("num_tiles");
    }

    /** {@code PJRT_Buffer_MemoryLayout_Strides}, the other arm. */
    static final class BufferMemoryLayoutStrides {
        static final Struct STRUCT = args("PJRT_Buffer_MemoryLayout_Strides",
                ptr("byte_strides"), size("num_byte_strides"));
        static final Field.OfAddress BYTE_STRIDES = STRUCT.addressField("byte_strides");
        static final Field.OfLong NUM_BYTE_STRIDES = STRUCT.longField("num_byte_strides");
    }

    /** {@code PJRT_Buffer_MemoryLayout}: embedded by value in {@link BufferGetMemoryLayoutArgs}. */
    static final class BufferMemoryLayout {
        static final Struct STRUCT = args("PJRT_Buffer_MemoryLayout",
                MemoryLayout.unionLayout(
                        BufferMemoryLayoutTiled.STRUCT.layout().withName("tiled"),
                        BufferMemoryLayoutStrides.STRUCT.layout().withName("strides")).withName(UNION),
                i32("type"));
        static final Field.OfStruct TILED = STRUCT.structField(UNION, "tiled");
        static final Field.OfStruct STRIDES = STRUCT.structField(UNION, "strides");
        static final Field.OfInt TYPE = STRUCT.intField("type");

        /** {@code PJRT_Buffer_MemoryLayout_Type} values. */
        static final int K_TILED = 0, K_STRIDES = 1;
    }

    static final class BufferGetMemoryLayoutArgs {
        static final Struct STRUCT = args("PJRT_Buffer_GetMemoryLayout_Args",
                ptr("buffer"), BufferMemoryLayout.STRUCT.layout().withName("layout"));
        static final Field.OfAddress BUFFER = STRUCT.addressField("buffer");
        static final Field.OfStruct LAYOUT = STRUCT.structField("layout");
    }

    // ---- Events, memories, executable metadata (bridge additions) ----

    static final class EventIsReadyArgs {
        static final Struct STRUCT = args("PJRT_Event_IsReady_Args", ptr("event"), bool("is_ready"));
        static final Field.OfAddress EVENT = STRUCT.addressField("event");
        static final Field.OfBoolean IS_READY = STRUCT.booleanField("is_ready");
    }

    static final class EventOnReadyArgs {
        static final Struct STRUCT = args("PJRT_Event_OnReady_Args", ptr("event"), ptr("callback"), ptr("user_arg"));
        static final Field.OfAddress EVENT = STRUCT.addressField("event");
        static final Field.OfAddress CALLBACK = STRUCT.addressField("callback");
        static final Field.OfAddress USER_ARG = STRUCT.addressField("user_arg");
    }

    static final class EventErrorArgs {
        static final Struct STRUCT = args("PJRT_Event_Error_Args", ptr("event"));
        static final Field.OfAddress EVENT = STRUCT.addressField("event");
    }

    static final class DeviceAddressableMemoriesArgs {
        static final Struct STRUCT = args("PJRT_Device_AddressableMemories_Args",
                ptr("device"), ptr("memories"), size("num_memories"));
        static final Field.OfAddress DEVICE = STRUCT.addressField("device");
        static final Field.OfAddress MEMORIES = STRUCT.addressField("memories");
        static final Field.OfLong NUM_MEMORIES = STRUCT.longField("num_memories");
    }

    static final class DeviceDefaultMemoryArgs {
        static final Struct STRUCT = args("PJRT_Device_DefaultMemory_Args", ptr("device"), ptr("memory"));
        static final Field.OfAddress DEVICE = STRUCT.addressField("device");
        static final Field.OfAddress MEMORY = STRUCT.addressField("memory");
    }

    static final class DeviceDescriptionAttributesArgs {
        static final Struct STRUCT = args("PJRT_DeviceDescription_Attributes_Args",
                ptr("device_description"), size("num_attributes"), ptr("attributes"));
        static final Field.OfAddress DEVICE_DESCRIPTION = STRUCT.addressField("device_description");
        static final Field.OfLong NUM_ATTRIBUTES = STRUCT.longField("num_attributes");
        static final Field.OfAddress ATTRIBUTES = STRUCT.addressField("attributes");
    }

    static final class MemoryIdArgs {
        static final Struct STRUCT = args("PJRT_Memory_Id_Args", ptr("memory"), i32("id"));
        static final Field.OfAddress MEMORY = STRUCT.addressField("memory");
        static final Field.OfInt ID = STRUCT.intField("id");
    }

    static final class MemoryKindArgs {
        static final Struct STRUCT = args("PJRT_Memory_Kind_Args", ptr("memory"), ptr("kind"), size("kind_size"));
        static final Field.OfAddress MEMORY = STRUCT.addressField("memory");
        static final Field.OfAddress KIND = STRUCT.addressField("kind");
        static final Field.OfLong KIND_SIZE = STRUCT.longField("kind_size");
    }

    static final class MemoryDebugStringArgs {
        static final Struct STRUCT = args("PJRT_Memory_DebugString_Args",
                ptr("memory"), ptr("debug_string"), size("debug_string_size"));
        static final Field.OfAddress MEMORY = STRUCT.addressField("memory");
        static final Field.OfAddress DEBUG_STRING = STRUCT.addressField("debug_string");
        static final Field.OfLong DEBUG_STRING_SIZE = STRUCT.longField("debug_string_size");
    }

    static final class ExecutableNameArgs {
        static final Struct STRUCT = args("PJRT_Executable_Name_Args",
                ptr("executable"), ptr("executable_name"), size("executable_name_size"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfAddress EXECUTABLE_NAME = STRUCT.addressField("executable_name");
        static final Field.OfLong EXECUTABLE_NAME_SIZE = STRUCT.longField("executable_name_size");
    }

    static final class ExecutableFingerprintArgs {
        static final Struct STRUCT = args("PJRT_Executable_Fingerprint_Args",
                ptr("executable"), ptr("executable_fingerprint"), size("executable_fingerprint_size"));
        static final Field.OfAddress EXECUTABLE = STRUCT.addressField("executable");
        static final Field.OfAddress EXECUTABLE_FINGERPRINT = STRUCT.addressField("executable_fingerprint");
        static final Field.OfLong EXECUTABLE_FINGERPRINT_SIZE = STRUCT.longField("executable_fingerprint_size");
    }

    static final class BufferToHostBufferArgs {
        static final Struct STRUCT = args("PJRT_Buffer_ToHostBuffer_Args",
                ptr("src"), ptr("host_layout"), ptr("dst"), size("dst_size"), ptr("event"));
        static final Field.OfAddress SRC = STRUCT.addressField("src");
        static final Field.OfAddress HOST_LAYOUT = STRUCT.addressField("host_layout");
        static final Field.OfAddress DST = STRUCT.addressField("dst");
        static final Field.OfLong DST_SIZE = STRUCT.longField("dst_size");
        static final Field.OfAddress EVENT = STRUCT.addressField("event");
    }
}
