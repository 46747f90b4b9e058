/* Internal interfaces between the plugin's three parts: the PJRT surface (pjrt_api.c), the
 * StableHLO signature reader (mlir_signature.c) and the TensorFlow glue (tf_glue.c). */
#ifndef JNX_INTERNAL_H
#define JNX_INTERNAL_H

#include "jnx_pjrt.h"

#define JNX_HIDDEN __attribute__((visibility("hidden")))

/* Bytes a caller must allot for a struct: the end of its last member, without the trailing
 * padding, exactly like the official <Name>_STRUCT_SIZE constants. */
#define JNX_STRUCT_SIZE(type, last_member) \
  (offsetof(type, last_member) + sizeof(((type*)0)->last_member))

/* ---- errors and object accounting (pjrt_api.c) ------------------------------------------- */

JNX_HIDDEN PJRT_Error* jnx_error(PJRT_Error_Code code, const char* fmt, ...)
    __attribute__((format(printf, 2, 3)));

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

#endif /* JNX_INTERNAL_H */
