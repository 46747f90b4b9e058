/*
 * jnx's own declarations of the PJRT C API (version 0.94) -- only the parts the jnx CPU
 * plugin implements or its test calls.
 *
 * Written by hand from the layout facts in src/test/pjrt-abi.tsv (offsets, sizes, enum
 * values, slot order); the official pjrt_c_api.h is deliberately not used. Every struct
 * declared here is checked field by field against that table at build time
 * (src/gen_abi_asserts.sh -> target/generated/pjrt_abi_asserts.h, included by pjrt_api.c),
 * so a misplaced or missing member fails the build instead of corrupting memory.
 *
 * Struct tags equal their typedef names because the generated checks say `struct <Name>`.
 */
#ifndef JNX_PJRT_H
#define JNX_PJRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JNX_PJRT_API_MAJOR 0
#define JNX_PJRT_API_MINOR 94

/* ---- enums (values checked against the table) ---------------------------------------- */

typedef enum PJRT_Extension_Type {
  PJRT_Extension_Type_Gpu_Custom_Call = 0,
  PJRT_Extension_Type_Profiler = 1,
  PJRT_Extension_Type_Custom_Partitioner = 2,
  PJRT_Extension_Type_Stream = 3,
  PJRT_Extension_Type_Layouts = 4,
  PJRT_Extension_Type_FFI = 5,
  PJRT_Extension_Type_MemoryDescriptions = 6,
  PJRT_Extension_Type_Triton = 7,
  PJRT_Extension_Type_RawBuffer = 8,
  PJRT_Extension_Type_PhaseCompile = 9,
  PJRT_Extension_Type_Example = 10,
  PJRT_Extension_Type_Unknown = 11,
  PJRT_Extension_Type_CrossHostTransfers = 12,
  PJRT_Extension_Type_ExecutableMetadata = 13,
  PJRT_Extension_Type_Callback = 14,
  PJRT_Extension_Type_HostAllocator = 15,
  PJRT_Extension_Type_TpuTopology = 16,
  PJRT_Extension_Type_TpuExecutable = 17,
  PJRT_Extension_Type_Megascale = 18,
  PJRT_Extension_Type_Shardings = 19,
  PJRT_Extension_Type_AbiVersion = 20,
  PJRT_Extension_Type_Collectives = 21,
} PJRT_Extension_Type;

/* Same numbering as absl::StatusCode and TF_Code. */
typedef enum PJRT_Error_Code {
  PJRT_Error_Code_OK = 0,
  PJRT_Error_Code_CANCELLED = 1,
  PJRT_Error_Code_UNKNOWN = 2,
  PJRT_Error_Code_INVALID_ARGUMENT = 3,
  PJRT_Error_Code_DEADLINE_EXCEEDED = 4,
  PJRT_Error_Code_NOT_FOUND = 5,
  PJRT_Error_Code_ALREADY_EXISTS = 6,
  PJRT_Error_Code_PERMISSION_DENIED = 7,
  PJRT_Error_Code_RESOURCE_EXHAUSTED = 8,
  PJRT_Error_Code_FAILED_PRECONDITION = 9,
  PJRT_Error_Code_ABORTED = 10,
  PJRT_Error_Code_OUT_OF_RANGE = 11,
  PJRT_Error_Code_UNIMPLEMENTED = 12,
  PJRT_Error_Code_INTERNAL = 13,
  PJRT_Error_Code_UNAVAILABLE = 14,
  PJRT_Error_Code_DATA_LOSS = 15,
  PJRT_Error_Code_UNAUTHENTICATED = 16,
} PJRT_Error_Code;

typedef enum PJRT_NamedValue_Type {
  PJRT_NamedValue_kString = 0,
  PJRT_NamedValue_kInt64 = 1,
  PJRT_NamedValue_kInt64List = 2,
  PJRT_NamedValue_kFloat = 3,
  PJRT_NamedValue_kBool = 4,
} PJRT_NamedValue_Type;

typedef enum PJRT_Buffer_Type {
  PJRT_Buffer_Type_INVALID = 0,
  PJRT_Buffer_Type_PRED = 1,
  PJRT_Buffer_Type_S8 = 2,
  PJRT_Buffer_Type_S16 = 3,
  PJRT_Buffer_Type_S32 = 4,
  PJRT_Buffer_Type_S64 = 5,
  PJRT_Buffer_Type_U8 = 6,
  PJRT_Buffer_Type_U16 = 7,
  PJRT_Buffer_Type_U32 = 8,
  PJRT_Buffer_Type_U64 = 9,
  PJRT_Buffer_Type_F16 = 10,
  PJRT_Buffer_Type_F32 = 11,
  PJRT_Buffer_Type_F64 = 12,
  PJRT_Buffer_Type_BF16 = 13,
  PJRT_Buffer_Type_C64 = 14,
  PJRT_Buffer_Type_C128 = 15,
  PJRT_Buffer_Type_F8E5M2 = 16,
  PJRT_Buffer_Type_F8E4M3FN = 17,
  PJRT_Buffer_Type_F8E4M3B11FNUZ = 18,
  PJRT_Buffer_Type_F8E5M2FNUZ = 19,
  PJRT_Buffer_Type_F8E4M3FNUZ = 20,
  PJRT_Buffer_Type_S4 = 21,
  PJRT_Buffer_Type_U4 = 22,
  PJRT_Buffer_Type_TOKEN = 23,
  PJRT_Buffer_Type_S2 = 24,
  PJRT_Buffer_Type_U2 = 25,
  PJRT_Buffer_Type_F8E4M3 = 26,
  PJRT_Buffer_Type_F8E3M4 = 27,
  PJRT_Buffer_Type_F8E8M0FNU = 28,
  PJRT_Buffer_Type_F4E2M1FN = 29,
  PJRT_Buffer_Type_S1 = 30,
  PJRT_Buffer_Type_U1 = 31,
} PJRT_Buffer_Type;

typedef enum PJRT_HostBufferSemantics {
  PJRT_HostBufferSemantics_kImmutableOnlyDuringCall = 0,
  PJRT_HostBufferSemantics_kImmutableUntilTransferCompletes = 1,
  PJRT_HostBufferSemantics_kImmutableZeroCopy = 2,
  PJRT_HostBufferSemantics_kMutableZeroCopy = 3,
} PJRT_HostBufferSemantics;

/* ---- opaque handles (defined by the plugin, never by callers) ------------------------- */

typedef struct PJRT_Error PJRT_Error;
typedef struct PJRT_Event PJRT_Event;
typedef struct PJRT_Client PJRT_Client;
typedef struct PJRT_Device PJRT_Device;
typedef struct PJRT_Memory PJRT_Memory;
typedef struct PJRT_DeviceDescription PJRT_DeviceDescription;
typedef struct PJRT_Executable PJRT_Executable;
typedef struct PJRT_LoadedExecutable PJRT_LoadedExecutable;
typedef struct PJRT_Buffer PJRT_Buffer;
typedef struct PJRT_ExecuteContext PJRT_ExecuteContext;
typedef struct PJRT_SerializedExecutable PJRT_SerializedExecutable;
typedef struct PJRT_CopyToDeviceStream PJRT_CopyToDeviceStream;
typedef struct PJRT_Buffer_MemoryLayout PJRT_Buffer_MemoryLayout; /* defined with the buffer calls */

/* ---- common -------------------------------------------------------------------------- */

typedef struct PJRT_Extension_Base {
  size_t struct_size;
  PJRT_Extension_Type type;
  struct PJRT_Extension_Base* next;
} PJRT_Extension_Base;

typedef struct PJRT_Api_Version {
  size_t struct_size;
  PJRT_Extension_Base* extension_start;
  int major_version;
  int minor_version;
} PJRT_Api_Version;

typedef struct PJRT_NamedValue {
  size_t struct_size;
  PJRT_Extension_Base* extension_start;
  const char* name;
  size_t name_size;
  PJRT_NamedValue_Type type;
  union {
    const char* string_value;
    int64_t int64_value;
    const int64_t* int64_array_value;
    float float_value;
    bool bool_value;
  };
  size_t value_size;
} PJRT_NamedValue;

/* Every Args struct begins with these two members. */
#define JNX_ARGS_HEADER \
  size_t struct_size;   \
  PJRT_Extension_Base* extension_start

/* ---- errors ---------------------------------------------------------------------------- */

typedef struct PJRT_Error_Destroy_Args {
  JNX_ARGS_HEADER;
  PJRT_Error* error;
} PJRT_Error_Destroy_Args;

typedef struct PJRT_Error_Message_Args {
  JNX_ARGS_HEADER;
  const PJRT_Error* error;
  const char* message; /* out */
  size_t message_size; /* out */
} PJRT_Error_Message_Args;

typedef struct PJRT_Error_GetCode_Args {
  JNX_ARGS_HEADER;
  const PJRT_Error* error;
  PJRT_Error_Code code; /* out */
} PJRT_Error_GetCode_Args;

/* ---- plugin ------------------------------------------------------------------------------ */

typedef struct PJRT_Plugin_Initialize_Args {
  JNX_ARGS_HEADER;
} PJRT_Plugin_Initialize_Args;

typedef struct PJRT_Plugin_Attributes_Args {
  JNX_ARGS_HEADER;
  const PJRT_NamedValue* attributes; /* out */
  size_t num_attributes;             /* out */
} PJRT_Plugin_Attributes_Args;

/* ---- events ------------------------------------------------------------------------------ */

typedef void (*PJRT_Event_OnReadyCallback)(PJRT_Error* error, void* user_arg);

typedef struct PJRT_Event_Destroy_Args {
  JNX_ARGS_HEADER;
  PJRT_Event* event;
} PJRT_Event_Destroy_Args;

typedef struct PJRT_Event_IsReady_Args {
  JNX_ARGS_HEADER;
  PJRT_Event* event;
  bool is_ready; /* out */
} PJRT_Event_IsReady_Args;

typedef struct PJRT_Event_Error_Args {
  JNX_ARGS_HEADER;
  PJRT_Event* event;
} PJRT_Event_Error_Args;

typedef struct PJRT_Event_Await_Args {
  JNX_ARGS_HEADER;
  PJRT_Event* event;
} PJRT_Event_Await_Args;

typedef struct PJRT_Event_OnReady_Args {
  JNX_ARGS_HEADER;
  PJRT_Event* event;
  PJRT_Event_OnReadyCallback callback;
  void* user_arg;
} PJRT_Event_OnReady_Args;

/* ---- client ------------------------------------------------------------------------------ */

/* The key-value callbacks are accepted and ignored (single process); typed loosely. */
typedef struct PJRT_Client_Create_Args {
  JNX_ARGS_HEADER;
  const PJRT_NamedValue* create_options;
  size_t num_options;
  void* kv_get_callback;
  void* kv_get_user_arg;
  void* kv_put_callback;
  void* kv_put_user_arg;
  PJRT_Client* client; /* out */
  void* kv_try_get_callback;
  void* kv_try_get_user_arg;
} PJRT_Client_Create_Args;

typedef struct PJRT_Client_Destroy_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
} PJRT_Client_Destroy_Args;

typedef struct PJRT_Client_PlatformName_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  const char* platform_name; /* out */
  size_t platform_name_size; /* out */
} PJRT_Client_PlatformName_Args;

typedef struct PJRT_Client_ProcessIndex_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  int process_index; /* out */
} PJRT_Client_ProcessIndex_Args;

typedef struct PJRT_Client_PlatformVersion_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  const char* platform_version; /* out */
  size_t platform_version_size; /* out */
} PJRT_Client_PlatformVersion_Args;

typedef struct PJRT_Client_Devices_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  PJRT_Device* const* devices; /* out */
  size_t num_devices;          /* out */
} PJRT_Client_Devices_Args;

typedef struct PJRT_Client_AddressableDevices_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  PJRT_Device* const* addressable_devices; /* out */
  size_t num_addressable_devices;          /* out */
} PJRT_Client_AddressableDevices_Args;

typedef struct PJRT_Client_LookupDevice_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  int id;
  PJRT_Device* device; /* out */
} PJRT_Client_LookupDevice_Args;

typedef struct PJRT_Client_LookupAddressableDevice_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  int local_hardware_id;
  PJRT_Device* addressable_device; /* out */
} PJRT_Client_LookupAddressableDevice_Args;

typedef struct PJRT_Client_AddressableMemories_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  PJRT_Memory* const* addressable_memories; /* out */
  size_t num_addressable_memories;          /* out */
} PJRT_Client_AddressableMemories_Args;

typedef struct PJRT_Program {
  JNX_ARGS_HEADER;
  char* code; /* in for Compile; out (caller's buffer, may be NULL) for OptimizedProgram */
  size_t code_size;
  const char* format;
  size_t format_size;
} PJRT_Program;

typedef struct PJRT_Client_Compile_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  const PJRT_Program* program;
  const char* compile_options; /* serialized CompileOptionsProto: ignored */
  size_t compile_options_size;
  PJRT_LoadedExecutable* executable; /* out */
} PJRT_Client_Compile_Args;

typedef struct PJRT_Client_DefaultDeviceAssignment_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  int num_replicas;
  int num_partitions;
  size_t default_assignment_size; /* capacity of default_assignment */
  int* default_assignment;        /* out, caller-owned */
} PJRT_Client_DefaultDeviceAssignment_Args;

typedef struct PJRT_Client_BufferFromHostBuffer_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  const void* data;
  PJRT_Buffer_Type type;
  const int64_t* dims;
  size_t num_dims;
  const int64_t* byte_strides;
  size_t num_byte_strides;
  PJRT_HostBufferSemantics host_buffer_semantics;
  PJRT_Device* device;
  PJRT_Memory* memory;
  PJRT_Buffer_MemoryLayout* device_layout;
  PJRT_Event* done_with_host_buffer; /* out */
  PJRT_Buffer* buffer;               /* out */
} PJRT_Client_BufferFromHostBuffer_Args;

/* ---- devices and memories ------------------------------------------------------------------ */

typedef struct PJRT_DeviceDescription_Id_Args {
  JNX_ARGS_HEADER;
  PJRT_DeviceDescription* device_description;
  int id; /* out */
} PJRT_DeviceDescription_Id_Args;

typedef struct PJRT_DeviceDescription_ProcessIndex_Args {
  JNX_ARGS_HEADER;
  PJRT_DeviceDescription* device_description;
  int process_index; /* out */
} PJRT_DeviceDescription_ProcessIndex_Args;

typedef struct PJRT_DeviceDescription_Attributes_Args {
  JNX_ARGS_HEADER;
  PJRT_DeviceDescription* device_description;
  size_t num_attributes;             /* out */
  const PJRT_NamedValue* attributes; /* out */
} PJRT_DeviceDescription_Attributes_Args;

typedef struct PJRT_DeviceDescription_Kind_Args {
  JNX_ARGS_HEADER;
  PJRT_DeviceDescription* device_description;
  const char* device_kind; /* out */
  size_t device_kind_size; /* out */
} PJRT_DeviceDescription_Kind_Args;

typedef struct PJRT_DeviceDescription_DebugString_Args {
  JNX_ARGS_HEADER;
  PJRT_DeviceDescription* device_description;
  const char* debug_string; /* out */
  size_t debug_string_size; /* out */
} PJRT_DeviceDescription_DebugString_Args;

typedef struct PJRT_DeviceDescription_ToString_Args {
  JNX_ARGS_HEADER;
  PJRT_DeviceDescription* device_description;
  const char* to_string; /* out */
  size_t to_string_size; /* out */
} PJRT_DeviceDescription_ToString_Args;

typedef struct PJRT_Device_GetDescription_Args {
  JNX_ARGS_HEADER;
  PJRT_Device* device;
  PJRT_DeviceDescription* device_description; /* out */
} PJRT_Device_GetDescription_Args;

typedef struct PJRT_Device_IsAddressable_Args {
  JNX_ARGS_HEADER;
  PJRT_Device* device;
  bool is_addressable; /* out */
} PJRT_Device_IsAddressable_Args;

typedef struct PJRT_Device_LocalHardwareId_Args {
  JNX_ARGS_HEADER;
  PJRT_Device* device;
  int local_hardware_id; /* out */
} PJRT_Device_LocalHardwareId_Args;

typedef struct PJRT_Device_AddressableMemories_Args {
  JNX_ARGS_HEADER;
  PJRT_Device* device;
  PJRT_Memory* const* memories; /* out */
  size_t num_memories;          /* out */
} PJRT_Device_AddressableMemories_Args;

typedef struct PJRT_Device_DefaultMemory_Args {
  JNX_ARGS_HEADER;
  PJRT_Device* device;
  PJRT_Memory* memory; /* out */
} PJRT_Device_DefaultMemory_Args;

typedef struct PJRT_Memory_Id_Args {
  JNX_ARGS_HEADER;
  PJRT_Memory* memory;
  int id; /* out */
} PJRT_Memory_Id_Args;

typedef struct PJRT_Memory_Kind_Args {
  JNX_ARGS_HEADER;
  PJRT_Memory* memory;
  const char* kind; /* out */
  size_t kind_size; /* out */
} PJRT_Memory_Kind_Args;

typedef struct PJRT_Memory_Kind_Id_Args {
  JNX_ARGS_HEADER;
  PJRT_Memory* memory;
  int kind_id; /* out */
} PJRT_Memory_Kind_Id_Args;

typedef struct PJRT_Memory_DebugString_Args {
  JNX_ARGS_HEADER;
  PJRT_Memory* memory;
  const char* debug_string; /* out */
  size_t debug_string_size; /* out */
} PJRT_Memory_DebugString_Args;

typedef struct PJRT_Memory_ToString_Args {
  JNX_ARGS_HEADER;
  PJRT_Memory* memory;
  const char* to_string; /* out */
  size_t to_string_size; /* out */
} PJRT_Memory_ToString_Args;

typedef struct PJRT_Memory_AddressableByDevices_Args {
  JNX_ARGS_HEADER;
  PJRT_Memory* memory;
  PJRT_Device* const* devices; /* out */
  size_t num_devices;          /* out */
} PJRT_Memory_AddressableByDevices_Args;

/* ---- executables --------------------------------------------------------------------------- */

typedef struct PJRT_Executable_Destroy_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
} PJRT_Executable_Destroy_Args;

typedef struct PJRT_LoadedExecutable_Destroy_Args {
  JNX_ARGS_HEADER;
  PJRT_LoadedExecutable* executable;
} PJRT_LoadedExecutable_Destroy_Args;

typedef struct PJRT_LoadedExecutable_GetExecutable_Args {
  JNX_ARGS_HEADER;
  PJRT_LoadedExecutable* loaded_executable;
  PJRT_Executable* executable; /* out: caller destroys it */
} PJRT_LoadedExecutable_GetExecutable_Args;

typedef struct PJRT_Executable_Name_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  const char* executable_name; /* out */
  size_t executable_name_size; /* out */
} PJRT_Executable_Name_Args;

typedef struct PJRT_Executable_NumReplicas_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  size_t num_replicas; /* out */
} PJRT_Executable_NumReplicas_Args;

typedef struct PJRT_Executable_NumPartitions_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  size_t num_partitions; /* out */
} PJRT_Executable_NumPartitions_Args;

typedef struct PJRT_LoadedExecutable_AddressableDevices_Args {
  JNX_ARGS_HEADER;
  PJRT_LoadedExecutable* executable;
  PJRT_Device* const* addressable_devices; /* out */
  size_t num_addressable_devices;          /* out */
} PJRT_LoadedExecutable_AddressableDevices_Args;

typedef struct PJRT_Executable_OptimizedProgram_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  PJRT_Program* program; /* in/out */
} PJRT_Executable_OptimizedProgram_Args;

typedef struct PJRT_LoadedExecutable_Delete_Args {
  JNX_ARGS_HEADER;
  PJRT_LoadedExecutable* executable;
} PJRT_LoadedExecutable_Delete_Args;

typedef struct PJRT_LoadedExecutable_IsDeleted_Args {
  JNX_ARGS_HEADER;
  PJRT_LoadedExecutable* executable;
  bool is_deleted; /* out */
} PJRT_LoadedExecutable_IsDeleted_Args;

/* Send/recv callbacks are not supported; their lists are only checked to be empty. */
typedef struct PJRT_SendCallbackInfo PJRT_SendCallbackInfo;
typedef struct PJRT_RecvCallbackInfo PJRT_RecvCallbackInfo;

typedef struct PJRT_ExecuteOptions {
  JNX_ARGS_HEADER;
  PJRT_SendCallbackInfo** send_callbacks;
  PJRT_RecvCallbackInfo** recv_callbacks;
  size_t num_send_ops;
  size_t num_recv_ops;
  int launch_id;
  const int64_t* non_donatable_input_indices;
  size_t num_non_donatable_input_indices;
  PJRT_ExecuteContext* context;
  const char* call_location;
  size_t num_tasks;
  int* task_ids;
  int64_t* incarnation_ids;
} PJRT_ExecuteOptions;

typedef struct PJRT_LoadedExecutable_Execute_Args {
  JNX_ARGS_HEADER;
  PJRT_LoadedExecutable* executable;
  PJRT_ExecuteOptions* options;
  PJRT_Buffer* const* const* argument_lists; /* [num_devices][num_args] */
  size_t num_devices;
  size_t num_args;
  PJRT_Buffer** const* output_lists; /* [num_devices][num_outputs], filled */
  PJRT_Event** device_complete_events; /* [num_devices], filled if non-NULL */
  PJRT_Device* execute_device;
} PJRT_LoadedExecutable_Execute_Args;

typedef struct PJRT_Executable_NumOutputs_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  size_t num_outputs; /* out */
} PJRT_Executable_NumOutputs_Args;

typedef struct PJRT_Executable_Fingerprint_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  const char* executable_fingerprint; /* out */
  size_t executable_fingerprint_size; /* out */
} PJRT_Executable_Fingerprint_Args;

typedef struct PJRT_LoadedExecutable_Fingerprint_Args {
  JNX_ARGS_HEADER;
  PJRT_LoadedExecutable* executable;
  const char* executable_fingerprint; /* out */
  size_t executable_fingerprint_size; /* out */
} PJRT_LoadedExecutable_Fingerprint_Args;

typedef struct PJRT_Executable_OutputElementTypes_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  PJRT_Buffer_Type* output_types; /* out, plugin-owned */
  size_t num_output_types;        /* out */
} PJRT_Executable_OutputElementTypes_Args;

typedef struct PJRT_Executable_OutputDimensions_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  size_t num_outputs;      /* out */
  const int64_t* dims;     /* out: all outputs' dims, concatenated */
  const size_t* dim_sizes; /* out: rank of each output */
} PJRT_Executable_OutputDimensions_Args;

typedef struct PJRT_Executable_OutputMemoryKinds_Args {
  JNX_ARGS_HEADER;
  PJRT_Executable* executable;
  size_t num_outputs;                  /* out */
  const char* const* memory_kinds;     /* out */
  const size_t* memory_kind_sizes;     /* out */
} PJRT_Executable_OutputMemoryKinds_Args;

typedef struct PJRT_Executable_Serialize_Args {
  JNX_ARGS_HEADER;
  const PJRT_Executable* executable;
  const char* serialized_bytes;                     /* out */
  size_t serialized_bytes_size;                     /* out */
  PJRT_SerializedExecutable* serialized_executable; /* out: owns the bytes */
  void (*serialized_executable_deleter)(PJRT_SerializedExecutable* exec); /* out */
} PJRT_Executable_Serialize_Args;

typedef struct PJRT_Executable_DeserializeAndLoad_Args {
  JNX_ARGS_HEADER;
  PJRT_Client* client;
  const char* serialized_executable;
  size_t serialized_executable_size;
  PJRT_LoadedExecutable* loaded_executable; /* out */
  const char* overridden_serialized_compile_options; /* ignored */
  size_t overridden_serialized_compile_options_size;
} PJRT_Executable_DeserializeAndLoad_Args;

/* ---- buffers ----------------------------------------------------------------------------- */

typedef struct PJRT_Buffer_Destroy_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
} PJRT_Buffer_Destroy_Args;

typedef struct PJRT_Buffer_ElementType_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  PJRT_Buffer_Type type; /* out */
} PJRT_Buffer_ElementType_Args;

typedef struct PJRT_Buffer_Dimensions_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  const int64_t* dims; /* out, valid while the buffer lives */
  size_t num_dims;     /* out */
} PJRT_Buffer_Dimensions_Args;

typedef struct PJRT_Buffer_UnpaddedDimensions_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  const int64_t* unpadded_dims; /* out */
  size_t num_dims;              /* out */
} PJRT_Buffer_UnpaddedDimensions_Args;

typedef struct PJRT_Buffer_DynamicDimensionIndices_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  const size_t* dynamic_dim_indices; /* out */
  size_t num_dynamic_dims;           /* out */
} PJRT_Buffer_DynamicDimensionIndices_Args;

typedef struct PJRT_Buffer_ToHostBuffer_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* src;
  PJRT_Buffer_MemoryLayout* host_layout; /* must be NULL: dense row-major only */
  void* dst;       /* NULL: query dst_size */
  size_t dst_size; /* in: capacity of dst; out (dst == NULL): bytes needed */
  PJRT_Event* event; /* out */
} PJRT_Buffer_ToHostBuffer_Args;

typedef struct PJRT_Buffer_OnDeviceSizeInBytes_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  size_t on_device_size_in_bytes; /* out */
} PJRT_Buffer_OnDeviceSizeInBytes_Args;

typedef struct PJRT_Buffer_Delete_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
} PJRT_Buffer_Delete_Args;

typedef struct PJRT_Buffer_IsDeleted_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  bool is_deleted; /* out */
} PJRT_Buffer_IsDeleted_Args;

typedef struct PJRT_Buffer_CopyToDevice_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  PJRT_Device* dst_device;
  PJRT_Buffer* dst_buffer; /* out */
} PJRT_Buffer_CopyToDevice_Args;

typedef struct PJRT_Buffer_IsOnCpu_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  bool is_on_cpu; /* out */
} PJRT_Buffer_IsOnCpu_Args;

typedef struct PJRT_Buffer_Device_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  PJRT_Device* device; /* out */
} PJRT_Buffer_Device_Args;

typedef struct PJRT_Buffer_Memory_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  PJRT_Memory* memory; /* out */
} PJRT_Buffer_Memory_Args;

typedef enum PJRT_Buffer_MemoryLayout_Type {
  PJRT_Buffer_MemoryLayout_Type_Tiled = 0,
  PJRT_Buffer_MemoryLayout_Type_Strides = 1,
} PJRT_Buffer_MemoryLayout_Type;

typedef struct PJRT_Buffer_MemoryLayout_Tiled {
  JNX_ARGS_HEADER;
  const int64_t* minor_to_major;
  size_t minor_to_major_size;
  const int64_t* tile_dims; /* NULL when num_tiles is 0 */
  const size_t* tile_dim_sizes;
  size_t num_tiles;
} PJRT_Buffer_MemoryLayout_Tiled;

typedef struct PJRT_Buffer_MemoryLayout_Strides {
  JNX_ARGS_HEADER;
  const int64_t* byte_strides;
  size_t num_byte_strides;
} PJRT_Buffer_MemoryLayout_Strides;

typedef struct PJRT_Buffer_MemoryLayout {
  JNX_ARGS_HEADER;
  union {
    PJRT_Buffer_MemoryLayout_Tiled tiled;
    PJRT_Buffer_MemoryLayout_Strides strides;
  };
  PJRT_Buffer_MemoryLayout_Type type;
} PJRT_Buffer_MemoryLayout;

typedef struct PJRT_Buffer_GetMemoryLayout_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  PJRT_Buffer_MemoryLayout layout; /* out; its pointers stay valid while the buffer lives */
} PJRT_Buffer_GetMemoryLayout_Args;

typedef struct PJRT_Buffer_ReadyEvent_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  PJRT_Event* event; /* out */
} PJRT_Buffer_ReadyEvent_Args;

typedef struct PJRT_Buffer_UnsafePointer_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  uintptr_t buffer_pointer; /* out */
} PJRT_Buffer_UnsafePointer_Args;

typedef struct PJRT_Buffer_OpaqueDeviceMemoryDataPointer_Args {
  JNX_ARGS_HEADER;
  PJRT_Buffer* buffer;
  void* device_memory_ptr; /* out */
} PJRT_Buffer_OpaqueDeviceMemoryDataPointer_Args;

/* ---- the function table -------------------------------------------------------------------- */

/* Every slot, in the table's order. T = implemented here and typed; U = left NULL by the
 * jnx plugin, so only its position matters. The two void-returning slots are declared
 * separately below. */
#define JNX_PJRT_API_SLOTS(T, U)                           \
  T(PJRT_Error_GetCode)                                    \
  T(PJRT_Plugin_Initialize)                                \
  T(PJRT_Plugin_Attributes)                                \
  T(PJRT_Event_Destroy)                                    \
  T(PJRT_Event_IsReady)                                    \
  T(PJRT_Event_Error)                                      \
  T(PJRT_Event_Await)                                      \
  T(PJRT_Event_OnReady)                                    \
  T(PJRT_Client_Create)                                    \
  T(PJRT_Client_Destroy)                                   \
  T(PJRT_Client_PlatformName)                              \
  T(PJRT_Client_ProcessIndex)                              \
  T(PJRT_Client_PlatformVersion)                           \
  T(PJRT_Client_Devices)                                   \
  T(PJRT_Client_AddressableDevices)                        \
  T(PJRT_Client_LookupDevice)                              \
  T(PJRT_Client_LookupAddressableDevice)                   \
  T(PJRT_Client_AddressableMemories)                       \
  T(PJRT_Client_Compile)                                   \
  T(PJRT_Client_DefaultDeviceAssignment)                   \
  T(PJRT_Client_BufferFromHostBuffer)                      \
  T(PJRT_DeviceDescription_Id)                             \
  T(PJRT_DeviceDescription_ProcessIndex)                   \
  T(PJRT_DeviceDescription_Attributes)                     \
  T(PJRT_DeviceDescription_Kind)                           \
  T(PJRT_DeviceDescription_DebugString)                    \
  T(PJRT_DeviceDescription_ToString)                       \
  T(PJRT_Device_GetDescription)                            \
  T(PJRT_Device_IsAddressable)                             \
  T(PJRT_Device_LocalHardwareId)                           \
  T(PJRT_Device_AddressableMemories)                       \
  T(PJRT_Device_DefaultMemory)                             \
  U(PJRT_Device_MemoryStats)                               \
  T(PJRT_Memory_Id)                                        \
  T(PJRT_Memory_Kind)                                      \
  T(PJRT_Memory_DebugString)                               \
  T(PJRT_Memory_ToString)                                  \
  T(PJRT_Memory_AddressableByDevices)                      \
  T(PJRT_Executable_Destroy)                               \
  T(PJRT_Executable_Name)                                  \
  T(PJRT_Executable_NumReplicas)                           \
  T(PJRT_Executable_NumPartitions)                         \
  T(PJRT_Executable_NumOutputs)                            \
  U(PJRT_Executable_SizeOfGeneratedCodeInBytes)            \
  U(PJRT_Executable_GetCostAnalysis)                       \
  T(PJRT_Executable_OutputMemoryKinds)                     \
  T(PJRT_Executable_OptimizedProgram)                      \
  T(PJRT_Executable_Serialize)                             \
  T(PJRT_LoadedExecutable_Destroy)                         \
  T(PJRT_LoadedExecutable_GetExecutable)                   \
  T(PJRT_LoadedExecutable_AddressableDevices)              \
  T(PJRT_LoadedExecutable_Delete)                          \
  T(PJRT_LoadedExecutable_IsDeleted)                       \
  T(PJRT_LoadedExecutable_Execute)                         \
  T(PJRT_Executable_DeserializeAndLoad)                    \
  T(PJRT_LoadedExecutable_Fingerprint)                     \
  T(PJRT_Buffer_Destroy)                                   \
  T(PJRT_Buffer_ElementType)                               \
  T(PJRT_Buffer_Dimensions)                                \
  T(PJRT_Buffer_UnpaddedDimensions)                        \
  T(PJRT_Buffer_DynamicDimensionIndices)                   \
  T(PJRT_Buffer_GetMemoryLayout)                           \
  T(PJRT_Buffer_OnDeviceSizeInBytes)                       \
  T(PJRT_Buffer_Device)                                    \
  T(PJRT_Buffer_Memory)                                    \
  T(PJRT_Buffer_Delete)                                    \
  T(PJRT_Buffer_IsDeleted)                                 \
  T(PJRT_Buffer_CopyToDevice)                              \
  T(PJRT_Buffer_ToHostBuffer)                              \
  T(PJRT_Buffer_IsOnCpu)                                   \
  T(PJRT_Buffer_ReadyEvent)                                \
  T(PJRT_Buffer_UnsafePointer)                             \
  U(PJRT_Buffer_IncreaseExternalReferenceCount)            \
  U(PJRT_Buffer_DecreaseExternalReferenceCount)            \
  T(PJRT_Buffer_OpaqueDeviceMemoryDataPointer)             \
  U(PJRT_CopyToDeviceStream_Destroy)                       \
  U(PJRT_CopyToDeviceStream_AddChunk)                      \
  U(PJRT_CopyToDeviceStream_TotalBytes)                    \
  U(PJRT_CopyToDeviceStream_GranuleSize)                   \
  U(PJRT_CopyToDeviceStream_CurrentBytes)                  \
  U(PJRT_TopologyDescription_Create)                       \
  U(PJRT_TopologyDescription_Destroy)                      \
  U(PJRT_TopologyDescription_PlatformName)                 \
  U(PJRT_TopologyDescription_PlatformVersion)              \
  U(PJRT_TopologyDescription_GetDeviceDescriptions)        \
  U(PJRT_TopologyDescription_Serialize)                    \
  U(PJRT_TopologyDescription_Attributes)                   \
  U(PJRT_Compile)                                          \
  T(PJRT_Executable_OutputElementTypes)                    \
  T(PJRT_Executable_OutputDimensions)                      \
  U(PJRT_Buffer_CopyToMemory)                              \
  U(PJRT_Client_CreateViewOfDeviceBuffer)                  \
  T(PJRT_Executable_Fingerprint)                           \
  U(PJRT_Client_TopologyDescription)                       \
  U(PJRT_Executable_GetCompiledMemoryStats)                \
  T(PJRT_Memory_Kind_Id)                                   \
  U(PJRT_ExecuteContext_Create)                            \
  U(PJRT_ExecuteContext_Destroy)                           \
  U(PJRT_Buffer_CopyRawToHost)                             \
  U(PJRT_AsyncHostToDeviceTransferManager_Destroy)         \
  U(PJRT_AsyncHostToDeviceTransferManager_TransferData)    \
  U(PJRT_Client_CreateBuffersForAsyncHostToDevice)         \
  U(PJRT_AsyncHostToDeviceTransferManager_RetrieveBuffer)  \
  U(PJRT_AsyncHostToDeviceTransferManager_Device)          \
  U(PJRT_AsyncHostToDeviceTransferManager_BufferCount)     \
  U(PJRT_AsyncHostToDeviceTransferManager_BufferSize)      \
  U(PJRT_AsyncHostToDeviceTransferManager_SetBufferError)  \
  U(PJRT_AsyncHostToDeviceTransferManager_AddMetadata)     \
  U(PJRT_Client_DmaMap)                                    \
  U(PJRT_Client_DmaUnmap)                                  \
  U(PJRT_Client_CreateUninitializedBuffer)                 \
  U(PJRT_Client_UpdateGlobalProcessInfo)                   \
  U(PJRT_TopologyDescription_Deserialize)                  \
  U(PJRT_Client_CreateAliasBuffer)                         \
  U(PJRT_Client_FulfillAliasBuffer)                        \
  U(PJRT_LoadedExecutable_GetDeviceAssignment)             \
  U(PJRT_Client_CreateErrorBuffer)                         \
  U(PJRT_AsyncHostToDeviceTransferManager_TransferLiteral) \
  U(PJRT_Buffer_CopyRawToHostFuture)                       \
  U(PJRT_Device_PoisonExecution)                           \
  U(PJRT_Device_CreateAsyncTrackingEvent)                  \
  U(PJRT_AsyncTrackingEvent_Destroy)                       \
  U(PJRT_Executable_GetCompileOptions)                     \
  U(PJRT_Buffer_DonateWithControlDependency)               \
  U(PJRT_Event_Create)                                     \
  U(PJRT_Event_Set)                                        \
  U(PJRT_Device_GetAttributes)

/* Function types, named like the slots: PJRT_X is `PJRT_Error* (PJRT_X_Args*)`. */
typedef void PJRT_Error_Destroy(PJRT_Error_Destroy_Args* args);
typedef void PJRT_Error_Message(PJRT_Error_Message_Args* args);
#define JNX_DECLARE_FN_TYPE(name) typedef PJRT_Error* name(name##_Args* args);
#define JNX_IGNORE(name)
JNX_PJRT_API_SLOTS(JNX_DECLARE_FN_TYPE, JNX_IGNORE)

/* Slots the plugin leaves NULL; callers must check before calling. */
typedef PJRT_Error* jnx_pjrt_unimplemented_fn(void* args);

typedef struct PJRT_Api {
  size_t struct_size;
  PJRT_Extension_Base* extension_start;
  PJRT_Api_Version pjrt_api_version;
  PJRT_Error_Destroy* PJRT_Error_Destroy;
  PJRT_Error_Message* PJRT_Error_Message;
#define JNX_TYPED_SLOT(name) name* name;
#define JNX_UNTYPED_SLOT(name) jnx_pjrt_unimplemented_fn* name;
  JNX_PJRT_API_SLOTS(JNX_TYPED_SLOT, JNX_UNTYPED_SLOT)
#undef JNX_TYPED_SLOT
#undef JNX_UNTYPED_SLOT
} PJRT_Api;

/* The plugin's entry point, as XLA's own CPU plugin names it. */
const PJRT_Api* GetPjrtApi(void);

/* jnx extra: number of live plugin objects (clients, executables, buffers, events, errors,
 * serialized executables). Leak tests compare it before and after. */
int64_t jnx_pjrt_live_objects(void);
/* The same for one kind: 0 clients, 1 executable handles, 2 compiled programs, 3 buffers,
 * 4 events, 5 errors, 6 serialized executables; -1 for an unknown kind. */
int64_t jnx_pjrt_live_objects_of_kind(int kind);

#ifdef __cplusplus
}
#endif

#endif /* JNX_PJRT_H */
