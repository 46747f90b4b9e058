/* The PJRT C API surface of jnx's CPU plugin. Each client runs on one of two runtimes:
 *  - tfrt-cpu (the default): XLA's own PJRT CPU client inside TensorFlow's runtime
 *    (xla_cpu.cc), used only when that binary passed its check; N devices, intra-op threads;
 *  - tf-session (the fallback): StableHLO through TensorFlow's XlaCallModule op (tf_glue.c);
 *    one device, compiles at first execution.
 * The runtime comes from the create option "jnx_cpu_runtime" (auto | tfrt-cpu | tf-session),
 * else $JNX_PJRT_CPU_RUNTIME, else auto; PJRT_Client_PlatformVersion names the one in use.
 *
 * Semantics worth knowing (callers of other PJRT plugins may expect otherwise):
 *  - Execution is synchronous: Execute returns after the results exist and every buffer handed
 *    out is ready. Copies (uploads, ToHostBuffer) are done when the call returns and hand out
 *    no event (NULL); the only event that can be pending is the done_with_host_buffer event of a
 *    zero-copy upload, which becomes ready when XLA lets go of the caller's memory.
 *  - Buffers are dense row-major. Uploads copy during the call, except kImmutableZeroCopy /
 *    kMutableZeroCopy of dense data on tfrt-cpu, which XLA may alias (never written).
 *  - Donation (tf.aliasing_output / jax.buffer_donor on @main's arguments, tfrt-cpu): a donated
 *    argument's buffer is deleted by Execute; non_donatable_input_indices and zero-copy buffers
 *    are honoured by passing a copy instead. tf-session never aliases (inputs stay valid).
 *  - Client, device and executable state is immutable after creation; Execute may run
 *    concurrently on one executable. Buffer_Delete may race with an Execute using the buffer:
 *    storage is freed when the last use ends.
 *  - Bad input never aborts: NULL or wrong-kind handles, short struct_size, negative dims,
 *    size overflow, argument count/type/shape/device mismatches all return PJRT errors.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jnx_internal.h"
#include "pjrt_abi_asserts.h" /* generated from src/test/pjrt-abi.tsv: layout checks */

#define JNX_EXPORT __attribute__((visibility("default")))
#define JNX_PLUGIN_VERSION "0.2.0"
#define MAX_RANK 64

/* Tags that catch a handle of the wrong kind (or one already destroyed) before it is used. */
enum {
  MAGIC_CLIENT = 0x4a4e5843,   /* JNXC */
  MAGIC_DEVICE = 0x4a4e5844,   /* JNXD */
  MAGIC_MEMORY = 0x4a4e584d,   /* JNXM */
  MAGIC_BUFFER = 0x4a4e5842,   /* JNXB */
  MAGIC_EXE = 0x4a4e5845,      /* JNXE */
  MAGIC_LOADED = 0x4a4e584c,   /* JNXL */
  MAGIC_EVENT = 0x4a4e5876,    /* JNXv */
  MAGIC_DEAD = 0x64656164,     /* dead */
};

typedef enum jnx_runtime { RUNTIME_TFRT_CPU, RUNTIME_TF_SESSION } jnx_runtime;

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

const char* jnx_error_message(const PJRT_Error* e) { return e->message; }

void jnx_error_free(PJRT_Error* e) {
  if (!e || e == &oom_error) return;
  jnx_count(JNX_OBJ_ERROR, -1);
  free(e);
}

static PJRT_Error* out_of_memory(void) { return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory"); }

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

#define RETURN_IF(expr)            \
  do {                             \
    PJRT_Error* err_ = (expr);     \
    if (err_) return err_;         \
  } while (0)

static void error_destroy(PJRT_Error_Destroy_Args* args) {
  if (!args || args->struct_size < JNX_STRUCT_SIZE(PJRT_Error_Destroy_Args, error)) return;
  jnx_error_free(args->error);
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
    NAMED_STRING("jnx_runtimes", "tfrt-cpu,tf-session"),
    NAMED_STRING("jnx_program_format", "mlir"),
};

static PJRT_Error* plugin_attributes_fn(PJRT_Plugin_Attributes_Args* args) {
  CHECK_ARGS(PJRT_Plugin_Attributes_Args, args, num_attributes);
  args->attributes = plugin_attributes;
  args->num_attributes = sizeof plugin_attributes / sizeof plugin_attributes[0];
  return NULL;
}

/* ---- events ------------------------------------------------------------------------------
 * Ready at creation, except the done_with_host_buffer event of a zero-copy upload: XLA fires
 * it (from whatever thread releases the memory) through event_fire. One reference belongs to
 * the handle, one to a pending fire; the last one frees the event. */

typedef struct jnx_event_callback {
  PJRT_Event_OnReadyCallback fn;
  void* arg;
  struct jnx_event_callback* next;
} jnx_event_callback;

struct PJRT_Event {
  uint32_t magic;
  atomic_int refs;
  atomic_bool ready;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  jnx_event_callback* callbacks;
};

static PJRT_Event* new_event(bool ready) {
  PJRT_Event* e = malloc(sizeof *e);
  if (!e) return NULL;
  e->magic = MAGIC_EVENT;
  atomic_init(&e->refs, ready ? 1 : 2);
  atomic_init(&e->ready, ready);
  pthread_mutex_init(&e->mu, NULL);
  pthread_cond_init(&e->cv, NULL);
  e->callbacks = NULL;
  jnx_count(JNX_OBJ_EVENT, 1);
  return e;
}

static void event_unref(PJRT_Event* e) {
  if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1) return;
  pthread_mutex_destroy(&e->mu);
  pthread_cond_destroy(&e->cv);
  free(e);
  jnx_count(JNX_OBJ_EVENT, -1);
}

/* Marks a pending event ready, runs its callbacks, drops the pending reference. */
static void event_fire(void* arg) {
  PJRT_Event* e = arg;
  pthread_mutex_lock(&e->mu);
  atomic_store_explicit(&e->ready, true, memory_order_release);
  jnx_event_callback* cb = e->callbacks;
  e->callbacks = NULL;
  pthread_cond_broadcast(&e->cv);
  pthread_mutex_unlock(&e->mu);
  while (cb) {
    jnx_event_callback* next = cb->next;
    cb->fn(NULL, cb->arg);
    free(cb);
    cb = next;
  }
  event_unref(e);
}

static PJRT_Error* check_event(const PJRT_Event* e, const char* fn) {
  if (!e || e->magic != MAGIC_EVENT) return INVALID("%s: not a live PJRT_Event", fn);
  return NULL;
}

static PJRT_Error* event_destroy(PJRT_Event_Destroy_Args* args) {
  CHECK_ARGS(PJRT_Event_Destroy_Args, args, event);
  RETURN_IF(check_event(args->event, "PJRT_Event_Destroy"));
  PJRT_Event* e = args->event;
  e->magic = MAGIC_DEAD;
  event_unref(e);
  return NULL;
}

static PJRT_Error* event_is_ready(PJRT_Event_IsReady_Args* args) {
  CHECK_ARGS(PJRT_Event_IsReady_Args, args, is_ready);
  RETURN_IF(check_event(args->event, "PJRT_Event_IsReady"));
  args->is_ready = atomic_load_explicit(&args->event->ready, memory_order_acquire);
  return NULL;
}

/* The event's own status: always OK, because failures are returned synchronously. */
static PJRT_Error* event_error(PJRT_Event_Error_Args* args) {
  CHECK_ARGS(PJRT_Event_Error_Args, args, event);
  return check_event(args->event, "PJRT_Event_Error");
}

static PJRT_Error* event_await(PJRT_Event_Await_Args* args) {
  CHECK_ARGS(PJRT_Event_Await_Args, args, event);
  RETURN_IF(check_event(args->event, "PJRT_Event_Await"));
  PJRT_Event* e = args->event;
  if (atomic_load_explicit(&e->ready, memory_order_acquire)) return NULL;
  pthread_mutex_lock(&e->mu);
  while (!atomic_load_explicit(&e->ready, memory_order_acquire)) pthread_cond_wait(&e->cv, &e->mu);
  pthread_mutex_unlock(&e->mu);
  return NULL;
}

static PJRT_Error* event_on_ready(PJRT_Event_OnReady_Args* args) {
  CHECK_ARGS(PJRT_Event_OnReady_Args, args, user_arg);
  RETURN_IF(check_event(args->event, "PJRT_Event_OnReady"));
  if (!args->callback) return INVALID("PJRT_Event_OnReady: callback is NULL");
  PJRT_Event* e = args->event;
  if (!atomic_load_explicit(&e->ready, memory_order_acquire)) {
    jnx_event_callback* cb = malloc(sizeof *cb);
    if (!cb) return out_of_memory();
    pthread_mutex_lock(&e->mu);
    if (!atomic_load_explicit(&e->ready, memory_order_relaxed)) {
      *cb = (jnx_event_callback){args->callback, args->user_arg, e->callbacks};
      e->callbacks = cb;
      pthread_mutex_unlock(&e->mu);
      return NULL;
    }
    pthread_mutex_unlock(&e->mu);
    free(cb);
  }
  args->callback(NULL, args->user_arg); /* ready now: run in the caller's thread */
  return NULL;
}

/* ---- clients, devices and memories --------------------------------------------------------- */

struct PJRT_DeviceDescription {
  int id;
};

struct PJRT_Memory {
  uint32_t magic;
  int id;
  PJRT_Device* devices[1]; /* the one device that addresses it */
  char debug_string[48];
  char to_string[64];
};

struct PJRT_Device {
  PJRT_DeviceDescription description; /* first: a description pointer is its device's */
  uint32_t magic;
  PJRT_Client* client;
  size_t index;
  PJRT_Memory memory;
  PJRT_Memory* memories[1];
  char debug_string[32];
  char to_string[48];
};

struct PJRT_Client {
  uint32_t magic;
  jnx_runtime runtime;
  jnx_xla_client* xla; /* tfrt-cpu only */
  size_t num_devices;
  PJRT_Device* devices;
  PJRT_Device** device_list;
  PJRT_Memory** memory_list;
  char platform_version[640];
};

static const char DEVICE_KIND[] = "cpu";
static const char MEMORY_KIND[] = "device"; /* what XLA's CPU client calls its memory */

static PJRT_Error* check_client(const PJRT_Client* c, const char* fn) {
  if (!c || c->magic != MAGIC_CLIENT) return INVALID("%s: not a live PJRT_Client", fn);
  return NULL;
}

static PJRT_Error* check_device(const PJRT_Device* d, const char* fn) {
  if (!d || d->magic != MAGIC_DEVICE) return INVALID("%s: not a device of this plugin", fn);
  return NULL;
}

static PJRT_Error* check_client_device(const PJRT_Client* c, const PJRT_Device* d, const char* fn) {
  RETURN_IF(check_device(d, fn));
  if (d->client != c) return INVALID("%s: the device belongs to another client", fn);
  return NULL;
}

static PJRT_Error* check_description(const PJRT_DeviceDescription* d, const char* fn) {
  if (!d || ((const PJRT_Device*)d)->magic != MAGIC_DEVICE) {
    return INVALID("%s: not a device description of this plugin", fn);
  }
  return NULL;
}

static PJRT_Error* check_memory(const PJRT_Memory* m, const char* fn) {
  if (!m || m->magic != MAGIC_MEMORY) return INVALID("%s: not a memory of this plugin", fn);
  return NULL;
}

/* The client's options: named values that other plugins' options may share a list with, so
 * unknown names are ignored; known ones must have the right type and range. */
typedef struct client_options {
  const char* runtime; /* auto | tfrt-cpu | tf-session */
  size_t runtime_size;
  int64_t device_count;
  int64_t threads; /* 0: XLA's default (the CPUs this process may use) */
} client_options;

static bool named(const PJRT_NamedValue* v, const char* name) {
  return v->name && v->name_size == strlen(name) && memcmp(v->name, name, v->name_size) == 0;
}

static PJRT_Error* read_options(const PJRT_Client_Create_Args* args, client_options* o) {
  const char* env = getenv("JNX_PJRT_CPU_RUNTIME");
  *o = (client_options){env && *env ? env : "auto", env && *env ? strlen(env) : 4, 1, 0};
  if (args->num_options && !args->create_options) return INVALID("PJRT_Client_Create: create_options is NULL");
  for (size_t i = 0; i < args->num_options; i++) {
    const PJRT_NamedValue* v = &args->create_options[i];
    if (named(v, "jnx_cpu_runtime")) {
      if (v->type != PJRT_NamedValue_kString || !v->string_value) {
        return INVALID("PJRT_Client_Create: jnx_cpu_runtime must be a string");
      }
      o->runtime = v->string_value;
      o->runtime_size = v->value_size;
    } else if (named(v, "cpu_device_count") || named(v, "intra_op_threads")) {
      bool devices = named(v, "cpu_device_count");
      if (v->type != PJRT_NamedValue_kInt64) {
        return INVALID("PJRT_Client_Create: %s must be an int64", devices ? "cpu_device_count" : "intra_op_threads");
      }
      if (devices && (v->int64_value < 1 || v->int64_value > JNX_MAX_DEVICES)) {
        return INVALID("PJRT_Client_Create: cpu_device_count must be in [1, %d], got %lld", JNX_MAX_DEVICES,
                       (long long)v->int64_value);
      }
      if (!devices && (v->int64_value < 0 || v->int64_value > 256)) {
        return INVALID("PJRT_Client_Create: intra_op_threads must be in [0, 256] (0: one per CPU), got %lld",
                       (long long)v->int64_value);
      }
      *(devices ? &o->device_count : &o->threads) = v->int64_value;
    }
  }
  return NULL;
}

static bool runtime_is(const client_options* o, const char* name) {
  return o->runtime_size == strlen(name) && memcmp(o->runtime, name, o->runtime_size) == 0;
}

static void client_free(PJRT_Client* c) {
  if (!c) return;
  jnx_xla_client_destroy(c->xla);
  free(c->devices);
  free(c->device_list);
  free(c->memory_list);
  free(c);
}

static PJRT_Error* client_devices_init(PJRT_Client* c, size_t n) {
  c->num_devices = n;
  c->devices = calloc(n, sizeof *c->devices);
  c->device_list = calloc(n, sizeof *c->device_list);
  c->memory_list = calloc(n, sizeof *c->memory_list);
  if (!c->devices || !c->device_list || !c->memory_list) return out_of_memory();
  for (size_t i = 0; i < n; i++) {
    PJRT_Device* d = &c->devices[i];
    d->description.id = (int)i;
    d->magic = MAGIC_DEVICE;
    d->client = c;
    d->index = i;
    d->memory.magic = MAGIC_MEMORY;
    d->memory.id = (int)i;
    d->memory.devices[0] = d;
    snprintf(d->memory.debug_string, sizeof d->memory.debug_string, "JNX_CPU_%zu_device", i);
    snprintf(d->memory.to_string, sizeof d->memory.to_string, "CpuDeviceMemory(id=%zu, kind=device)", i);
    d->memories[0] = &d->memory;
    snprintf(d->debug_string, sizeof d->debug_string, "JNX_CPU_%zu", i);
    snprintf(d->to_string, sizeof d->to_string, "CpuDevice(id=%zu)", i);
    c->device_list[i] = d;
    c->memory_list[i] = &d->memory;
  }
  return NULL;
}

static PJRT_Error* client_create(PJRT_Client_Create_Args* args) {
  /* kv_try_get_* came later; callers built against older headers stop at client. */
  CHECK_ARGS(PJRT_Client_Create_Args, args, client);
  client_options o;
  RETURN_IF(read_options(args, &o));
  bool want_xla = runtime_is(&o, "tfrt-cpu"), want_tf = runtime_is(&o, "tf-session");
  if (!want_xla && !want_tf && !runtime_is(&o, "auto")) {
    return INVALID("PJRT_Client_Create: jnx_cpu_runtime must be auto, tfrt-cpu or tf-session, got \"%.*s\"",
                   (int)(o.runtime_size < 64 ? o.runtime_size : 64), o.runtime);
  }
  RETURN_IF(jnx_tf_load());
  const char* why_not = want_tf ? "tf-session was requested" : jnx_xla_unavailable();
  if (want_xla && why_not) {
    return jnx_error(PJRT_Error_Code_FAILED_PRECONDITION, "PJRT_Client_Create: the tfrt-cpu runtime is unavailable: %s",
                     why_not);
  }
  if (why_not && o.device_count > 1) {
    return INVALID("PJRT_Client_Create: cpu_device_count %lld needs the tfrt-cpu runtime (%s)",
                   (long long)o.device_count, why_not);
  }
  PJRT_Client* c = calloc(1, sizeof *c);
  if (!c) return out_of_memory();
  c->magic = MAGIC_CLIENT;
  c->runtime = why_not ? RUNTIME_TF_SESSION : RUNTIME_TFRT_CPU;
  PJRT_Error* err = NULL;
  if (c->runtime == RUNTIME_TFRT_CPU) {
    err = jnx_xla_client_create((int)o.device_count, (int)o.threads, &c->xla);
    if (!err) {
      snprintf(c->platform_version, sizeof c->platform_version,
               "jnx %s; XLA TfrtCpuClient in TensorFlow %s (tfrt-cpu runtime), %zu device(s), %d intra-op thread(s)",
               JNX_PLUGIN_VERSION, jnx_tf_version(), jnx_xla_client_devices(c->xla), jnx_xla_client_threads(c->xla));
    }
  } else {
    snprintf(c->platform_version, sizeof c->platform_version,
             "jnx %s; TensorFlow %s XLA:CPU via XlaCallModule (tf-session runtime: %s)", JNX_PLUGIN_VERSION,
             jnx_tf_version(), why_not);
  }
  if (!err) err = client_devices_init(c, c->xla ? jnx_xla_client_devices(c->xla) : 1);
  if (err) {
    client_free(c);
    return err;
  }
  jnx_count(JNX_OBJ_CLIENT, 1);
  args->client = c;
  return NULL;
}

static PJRT_Error* client_destroy(PJRT_Client_Destroy_Args* args) {
  CHECK_ARGS(PJRT_Client_Destroy_Args, args, client);
  RETURN_IF(check_client(args->client, "PJRT_Client_Destroy"));
  PJRT_Client* c = args->client;
  c->magic = MAGIC_DEAD;
  for (size_t i = 0; i < c->num_devices; i++) {
    c->devices[i].magic = MAGIC_DEAD;
    c->devices[i].memory.magic = MAGIC_DEAD;
  }
  client_free(c);
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
  args->devices = args->client->device_list;
  args->num_devices = args->client->num_devices;
  return NULL;
}

static PJRT_Error* client_addressable_devices(PJRT_Client_AddressableDevices_Args* args) {
  CHECK_ARGS(PJRT_Client_AddressableDevices_Args, args, num_addressable_devices);
  RETURN_IF(check_client(args->client, "PJRT_Client_AddressableDevices"));
  args->addressable_devices = args->client->device_list;
  args->num_addressable_devices = args->client->num_devices;
  return NULL;
}

static PJRT_Error* client_lookup_device(PJRT_Client_LookupDevice_Args* args) {
  CHECK_ARGS(PJRT_Client_LookupDevice_Args, args, device);
  RETURN_IF(check_client(args->client, "PJRT_Client_LookupDevice"));
  if (args->id < 0 || (size_t)args->id >= args->client->num_devices) {
    return INVALID("PJRT_Client_LookupDevice: no device with id %d", args->id);
  }
  args->device = &args->client->devices[args->id];
  return NULL;
}

static PJRT_Error* client_lookup_addressable_device(PJRT_Client_LookupAddressableDevice_Args* args) {
  CHECK_ARGS(PJRT_Client_LookupAddressableDevice_Args, args, addressable_device);
  RETURN_IF(check_client(args->client, "PJRT_Client_LookupAddressableDevice"));
  int id = args->local_hardware_id;
  if (id < 0 || (size_t)id >= args->client->num_devices) {
    return INVALID("PJRT_Client_LookupAddressableDevice: no device with local hardware id %d", id);
  }
  args->addressable_device = &args->client->devices[id];
  return NULL;
}

static PJRT_Error* client_addressable_memories(PJRT_Client_AddressableMemories_Args* args) {
  CHECK_ARGS(PJRT_Client_AddressableMemories_Args, args, num_addressable_memories);
  RETURN_IF(check_client(args->client, "PJRT_Client_AddressableMemories"));
  args->addressable_memories = args->client->memory_list;
  args->num_addressable_memories = args->client->num_devices;
  return NULL;
}

/* Replica-major: entry r * num_partitions + p is the device of replica r, partition p. */
static PJRT_Error* client_default_device_assignment(PJRT_Client_DefaultDeviceAssignment_Args* args) {
  static const char FN[] = "PJRT_Client_DefaultDeviceAssignment";
  CHECK_ARGS(PJRT_Client_DefaultDeviceAssignment_Args, args, default_assignment);
  RETURN_IF(check_client(args->client, FN));
  size_t n = args->client->num_devices;
  if (args->num_replicas < 1 || args->num_partitions < 1 ||
      (size_t)args->num_replicas * (size_t)args->num_partitions > n) {
    return INVALID("%s: %d replicas x %d partitions requested, but there are %zu devices", FN, args->num_replicas,
                   args->num_partitions, n);
  }
  size_t need = (size_t)args->num_replicas * (size_t)args->num_partitions;
  if (args->default_assignment_size < need || !args->default_assignment) {
    return INVALID("%s: default_assignment must have room for %zu entries", FN, need);
  }
  for (size_t i = 0; i < need; i++) args->default_assignment[i] = (int)i;
  return NULL;
}

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
  const PJRT_Device* d = (const PJRT_Device*)args->device_description;
  args->debug_string = d->debug_string;
  args->debug_string_size = strlen(d->debug_string);
  return NULL;
}

static PJRT_Error* device_description_to_string(PJRT_DeviceDescription_ToString_Args* args) {
  CHECK_ARGS(PJRT_DeviceDescription_ToString_Args, args, to_string_size);
  RETURN_IF(check_description(args->device_description, "PJRT_DeviceDescription_ToString"));
  const PJRT_Device* d = (const PJRT_Device*)args->device_description;
  args->to_string = d->to_string;
  args->to_string_size = strlen(d->to_string);
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
  args->local_hardware_id = (int)args->device->index;
  return NULL;
}

static PJRT_Error* device_addressable_memories(PJRT_Device_AddressableMemories_Args* args) {
  CHECK_ARGS(PJRT_Device_AddressableMemories_Args, args, num_memories);
  RETURN_IF(check_device(args->device, "PJRT_Device_AddressableMemories"));
  args->memories = args->device->memories;
  args->num_memories = 1;
  return NULL;
}

static PJRT_Error* device_default_memory(PJRT_Device_DefaultMemory_Args* args) {
  CHECK_ARGS(PJRT_Device_DefaultMemory_Args, args, memory);
  RETURN_IF(check_device(args->device, "PJRT_Device_DefaultMemory"));
  args->memory = &args->device->memory;
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
  args->debug_string = args->memory->debug_string;
  args->debug_string_size = strlen(args->memory->debug_string);
  return NULL;
}

static PJRT_Error* memory_to_string(PJRT_Memory_ToString_Args* args) {
  CHECK_ARGS(PJRT_Memory_ToString_Args, args, to_string_size);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_ToString"));
  args->to_string = args->memory->to_string;
  args->to_string_size = strlen(args->memory->to_string);
  return NULL;
}

static PJRT_Error* memory_addressable_by_devices(PJRT_Memory_AddressableByDevices_Args* args) {
  CHECK_ARGS(PJRT_Memory_AddressableByDevices_Args, args, num_devices);
  RETURN_IF(check_memory(args->memory, "PJRT_Memory_AddressableByDevices"));
  args->devices = args->memory->devices;
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
 * ran (or Execute donated the buffer). Storage is freed exactly once, by whoever sees
 * "deleted and unused" first. */
#define BUF_DELETED ((int_fast64_t)1 << 62)

struct PJRT_Buffer {
  uint32_t magic;
  bool zero_copy;           /* aliases caller memory (tfrt-cpu): never donated in place */
  const jnx_type_info* type;
  PJRT_Device* device;
  _Atomic(void*) storage;   /* TF_Tensor* (tf-session) or jnx_xla_buffer* (tfrt-cpu) */
  _Atomic(void*) data;      /* the elements, dense row-major: looked up when first needed */
  size_t bytes;
  atomic_int_fast64_t state;
  size_t rank;
  int64_t dims[]; /* rank entries */
};

static void storage_free(jnx_runtime runtime, void* s) {
  if (!s) return;
  if (runtime == RUNTIME_TF_SESSION) {
    jnx_tf_tensor_delete(s);
  } else {
    jnx_xla_buffer_destroy(s);
  }
}

static void buffer_free_storage(PJRT_Buffer* b) {
  storage_free(b->device->client->runtime, atomic_exchange_explicit(&b->storage, NULL, memory_order_acq_rel));
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

/* Marks a buffer deleted (Buffer_Delete, donation); frees now if nobody uses it. */
static void buffer_mark_deleted(PJRT_Buffer* b) {
  int_fast64_t s = atomic_fetch_or_explicit(&b->state, BUF_DELETED, memory_order_acq_rel);
  if (s == 0) buffer_free_storage(b);
}

static PJRT_Buffer* buffer_new(PJRT_Device* device, const jnx_type_info* type, const int64_t* dims, size_t rank,
                               void* storage, void* data, size_t bytes) {
  PJRT_Buffer* b = malloc(sizeof *b + rank * sizeof(int64_t));
  if (!b) return NULL;
  b->magic = MAGIC_BUFFER;
  b->zero_copy = false;
  b->type = type;
  b->device = device;
  atomic_init(&b->storage, storage);
  atomic_init(&b->data, data);
  b->bytes = bytes;
  atomic_init(&b->state, 0);
  b->rank = rank;
  if (rank) memcpy(b->dims, dims, rank * sizeof(int64_t));
  jnx_count(JNX_OBJ_BUFFER, 1);
  return b;
}

/* The elements of a buffer the caller has acquired (or holds otherwise alive). Execution
 * results learn their address on first use: most are only ever passed to the next Execute.
 * NULL is a valid answer for an empty array. */
static PJRT_Error* buffer_data(PJRT_Buffer* b, void** out) {
  void* d = atomic_load_explicit(&b->data, memory_order_acquire);
  if (!d && b->bytes && b->device->client->runtime == RUNTIME_TFRT_CPU) {
    RETURN_IF(jnx_xla_buffer_data(b->device->client->xla, atomic_load_explicit(&b->storage, memory_order_acquire), &d));
    atomic_store_explicit(&b->data, d, memory_order_release);
  }
  *out = d;
  return NULL;
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

/* A dense, canonical (pred bytes 0/1) copy of host data into dst. */
static void copy_host(char* dst, const char* src, const jnx_type_info* type, const int64_t* dims, size_t rank,
                      const int64_t* byte_strides, size_t bytes) {
  if (!bytes) return;
  if (byte_strides) {
    gather_strided(dst, src, dims, byte_strides, rank, type->size);
  } else {
    memcpy(dst, src, bytes);
  }
  /* XLA assumes pred bytes are 0 or 1; other values would leak through. */
  if (type->pjrt == PJRT_Buffer_Type_PRED) {
    for (size_t i = 0; i < bytes; i++) dst[i] = dst[i] != 0;
  }
}

static bool is_pred_canonical(const unsigned char* p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] > 1) return false;
  }
  return true;
}

/* A new buffer on `device` holding a copy of dense or strided host data. */
static PJRT_Error* buffer_from_copy(PJRT_Device* device, const jnx_type_info* type, const int64_t* dims, size_t rank,
                                    const void* data, const int64_t* byte_strides, size_t bytes, PJRT_Buffer** out) {
  void* storage = NULL;
  void* dst = NULL;
  PJRT_Error* err;
  if (device->client->runtime == RUNTIME_TF_SESSION) {
    err = jnx_tf_tensor_new(type, dims, rank, bytes, (TF_Tensor**)&storage);
    if (err) return err;
    dst = jnx_tf_tensor_data(storage);
    copy_host(dst, data, type, dims, rank, byte_strides, bytes);
  } else {
    /* XLA copies dense data itself; strided or non-canonical pred data is staged first. */
    const void* src = data;
    void* staged = NULL;
    if (bytes && (byte_strides || (type->pjrt == PJRT_Buffer_Type_PRED && !is_pred_canonical(data, bytes)))) {
      staged = malloc(bytes);
      if (!staged) return out_of_memory();
      copy_host(staged, data, type, dims, rank, byte_strides, bytes);
      src = staged;
    }
    err = jnx_xla_buffer_from_host(device->client->xla, device->index, type->pjrt, dims, rank, src, NULL, NULL,
                                   (jnx_xla_buffer**)&storage, &dst);
    free(staged);
    if (err) return err;
  }
  *out = buffer_new(device, type, dims, rank, storage, dst, bytes);
  if (!*out) {
    storage_free(device->client->runtime, storage);
    return out_of_memory();
  }
  return NULL;
}

static PJRT_Error* client_buffer_from_host_buffer(PJRT_Client_BufferFromHostBuffer_Args* args) {
  static const char FN[] = "PJRT_Client_BufferFromHostBuffer";
  CHECK_ARGS(PJRT_Client_BufferFromHostBuffer_Args, args, buffer);
  RETURN_IF(check_client(args->client, FN));
  PJRT_Client* c = args->client;
  const jnx_type_info* type = jnx_type_info_of(args->type);
  if (!type) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: element type %d is not supported", FN, (int)args->type);
  }
  size_t bytes = 0;
  RETURN_IF(shape_bytes(type, args->dims, args->num_dims, &bytes, FN));
  PJRT_Device* device = &c->devices[0];
  if (args->device) {
    RETURN_IF(check_client_device(c, args->device, FN));
    device = args->device;
  }
  if (args->memory) {
    RETURN_IF(check_memory(args->memory, FN));
    if (args->memory->devices[0]->client != c) return INVALID("%s: the memory belongs to another client", FN);
    if (args->device && args->memory->devices[0] != device) {
      return INVALID("%s: memory %d is not the memory of device %zu", FN, args->memory->id, device->index);
    }
    device = args->memory->devices[0];
  }
  if (args->device_layout) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: device_layout is not supported (dense row-major only)", FN);
  }
  if (bytes && !args->data) return INVALID("%s: data is NULL", FN);
  const int64_t* strides = NULL;
  if (args->num_byte_strides) {
    if (args->num_byte_strides != args->num_dims || !args->byte_strides) {
      return INVALID("%s: %zu byte_strides for %zu dims", FN, args->num_byte_strides, args->num_dims);
    }
    int64_t expect = (int64_t)type->size;
    for (size_t i = args->num_dims; i-- > 0;) {
      if (args->dims[i] > 1 && args->byte_strides[i] != expect) strides = args->byte_strides;
      expect *= args->dims[i];
    }
  }
  bool zero_copy = c->runtime == RUNTIME_TFRT_CPU && bytes && !strides &&
                   (args->host_buffer_semantics == PJRT_HostBufferSemantics_kImmutableZeroCopy ||
                    args->host_buffer_semantics == PJRT_HostBufferSemantics_kMutableZeroCopy) &&
                   (type->pjrt != PJRT_Buffer_Type_PRED || is_pred_canonical(args->data, bytes));
  /* A copy is done when the call returns: no event (NULL is "already done" to PJRT callers). */
  PJRT_Event* done = zero_copy ? new_event(false) : NULL;
  if (zero_copy && !done) return out_of_memory();
  PJRT_Buffer* b = NULL;
  PJRT_Error* err;
  if (zero_copy) {
    void* storage = NULL;
    void* dst = NULL;
    /* XLA fires `done` when it no longer reads the caller's memory (at the latest when the
     * buffer is destroyed); on failure it has fired already. */
    err = jnx_xla_buffer_from_host(c->xla, device->index, type->pjrt, args->dims, args->num_dims, args->data,
                                   event_fire, done, (jnx_xla_buffer**)&storage, &dst);
    if (!err) {
      b = buffer_new(device, type, args->dims, args->num_dims, storage, dst, bytes);
      if (!b) {
        jnx_xla_buffer_destroy(storage);
        err = out_of_memory();
      } else {
        b->zero_copy = dst == args->data;
      }
    }
  } else {
    err = buffer_from_copy(device, type, args->dims, args->num_dims, args->data, strides, bytes, &b);
  }
  if (err) {
    if (done) event_unref(done);
    return err;
  }
  args->done_with_host_buffer = done;
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
  args->device = args->buffer->device;
  return NULL;
}

static PJRT_Error* buffer_memory(PJRT_Buffer_Memory_Args* args) {
  CHECK_ARGS(PJRT_Buffer_Memory_Args, args, memory);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_Memory"));
  args->memory = &args->buffer->device->memory;
  return NULL;
}

static PJRT_Error* buffer_delete(PJRT_Buffer_Delete_Args* args) {
  CHECK_ARGS(PJRT_Buffer_Delete_Args, args, buffer);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_Delete"));
  buffer_mark_deleted(args->buffer);
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
  args->event = new_event(true);
  return args->event ? NULL : out_of_memory();
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
  void* d;
  RETURN_IF(buffer_data(args->buffer, &d));
  args->buffer_pointer = (uintptr_t)d;
  return NULL;
}

static PJRT_Error* buffer_opaque_pointer(PJRT_Buffer_OpaqueDeviceMemoryDataPointer_Args* args) {
  CHECK_ARGS(PJRT_Buffer_OpaqueDeviceMemoryDataPointer_Args, args, device_memory_ptr);
  RETURN_IF(check_buffer(args->buffer, "PJRT_Buffer_OpaqueDeviceMemoryDataPointer"));
  if (atomic_load_explicit(&args->buffer->state, memory_order_acquire) & BUF_DELETED) {
    return deleted_error("PJRT_Buffer_OpaqueDeviceMemoryDataPointer");
  }
  RETURN_IF(buffer_data(args->buffer, &args->device_memory_ptr));
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
  void* d;
  PJRT_Error* err = buffer_data(b, &d);
  if (!err && b->bytes) memcpy(args->dst, d, b->bytes);
  buffer_release(b);
  return err; /* copied before returning: no event (NULL is "already done") */
}

static PJRT_Error* buffer_copy_to_device(PJRT_Buffer_CopyToDevice_Args* args) {
  static const char FN[] = "PJRT_Buffer_CopyToDevice";
  CHECK_ARGS(PJRT_Buffer_CopyToDevice_Args, args, dst_buffer);
  RETURN_IF(check_buffer(args->buffer, FN));
  PJRT_Buffer* b = args->buffer;
  RETURN_IF(check_client_device(b->device->client, args->dst_device, FN));
  if (!buffer_acquire(b)) return deleted_error(FN);
  /* CPU device memory is host memory: the copy is an upload of the source's elements. */
  void* d;
  PJRT_Error* err = buffer_data(b, &d);
  if (!err) err = buffer_from_copy(args->dst_device, b->type, b->dims, b->rank, d, NULL, b->bytes, &args->dst_buffer);
  buffer_release(b);
  return err;
}

/* ---- executables ---------------------------------------------------------------------------- */

/* The compiled state, shared by a loaded executable and any PJRT_Executable views of it. */
typedef struct jnx_program {
  atomic_int refs;
  PJRT_Client* client;
  size_t num_devices;    /* partitions: one execution runs on all of them */
  PJRT_Device** devices; /* in partition order */
  jnx_signature sig;     /* per-device (local) shapes once partitioned */
  jnx_tf_program* tf;       /* tf-session */
  jnx_xla_executable* xla;  /* tfrt-cpu */
  bool donates;             /* some argument is donated (tfrt-cpu) */
  char* blob;               /* XLA's serialized form, kept for a deserialized executable: XLA
                               cannot serialize one again (its kernels' object code is gone) */
  size_t blob_size;
  atomic_bool verified;     /* a run's result sizes matched the signature */
  char* code;
  size_t code_size;
  char fingerprint[17];
  size_t* out_bytes;
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
  jnx_xla_executable_destroy(p->xla);
  free(p->devices);
  free(p->blob);
  jnx_signature_free(&p->sig);
  free(p->code);
  free(p->out_bytes);
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

/* The program's metadata from its StableHLO text: @main's signature and the per-output
 * tables the PJRT accessors hand out. */
static PJRT_Error* program_new(PJRT_Client* c, const char* code, size_t size, jnx_program** out) {
  *out = NULL;
  if (size >= 4 && memcmp(code, "ML\xEFR", 4) == 0) {
    return INVALID("StableHLO bytecode is not supported, pass the module as MLIR text");
  }
  jnx_program* p = calloc(1, sizeof *p);
  if (!p) return out_of_memory();
  jnx_count(JNX_OBJ_PROGRAM, 1);
  atomic_init(&p->refs, 1);
  p->client = c;
  p->num_devices = 1;
  p->devices = malloc(sizeof *p->devices);
  if (!p->devices) {
    program_unref(p);
    return out_of_memory();
  }
  p->devices[0] = &c->devices[0];
  PJRT_Error* err = jnx_parse_signature(code, size, &p->sig);
  if (err) {
    program_unref(p);
    return err;
  }
  for (size_t i = 0; i < p->sig.num_args; i++) p->donates |= p->sig.args[i].donated;
  p->code = malloc(size + 1);
  if (!p->code) {
    program_unref(p);
    return out_of_memory();
  }
  memcpy(p->code, code, size);
  p->code[size] = '\0';
  p->code_size = size;
  snprintf(p->fingerprint, sizeof p->fingerprint, "%016llx", (unsigned long long)fnv1a(code, size));
  *out = p;
  return NULL;
}

/* The per-output tables the PJRT accessors hand out, from the (local) signature. */
static PJRT_Error* program_tables(jnx_program* p) {
  size_t n_out = p->sig.num_results, total_dims = 0;
  for (size_t i = 0; i < n_out; i++) total_dims += p->sig.results[i].rank;
  p->out_bytes = calloc(n_out + 1, sizeof *p->out_bytes);
  p->out_types = calloc(n_out + 1, sizeof *p->out_types);
  p->out_dims = calloc(total_dims + 1, sizeof *p->out_dims);
  p->out_ranks = calloc(n_out + 1, sizeof *p->out_ranks);
  p->out_kinds = calloc(n_out + 1, sizeof *p->out_kinds);
  p->out_kind_sizes = calloc(n_out + 1, sizeof *p->out_kind_sizes);
  if (!p->out_bytes || !p->out_types || !p->out_dims || !p->out_ranks || !p->out_kinds || !p->out_kind_sizes) {
    return out_of_memory();
  }
  for (size_t i = 0, k = 0; i < n_out; i++) {
    const jnx_tensor_type* r = &p->sig.results[i];
    const jnx_type_info* info = jnx_type_info_of(r->type);
    p->out_types[i] = r->type;
    p->out_ranks[i] = r->rank;
    p->out_bytes[i] = info->size;
    for (size_t j = 0; j < r->rank; j++) {
      p->out_dims[k++] = r->dims[j];
      p->out_bytes[i] *= (size_t)r->dims[j];
    }
    p->out_kinds[i] = MEMORY_KIND;
    p->out_kind_sizes[i] = sizeof MEMORY_KIND - 1;
  }
  return NULL;
}

/* A partitioned executable's buffers hold shards: each value's local shape is its global
 * shape divided by its mhlo.sharding tiles (replicated values are whole everywhere). */
static void localize(jnx_tensor_type* values, size_t n) {
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; values[i].tiles && k < values[i].rank; k++) values[i].dims[k] /= values[i].tiles[k];
  }
}

static PJRT_Error* program_attach_xla(jnx_program* p, jnx_xla_executable* x) {
  p->xla = x;
  const size_t* devs;
  size_t n = jnx_xla_executable_devices(x, &devs);
  PJRT_Device** list = malloc((n ? n : 1) * sizeof *list);
  if (!list) return out_of_memory();
  for (size_t i = 0; i < n; i++) {
    if (devs[i] >= p->client->num_devices) {
      free(list);
      return jnx_error(PJRT_Error_Code_INTERNAL, "executable device %zu is unknown", devs[i]);
    }
    list[i] = &p->client->devices[devs[i]];
  }
  free(p->devices);
  p->devices = list;
  p->num_devices = n;
  if (n > 1) {
    if (p->donates) return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "donation in a partitioned executable");
    localize(p->sig.args, p->sig.num_args);
    localize(p->sig.results, p->sig.num_results);
  }
  return program_tables(p);
}

static PJRT_Error* loaded_new(jnx_program* p, PJRT_LoadedExecutable** out) {
  PJRT_LoadedExecutable* e = malloc(sizeof *e);
  if (!e) {
    program_unref(p);
    return out_of_memory();
  }
  e->magic = MAGIC_LOADED;
  atomic_init(&e->deleted, false);
  e->prog = p;
  jnx_count(JNX_OBJ_EXECUTABLE, 1);
  *out = e;
  return NULL;
}

/* Compiles StableHLO text: on tfrt-cpu XLA compiles now (errors carry MLIR's diagnostics);
 * on tf-session the TF graph is built and XLA compiles at the first Execute. */
static PJRT_Error* compile_text(PJRT_Client* c, const char* code, size_t size, const char* options,
                                size_t options_size, PJRT_LoadedExecutable** out) {
  jnx_program* p;
  RETURN_IF(program_new(c, code, size, &p));
  PJRT_Error* err;
  if (c->runtime == RUNTIME_TFRT_CPU) {
    jnx_xla_executable* x = NULL;
    err = jnx_xla_compile(c->xla, p->code, p->code_size, options, options_size, &x);
    if (!err) err = program_attach_xla(p, x);
  } else {
    /* compile_options are ignored here: one device, one replica, XLA:CPU's defaults. */
    err = program_tables(p);
    if (!err) err = jnx_tf_program_create(p->code, p->code_size, &p->sig, &p->tf);
  }
  if (err) {
    program_unref(p);
    return err;
  }
  return loaded_new(p, out);
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
  if (args->compile_options_size && !args->compile_options) return INVALID("%s: compile_options is NULL", FN);
  return compile_text(args->client, prog->code, prog->code_size, args->compile_options, args->compile_options_size,
                      &args->executable);
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
  jnx_program* p = e->prog;
  e->magic = MAGIC_DEAD;
  free(e);
  program_unref(p);
  jnx_count(JNX_OBJ_EXECUTABLE, -1);
  return NULL;
}

static PJRT_Error* loaded_executable_get_executable(PJRT_LoadedExecutable_GetExecutable_Args* args) {
  CHECK_ARGS(PJRT_LoadedExecutable_GetExecutable_Args, args, executable);
  RETURN_IF(check_loaded(args->loaded_executable, "PJRT_LoadedExecutable_GetExecutable"));
  PJRT_Executable* e = malloc(sizeof *e);
  if (!e) return out_of_memory();
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
  jnx_program* p = args->executable->prog;
  args->addressable_devices = p->devices;
  args->num_addressable_devices = p->num_devices;
  return NULL;
}

/* Marks the executable unusable; its compiled state lives until Destroy so that an Execute
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
  jnx_program* p = e->prog;
  e->magic = MAGIC_DEAD;
  free(e);
  program_unref(p);
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
  args->num_partitions = args->executable->prog->num_devices;
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

/* ---- serialization ---------------------------------------------------------------------------
 * tf-session: "JNXPJRT1" + the module text; loading compiles it again.
 * tfrt-cpu:   "JNXPJRT2", the runtime's identity (its platform version up to the device
 *             count) as a NUL-terminated string, u64 text size + text, u64 size + XLA's
 *             serialized executable. Loading checks the identity, so an executable from
 *             another TF build or the other runtime is refused, never loaded blindly. */
static const char SERIAL_TEXT[8] = {'J', 'N', 'X', 'P', 'J', 'R', 'T', '1'};
static const char SERIAL_XLA[8] = {'J', 'N', 'X', 'P', 'J', 'R', 'T', '2'};

struct PJRT_SerializedExecutable {
  size_t size;
  char bytes[];
};

static void serialized_delete(PJRT_SerializedExecutable* s) {
  if (!s) return;
  free(s);
  jnx_count(JNX_OBJ_SERIALIZED, -1);
}

/* "jnx 0.2.0; XLA TfrtCpuClient in TensorFlow 2.18.0 (tfrt-cpu runtime)": what an executable
 * depends on, without the per-client device and thread counts. */
static size_t runtime_identity(const PJRT_Client* c) {
  const char* end = strstr(c->platform_version, "runtime)");
  return end ? (size_t)(end - c->platform_version) + 8 : strlen(c->platform_version);
}

static void put_u64(char* p, uint64_t v) { memcpy(p, &v, 8); }

static uint64_t get_u64(const char* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static PJRT_Error* executable_serialize(PJRT_Executable_Serialize_Args* args) {
  CHECK_ARGS(PJRT_Executable_Serialize_Args, args, serialized_executable_deleter);
  RETURN_IF(check_exe(args->executable, "PJRT_Executable_Serialize"));
  const jnx_program* p = args->executable->prog;
  char* blob = NULL;
  size_t blob_size = 0, id_size = runtime_identity(p->client), size;
  if (p->xla) {
    if (p->blob) {
      blob = malloc(p->blob_size + 1);
      if (!blob) return out_of_memory();
      memcpy(blob, p->blob, p->blob_size);
      blob_size = p->blob_size;
    } else {
      RETURN_IF(jnx_xla_serialize(p->xla, &blob, &blob_size));
    }
    size = 8 + id_size + 1 + 8 + p->code_size + 8 + blob_size;
  } else {
    size = 8 + p->code_size;
  }
  PJRT_SerializedExecutable* s = malloc(sizeof *s + size);
  if (!s) {
    free(blob);
    return out_of_memory();
  }
  s->size = size;
  char* w = s->bytes;
  if (p->xla) {
    memcpy(w, SERIAL_XLA, 8);
    memcpy(w + 8, p->client->platform_version, id_size);
    w[8 + id_size] = '\0';
    w += 8 + id_size + 1;
    put_u64(w, p->code_size);
    memcpy(w + 8, p->code, p->code_size);
    w += 8 + p->code_size;
    put_u64(w, blob_size);
    memcpy(w + 8, blob, blob_size);
  } else {
    memcpy(w, SERIAL_TEXT, 8);
    memcpy(w + 8, p->code, p->code_size);
  }
  free(blob);
  jnx_count(JNX_OBJ_SERIALIZED, 1);
  args->serialized_bytes = s->bytes;
  args->serialized_bytes_size = s->size;
  args->serialized_executable = s;
  args->serialized_executable_deleter = serialized_delete;
  return NULL;
}

static PJRT_Error* deserialize_xla(PJRT_Client* c, const char* s, size_t n, PJRT_LoadedExecutable** out) {
  static const char FN[] = "PJRT_Executable_DeserializeAndLoad";
  const char* id = s + 8;
  const char* id_end = memchr(id, '\0', n - 8);
  if (!id_end) return INVALID("%s: truncated executable", FN);
  size_t id_size = runtime_identity(c);
  if (c->runtime != RUNTIME_TFRT_CPU || (size_t)(id_end - id) != id_size || memcmp(id, c->platform_version, id_size)) {
    return INVALID("%s: the executable was compiled by \"%.*s\", this client is \"%.*s\"", FN,
                   (int)(id_end - id > 200 ? 200 : id_end - id), id, (int)id_size, c->platform_version);
  }
  const char* r = id_end + 1;
  const char* end = s + n;
  if (end - r < 8) return INVALID("%s: truncated executable", FN);
  uint64_t code_size = get_u64(r);
  if (code_size == 0 || code_size > (uint64_t)(end - r - 8)) return INVALID("%s: truncated executable", FN);
  const char* code = r + 8;
  r = code + code_size;
  if (end - r < 8) return INVALID("%s: truncated executable", FN);
  uint64_t blob_size = get_u64(r);
  if (blob_size != (uint64_t)(end - r - 8)) return INVALID("%s: truncated or padded executable", FN);
  jnx_program* p;
  RETURN_IF(program_new(c, code, code_size, &p));
  jnx_xla_executable* x = NULL;
  PJRT_Error* err = jnx_xla_deserialize(c->xla, r + 8, blob_size, &x);
  if (!err) err = program_attach_xla(p, x);
  if (!err) {
    p->blob = malloc(blob_size + 1);
    if (!p->blob) err = out_of_memory();
    if (p->blob) memcpy(p->blob, r + 8, blob_size);
    p->blob_size = blob_size;
  }
  if (err) {
    program_unref(p);
    return err;
  }
  return loaded_new(p, out);
}

static PJRT_Error* executable_deserialize_and_load(PJRT_Executable_DeserializeAndLoad_Args* args) {
  static const char FN[] = "PJRT_Executable_DeserializeAndLoad";
  CHECK_ARGS(PJRT_Executable_DeserializeAndLoad_Args, args, loaded_executable);
  RETURN_IF(check_client(args->client, FN));
  const char* s = args->serialized_executable;
  size_t n = args->serialized_executable_size;
  if (s && n > 8 && memcmp(s, SERIAL_XLA, 8) == 0) return deserialize_xla(args->client, s, n, &args->loaded_executable);
  if (s && n > 8 && memcmp(s, SERIAL_TEXT, 8) == 0) {
    return compile_text(args->client, s + 8, n - 8, NULL, 0, &args->loaded_executable);
  }
  return INVALID("%s: not an executable serialized by the jnx CPU plugin", FN);
}

/* ---- execute ------------------------------------------------------------------------------ */

#define STACK_ARGS 16

static bool listed(const int64_t* list, size_t n, size_t i) {
  for (size_t k = 0; k < n; k++) {
    if (list[k] == (int64_t)i) return true;
  }
  return false;
}

/* Runs on tfrt-cpu. Arguments are acquired; a donated argument that must survive (listed as
 * non-donatable, or aliasing caller memory) is passed as a copy made here. */
static PJRT_Error* execute_xla(jnx_program* p, PJRT_Buffer* const* in, const PJRT_ExecuteOptions* opt,
                               PJRT_Buffer** results) {
  const jnx_signature* sig = &p->sig;
  size_t na = sig->num_args, nr = sig->num_results;
  jnx_xla_buffer* stack_in[STACK_ARGS];
  PJRT_Buffer* stack_copies[STACK_ARGS];
  jnx_xla_buffer* stack_out[STACK_ARGS];
  jnx_xla_buffer** args = na <= STACK_ARGS ? stack_in : malloc(na * sizeof *args);
  PJRT_Buffer** copies = na <= STACK_ARGS ? stack_copies : calloc(na, sizeof *copies);
  jnx_xla_buffer** outs = nr <= STACK_ARGS ? stack_out : malloc(nr * sizeof *outs);
  PJRT_Error* err = NULL;
  if (!args || !copies || !outs) {
    err = out_of_memory();
    goto done;
  }
  if (na <= STACK_ARGS) memset(copies, 0, na * sizeof *copies);
  const int64_t* keep = NULL;
  size_t num_keep = 0;
  if (opt && opt->struct_size >= JNX_STRUCT_SIZE(PJRT_ExecuteOptions, num_non_donatable_input_indices)) {
    keep = opt->non_donatable_input_indices;
    num_keep = keep ? opt->num_non_donatable_input_indices : 0;
  }
  for (size_t i = 0; i < na; i++) {
    PJRT_Buffer* b = in[i];
    if (sig->args[i].donated && (b->zero_copy || listed(keep, num_keep, i))) {
      void* d;
      err = buffer_data(b, &d);
      if (!err) err = buffer_from_copy(b->device, b->type, b->dims, b->rank, d, NULL, b->bytes, &copies[i]);
      if (err) goto done;
      b = copies[i];
    }
    args[i] = atomic_load_explicit(&b->storage, memory_order_acquire);
  }
  bool check = !atomic_load_explicit(&p->verified, memory_order_acquire);
  err = jnx_xla_execute(p->client->xla, p->xla, args, na, check ? p->out_bytes : NULL, nr, outs);
  if (err) goto done;
  if (check) atomic_store_explicit(&p->verified, true, memory_order_release);
  for (size_t j = 0; j < nr; j++) {
    const jnx_tensor_type* r = &sig->results[j];
    results[j] = buffer_new(p->devices[0], jnx_type_info_of(r->type), r->dims, r->rank, outs[j], NULL, p->out_bytes[j]);
    if (!results[j]) {
      for (size_t k = 0; k < j; k++) {
        PJRT_Buffer_Destroy_Args d = {.struct_size = sizeof d, .buffer = results[k]};
        buffer_destroy(&d);
        results[k] = NULL;
      }
      for (size_t k = j; k < nr; k++) jnx_xla_buffer_destroy(outs[k]);
      err = out_of_memory();
      goto done;
    }
  }
  /* XLA took the storage of what it donated; the caller's handles read as deleted. */
  for (size_t i = 0; p->donates && i < na; i++) {
    if (sig->args[i].donated && !copies[i] && jnx_xla_buffer_is_deleted(args[i])) buffer_mark_deleted(in[i]);
  }
done:
  for (size_t i = 0; copies && i < na; i++) {
    if (copies[i]) {
      PJRT_Buffer_Destroy_Args d = {.struct_size = sizeof d, .buffer = copies[i]};
      buffer_destroy(&d);
    }
  }
  if (args != stack_in) free(args);
  if (copies != stack_copies) free(copies);
  if (outs != stack_out) free(outs);
  return err;
}

/* Runs on tf-session; results take over the TF_Tensors TF allocated. */
static PJRT_Error* execute_tf(jnx_program* p, PJRT_Buffer* const* in, PJRT_Buffer** results) {
  const jnx_signature* sig = &p->sig;
  TF_Tensor* in_stack[STACK_ARGS];
  TF_Tensor* out_stack[STACK_ARGS];
  TF_Tensor** inputs = sig->num_args <= STACK_ARGS ? in_stack : malloc(sig->num_args * sizeof *inputs);
  TF_Tensor** outputs = sig->num_results <= STACK_ARGS ? out_stack : malloc(sig->num_results * sizeof *outputs);
  PJRT_Error* err = NULL;
  if (!inputs || !outputs) {
    err = out_of_memory();
    goto done;
  }
  for (size_t i = 0; i < sig->num_args; i++) inputs[i] = atomic_load_explicit(&in[i]->storage, memory_order_acquire);
  err = jnx_tf_program_run(p->tf, inputs, outputs);
  if (err) goto done;
  for (size_t i = 0; i < sig->num_results; i++) {
    const jnx_tensor_type* r = &sig->results[i];
    results[i] = buffer_new(p->devices[0], jnx_type_info_of(r->type), r->dims, r->rank, outputs[i],
                            jnx_tf_tensor_data(outputs[i]), p->out_bytes[i]);
    if (!results[i]) {
      for (size_t j = 0; j < i; j++) {
        PJRT_Buffer_Destroy_Args d = {.struct_size = sizeof d, .buffer = results[j]};
        buffer_destroy(&d);
        results[j] = NULL;
      }
      for (size_t j = i; j < sig->num_results; j++) jnx_tf_tensor_delete(outputs[j]);
      err = out_of_memory();
      goto done;
    }
  }
done:
  if (inputs != in_stack) free(inputs);
  if (outputs != out_stack) free(outputs);
  return err;
}

/* Runs every partition (tfrt-cpu); in and out are [device][index]. */
static PJRT_Error* execute_partitioned(jnx_program* p, PJRT_Buffer* const* const* in, PJRT_Buffer** const* out) {
  size_t nd = p->num_devices, na = p->sig.num_args, nr = p->sig.num_results;
  jnx_xla_buffer** args = malloc((nd * na + 1) * sizeof *args);
  jnx_xla_buffer** outs = calloc(nd * nr + 1, sizeof *outs);
  PJRT_Error* err = NULL;
  if (!args || !outs) {
    err = out_of_memory();
    goto done;
  }
  for (size_t d = 0; d < nd; d++) {
    for (size_t i = 0; i < na; i++) args[d * na + i] = atomic_load_explicit(&in[d][i]->storage, memory_order_acquire);
  }
  bool check = !atomic_load_explicit(&p->verified, memory_order_acquire);
  err = jnx_xla_execute_partitioned(p->xla, args, na, check ? p->out_bytes : NULL, nr, outs);
  if (err) goto done;
  if (check) atomic_store_explicit(&p->verified, true, memory_order_release);
  for (size_t k = 0; k < nd * nr; k++) {
    size_t d = k / nr, j = k % nr;
    const jnx_tensor_type* r = &p->sig.results[j];
    out[d][j] = buffer_new(p->devices[d], jnx_type_info_of(r->type), r->dims, r->rank, outs[k], NULL, p->out_bytes[j]);
    if (!out[d][j]) {
      for (size_t m = 0; m < k; m++) {
        PJRT_Buffer_Destroy_Args x = {.struct_size = sizeof x, .buffer = out[m / nr][m % nr]};
        buffer_destroy(&x);
        out[m / nr][m % nr] = NULL;
      }
      for (size_t m = k; m < nd * nr; m++) jnx_xla_buffer_destroy(outs[m]);
      err = out_of_memory();
      goto done;
    }
  }
done:
  free(args);
  free(outs);
  return err;
}

/* Checks one device's argument list against @main's (local) signature. */
static PJRT_Error* check_arguments(const jnx_program* p, size_t d, PJRT_Buffer* const* in) {
  static const char FN[] = "PJRT_LoadedExecutable_Execute";
  const jnx_signature* sig = &p->sig;
  for (size_t i = 0; i < sig->num_args; i++) {
    const PJRT_Buffer* b = in[i];
    if (!b || b->magic != MAGIC_BUFFER) return INVALID("%s: argument %zu is not a live PJRT_Buffer", FN, i);
    const jnx_tensor_type* want = &sig->args[i];
    bool same = b->type->pjrt == want->type && b->rank == want->rank;
    for (size_t k = 0; same && k < want->rank; k++) same = b->dims[k] == want->dims[k];
    if (!same) {
      char w[128], g[128];
      return INVALID("argument %zu%s: expected %s, got %s", i, p->num_devices > 1 ? " (a shard)" : "",
                     jnx_format_shape(want->type, want->dims, want->rank, w, sizeof w),
                     jnx_format_shape(b->type->pjrt, b->dims, b->rank, g, sizeof g));
    }
    if (b->device != p->devices[d]) {
      return INVALID("argument %zu: the buffer is on %s of %s client, the executable runs %s on %s", i,
                     b->device->to_string, b->device->client == p->client ? "this" : "another",
                     p->num_devices > 1 ? "this partition" : "", p->devices[d]->to_string);
    }
  }
  return NULL;
}

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
  size_t nd = p->num_devices;
  if (args->num_devices != nd) {
    return INVALID("%s: num_devices is %zu; this executable runs on %zu device(s)", FN, args->num_devices, nd);
  }
  if (HAS_MEMBER(PJRT_LoadedExecutable_Execute_Args, args, execute_device) && args->execute_device &&
      (nd != 1 || args->execute_device != p->devices[0])) {
    RETURN_IF(check_device(args->execute_device, FN));
    return INVALID("%s: execute_device is device %zu, but the executable was compiled for device %zu", FN,
                   args->execute_device->index, p->devices[0]->index);
  }
  const PJRT_ExecuteOptions* opt = args->options;
  if (opt && opt->struct_size >= JNX_STRUCT_SIZE(PJRT_ExecuteOptions, num_recv_ops) &&
      (opt->num_send_ops || opt->num_recv_ops)) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: send/recv callbacks are not supported", FN);
  }
  if (args->num_args != sig->num_args) {
    return INVALID("%s: the module takes %zu arguments, got %zu", FN, sig->num_args, args->num_args);
  }
  for (size_t d = 0; d < nd; d++) {
    if (sig->num_args && (!args->argument_lists || !args->argument_lists[d])) {
      return INVALID("%s: argument_lists is NULL", FN);
    }
    if (sig->num_results && (!args->output_lists || !args->output_lists[d])) {
      return INVALID("%s: output_lists is NULL", FN);
    }
    /* Check every argument against @main before the runtime sees it. */
    if (sig->num_args) RETURN_IF(check_arguments(p, d, args->argument_lists[d]));
  }

  PJRT_Error* err = NULL;
  size_t held = 0, na = sig->num_args;
  /* Allocated up front so that no failure can follow the creation of the results. */
  PJRT_Event* events[STACK_ARGS] = {NULL};
  if (args->device_complete_events) {
    if (nd > STACK_ARGS) return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: device_complete_events for over %d devices", FN, STACK_ARGS);
    for (size_t d = 0; d < nd; d++) {
      if (!(events[d] = new_event(true))) {
        for (size_t k = 0; k < d; k++) event_unref(events[k]);
        return out_of_memory();
      }
    }
  }
  for (; held < nd * na; held++) {
    if (!buffer_acquire(args->argument_lists[held / na][held % na])) {
      err = jnx_error(PJRT_Error_Code_FAILED_PRECONDITION, "argument %zu: the buffer has been deleted", held % na);
      goto done;
    }
  }
  if (nd > 1) {
    err = execute_partitioned(p, args->argument_lists, args->output_lists);
  } else {
    PJRT_Buffer* const* in = na ? args->argument_lists[0] : NULL;
    err = p->xla ? execute_xla(p, in, opt, args->output_lists[0]) : execute_tf(p, in, args->output_lists[0]);
  }
  if (!err && args->device_complete_events) {
    for (size_t d = 0; d < nd; d++) {
      args->device_complete_events[d] = events[d];
      events[d] = NULL;
    }
  }
done:
  for (size_t d = 0; d < nd && d < STACK_ARGS; d++) {
    if (events[d]) event_unref(events[d]);
  }
  for (size_t i = 0; i < held; i++) buffer_release(args->argument_lists[i / na][i % na]);
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
