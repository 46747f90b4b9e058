/* The PJRT C API surface of jnx's CPU plugin: one synchronous CPU device backed by
 * TensorFlow's XlaCallModule (tf_glue.c).
 *
 * Semantics worth knowing (callers of other PJRT plugins may expect otherwise):
 *  - Everything is synchronous. Execute returns after the results exist, so every event
 *    handed out is already ready; Event_OnReady calls its callback immediately, in the
 *    calling thread, with a NULL error.
 *  - Buffers own dense row-major TF tensors. BufferFromHostBuffer always copies (whatever
 *    the host_buffer_semantics; done_with_host_buffer is a ready event), and Execute never
 *    aliases inputs to outputs: donation is a no-op, so non_donatable_input_indices needs no
 *    handling and inputs stay valid.
 *  - Results of Execute take over the TF_Tensor that TF allocated (no copy).
 *  - Client, device and executable state is immutable after creation; Execute may run
 *    concurrently on one executable (TF sessions are thread-safe for Run). Buffer_Delete may
 *    race with an Execute using the buffer: storage is freed when the last use ends.
 *  - Bad input never aborts: NULL or wrong-kind handles, short struct_size, negative dims,
 *    size overflow, argument count/type/shape mismatches all return PJRT errors.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jnx_internal.h"
#include "pjrt_abi_asserts.h" /* generated from src/test/pjrt-abi.tsv: layout checks */

#define JNX_EXPORT __attribute__((visibility("default")))
#define JNX_PLUGIN_VERSION "0.1.0"
#define MAX_RANK 64

/* Tags that catch a handle of the wrong kind (or one already destroyed) before it is used. */
enum {
  MAGIC_CLIENT = 0x4a4e5843,   /* JNXC */
  MAGIC_BUFFER = 0x4a4e5842,   /* JNXB */
  MAGIC_EXE = 0x4a4e5845,      /* JNXE */
  MAGIC_LOADED = 0x4a4e584c,   /* JNXL */
  MAGIC_EVENT = 0x4a4e5876,    /* JNXv */
  MAGIC_DEAD = 0x64656164,     /* dead */
};

/* ---- live-object accounting ---------------------------------------------------------------- */

static atomic_int_fast64_t live[JNX_OBJ_KINDS];

void jnx_count(enum jnx_object_kind kind, int delta) {
  atomic_fetch_add_explicit(&live[kind], delta, memory_order_relaxed);
}

JNX_EXPORT int64_t jnx_pjrt_live_objects(void) {
  int64_t n = 0;
  for (int i = 0; i < JNX_OBJ_KINDS; i++) n += atomic_load_explicit(&live[i], memory_order_relaxed);
  return n;
}

JNX_EXPORT int64_t jnx_pjrt_live_objects_of_kind(int kind) {
  if (kind < 0 || kind >= JNX_OBJ_KINDS) return -1;
  return atomic_load_explicit(&live[kind], memory_order_relaxed);
}

/* ---- errors ------------------------------------------------------------------------------- */

struct PJRT_Error {
  PJRT_Error_Code code;
  size_t size;
  const char* message;
  char storage[];
};

/* Returned when even the error cannot be allocated; never freed. */
static PJRT_Error oom_error = {PJRT_Error_Code_RESOURCE_EXHAUSTED, 13, "out of memory"};

PJRT_Error* jnx_error(PJRT_Error_Code code, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  PJRT_Error* e = malloc(sizeof *e + (size_t)n + 1);
  if (!e) return &oom_error;
  va_start(ap, fmt);
  vsnprintf(e->storage, (size_t)n + 1, fmt, ap);
  va_end(ap);
  e->code = code;
  e->size = (size_t)n;
  e->message = e->storage;
  jnx_count(JNX_OBJ_ERROR, 1);
  return e;
}

#define INVALID(...) jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, __VA_ARGS__)

/* Every entry point first checks that its args exist and are at least as large as the
 * members it touches (a caller built against an older header passes a smaller struct). */
#define CHECK_ARGS(type, args, last_member)                                                    \
  do {                                                                                         \
    if (!(args)) return INVALID(#type ": args is NULL");                                       \
    if ((args)->struct_size < JNX_STRUCT_SIZE(type, last_member))                             \
      return INVALID(#type ": struct_size %zu is smaller than %zu", (args)->struct_size,       \
                     JNX_STRUCT_SIZE(type, last_member));                                      \
  } while (0)

/* Whether a member added in a later API minor is present in the caller's struct. */
#define HAS_MEMBER(type, args, member) ((args)->struct_size >= JNX_STRUCT_SIZE(type, member))

static void error_destroy(PJRT_Error_Destroy_Args* args) {
  if (!args || args->struct_size < JNX_STRUCT_SIZE(PJRT_Error_Destroy_Args, error)) return;
  PJRT_Error* e = args->error;
  if (!e || e == &oom_error) return;
  jnx_count(JNX_OBJ_ERROR, -1);
  free(e);
}

static void error_message(PJRT_Error_Message_Args* args) {
  if (!args || args->struct_size < JNX_STRUCT_SIZE(PJRT_Error_Message_Args, message_size)) return;
  if (!args->error) {
    args->message = "";
    args->message_size = 0;
    return;
  }
  args->message = args->error->message;
  args->message_size = args->error->size;
}

static PJRT_Error* error_get_code(PJRT_Error_GetCode_Args* args) {
  CHECK_ARGS(PJRT_Error_GetCode_Args, args, code);
  if (!args->error) return INVALID("PJRT_Error_GetCode: error is NULL");
  args->code = args->error->code;
  return NULL;
}

/* ---- plugin -------------------------------------------------------------------------------- */

static PJRT_Error* plugin_initialize(PJRT_Plugin_Initialize_Args* args) {
  CHECK_ARGS(PJRT_Plugin_Initialize_Args, args, extension_start);
  return jnx_tf_load();
}

#define NAMED_STRING(n, v)                                                                    \
  {.struct_size = JNX_STRUCT_SIZE(PJRT_NamedValue, value_size), .name = n, .name_size = sizeof n - 1, \
   .type = PJRT_NamedValue_kString, .string_value = v, .value_size = sizeof v - 1}

static const PJRT_NamedValue plugin_attributes[] = {
    NAMED_STRING("jnx_plugin_version", JNX_PLUGIN_VERSION),
    NAMED_STRING("jnx_backend", "tensorflow-xla-call-module"),
    NAMED_STRING("jnx_program_format", "mlir"),
};

static PJRT_Error* plugin_attributes_fn(PJRT_Plugin_Attributes_Args* args) {
  CHECK_ARGS(PJRT_Plugin_Attributes_Args, args, num_attributes);
  args->attributes = plugin_attributes;
  args->num_attributes = sizeof plugin_attributes / sizeof plugin_attributes[0];
  return NULL;
}

/* ---- events: always ready ------------------------------------------------------------------ */

struct PJRT_Event {
  uint32_t magic;
};

static PJRT_Event* new_event(void) {
  PJRT_Event* e = malloc(sizeof *e);
  if (!e) return NULL;
  e->magic = MAGIC_EVENT;
  jnx_count(JNX_OBJ_EVENT, 1);
  return e;
}

static PJRT_Error* check_event(const PJRT_Event* e, const char* fn) {
  if (!e || e->magic != MAGIC_EVENT) return INVALID("%s: not a live PJRT_Event", fn);
  return NULL;
}

static PJRT_Error* event_destroy(PJRT_Event_Destroy_Args* args) {
  CHECK_ARGS(PJRT_Event_Destroy_Args, args, event);
  PJRT_Error* err = check_event(args->event, "PJRT_Event_Destroy");
  if (err) return err;
  args->event->magic = MAGIC_DEAD;
  free(args->event);
  jnx_count(JNX_OBJ_EVENT, -1);
  return NULL;
}

static PJRT_Error* event_is_ready(PJRT_Event_IsReady_Args* args) {
  CHECK_ARGS(PJRT_Event_IsReady_Args, args, is_ready);
  PJRT_Error* err = check_event(args->event, "PJRT_Event_IsReady");
  if (err) return err;
  args->is_ready = true;
  return NULL;
}

/* The event's own status: always OK, because failures are returned synchronously. */
static PJRT_Error* event_error(PJRT_Event_Error_Args* args) {
  CHECK_ARGS(PJRT_Event_Error_Args, args, event);
  return check_event(args->event, "PJRT_Event_Error");
}

static PJRT_Error* event_await(PJRT_Event_Await_Args* args) {
  CHECK_ARGS(PJRT_Event_Await_Args, args, event);
  return check_event(args->event, "PJRT_Event_Await");
}

static PJRT_Error* event_on_ready(PJRT_Event_OnReady_Args* args) {
  CHECK_ARGS(PJRT_Event_OnReady_Args, args, user_arg);
  PJRT_Error* err = check_event(args->event, "PJRT_Event_OnReady");
  if (err) return err;
  if (!args->callback) return INVALID("PJRT_Event_OnReady: callback is NULL");
  args->callback(NULL, args->user_arg); /* ready now: run in the caller's thread */
  return NULL;
}

/* ---- the single CPU device and its memory ---------------------------------------------------- */

struct PJRT_DeviceDescription {
  int id;
};
struct PJRT_Device {
  PJRT_DeviceDescription description;
};
struct PJRT_Memory {
  int id;
};

/* Process-wide and immutable: every client shares them, so they never dangle. */
static PJRT_Device cpu_device = {{0}};
static PJRT_Memory cpu_memory = {0};
static PJRT_Device* const device_list[1] = {&cpu_device};
static PJRT_Memory* const memory_list[1] = {&cpu_memory};

static const char DEVICE_KIND[] = "cpu";
static const char DEVICE_DEBUG_STRING[] = "JNX_CPU_0";
static const char DEVICE_TO_STRING[] = "CpuDevice(id=0)";
static const char MEMORY_KIND[] = "device"; /* what XLA's CPU client calls its memory */
static const char MEMORY_DEBUG_STRING[] = "JNX_CPU_0_device";
static const char MEMORY_TO_STRING[] = "CpuDeviceMemory(id=0, kind=device)";

static PJRT_Error* check_device(const PJRT_Device* d, const char* fn) {
  if (d != &cpu_device) return INVALID("%s: not a device of this plugin", fn);
  return NULL;
}

static PJRT_Error* check_description(const PJRT_DeviceDescription* d, const char* fn) {
  if (d != &cpu_device.description) return INVALID("%s: not a device description of this plugin", fn);
  return NULL;
}

static PJRT_Error* check_memory(const PJRT_Memory* m, const char* fn) {
  if (m != &cpu_memory) return INVALID("%s: not a memory of this plugin", fn);
  return NULL;
}

#define RETURN_IF(expr)            \
  do {                             \
    PJRT_Error* err_ = (expr);     \
    if (err_) return err_;         \
  } while (0)

static PJRT_Error* device_description_id(PJRT_DeviceDescription_Id_Args* args) {
  CHECK_ARGS(PJRT_DeviceDescription_Id_Args, args, id);
  RETURN_IF(check_description(args->device_description, "PJRT_DeviceDescription_Id"));
  args->id = args->device_description->id;
  return NULL;
}

static PJRT_Error* device_description_process_index(PJRT_DeviceDescription_ProcessIndex_Args* args) {
  CHECK_ARGS(PJRT_DeviceDescription_ProcessIndex_Args, args, process_index);
  RETURN_IF(check_description(args->device_description, "PJRT_DeviceDescription_ProcessIndex"));
  args->process_index = 0;
  return NULL;
}

static PJRT_Error* device_description_attributes(PJRT_DeviceDescription_Attributes_Args* args) {
  CHECK_ARGS(PJRT_DeviceDescription_Attributes_Args, args, attributes);
  RETURN_IF(check_description(args->device_description, "PJRT_DeviceDescription_Attributes"));
  args->num_attributes = 0;
  args->attributes = NULL;
  return NULL;
}

static PJRT_Error* device_description_kind(PJRT_DeviceDescription_Kind_Args* args) {
  CHECK_ARGS(PJRT_DeviceDescription_Kind_Args, args, device_kind_size);
  RETURN_IF(check_description(args->device_description, "PJRT_DeviceDescription_Kind"));
  args->device_kind = DEVICE_KIND;
  args->device_kind_size = sizeof DEVICE_KIND - 1;
  return NULL;
}

static PJRT_Error* device_description_debug_string(PJRT_DeviceDescription_DebugString_Args* args) {
  CHECK_ARGS(PJRT_DeviceDescription_DebugString_Args, args, debug_string_size);
  RETURN_IF(check_description(args->device_description, "PJRT_DeviceDescription_DebugString"));
  args->debug_string = DEVICE_DEBUG_STRING;
  args->debug_string_size = sizeof DEVICE_DEBUG_STRING - 1;
  return NULL;
}

static PJRT_Error* device_description_to_string(PJRT_DeviceDescription_ToString_Args* args) {
  CHECK_ARGS(PJRT_DeviceDescription_ToString_Args, args, to_string_size);
  RETURN_IF(check_description(args->device_description, "PJRT_DeviceDescription_ToString"));
  args->to_string = DEVICE_TO_STRING;
  args->to_string_size = sizeof DEVICE_TO_STRING - 1;
  return NULL;
}

static PJRT_Error* device_get_description(PJRT_Device_GetDescription_Args* args) {
  CHECK_ARGS(PJRT_Device_GetDescription_Args, args, device_description);
  RETURN_IF(check_device(args->device, "PJRT_Device_GetDescription"));
  args->device_description = &args->device->description;
  return NULL;
}

static PJRT_Error* device_is_addressable(PJRT_Device_IsAddressable_Args* args) {
  CHECK_ARGS(PJRT_Device_IsAddressable_Args, args, is_addressable);
  RETURN_IF(check_device(args->device, "PJRT_Device_IsAddressable"));
  args->is_addressable = true;
  return NULL;
}

static PJRT_Error* device_local_hardware_id(PJRT_Device_LocalHardwareId_Args* args) {
  CHECK_ARGS(PJRT_Device_LocalHardwareId_Args, args, local_hardware_id);
  RETURN_IF(check_device(args->device, "PJRT_Device_LocalHardwareId"));
  args->local_hardware_id = 0;
  return NULL;
}

static PJRT_Error* device_addressable_memories(PJRT_Device_AddressableMemories_Args* args) {
  CHECK_ARGS(PJRT_Device_AddressableMemories_Args, args, num_memories);
  RETURN_IF(check_device(args->device, "PJRT_Device_AddressableMemories"));
  args->memories = memory_list;
  args->num_memories = 1;
  return NULL;
}

static PJRT_Error* device_default_memory(PJRT_Device_DefaultMemory_Args* args) {
  CHECK_ARGS(PJRT_Device_DefaultMemory_Args, args, memory);
  RETURN_IF(check_device(args->device, "PJRT_Device_DefaultMemory"));
  args->memory = &cpu_memory;
  return NULL;
}

static PJRT_Error* memory_id(PJRT_Memory_Id_Args* args) {
  CHECK_ARGS(PJRT_Memory_Id_Args, args, id);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_Id"));
  args->id = args->memory->id;
  return NULL;
}

static PJRT_Error* memory_kind(PJRT_Memory_Kind_Args* args) {
  CHECK_ARGS(PJRT_Memory_Kind_Args, args, kind_size);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_Kind"));
  args->kind = MEMORY_KIND;
  args->kind_size = sizeof MEMORY_KIND - 1;
  return NULL;
}

static PJRT_Error* memory_kind_id(PJRT_Memory_Kind_Id_Args* args) {
  CHECK_ARGS(PJRT_Memory_Kind_Id_Args, args, kind_id);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_Kind_Id"));
  args->kind_id = 0;
  return NULL;
}

static PJRT_Error* memory_debug_string(PJRT_Memory_DebugString_Args* args) {
  CHECK_ARGS(PJRT_Memory_DebugString_Args, args, debug_string_size);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_DebugString"));
  args->debug_string = MEMORY_DEBUG_STRING;
  args->debug_string_size = sizeof MEMORY_DEBUG_STRING - 1;
  return NULL;
}

static PJRT_Error* memory_to_string(PJRT_Memory_ToString_Args* args) {
  CHECK_ARGS(PJRT_Memory_ToString_Args, args, to_string_size);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_ToString"));
  args->to_string = MEMORY_TO_STRING;
  args->to_string_size = sizeof MEMORY_TO_STRING - 1;
  return NULL;
}

static PJRT_Error* memory_addressable_by_devices(PJRT_Memory_AddressableByDevices_Args* args) {
  CHECK_ARGS(PJRT_Memory_AddressableByDevices_Args, args, num_devices);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_AddressableByDevices"));
  args->devices = device_list;
  args->num_devices = 1;
  return NULL;
}

/* ---- element types ------------------------------------------------------------------------- */

/* TF_DataType values: float 1, double 2, int32 3, uint8 4, int16 5, int8 6, complex64 8,
 * int64 9, bool 10, bfloat16 14, uint16 17, complex128 18, half 19, uint32 22, uint64 23. */
static const jnx_type_info TYPES[] = {
    {PJRT_Buffer_Type_PRED, 10, 1, "pred"}, {PJRT_Buffer_Type_S8, 6, 1, "s8"},
    {PJRT_Buffer_Type_S16, 5, 2, "s16"},    {PJRT_Buffer_Type_S32, 3, 4, "s32"},
    {PJRT_Buffer_Type_S64, 9, 8, "s64"},    {PJRT_Buffer_Type_U8, 4, 1, "u8"},
    {PJRT_Buffer_Type_U16, 17, 2, "u16"},   {PJRT_Buffer_Type_U32, 22, 4, "u32"},
    {PJRT_Buffer_Type_U64, 23, 8, "u64"},   {PJRT_Buffer_Type_F16, 19, 2, "f16"},
    {PJRT_Buffer_Type_F32, 1, 4, "f32"},    {PJRT_Buffer_Type_F64, 2, 8, "f64"},
    {PJRT_Buffer_Type_BF16, 14, 2, "bf16"}, {PJRT_Buffer_Type_C64, 8, 8, "c64"},
    {PJRT_Buffer_Type_C128, 18, 16, "c128"},
};

const jnx_type_info* jnx_type_info_of(PJRT_Buffer_Type type) {
  /* TYPES is indexed by PJRT_Buffer_Type - 1 (PRED..C128 are 1..15). */
  if (type < PJRT_Buffer_Type_PRED || type > PJRT_Buffer_Type_C128) return NULL;
  return &TYPES[type - 1];
}

/* ---- buffers ------------------------------------------------------------------------------ */

/* state: number of in-flight uses (Execute inputs, copies) plus DELETED once Buffer_Delete
 * ran. Storage is freed exactly once, by whoever sees "deleted and unused" first. */
#define BUF_DELETED ((int_fast64_t)1 << 62)

struct PJRT_Buffer {
  uint32_t magic;
  const jnx_type_info* type;
  _Atomic(TF_Tensor*) tensor;
  void* data; /* TF_TensorData(tensor), cached; NULL for empty tensors is fine */
  size_t bytes;
  atomic_int_fast64_t state;
  size_t rank;
  int64_t dims[]; /* rank entries */
};

static void buffer_free_storage(PJRT_Buffer* b) {
  TF_Tensor* t = atomic_exchange_explicit(&b->tensor, NULL, memory_order_acq_rel);
  if (t) jnx_tf_tensor_delete(t);
}

static bool buffer_acquire(PJRT_Buffer* b) {
  int_fast64_t s = atomic_fetch_add_explicit(&b->state, 1, memory_order_acquire);
  if (s & BUF_DELETED) {
    if (atomic_fetch_sub_explicit(&b->state, 1, memory_order_acq_rel) - 1 == BUF_DELETED) {
      buffer_free_storage(b);
    }
    return false;
  }
  return true;
}

static void buffer_release(PJRT_Buffer* b) {
  if (atomic_fetch_sub_explicit(&b->state, 1, memory_order_acq_rel) - 1 == BUF_DELETED) {
    buffer_free_storage(b);
  }
}

static PJRT_Buffer* buffer_new(const jnx_type_info* type, const int64_t* dims, size_t rank,
                               TF_Tensor* tensor, size_t bytes) {
  PJRT_Buffer* b = malloc(sizeof *b + rank * sizeof(int64_t));
  if (!b) return NULL;
  b->magic = MAGIC_BUFFER;
  b->type = type;
  atomic_init(&b->tensor, tensor);
  b->data = jnx_tf_tensor_data(tensor);
  b->bytes = bytes;
  atomic_init(&b->state, 0);
  b->rank = rank;
  if (rank) memcpy(b->dims, dims, rank * sizeof(int64_t));
  jnx_count(JNX_OBJ_BUFFER, 1);
  return b;
}

static PJRT_Error* check_buffer(const PJRT_Buffer* b, const char* fn) {
  if (!b || b->magic != MAGIC_BUFFER) return INVALID("%s: not a live PJRT_Buffer", fn);
  return NULL;
}

/* Element count and byte size of a shape, rejecting negative dims and overflow. */
static PJRT_Error* shape_bytes(const jnx_type_info* type, const int64_t* dims, size_t rank,
                               size_t* bytes, const char* fn) {
  if (rank > MAX_RANK) return INVALID("%s: rank %zu exceeds %d", fn, rank, MAX_RANK);
  if (rank && !dims) return INVALID("%s: dims is NULL for rank %zu", fn, rank);
  size_t n = type->size;
  for (size_t i = 0; i < rank; i++) {
    if (dims[i] < 0) return INVALID("%s: dimension %zu is negative (%lld)", fn, i, (long long)dims[i]);
    if (__builtin_mul_overflow(n, (size_t)dims[i], &n) || n > (size_t)INT64_MAX) {
      return INVALID("%s: shape is too large", fn);
    }
  }
  *bytes = n;
  return NULL;
}

static PJRT_Error* check_client(const PJRT_Client* c, const char* fn);

/* Copies an arbitrarily strided host array into dense row-major dst. */
static void gather_strided(char* dst, const char* src, const int64_t* dims, const int64_t* strides,
                           size_t rank, size_t elem) {
  if (rank == 0) {
    memcpy(dst, src, elem);
    return;
  }
  size_t inner = elem;
  for (size_t i = 1; i < rank; i++) inner *= (size_t)dims[i];
  for (int64_t i = 0; i < dims[0]; i++) {
    gather_strided(dst + (size_t)i * inner, src + i * strides[0], dims + 1, strides + 1, rank - 1, elem);
  }
}

static PJRT_Error* client_buffer_from_host_buffer(PJRT_Client_BufferFromHostBuffer_Args* args) {
  static const char FN[] = "PJRT_Client_BufferFromHostBuffer";
  CHECK_ARGS(PJRT_Client_BufferFromHostBuffer_Args, args, buffer);
  RETURN_IF(check_client(args->client, FN));
  const jnx_type_info* type = jnx_type_info_of(args->type);
  if (!type) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: element type %d is not supported", FN,
                     (int)args->type);
  }
  size_t bytes = 0;
  RETURN_IF(shape_bytes(type, args->dims, args->num_dims, &bytes, FN));
  if (args->device && args->device != &cpu_device) return INVALID("%s: unknown device", FN);
  if (args->memory && args->memory != &cpu_memory) return INVALID("%s: unknown memory", FN);
  if (args->device_layout) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: device_layout is not supported (dense row-major only)", FN);
  }
  if (bytes && !args->data) return INVALID("%s: data is NULL", FN);
  bool dense = true;
  if (args->num_byte_strides) {
    if (args->num_byte_strides != args->num_dims || !args->byte_strides) {
      return INVALID("%s: %zu byte_strides for %zu dims", FN, args->num_byte_strides, args->num_dims);
    }
    int64_t expect = (int64_t)type->size;
    for (size_t i = args->num_dims; i-- > 0;) {
      if (args->dims[i] > 1 && args->byte_strides[i] != expect) dense = false;
      expect *= args->dims[i];
    }
  }
  TF_Tensor* t;
  RETURN_IF(jnx_tf_tensor_new(type, args->dims, args->num_dims, bytes, &t));
  char* dst = jnx_tf_tensor_data(t);
  if (bytes) {
    if (dense) {
      memcpy(dst, args->data, bytes);
    } else {
      gather_strided(dst, args->data, args->dims, args->byte_strides, args->num_dims, type->size);
    }
    /* XLA assumes pred bytes are 0 or 1; other values would leak through. */
    if (type->pjrt == PJRT_Buffer_Type_PRED) {
      for (size_t i = 0; i < bytes; i++) dst[i] = dst[i] != 0;
    }
  }
  PJRT_Event* done = new_event();
  PJRT_Buffer* b = done ? buffer_new(type, args->dims, args->num_dims, t, bytes) : NULL;
  if (!b) {
    if (done) {
      free(done);
      jnx_count(JNX_OBJ_EVENT, -1);
    }
    jnx_tf_tensor_delete(t);
    return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
  }
  args->done_with_host_buffer = done; /* copied already: the host buffer is free now */
  args->buffer = b;
  return NULL;
}

static PJRT_Error* buffer_destroy(PJRT_Buffer_Destroy_Args* args) {
  CHECK_ARGS(PJRT_Buffer_Destroy_Args, args, buffer);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_Destroy"));
  PJRT_Buffer* b = args->buffer;
  b->magic = MAGIC_DEAD;
  buffer_free_storage(b);
  free(b);
  jnx_count(JNX_OBJ_BUFFER, -1);
  return NULL;
}

static PJRT_Error* buffer_element_type(PJRT_Buffer_ElementType_Args* args) {
  CHECK_ARGS(PJRT_Buffer_ElementType_Args, args, type);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_ElementType"));
  args->type = args->buffer->type->pjrt;
  return NULL;
}

static PJRT_Error* buffer_dimensions(PJRT_Buffer_Dimensions_Args* args) {
  CHECK_ARGS(PJRT_Buffer_Dimensions_Args, args, num_dims);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_Dimensions"));
  args->dims = args->buffer->dims;
  args->num_dims = args->buffer->rank;
  return NULL;
}

static PJRT_Error* buffer_unpadded_dimensions(PJRT_Buffer_UnpaddedDimensions_Args* args) {
  CHECK_ARGS(PJRT_Buffer_UnpaddedDimensions_Args, args, num_dims);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_UnpaddedDimensions"));
  args->unpadded_dims = args->buffer->dims;
  args->num_dims = args->buffer->rank;
  return NULL;
}

static PJRT_Error* buffer_dynamic_dimension_indices(PJRT_Buffer_DynamicDimensionIndices_Args* args) {
  CHECK_ARGS(PJRT_Buffer_DynamicDimensionIndices_Args, args, num_dynamic_dims);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_DynamicDimensionIndices"));
  args->dynamic_dim_indices = NULL;
  args->num_dynamic_dims = 0;
  return NULL;
}

/* minor_to_major of every dense row-major buffer is {rank-1, ..., 0}: a suffix of this table,
 * so the pointer handed out is static and outlives any buffer. */
static const int64_t DESCENDING[MAX_RANK] = {
    63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42,
    41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20,
    19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9,  8,  7,  6,  5,  4,  3,  2,  1,  0};

/* Buffers are dense row-major, untiled: XLA's default layout, which is also what
 * BufferFromHostBuffer and ToHostBuffer copy without reordering. */
static PJRT_Error* buffer_get_memory_layout(PJRT_Buffer_GetMemoryLayout_Args* args) {
  static const char FN[] = "PJRT_Buffer_GetMemoryLayout";
  CHECK_ARGS(PJRT_Buffer_GetMemoryLayout_Args, args, layout);
  RETURN_IF(check_buffer(args->buffer, FN));
  PJRT_Buffer_MemoryLayout* l = &args->layout;
  memset(l, 0, sizeof *l);
  l->struct_size = JNX_STRUCT_SIZE(PJRT_Buffer_MemoryLayout, type);
  l->type = PJRT_Buffer_MemoryLayout_Type_Tiled;
  l->tiled.struct_size = JNX_STRUCT_SIZE(PJRT_Buffer_MemoryLayout_Tiled, num_tiles);
  l->tiled.minor_to_major = DESCENDING + (MAX_RANK - args->buffer->rank);
  l->tiled.minor_to_major_size = args->buffer->rank;
  l->tiled.num_tiles = 0;
  return NULL;
}

static PJRT_Error* buffer_on_device_size(PJRT_Buffer_OnDeviceSizeInBytes_Args* args) {
  CHECK_ARGS(PJRT_Buffer_OnDeviceSizeInBytes_Args, args, on_device_size_in_bytes);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_OnDeviceSizeInBytes"));
  args->on_device_size_in_bytes = args->buffer->bytes;
  return NULL;
}

static PJRT_Error* buffer_device(PJRT_Buffer_Device_Args* args) {
  CHECK_ARGS(PJRT_Buffer_Device_Args, args, device);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_Device"));
  args->device = &cpu_device;
  return NULL;
}

static PJRT_Error* buffer_memory(PJRT_Buffer_Memory_Args* args) {
  CHECK_ARGS(PJRT_Buffer_Memory_Args, args, memory);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_Memory"));
  args->memory = &cpu_memory;
  return NULL;
}

static PJRT_Error* buffer_delete(PJRT_Buffer_Delete_Args* args) {
  CHECK_ARGS(PJRT_Buffer_Delete_Args, args, buffer);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_Delete"));
  PJRT_Buffer* b = args->buffer;
  int_fast64_t s = atomic_fetch_or_explicit(&b->state, BUF_DELETED, memory_order_acq_rel);
  if (s == 0) buffer_free_storage(b); /* unused: free now; else the last user frees */
  return NULL;
}

static PJRT_Error* buffer_is_deleted(PJRT_Buffer_IsDeleted_Args* args) {
  CHECK_ARGS(PJRT_Buffer_IsDeleted_Args, args, is_deleted);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_IsDeleted"));
  args->is_deleted = (atomic_load_explicit(&args->buffer->state, memory_order_acquire) & BUF_DELETED) != 0;
  return NULL;
}

static PJRT_Error* buffer_is_on_cpu(PJRT_Buffer_IsOnCpu_Args* args) {
  CHECK_ARGS(PJRT_Buffer_IsOnCpu_Args, args, is_on_cpu);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_IsOnCpu"));
  args->is_on_cpu = true;
  return NULL;
}

static PJRT_Error* buffer_ready_event(PJRT_Buffer_ReadyEvent_Args* args) {
  CHECK_ARGS(PJRT_Buffer_ReadyEvent_Args, args, event);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_ReadyEvent"));
  args->event = new_event();
  return args->event ? NULL : jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
}

static PJRT_Error* deleted_error(const char* fn) {
  return jnx_error(PJRT_Error_Code_FAILED_PRECONDITION, "%s: the buffer has been deleted", fn);
}

static PJRT_Error* buffer_unsafe_pointer(PJRT_Buffer_UnsafePointer_Args* args) {
  CHECK_ARGS(PJRT_Buffer_UnsafePointer_Args, args, buffer_pointer);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_UnsafePointer"));
  if (atomic_load_explicit(&args->buffer->state, memory_order_acquire) & BUF_DELETED) {
    return deleted_error("PJRT_Buffer_UnsafePointer");
  }
  args->buffer_pointer = (uintptr_t)args->buffer->data;
  return NULL;
}

static PJRT_Error* buffer_opaque_pointer(PJRT_Buffer_OpaqueDeviceMemoryDataPointer_Args* args) {
  CHECK_ARGS(PJRT_Buffer_OpaqueDeviceMemoryDataPointer_Args, args, device_memory_ptr);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_OpaqueDeviceMemoryDataPointer"));
  if (atomic_load_explicit(&args->buffer->state, memory_order_acquire) & BUF_DELETED) {
    return deleted_error("PJRT_Buffer_OpaqueDeviceMemoryDataPointer");
  }
  args->device_memory_ptr = args->buffer->data;
  return NULL;
}

static PJRT_Error* buffer_to_host_buffer(PJRT_Buffer_ToHostBuffer_Args* args) {
  static const char FN[] = "PJRT_Buffer_ToHostBuffer";
  CHECK_ARGS(PJRT_Buffer_ToHostBuffer_Args, args, event);
  RETURN_IF(check_buffer(args->src, FN));
  PJRT_Buffer* b = args->src;
  if (args->host_layout) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: host_layout is not supported (dense row-major only)", FN);
  }
  args->event = NULL;
  if (!args->dst) {
    args->dst_size = b->bytes;
    return NULL;
  }
  if (args->dst_size < b->bytes) {
    return INVALID("%s: dst_size %zu is smaller than the buffer's %zu bytes", FN, args->dst_size, b->bytes);
  }
  if (!buffer_acquire(b)) return deleted_error(FN);
  if (b->bytes) memcpy(args->dst, b->data, b->bytes);
  buffer_release(b);
  args->event = new_event();
  return args->event ? NULL : jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
}

static PJRT_Error* buffer_copy_to_device(PJRT_Buffer_CopyToDevice_Args* args) {
  static const char FN[] = "PJRT_Buffer_CopyToDevice";
  CHECK_ARGS(PJRT_Buffer_CopyToDevice_Args, args, dst_buffer);
  RETURN_IF(check_buffer(args->buffer, FN));
  RETURN_IF(check_device(args->dst_device, FN));
  PJRT_Buffer* b = args->buffer;
  if (!buffer_acquire(b)) return deleted_error(FN);
  TF_Tensor* t;
  PJRT_Error* err = jnx_tf_tensor_new(b->type, b->dims, b->rank, b->bytes, &t);
  if (!err) {
    if (b->bytes) memcpy(jnx_tf_tensor_data(t), b->data, b->bytes);
    args->dst_buffer = buffer_new(b->type, b->dims, b->rank, t, b->bytes);
    if (!args->dst_buffer) {
      jnx_tf_tensor_delete(t);
      err = jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
    }
  }
  buffer_release(b);
  return err;
}

/* ---- client ------------------------------------------------------------------------------- */

struct PJRT_Client {
  uint32_t magic;
  char platform_version[128];
};

static PJRT_Error* check_client(const PJRT_Client* c, const char* fn) {
  if (!c || c->magic != MAGIC_CLIENT) return INVALID("%s: not a live PJRT_Client", fn);
  return NULL;
}

static PJRT_Error* client_create(PJRT_Client_Create_Args* args) {
  /* kv_try_get_* came later; callers built against older headers stop at client. */
  CHECK_ARGS(PJRT_Client_Create_Args, args, client);
  /* create_options are accepted and ignored: this plugin has nothing to configure per
   * client, and unknown options must not make clients of other plugins fail here. */
  RETURN_IF(jnx_tf_load());
  PJRT_Client* c = calloc(1, sizeof *c);
  if (!c) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
  c->magic = MAGIC_CLIENT;
  snprintf(c->platform_version, sizeof c->platform_version,
           "jnx %s; TensorFlow %s XLA:CPU via XlaCallModule", JNX_PLUGIN_VERSION, jnx_tf_version());
  jnx_count(JNX_OBJ_CLIENT, 1);
  args->client = c;
  return NULL;
}

static PJRT_Error* client_destroy(PJRT_Client_Destroy_Args* args) {
  CHECK_ARGS(PJRT_Client_Destroy_Args, args, client);
  RETURN_IF(check_client(args->client, "PJRT_Client_Destroy"));
  args->client->magic = MAGIC_DEAD;
  free(args->client);
  jnx_count(JNX_OBJ_CLIENT, -1);
  return NULL;
}

static PJRT_Error* client_platform_name(PJRT_Client_PlatformName_Args* args) {
  CHECK_ARGS(PJRT_Client_PlatformName_Args, args, platform_name_size);
  RETURN_IF(check_client(args->client, "PJRT_Client_PlatformName"));
  args->platform_name = "cpu";
  args->platform_name_size = 3;
  return NULL;
}

static PJRT_Error* client_process_index(PJRT_Client_ProcessIndex_Args* args) {
  CHECK_ARGS(PJRT_Client_ProcessIndex_Args, args, process_index);
  RETURN_IF(check_client(args->client, "PJRT_Client_ProcessIndex"));
  args->process_index = 0;
  return NULL;
}

static PJRT_Error* client_platform_version(PJRT_Client_PlatformVersion_Args* args) {
  CHECK_ARGS(PJRT_Client_PlatformVersion_Args, args, platform_version_size);
  RETURN_IF(check_client(args->client, "PJRT_Client_PlatformVersion"));
  args->platform_version = args->client->platform_version;
  args->platform_version_size = strlen(args->client->platform_version);
  return NULL;
}

static PJRT_Error* client_devices(PJRT_Client_Devices_Args* args) {
  CHECK_ARGS(PJRT_Client_Devices_Args, args, num_devices);
  RETURN_IF(check_client(args->client, "PJRT_Client_Devices"));
  args->devices = device_list;
  args->num_devices = 1;
  return NULL;
}

static PJRT_Error* client_addressable_devices(PJRT_Client_AddressableDevices_Args* args) {
  CHECK_ARGS(PJRT_Client_AddressableDevices_Args, args, num_addressable_devices);
  RETURN_IF(check_client(args->client, "PJRT_Client_AddressableDevices"));
  args->addressable_devices = device_list;
  args->num_addressable_devices = 1;
  return NULL;
}

static PJRT_Error* client_lookup_device(PJRT_Client_LookupDevice_Args* args) {
  CHECK_ARGS(PJRT_Client_LookupDevice_Args, args, device);
  RETURN_IF(check_client(args->client, "PJRT_Client_LookupDevice"));
  if (args->id != 0) return INVALID("PJRT_Client_LookupDevice: no device with id %d", args->id);
  args->device = &cpu_device;
  return NULL;
}

static PJRT_Error* client_lookup_addressable_device(PJRT_Client_LookupAddressableDevice_Args* args) {
  CHECK_ARGS(PJRT_Client_LookupAddressableDevice_Args, args, addressable_device);
  RETURN_IF(check_client(args->client, "PJRT_Client_LookupAddressableDevice"));
  if (args->local_hardware_id != 0) {
    return INVALID("PJRT_Client_LookupAddressableDevice: no device with local hardware id %d",
                   args->local_hardware_id);
  }
  args->addressable_device = &cpu_device;
  return NULL;
}

static PJRT_Error* client_addressable_memories(PJRT_Client_AddressableMemories_Args* args) {
  CHECK_ARGS(PJRT_Client_AddressableMemories_Args, args, num_addressable_memories);
  RETURN_IF(check_client(args->client, "PJRT_Client_AddressableMemories"));
  args->addressable_memories = memory_list;
  args->num_addressable_memories = 1;
  return NULL;
}

static PJRT_Error* client_default_device_assignment(PJRT_Client_DefaultDeviceAssignment_Args* args) {
  static const char FN[] = "PJRT_Client_DefaultDeviceAssignment";
  CHECK_ARGS(PJRT_Client_DefaultDeviceAssignment_Args, args, default_assignment);
  RETURN_IF(check_client(args->client, FN));
  if (args->num_replicas != 1 || args->num_partitions != 1) {
    return INVALID("%s: %d replicas x %d partitions requested, but there is 1 device", FN,
                   args->num_replicas, args->num_partitions);
  }
  if (args->default_assignment_size < 1 || !args->default_assignment) {
    return INVALID("%s: default_assignment must have room for 1 entry", FN);
  }
  args->default_assignment[0] = 0;
  return NULL;
}

/* ---- executables ---------------------------------------------------------------------------- */

/* The compiled state, shared by a loaded executable and any PJRT_Executable views of it. */
typedef struct jnx_program {
  atomic_int refs;
  jnx_signature sig;
  jnx_tf_program* tf;
  char* code;
  size_t code_size;
  char fingerprint[17];
  PJRT_Buffer_Type* out_types;
  int64_t* out_dims;
  size_t* out_ranks;
  const char** out_kinds;
  size_t* out_kind_sizes;
} jnx_program;

struct PJRT_Executable {
  uint32_t magic;
  jnx_program* prog;
};

struct PJRT_LoadedExecutable {
  uint32_t magic;
  atomic_bool deleted;
  jnx_program* prog;
};

static void program_unref(jnx_program* p) {
  if (!p || atomic_fetch_sub_explicit(&p->refs, 1, memory_order_acq_rel) != 1) return;
  jnx_tf_program_destroy(p->tf);
  jnx_signature_free(&p->sig);
  free(p->code);
  free(p->out_types);
  free(p->out_dims);
  free(p->out_ranks);
  free(p->out_kinds);
  free(p->out_kind_sizes);
  free(p);
  jnx_count(JNX_OBJ_PROGRAM, -1);
}

static uint64_t fnv1a(const char* s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

/* Compiles StableHLO text: reads @main's signature, builds the TF graph and session. XLA
 * itself compiles on the first Execute (see tf_glue.c). */
static PJRT_Error* compile_text(const char* code, size_t size, PJRT_LoadedExecutable** out) {
  if (size >= 4 && memcmp(code, "ML\xEFR", 4) == 0) {
    return INVALID("StableHLO bytecode is not supported, pass the module as MLIR text");
  }
  jnx_program* p = calloc(1, sizeof *p);
  if (!p) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
  jnx_count(JNX_OBJ_PROGRAM, 1);
  atomic_init(&p->refs, 1);
  PJRT_Error* err = jnx_parse_signature(code, size, &p->sig);
  if (err) goto fail;
  p->code = malloc(size + 1);
  size_t n_out = p->sig.num_results, total_dims = 0;
  for (size_t i = 0; i < n_out; i++) total_dims += p->sig.results[i].rank;
  p->out_types = calloc(n_out + 1, sizeof *p->out_types);
  p->out_dims = calloc(total_dims + 1, sizeof *p->out_dims);
  p->out_ranks = calloc(n_out + 1, sizeof *p->out_ranks);
  p->out_kinds = calloc(n_out + 1, sizeof *p->out_kinds);
  p->out_kind_sizes = calloc(n_out + 1, sizeof *p->out_kind_sizes);
  if (!p->code || !p->out_types || !p->out_dims || !p->out_ranks || !p->out_kinds || !p->out_kind_sizes) {
    err = jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
    goto fail;
  }
  memcpy(p->code, code, size);
  p->code[size] = '\0';
  p->code_size = size;
  snprintf(p->fingerprint, sizeof p->fingerprint, "%016llx", (unsigned long long)fnv1a(code, size));
  for (size_t i = 0, k = 0; i < n_out; i++) {
    const jnx_tensor_type* r = &p->sig.results[i];
    p->out_types[i] = r->type;
    p->out_ranks[i] = r->rank;
    for (size_t j = 0; j < r->rank; j++) p->out_dims[k++] = r->dims[j];
    p->out_kinds[i] = MEMORY_KIND;
    p->out_kind_sizes[i] = sizeof MEMORY_KIND - 1;
  }
  err = jnx_tf_program_create(p->code, p->code_size, &p->sig, &p->tf);
  if (err) goto fail;

  PJRT_LoadedExecutable* e = malloc(sizeof *e);
  if (!e) {
    err = jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
    goto fail;
  }
  e->magic = MAGIC_LOADED;
  atomic_init(&e->deleted, false);
  e->prog = p;
  jnx_count(JNX_OBJ_EXECUTABLE, 1);
  *out = e;
  return NULL;
fail:
  program_unref(p);
  return err;
}

static PJRT_Error* client_compile(PJRT_Client_Compile_Args* args) {
  static const char FN[] = "PJRT_Client_Compile";
  CHECK_ARGS(PJRT_Client_Compile_Args, args, executable);
  RETURN_IF(check_client(args->client, FN));
  const PJRT_Program* prog = args->program;
  if (!prog) return INVALID("%s: program is NULL", FN);
  if (prog->struct_size < JNX_STRUCT_SIZE(PJRT_Program, format_size)) {
    return INVALID("%s: PJRT_Program struct_size %zu is too small", FN, prog->struct_size);
  }
  if (!prog->format || prog->format_size != 4 || memcmp(prog->format, "mlir", 4) != 0) {
    return INVALID("%s: program format must be \"mlir\" (StableHLO text), got \"%.*s\"", FN,
                   prog->format ? (int)(prog->format_size < 64 ? prog->format_size : 64) : 0,
                   prog->format ? prog->format : "");
  }
  if (!prog->code || prog->code_size == 0) return INVALID("%s: program code is empty", FN);
  /* compile_options (a serialized CompileOptionsProto) are ignored: one device, one
   * replica, and XLA:CPU's defaults are all this plugin offers. */
  return compile_text(prog->code, prog->code_size, &args->executable);
}

static PJRT_Error* check_loaded(const PJRT_LoadedExecutable* e, const char* fn) {
  if (!e || e->magic != MAGIC_LOADED) return INVALID("%s: not a live PJRT_LoadedExecutable", fn);
  return NULL;
}

static PJRT_Error* check_exe(const PJRT_Executable* e, const char* fn) {
  if (!e || e->magic != MAGIC_EXE) return INVALID("%s: not a live PJRT_Executable", fn);
  return NULL;
}

static PJRT_Error* loaded_executable_destroy(PJRT_LoadedExecutable_Destroy_Args* args) {
  CHECK_ARGS(PJRT_LoadedExecutable_Destroy_Args, args, executable);
  RETURN_IF(check_loaded(args->executable, "PJRT_LoadedExecutable_Destroy"));
  PJRT_LoadedExecutable* e = args->executable;
  e->magic = MAGIC_DEAD;
  program_unref(e->prog);
  free(e);
  jnx_count(JNX_OBJ_EXECUTABLE, -1);
  return NULL;
}

static PJRT_Error* loaded_executable_get_executable(PJRT_LoadedExecutable_GetExecutable_Args* args) {
  CHECK_ARGS(PJRT_LoadedExecutable_GetExecutable_Args, args, executable);
  RETURN_IF(check_loaded(args->loaded_executable, "PJRT_LoadedExecutable_GetExecutable"));
  PJRT_Executable* e = malloc(sizeof *e);
  if (!e) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
  e->magic = MAGIC_EXE;
  e->prog = args->loaded_executable->prog;
  atomic_fetch_add_explicit(&e->prog->refs, 1, memory_order_relaxed);
  jnx_count(JNX_OBJ_EXECUTABLE, 1);
  args->executable = e;
  return NULL;
}

static PJRT_Error* loaded_executable_addressable_devices(PJRT_LoadedExecutable_AddressableDevices_Args* args) {
  CHECK_ARGS(PJRT_LoadedExecutable_AddressableDevices_Args, args, num_addressable_devices);
  RETURN_IF(check_loaded(args->executable, "PJRT_LoadedExecutable_AddressableDevices"));
  args->addressable_devices = device_list;
  args->num_addressable_devices = 1;
  return NULL;
}

/* Marks the executable unusable; its TF session lives until Destroy so that an Execute
 * racing with Delete stays safe. */
static PJRT_Error* loaded_executable_delete(PJRT_LoadedExecutable_Delete_Args* args) {
  CHECK_ARGS(PJRT_LoadedExecutable_Delete_Args, args, executable);
  RETURN_IF(check_loaded(args->executable, "PJRT_LoadedExecutable_Delete"));
  atomic_store_explicit(&args->executable->deleted, true, memory_order_release);
  return NULL;
}

static PJRT_Error* loaded_executable_is_deleted(PJRT_LoadedExecutable_IsDeleted_Args* args) {
  CHECK_ARGS(PJRT_LoadedExecutable_IsDeleted_Args, args, is_deleted);
  RETURN_IF(check_loaded(args->executable, "PJRT_LoadedExecutable_IsDeleted"));
  args->is_deleted = atomic_load_explicit(&args->executable->deleted, memory_order_acquire);
  return NULL;
}

static PJRT_Error* loaded_executable_fingerprint(PJRT_LoadedExecutable_Fingerprint_Args* args) {
  CHECK_ARGS(PJRT_LoadedExecutable_Fingerprint_Args, args, executable_fingerprint_size);
  RETURN_IF(check_loaded(args->executable, "PJRT_LoadedExecutable_Fingerprint"));
  args->executable_fingerprint = args->executable->prog->fingerprint;
  args->executable_fingerprint_size = 16;
  return NULL;
}

static PJRT_Error* executable_destroy(PJRT_Executable_Destroy_Args* args) {
  CHECK_ARGS(PJRT_Executable_Destroy_Args, args, executable);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_Destroy"));
  PJRT_Executable* e = args->executable;
  e->magic = MAGIC_DEAD;
  program_unref(e->prog);
  free(e);
  jnx_count(JNX_OBJ_EXECUTABLE, -1);
  return NULL;
}

static PJRT_Error* executable_name(PJRT_Executable_Name_Args* args) {
  CHECK_ARGS(PJRT_Executable_Name_Args, args, executable_name_size);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_Name"));
  args->executable_name = args->executable->prog->sig.module_name;
  args->executable_name_size = strlen(args->executable->prog->sig.module_name);
  return NULL;
}

static PJRT_Error* executable_num_replicas(PJRT_Executable_NumReplicas_Args* args) {
  CHECK_ARGS(PJRT_Executable_NumReplicas_Args, args, num_replicas);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_NumReplicas"));
  args->num_replicas = 1;
  return NULL;
}

static PJRT_Error* executable_num_partitions(PJRT_Executable_NumPartitions_Args* args) {
  CHECK_ARGS(PJRT_Executable_NumPartitions_Args, args, num_partitions);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_NumPartitions"));
  args->num_partitions = 1;
  return NULL;
}

static PJRT_Error* executable_num_outputs(PJRT_Executable_NumOutputs_Args* args) {
  CHECK_ARGS(PJRT_Executable_NumOutputs_Args, args, num_outputs);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_NumOutputs"));
  args->num_outputs = args->executable->prog->sig.num_results;
  return NULL;
}

static PJRT_Error* executable_output_element_types(PJRT_Executable_OutputElementTypes_Args* args) {
  CHECK_ARGS(PJRT_Executable_OutputElementTypes_Args, args, num_output_types);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_OutputElementTypes"));
  args->output_types = args->executable->prog->out_types;
  args->num_output_types = args->executable->prog->sig.num_results;
  return NULL;
}

static PJRT_Error* executable_output_dimensions(PJRT_Executable_OutputDimensions_Args* args) {
  CHECK_ARGS(PJRT_Executable_OutputDimensions_Args, args, dim_sizes);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_OutputDimensions"));
  args->num_outputs = args->executable->prog->sig.num_results;
  args->dims = args->executable->prog->out_dims;
  args->dim_sizes = args->executable->prog->out_ranks;
  return NULL;
}

static PJRT_Error* executable_output_memory_kinds(PJRT_Executable_OutputMemoryKinds_Args* args) {
  CHECK_ARGS(PJRT_Executable_OutputMemoryKinds_Args, args, memory_kind_sizes);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_OutputMemoryKinds"));
  args->num_outputs = args->executable->prog->sig.num_results;
  args->memory_kinds = args->executable->prog->out_kinds;
  args->memory_kind_sizes = args->executable->prog->out_kind_sizes;
  return NULL;
}

static PJRT_Error* executable_fingerprint(PJRT_Executable_Fingerprint_Args* args) {
  CHECK_ARGS(PJRT_Executable_Fingerprint_Args, args, executable_fingerprint_size);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_Fingerprint"));
  args->executable_fingerprint = args->executable->prog->fingerprint;
  args->executable_fingerprint_size = 16;
  return NULL;
}

/* The "optimized" program is the StableHLO text it was compiled from. Two-phase like XLA:
 * with program->code NULL only code_size is set. */
static PJRT_Error* executable_optimized_program(PJRT_Executable_OptimizedProgram_Args* args) {
  static const char FN[] = "PJRT_Executable_OptimizedProgram";
  CHECK_ARGS(PJRT_Executable_OptimizedProgram_Args, args, program);
  RETURN_IF(check_exe(args->executable, FN));
  PJRT_Program* out = args->program;
  const jnx_program* p = args->executable->prog;
  if (!out || out->struct_size < JNX_STRUCT_SIZE(PJRT_Program, format_size)) {
    return INVALID("%s: program is NULL or too small", FN);
  }
  out->format = "mlir";
  out->format_size = 4;
  if (!out->code) {
    out->code_size = p->code_size;
    return NULL;
  }
  if (out->code_size < p->code_size) {
    return INVALID("%s: code_size %zu is smaller than %zu", FN, out->code_size, p->code_size);
  }
  memcpy(out->code, p->code, p->code_size);
  out->code_size = p->code_size;
  return NULL;
}

/* Serialized form: a magic line followed by the module text; deserializing compiles it. */
static const char SERIAL_MAGIC[8] = {'J', 'N', 'X', 'P', 'J', 'R', 'T', '1'};

struct PJRT_SerializedExecutable {
  size_t size;
  char bytes[];
};

static void serialized_delete(PJRT_SerializedExecutable* s) {
  if (!s) return;
  free(s);
  jnx_count(JNX_OBJ_SERIALIZED, -1);
}

static PJRT_Error* executable_serialize(PJRT_Executable_Serialize_Args* args) {
  CHECK_ARGS(PJRT_Executable_Serialize_Args, args, serialized_executable_deleter);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_Serialize"));
  const jnx_program* p = args->executable->prog;
  PJRT_SerializedExecutable* s = malloc(sizeof *s + sizeof SERIAL_MAGIC + p->code_size);
  if (!s) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
  s->size = sizeof SERIAL_MAGIC + p->code_size;
  memcpy(s->bytes, SERIAL_MAGIC, sizeof SERIAL_MAGIC);
  memcpy(s->bytes + sizeof SERIAL_MAGIC, p->code, p->code_size);
  jnx_count(JNX_OBJ_SERIALIZED, 1);
  args->serialized_bytes = s->bytes;
  args->serialized_bytes_size = s->size;
  args->serialized_executable = s;
  args->serialized_executable_deleter = serialized_delete;
  return NULL;
}

static PJRT_Error* executable_deserialize_and_load(PJRT_Executable_DeserializeAndLoad_Args* args) {
  static const char FN[] = "PJRT_Executable_DeserializeAndLoad";
  CHECK_ARGS(PJRT_Executable_DeserializeAndLoad_Args, args, loaded_executable);
  RETURN_IF(check_client(args->client, FN));
  const char* s = args->serialized_executable;
  size_t n = args->serialized_executable_size;
  if (!s || n <= sizeof SERIAL_MAGIC || memcmp(s, SERIAL_MAGIC, sizeof SERIAL_MAGIC) != 0) {
    return INVALID("%s: not an executable serialized by the jnx CPU plugin", FN);
  }
  return compile_text(s + sizeof SERIAL_MAGIC, n - sizeof SERIAL_MAGIC, &args->loaded_executable);
}

/* ---- execute ------------------------------------------------------------------------------ */

#define STACK_ARGS 16

static PJRT_Error* loaded_executable_execute(PJRT_LoadedExecutable_Execute_Args* args) {
  static const char FN[] = "PJRT_LoadedExecutable_Execute";
  CHECK_ARGS(PJRT_LoadedExecutable_Execute_Args, args, device_complete_events);
  RETURN_IF(check_loaded(args->executable, FN));
  PJRT_LoadedExecutable* exe = args->executable;
  if (atomic_load_explicit(&exe->deleted, memory_order_acquire)) {
    return jnx_error(PJRT_Error_Code_FAILED_PRECONDITION, "%s: the executable has been deleted", FN);
  }
  jnx_program* p = exe->prog;
  const jnx_signature* sig = &p->sig;
  if (args->num_devices != 1) return INVALID("%s: num_devices is %zu, this plugin has 1 device", FN, args->num_devices);
  if (HAS_MEMBER(PJRT_LoadedExecutable_Execute_Args, args, execute_device) && args->execute_device &&
      args->execute_device != &cpu_device) {
    return INVALID("%s: execute_device is not a device of this plugin", FN);
  }
  const PJRT_ExecuteOptions* opt = args->options;
  if (opt && opt->struct_size >= JNX_STRUCT_SIZE(PJRT_ExecuteOptions, num_recv_ops) &&
      (opt->num_send_ops || opt->num_recv_ops)) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: send/recv callbacks are not supported", FN);
  }
  if (args->num_args != sig->num_args) {
    return INVALID("%s: the module takes %zu arguments, got %zu", FN, sig->num_args, args->num_args);
  }
  if (sig->num_args && (!args->argument_lists || !args->argument_lists[0])) {
    return INVALID("%s: argument_lists is NULL", FN);
  }
  if (sig->num_results && (!args->output_lists || !args->output_lists[0])) {
    return INVALID("%s: output_lists is NULL", FN);
  }

  /* Check every argument against @main before TF sees it. */
  PJRT_Buffer* const* in = sig->num_args ? args->argument_lists[0] : NULL;
  for (size_t i = 0; i < sig->num_args; i++) {
    const PJRT_Buffer* b = in[i];
    if (!b || b->magic != MAGIC_BUFFER) return INVALID("%s: argument %zu is not a live PJRT_Buffer", FN, i);
    const jnx_tensor_type* want = &sig->args[i];
    bool same = b->type->pjrt == want->type && b->rank == want->rank;
    for (size_t k = 0; same && k < want->rank; k++) same = b->dims[k] == want->dims[k];
    if (!same) {
      char w[128], g[128];
      return INVALID("argument %zu: expected %s, got %s", i,
                     jnx_format_shape(want->type, want->dims, want->rank, w, sizeof w),
                     jnx_format_shape(b->type->pjrt, b->dims, b->rank, g, sizeof g));
    }
  }

  TF_Tensor* in_stack[STACK_ARGS];
  TF_Tensor* out_stack[STACK_ARGS];
  TF_Tensor** inputs = sig->num_args <= STACK_ARGS ? in_stack : malloc(sig->num_args * sizeof *inputs);
  TF_Tensor** outputs = sig->num_results <= STACK_ARGS ? out_stack : malloc(sig->num_results * sizeof *outputs);
  PJRT_Error* err = NULL;
  size_t held = 0;
  /* Allocated up front so that no failure can follow the creation of the results. */
  PJRT_Event* event = args->device_complete_events ? new_event() : NULL;
  if (!inputs || !outputs || (args->device_complete_events && !event)) {
    err = jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
    goto done;
  }
  for (; held < sig->num_args; held++) {
    if (!buffer_acquire(in[held])) {
      err = jnx_error(PJRT_Error_Code_FAILED_PRECONDITION, "argument %zu: the buffer has been deleted", held);
      goto done;
    }
    inputs[held] = atomic_load_explicit(&in[held]->tensor, memory_order_acquire);
  }
  err = jnx_tf_program_run(p->tf, inputs, outputs);
  if (err) goto done;

  PJRT_Buffer** results = args->output_lists[0];
  for (size_t i = 0; i < sig->num_results; i++) {
    const jnx_tensor_type* r = &sig->results[i];
    const jnx_type_info* info = jnx_type_info_of(r->type);
    size_t bytes = info->size;
    for (size_t k = 0; k < r->rank; k++) bytes *= (size_t)r->dims[k];
    results[i] = buffer_new(info, r->dims, r->rank, outputs[i], bytes);
    if (!results[i]) {
      for (size_t j = 0; j < i; j++) {
        PJRT_Buffer_Destroy_Args d = {.struct_size = sizeof d, .buffer = results[j]};
        buffer_destroy(&d);
        results[j] = NULL;
      }
      for (size_t j = i; j < sig->num_results; j++) jnx_tf_tensor_delete(outputs[j]);
      err = jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
      goto done;
    }
  }
  if (event) {
    args->device_complete_events[0] = event;
    event = NULL;
  }
done:
  if (event) {
    free(event);
    jnx_count(JNX_OBJ_EVENT, -1);
  }
  for (size_t i = 0; i < held; i++) buffer_release(in[i]);
  if (inputs != in_stack) free(inputs);
  if (outputs != out_stack) free(outputs);
  return err;
}

/* ---- the table ------------------------------------------------------------------------------ */

static const PJRT_Api api = {
    .struct_size = JNX_STRUCT_SIZE(PJRT_Api, PJRT_Device_GetAttributes),
    .extension_start = NULL,
    .pjrt_api_version = {.struct_size = JNX_STRUCT_SIZE(PJRT_Api_Version, minor_version),
                         .major_version = JNX_PJRT_API_MAJOR,
                         .minor_version = JNX_PJRT_API_MINOR},
    .PJRT_Error_Destroy = error_destroy,
    .PJRT_Error_Message = error_message,
    .PJRT_Error_GetCode = error_get_code,
    .PJRT_Plugin_Initialize = plugin_initialize,
    .PJRT_Plugin_Attributes = plugin_attributes_fn,
    .PJRT_Event_Destroy = event_destroy,
    .PJRT_Event_IsReady = event_is_ready,
    .PJRT_Event_Error = event_error,
    .PJRT_Event_Await = event_await,
    .PJRT_Event_OnReady = event_on_ready,
    .PJRT_Client_Create = client_create,
    .PJRT_Client_Destroy = client_destroy,
    .PJRT_Client_PlatformName = client_platform_name,
    .PJRT_Client_ProcessIndex = client_process_index,
    .PJRT_Client_PlatformVersion = client_platform_version,
    .PJRT_Client_Devices = client_devices,
    .PJRT_Client_AddressableDevices = client_addressable_devices,
    .PJRT_Client_LookupDevice = client_lookup_device,
    .PJRT_Client_LookupAddressableDevice = client_lookup_addressable_device,
    .PJRT_Client_AddressableMemories = client_addressable_memories,
    .PJRT_Client_Compile = client_compile,
    .PJRT_Client_DefaultDeviceAssignment = client_default_device_assignment,
    .PJRT_Client_BufferFromHostBuffer = client_buffer_from_host_buffer,
    .PJRT_DeviceDescription_Id = device_description_id,
    .PJRT_DeviceDescription_ProcessIndex = device_description_process_index,
    .PJRT_DeviceDescription_Attributes = device_description_attributes,
    .PJRT_DeviceDescription_Kind = device_description_kind,
    .PJRT_DeviceDescription_DebugString = device_description_debug_string,
    .PJRT_DeviceDescription_ToString = device_description_to_string,
    .PJRT_Device_GetDescription = device_get_description,
    .PJRT_Device_IsAddressable = device_is_addressable,
    .PJRT_Device_LocalHardwareId = device_local_hardware_id,
    .PJRT_Device_AddressableMemories = device_addressable_memories,
    .PJRT_Device_DefaultMemory = device_default_memory,
    .PJRT_Memory_Id = memory_id,
    .PJRT_Memory_Kind = memory_kind,
    .PJRT_Memory_DebugString = memory_debug_string,
    .PJRT_Memory_ToString = memory_to_string,
    .PJRT_Memory_AddressableByDevices = memory_addressable_by_devices,
    .PJRT_Executable_Destroy = executable_destroy,
    .PJRT_Executable_Name = executable_name,
    .PJRT_Executable_NumReplicas = executable_num_replicas,
    .PJRT_Executable_NumPartitions = executable_num_partitions,
    .PJRT_Executable_NumOutputs = executable_num_outputs,
    .PJRT_Executable_OutputMemoryKinds = executable_output_memory_kinds,
    .PJRT_Executable_OptimizedProgram = executable_optimized_program,
    .PJRT_Executable_Serialize = executable_serialize,
    .PJRT_LoadedExecutable_Destroy = loaded_executable_destroy,
    .PJRT_LoadedExecutable_GetExecutable = loaded_executable_get_executable,
    .PJRT_LoadedExecutable_AddressableDevices = loaded_executable_addressable_devices,
    .PJRT_LoadedExecutable_Delete = loaded_executable_delete,
    .PJRT_LoadedExecutable_IsDeleted = loaded_executable_is_deleted,
    .PJRT_LoadedExecutable_Execute = loaded_executable_execute,
    .PJRT_Executable_DeserializeAndLoad = executable_deserialize_and_load,
    .PJRT_LoadedExecutable_Fingerprint = loaded_executable_fingerprint,
    .PJRT_Buffer_Destroy = buffer_destroy,
    .PJRT_Buffer_ElementType = buffer_element_type,
    .PJRT_Buffer_Dimensions = buffer_dimensions,
    .PJRT_Buffer_UnpaddedDimensions = buffer_unpadded_dimensions,
    .PJRT_Buffer_DynamicDimensionIndices = buffer_dynamic_dimension_indices,
    .PJRT_Buffer_GetMemoryLayout = buffer_get_memory_layout,
    .PJRT_Buffer_OnDeviceSizeInBytes = buffer_on_device_size,
    .PJRT_Buffer_Device = buffer_device,
    .PJRT_Buffer_Memory = buffer_memory,
    .PJRT_Buffer_Delete = buffer_delete,
    .PJRT_Buffer_IsDeleted = buffer_is_deleted,
    .PJRT_Buffer_CopyToDevice = buffer_copy_to_device,
    .PJRT_Buffer_ToHostBuffer = buffer_to_host_buffer,
    .PJRT_Buffer_IsOnCpu = buffer_is_on_cpu,
    .PJRT_Buffer_ReadyEvent = buffer_ready_event,
    .PJRT_Buffer_UnsafePointer = buffer_unsafe_pointer,
    .PJRT_Buffer_OpaqueDeviceMemoryDataPointer = buffer_opaque_pointer,
    .PJRT_Executable_OutputElementTypes = executable_output_element_types,
    .PJRT_Executable_OutputDimensions = executable_output_dimensions,
    .PJRT_Executable_Fingerprint = executable_fingerprint,
    .PJRT_Memory_Kind_Id = memory_kind_id,
};

_Static_assert(JNX_STRUCT_SIZE(PJRT_Api, PJRT_Device_GetAttributes) == 1072, "PJRT_Api size");

/* Cheap: TensorFlow is loaded by Plugin_Initialize / Client_Create, not here. */
JNX_EXPORT const PJRT_Api* GetPjrtApi(void) { return &api; }
