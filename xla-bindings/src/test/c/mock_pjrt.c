/*
 * A tiny fake PJRT plugin for the xla-bindings tests. It knows nothing of XLA: "compiling"
 * recognises two StableHLO programs (elementwise exp of one f32 array, add of two), enough to
 * drive every binding path (errors, events, ownership) without the real plugin.
 *
 * Struct offsets come from abi_offsets.h, which the test generates from abi.tsv, so this file
 * follows the real header's ABI independently of the Java layouts under test.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi_offsets.h"

#define AT(p, o, T) (*(T *)((char *)(p) + (o)))
#define F(owner, member) AT(args, F_##owner##_##member, void *)
#define FSZ(owner, member) AT(args, F_##owner##_##member, size_t)
#define FI(owner, member) AT(args, F_##owner##_##member, int32_t)
#define FB(owner, member) AT(args, F_##owner##_##member, bool)

static atomic_int live = 0;
int mock_live_objects(void) { return atomic_load(&live); }

static void *obj(size_t n) { atomic_fetch_add(&live, 1); return calloc(1, n); }
static void unobj(void *p) { if (p) { atomic_fetch_sub(&live, 1); free(p); } }

typedef struct { int code; char msg[256]; } Error;
typedef struct { int done; } Event;
typedef struct { int options; } Client;
typedef struct { int32_t type; int64_t dims[8]; size_t ndims; size_t bytes; char *data; } Buffer;
enum { EXP = 1, ADD = 2 };
typedef struct { int kind; int64_t numel; } Loaded;
typedef struct { Loaded *loaded; } Executable;

static char device_storage[64], description_storage[64];
static void *device_list[1] = {device_storage};

static void *error(int code, const char *fmt, const char *arg) {
    Error *e = obj(sizeof(Error));
    e->code = code;
    snprintf(e->msg, sizeof e->msg, fmt, arg);
    return e;
}

static void *event(void) { return obj(sizeof(Event)); }

static int elem_size(int32_t t) {
    switch (t) {
        case 1: case 2: case 6: return 1;          /* PRED S8 U8 */
        case 3: case 7: case 10: case 13: return 2; /* S16 U16 F16 BF16 */
        case 4: case 8: case 11: return 4;          /* S32 U32 F32 */
        case 5: case 9: case 12: case 14: return 8; /* S64 U64 F64 C64 */
        case 15: return 16;
        default: return 0;
    }
}

static void Error_Destroy(void *args) { unobj(F(PJRT_Error_Destroy_Args, error)); }
static void Error_Message(void *args) {
    Error *e = F(PJRT_Error_Message_Args, error);
    F(PJRT_Error_Message_Args, message) = e->msg;
    FSZ(PJRT_Error_Message_Args, message_size) = strlen(e->msg);
}
static void *Error_GetCode(void *args) {
    FI(PJRT_Error_GetCode_Args, code) = ((Error *)F(PJRT_Error_GetCode_Args, error))->code;
    return NULL;
}

static char nv_storage[2][S_PJRT_NamedValue];
static int64_t nv_list[3] = {4, 5, 6};
static void *Plugin_Initialize(void *args) { (void)args; return NULL; }
static void *Plugin_Attributes(void *args) {
    char *a = nv_storage[0], *b = nv_storage[1];
    AT(a, 0, size_t) = STRUCT_SIZE_PJRT_NamedValue;
    AT(a, F_PJRT_NamedValue_name, const char *) = "mock_name";
    AT(a, F_PJRT_NamedValue_name_size, size_t) = 9;
    AT(a, F_PJRT_NamedValue_type, int32_t) = 0; /* kString */
    AT(a, F_PJRT_NamedValue_union, const char *) = "mock";
    AT(a, F_PJRT_NamedValue_value_size, size_t) = 4;
    AT(b, 0, size_t) = STRUCT_SIZE_PJRT_NamedValue;
    AT(b, F_PJRT_NamedValue_name, const char *) = "mock_list";
    AT(b, F_PJRT_NamedValue_name_size, size_t) = 9;
    AT(b, F_PJRT_NamedValue_type, int32_t) = 2; /* kInt64List */
    AT(b, F_PJRT_NamedValue_union, const int64_t *) = nv_list;
    AT(b, F_PJRT_NamedValue_value_size, size_t) = 3;
    F(PJRT_Plugin_Attributes_Args, attributes) = nv_storage;
    FSZ(PJRT_Plugin_Attributes_Args, num_attributes) = 2;
    return NULL;
}

static void *Event_Destroy(void *args) { unobj(F(PJRT_Event_Destroy_Args, event)); return NULL; }
static void *Event_Await(void *args) { (void)args; return NULL; }

static void *Client_Create(void *args) {
    if (AT(args, 0, size_t) < STRUCT_SIZE_PJRT_Client_Create_Args)
        return error(3, "%s", "PJRT_Client_Create_Args.struct_size too small");
    Client *c = obj(sizeof(Client));
    c->options = (int)FSZ(PJRT_Client_Create_Args, num_options);
    F(PJRT_Client_Create_Args, client) = c;
    return NULL;
}
static void *Client_Destroy(void *args) { unobj(F(PJRT_Client_Destroy_Args, client)); return NULL; }
static void *Client_PlatformName(void *args) {
    F(PJRT_Client_PlatformName_Args, platform_name) = "cpu";
    FSZ(PJRT_Client_PlatformName_Args, platform_name_size) = 3;
    return NULL;
}
static void *Client_ProcessIndex(void *args) { FI(PJRT_Client_ProcessIndex_Args, process_index) = 0; return NULL; }
static void *Client_Devices(void *args) {
    F(PJRT_Client_Devices_Args, devices) = device_list;
    FSZ(PJRT_Client_Devices_Args, num_devices) = 1;
    return NULL;
}
static void *Client_AddressableDevices(void *args) {
    F(PJRT_Client_AddressableDevices_Args, addressable_devices) = device_list;
    FSZ(PJRT_Client_AddressableDevices_Args, num_addressable_devices) = 1;
    return NULL;
}
static void *Device_GetDescription(void *args) {
    F(PJRT_Device_GetDescription_Args, device_description) = description_storage;
    return NULL;
}
static void *Device_IsAddressable(void *args) { FB(PJRT_Device_IsAddressable_Args, is_addressable) = true; return NULL; }
static void *DeviceDescription_Id(void *args) { FI(PJRT_DeviceDescription_Id_Args, id) = 0; return NULL; }
static void *DeviceDescription_ProcessIndex(void *args) {
    FI(PJRT_DeviceDescription_ProcessIndex_Args, process_index) = 0;
    return NULL;
}
static void *DeviceDescription_Kind(void *args) {
    F(PJRT_DeviceDescription_Kind_Args, device_kind) = "cpu";
    FSZ(PJRT_DeviceDescription_Kind_Args, device_kind_size) = 3;
    return NULL;
}
static void *DeviceDescription_DebugString(void *args) {
    F(PJRT_DeviceDescription_DebugString_Args, debug_string) = "MockCpuDevice(id=0)";
    FSZ(PJRT_DeviceDescription_DebugString_Args, debug_string_size) = 19;
    return NULL;
}

static void *Client_Compile(void *args) {
    void *program = F(PJRT_Client_Compile_Args, program);
    const char *code = AT(program, F_PJRT_Program_code, const char *);
    size_t size = AT(program, F_PJRT_Program_code_size, size_t);
    const char *format = AT(program, F_PJRT_Program_format, const char *);
    if (AT(program, F_PJRT_Program_format_size, size_t) != 4 || memcmp(format, "mlir", 4) != 0)
        return error(3, "%s", "mock: program format must be mlir");
    int kind = memmem(code, size, "stablehlo.exponential", 21) ? EXP
             : memmem(code, size, "stablehlo.add", 13) ? ADD : 0;
    const char *t = memmem(code, size, "tensor<", 7);
    if (!kind || !t || !memmem(code, size, "func.func", 9))
        return error(3, "mock: cannot parse module: %.40s", code);
    Loaded *l = obj(sizeof(Loaded));
    l->kind = kind;
    l->numel = strtoll(t + 7, NULL, 10);
    F(PJRT_Client_Compile_Args, executable) = l;
    return NULL;
}
static void *LoadedExecutable_Destroy(void *args) { unobj(F(PJRT_LoadedExecutable_Destroy_Args, executable)); return NULL; }
static void *LoadedExecutable_GetExecutable(void *args) {
    Executable *e = obj(sizeof(Executable));
    e->loaded = F(PJRT_LoadedExecutable_GetExecutable_Args, loaded_executable);
    F(PJRT_LoadedExecutable_GetExecutable_Args, executable) = e;
    return NULL;
}
static void *Executable_Destroy(void *args) { unobj(F(PJRT_Executable_Destroy_Args, executable)); return NULL; }
static void *Executable_NumOutputs(void *args) { FSZ(PJRT_Executable_NumOutputs_Args, num_outputs) = 1; return NULL; }
static int32_t f32_type = 11;
static void *Executable_OutputElementTypes(void *args) {
    F(PJRT_Executable_OutputElementTypes_Args, output_types) = &f32_type;
    FSZ(PJRT_Executable_OutputElementTypes_Args, num_output_types) = 1;
    return NULL;
}

static Buffer *new_buffer(int32_t type, const int64_t *dims, size_t ndims) {
    Buffer *b = obj(sizeof(Buffer));
    b->type = type;
    b->ndims = ndims;
    size_t n = 1;
    for (size_t i = 0; i < ndims; i++) { b->dims[i] = dims[i]; n *= (size_t)dims[i]; }
    b->bytes = n * (size_t)elem_size(type);
    b->data = malloc(b->bytes ? b->bytes : 1);
    return b;
}

static void *LoadedExecutable_Execute(void *args) {
    Loaded *l = F(PJRT_LoadedExecutable_Execute_Args, executable);
    void *options = F(PJRT_LoadedExecutable_Execute_Args, options);
    if (!options || AT(options, 0, size_t) != STRUCT_SIZE_PJRT_ExecuteOptions)
        return error(3, "%s", "mock: bad PJRT_ExecuteOptions.struct_size");
    if (FSZ(PJRT_LoadedExecutable_Execute_Args, num_devices) != 1)
        return error(3, "%s", "mock: expected one device");
    size_t nargs = FSZ(PJRT_LoadedExecutable_Execute_Args, num_args);
    size_t want = l->kind == EXP ? 1 : 2;
    if (nargs != want) return error(3, "%s", "mock: wrong number of arguments");
    Buffer *const *in = ((Buffer *const *const *)F(PJRT_LoadedExecutable_Execute_Args, argument_lists))[0];
    for (size_t i = 0; i < nargs; i++) {
        if (in[i]->type != 11) return error(3, "%s", "mock: arguments must be f32");
        if ((int64_t)(in[i]->bytes / 4) != l->numel)
            return error(3, "%s", "mock: argument has the wrong shape");
    }
    Buffer *out = new_buffer(11, in[0]->dims, in[0]->ndims);
    float *o = (float *)out->data, *a = (float *)in[0]->data, *b = nargs > 1 ? (float *)in[1]->data : NULL;
    for (int64_t i = 0; i < l->numel; i++) o[i] = l->kind == EXP ? expf(a[i]) : a[i] + b[i];
    ((Buffer **const *)F(PJRT_LoadedExecutable_Execute_Args, output_lists))[0][0] = out;
    void **events = F(PJRT_LoadedExecutable_Execute_Args, device_complete_events);
    if (events) events[0] = event();
    return NULL;
}

static void *Client_BufferFromHostBuffer(void *args) {
    int32_t type = FI(PJRT_Client_BufferFromHostBuffer_Args, type);
    if (!elem_size(type)) return error(3, "%s", "mock: unsupported type");
    if (FI(PJRT_Client_BufferFromHostBuffer_Args, host_buffer_semantics) != 0)
        return error(3, "%s", "mock: only kImmutableOnlyDuringCall");
    if (F(PJRT_Client_BufferFromHostBuffer_Args, device) != device_storage)
        return error(3, "%s", "mock: unknown device");
    size_t ndims = FSZ(PJRT_Client_BufferFromHostBuffer_Args, num_dims);
    if (ndims > 8) return error(3, "%s", "mock: rank > 8");
    Buffer *b = new_buffer(type, F(PJRT_Client_BufferFromHostBuffer_Args, dims), ndims);
    memcpy(b->data, F(PJRT_Client_BufferFromHostBuffer_Args, data), b->bytes);
    F(PJRT_Client_BufferFromHostBuffer_Args, buffer) = b;
    F(PJRT_Client_BufferFromHostBuffer_Args, done_with_host_buffer) = event();
    return NULL;
}
static void *Buffer_Destroy(void *args) {
    Buffer *b = F(PJRT_Buffer_Destroy_Args, buffer);
    free(b->data);
    unobj(b);
    return NULL;
}
static void *Buffer_ElementType(void *args) {
    FI(PJRT_Buffer_ElementType_Args, type) = ((Buffer *)F(PJRT_Buffer_ElementType_Args, buffer))->type;
    return NULL;
}
static void *Buffer_Dimensions(void *args) {
    Buffer *b = F(PJRT_Buffer_Dimensions_Args, buffer);
    F(PJRT_Buffer_Dimensions_Args, dims) = b->dims;
    FSZ(PJRT_Buffer_Dimensions_Args, num_dims) = b->ndims;
    return NULL;
}
static void *Buffer_OnDeviceSizeInBytes(void *args) {
    FSZ(PJRT_Buffer_OnDeviceSizeInBytes_Args, on_device_size_in_bytes) =
        ((Buffer *)F(PJRT_Buffer_OnDeviceSizeInBytes_Args, buffer))->bytes;
    return NULL;
}
static void *Buffer_Device(void *args) { F(PJRT_Buffer_Device_Args, device) = device_storage; return NULL; }
static void *Buffer_ToHostBuffer(void *args) {
    Buffer *b = F(PJRT_Buffer_ToHostBuffer_Args, src);
    void *dst = F(PJRT_Buffer_ToHostBuffer_Args, dst);
    if (!dst) { FSZ(PJRT_Buffer_ToHostBuffer_Args, dst_size) = b->bytes; return NULL; }
    if (FSZ(PJRT_Buffer_ToHostBuffer_Args, dst_size) < b->bytes) return error(3, "%s", "mock: dst too small");
    memcpy(dst, b->data, b->bytes);
    F(PJRT_Buffer_ToHostBuffer_Args, event) = event();
    return NULL;
}

static char api[S_PJRT_Api];
#define SLOT(name) AT(api, SLOT_PJRT_##name, void *) = (void *)name

const void *GetPjrtApi(void) {
    AT(api, F_PJRT_Api_struct_size, size_t) = STRUCT_SIZE_PJRT_Api;
    char *version = api + F_PJRT_Api_pjrt_api_version;
    AT(version, 0, size_t) = STRUCT_SIZE_PJRT_Api_Version;
    AT(version, F_PJRT_Api_Version_major_version, int32_t) = 0;
    AT(version, F_PJRT_Api_Version_minor_version, int32_t) = MOCK_MINOR_VERSION;
    SLOT(Error_Destroy); SLOT(Error_Message); SLOT(Error_GetCode);
    SLOT(Plugin_Initialize); SLOT(Plugin_Attributes);
    SLOT(Event_Destroy); SLOT(Event_Await);
    SLOT(Client_Create); SLOT(Client_Destroy); SLOT(Client_PlatformName); SLOT(Client_ProcessIndex);
    SLOT(Client_Devices); SLOT(Client_AddressableDevices); SLOT(Client_Compile);
    SLOT(Client_BufferFromHostBuffer);
    SLOT(Device_GetDescription); SLOT(Device_IsAddressable);
    SLOT(DeviceDescription_Id); SLOT(DeviceDescription_ProcessIndex); SLOT(DeviceDescription_Kind);
    SLOT(DeviceDescription_DebugString);
    SLOT(LoadedExecutable_Destroy); SLOT(LoadedExecutable_GetExecutable); SLOT(LoadedExecutable_Execute);
    SLOT(Executable_Destroy); SLOT(Executable_NumOutputs); SLOT(Executable_OutputElementTypes);
    /* PJRT_Executable_OutputDimensions deliberately left NULL: tests the "not implemented" path. */
    SLOT(Buffer_Destroy); SLOT(Buffer_ElementType); SLOT(Buffer_Dimensions); SLOT(Buffer_OnDeviceSizeInBytes);
    SLOT(Buffer_Device); SLOT(Buffer_ToHostBuffer);
    return api;
}
