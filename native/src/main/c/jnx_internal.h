/* Internal interfaces between the plugin's parts: the PJRT surface (pjrt_api.c), the StableHLO
 * signature reader (mlir_signature.c), the two runtimes (xla_cpu.cc: XLA's TfrtCpuClient;
 * tf_glue.c: TensorFlow's loader and its XlaCallModule session) and sha256.c. */
#ifndef JNX_INTERNAL_H
#define JNX_INTERNAL_H

#include "jnx_pjrt.h"

#define JNX_HIDDEN __attribute__((visibility("hidden")))

/* The most CPU devices one client may have (cpu_device_count). */
#define JNX_MAX_DEVICES 1024

/* Bytes a caller must allot for a struct: the end of its last member, without the trailing
 * padding, exactly like the official <Name>_STRUCT_SIZE constants. */
#define JNX_STRUCT_SIZE(type, last_member) \
  (offsetof(type, last_member) + sizeof(((type*)0)->last_member))

/* ---- errors and object accounting (pjrt_api.c) ------------------------------------------- */

JNX_HIDDEN PJRT_Error* jnx_error(PJRT_Error_Code code, const char* fmt, ...)
    __attribute__((format(printf, 2, 3)));
JNX_HIDDEN const char* jnx_error_message(const PJRT_Error* e);
JNX_HIDDEN void jnx_error_free(PJRT_Error* e);

enum jnx_object_kind {
  JNX_OBJ_CLIENT,
  JNX_OBJ_EXECUTABLE, /* PJRT_Executable and PJRT_LoadedExecutable handles */
  JNX_OBJ_PROGRAM,    /* the shared compiled state behind them */
  JNX_OBJ_BUFFER,
  JNX_OBJ_EVENT,
  JNX_OBJ_ERROR,
  JNX_OBJ_SERIALIZED,
  JNX_OBJ_KINDS
};
JNX_HIDDEN void jnx_count(enum jnx_object_kind kind, int delta);

/* ---- element types ------------------------------------------------------------------------ */

typedef struct jnx_type_info {
  PJRT_Buffer_Type pjrt;
  int tf_dtype;     /* TF_DataType */
  size_t size;      /* bytes per element */
  const char* name; /* XLA's spelling, used in messages: f32, s64, pred, ... */
} jnx_type_info;

/* NULL for types this plugin cannot hold (sub-byte ints, fp8, token, ...). */
JNX_HIDDEN const jnx_type_info* jnx_type_info_of(PJRT_Buffer_Type type);

/* ---- @main signature ------------------------------------------------------------------------ */

typedef struct jnx_tensor_type {
  PJRT_Buffer_Type type;
  size_t rank;
  int64_t* dims; /* rank entries, all >= 0 */
  bool donated;  /* an argument marked tf.aliasing_output or jax.buffer_donor */
  int64_t* tiles; /* shards per dimension (mhlo.sharding), or NULL: whole on every device */
} jnx_tensor_type;

typedef struct jnx_signature {
  size_t num_args;
  jnx_tensor_type* args;
  size_t num_results;
  jnx_tensor_type* results;
  char* module_name; /* from `module @name`, else "main" */
} jnx_signature;

/* Reads the argument and result types of `func.func public @main` from StableHLO MLIR text.
 * Returns NULL or an INVALID_ARGUMENT error; on success *out owns heap memory. */
JNX_HIDDEN PJRT_Error* jnx_parse_signature(const char* text, size_t len, jnx_signature* out);
JNX_HIDDEN void jnx_signature_free(jnx_signature* sig);

/* "f32[2,3]" into buf; returns buf. */
JNX_HIDDEN const char* jnx_format_shape(PJRT_Buffer_Type type, const int64_t* dims, size_t rank,
                                        char* buf, size_t size);

/* ---- TensorFlow glue (tf_glue.c) ------------------------------------------------------------- */

typedef struct TF_Tensor TF_Tensor;
typedef struct jnx_tf_program jnx_tf_program;

/* Loads TensorFlow once (thread-safe); later calls are cheap. */
JNX_HIDDEN PJRT_Error* jnx_tf_load(void);
/* "2.18.0"-like; only valid after a successful jnx_tf_load. */
JNX_HIDDEN const char* jnx_tf_version(void);

/* Allocates a dense tensor; dims must have been validated (non-negative, no overflow). */
JNX_HIDDEN PJRT_Error* jnx_tf_tensor_new(const jnx_type_info* type, const int64_t* dims,
                                         size_t rank, size_t bytes, TF_Tensor** out);
JNX_HIDDEN void jnx_tf_tensor_delete(TF_Tensor* t);
JNX_HIDDEN void* jnx_tf_tensor_data(const TF_Tensor* t);

/* Builds Placeholder* -> XlaCallModule and its session. The module text is copied. */
JNX_HIDDEN PJRT_Error* jnx_tf_program_create(const char* module, size_t len,
                                             const jnx_signature* sig, jnx_tf_program** out);
JNX_HIDDEN void jnx_tf_program_destroy(jnx_tf_program* p);
/* Runs once. inputs: sig->num_args borrowed tensors whose types and shapes were checked.
 * outputs: sig->num_results slots, filled with owned tensors, each verified against the
 * signature (type, shape, byte size) before it is handed out; all NULL on error. */
JNX_HIDDEN PJRT_Error* jnx_tf_program_run(jnx_tf_program* p, TF_Tensor* const* inputs,
                                          TF_Tensor** outputs);

/* ---- XLA's PJRT CPU client (xla_cpu.cc) ------------------------------------------------------
 * Buffers are ready when these calls return (see xla_cpu.cc). Device indices are local. */

typedef struct jnx_xla_client jnx_xla_client;
typedef struct jnx_xla_executable jnx_xla_executable;
typedef struct jnx_xla_buffer jnx_xla_buffer;

/* Why this process cannot use the runtime (the binary check or the self-test failed), or NULL.
 * The checks run once, after jnx_tf_load. */
JNX_HIDDEN const char* jnx_xla_unavailable(void);
/* threads 0: XLA's default (one per CPU this process may use). */
JNX_HIDDEN PJRT_Error* jnx_xla_client_create(int device_count, int threads, jnx_xla_client** out);
JNX_HIDDEN void jnx_xla_client_destroy(jnx_xla_client* c);
JNX_HIDDEN size_t jnx_xla_client_devices(const jnx_xla_client* c);
JNX_HIDDEN int jnx_xla_client_threads(const jnx_xla_client* c);
/* options: a serialized xla.CompileOptionsProto (empty: XLA's defaults). */
JNX_HIDDEN PJRT_Error* jnx_xla_compile(jnx_xla_client* c, const char* code, size_t size, const void* options,
                                       size_t options_size, jnx_xla_executable** out);
JNX_HIDDEN void jnx_xla_executable_destroy(jnx_xla_executable* e);
/* The devices (local indices) one execution runs on, in partition order; returns their number. */
JNX_HIDDEN size_t jnx_xla_executable_devices(const jnx_xla_executable* e, const size_t** devices);
/* *bytes is malloc-ed. */
JNX_HIDDEN PJRT_Error* jnx_xla_serialize(const jnx_xla_executable* e, char** bytes, size_t* size);
JNX_HIDDEN PJRT_Error* jnx_xla_deserialize(jnx_xla_client* c, const char* bytes, size_t size,
                                           jnx_xla_executable** out);
/* Dense row-major data, pred bytes 0/1. With on_done NULL XLA copies during the call; else it
 * may alias `data` and calls on_done(arg) exactly once when it no longer needs it (also on
 * failure). *device_data is where the elements live. */
JNX_HIDDEN PJRT_Error* jnx_xla_buffer_from_host(jnx_xla_client* c, size_t device, PJRT_Buffer_Type type,
                                                const int64_t* dims, size_t rank, const void* data,
                                                void (*on_done)(void*), void* arg, jnx_xla_buffer** out,
                                                void** device_data);
JNX_HIDDEN void jnx_xla_buffer_destroy(jnx_xla_buffer* b);
/* Whether XLA deleted the buffer (it was donated to an execution). */
JNX_HIDDEN bool jnx_xla_buffer_is_deleted(jnx_xla_buffer* b);
/* Runs synchronously on the executable's device. result_bytes, when non-NULL, are checked
 * against the sizes XLA reports. */
JNX_HIDDEN PJRT_Error* jnx_xla_execute(jnx_xla_client* c, jnx_xla_executable* e, jnx_xla_buffer* const* args,
                                       size_t num_args, const size_t* result_bytes, size_t num_results,
                                       jnx_xla_buffer** results);
/* Runs all partitions of a multi-device executable: args and results are [device][index]. */
JNX_HIDDEN PJRT_Error* jnx_xla_execute_partitioned(jnx_xla_executable* e,
                                                   jnx_xla_buffer* const* args, size_t num_args,
                                                   const size_t* result_bytes, size_t num_results,
                                                   jnx_xla_buffer** results);
/* Where a buffer's elements live (host memory: CPU devices have no other). */
JNX_HIDDEN PJRT_Error* jnx_xla_buffer_data(jnx_xla_client* c, jnx_xla_buffer* b, void** data);

/* ---- compile_options.c ---------------------------------------------------------------------
 * Checks a serialized CompileOptionsProto against the client's devices (values XLA would abort
 * on are errors) and returns a malloc-ed copy with XLA's defaults (1 replica, 1 partition) set. */
JNX_HIDDEN PJRT_Error* jnx_compile_options_check(const void* bytes, size_t size, size_t num_devices, void** out,
                                                 size_t* out_size);

/* ---- sha256.c ----------------------------------------------------------------------------- */

JNX_HIDDEN void jnx_sha256(const void* data, size_t size, char hex[65]);
/* The file's digest, from its stamp when the stamp still describes it; false with a reason. */
JNX_HIDDEN bool jnx_file_sha256(const char* path, char hex[65], char* why, size_t why_size);

#endif /* JNX_INTERNAL_H */
