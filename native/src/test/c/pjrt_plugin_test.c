/* End-to-end test of libjnx_pjrt_cpu.so through its PJRT C API, the way a PJRT client
 * uses it: dlopen, GetPjrtApi, client, compile StableHLO text, buffers, execute, errors,
 * cleanup (checked with jnx_pjrt_live_objects), plus a latency measurement.
 *   usage: pjrt_plugin_test /path/to/libjnx_pjrt_cpu.so [timed_calls]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jnx_pjrt.h"

#define SS(type, last) (offsetof(type, last) + sizeof(((type*)0)->last))
#define ARGS(type, last) .struct_size = SS(type, last)

static const PJRT_Api* api;
static int64_t (*live_objects)(void);
static int failures;

#define CHECK(cond, ...)                                         \
  do {                                                           \
    if (!(cond)) {                                               \
      failures++;                                                \
      fprintf(stdout, "FAIL %s:%d: ", __FILE__, __LINE__);       \
      fprintf(stdout, __VA_ARGS__);                              \
      fprintf(stdout, "\n");                                     \
    }                                                            \
  } while (0)

static _Thread_local char last_message[8192]; /* threads below share consume() */

/* Reads, remembers and frees an error; returns its code (0 for NULL). */
static int consume(PJRT_Error* err) {
  last_message[0] = '\0';
  if (!err) return 0;
  PJRT_Error_Message_Args m = {ARGS(PJRT_Error_Message_Args, message_size), .error = err};
  api->PJRT_Error_Message(&m);
  snprintf(last_message, sizeof last_message, "%.*s", (int)m.message_size, m.message);
  PJRT_Error_GetCode_Args g = {ARGS(PJRT_Error_GetCode_Args, code), .error = err};
  PJRT_Error* e2 = api->PJRT_Error_GetCode(&g);
  int code = e2 ? -1 : (int)g.code;
  PJRT_Error_Destroy_Args d = {ARGS(PJRT_Error_Destroy_Args, error), .error = err};
  api->PJRT_Error_Destroy(&d);
  return code;
}

#define OK(call)                                                                  \
  do {                                                                            \
    int code_ = consume(call);                                                    \
    if (code_) {                                                                  \
      failures++;                                                                 \
      printf("FAIL %s:%d: %s -> code %d: %s\n", __FILE__, __LINE__, #call, code_, \
             last_message);                                                       \
    }                                                                             \
  } while (0)

static void expect_error(PJRT_Error* err, int code, const char* needle, const char* what) {
  int got = consume(err);
  CHECK(got == code, "%s: expected code %d, got %d (%s)", what, code, got, last_message);
  CHECK(needle == NULL || strstr(last_message, needle), "%s: message lacks '%s': %s", what, needle,
        last_message);
  if (got == code) printf("ok   %s -> code %d: %.300s\n", what, got, last_message);
}

static void destroy_event(PJRT_Event* e) {
  if (!e) return;
  PJRT_Event_Destroy_Args d = {ARGS(PJRT_Event_Destroy_Args, event), .event = e};
  OK(api->PJRT_Event_Destroy(&d));
}

static void destroy_buffer(PJRT_Buffer* b) {
  if (!b) return;
  PJRT_Buffer_Destroy_Args d = {ARGS(PJRT_Buffer_Destroy_Args, buffer), .buffer = b};
  OK(api->PJRT_Buffer_Destroy(&d));
}

static void destroy_loaded(PJRT_LoadedExecutable* e) {
  if (!e) return;
  PJRT_LoadedExecutable_Destroy_Args d = {ARGS(PJRT_LoadedExecutable_Destroy_Args, executable), .executable = e};
  OK(api->PJRT_LoadedExecutable_Destroy(&d));
}

static PJRT_Error* compile(PJRT_Client* client, const char* text, PJRT_LoadedExecutable** out) {
  PJRT_Program prog = {ARGS(PJRT_Program, format_size), .code = (char*)text, .code_size = strlen(text),
                       .format = "mlir", .format_size = 4};
  PJRT_Client_Compile_Args a = {ARGS(PJRT_Client_Compile_Args, executable), .client = client, .program = &prog};
  *out = NULL;
  PJRT_Error* err = api->PJRT_Client_Compile(&a);
  if (!err) *out = a.executable;
  return err;
}

static PJRT_Error* from_host(PJRT_Client* client, const void* data, PJRT_Buffer_Type type,
                             const int64_t* dims, size_t rank, PJRT_Buffer** out) {
  PJRT_Client_BufferFromHostBuffer_Args a = {
      ARGS(PJRT_Client_BufferFromHostBuffer_Args, buffer), .client = client, .data = data, .type = type,
      .dims = dims, .num_dims = rank,
      .host_buffer_semantics = PJRT_HostBufferSemantics_kImmutableOnlyDuringCall};
  *out = NULL;
  PJRT_Error* err = api->PJRT_Client_BufferFromHostBuffer(&a);
  if (!err) {
    destroy_event(a.done_with_host_buffer);
    *out = a.buffer;
  }
  return err;
}

static PJRT_Error* execute(PJRT_LoadedExecutable* exe, PJRT_Buffer** in, size_t n_in,
                           PJRT_Buffer** out, PJRT_Event** done) {
  PJRT_ExecuteOptions opts = {ARGS(PJRT_ExecuteOptions, incarnation_ids)};
  PJRT_Buffer* const* lists[1] = {in};
  PJRT_Buffer** outs[1] = {out};
  PJRT_LoadedExecutable_Execute_Args a = {ARGS(PJRT_LoadedExecutable_Execute_Args, execute_device),
                                          .executable = exe, .options = &opts, .argument_lists = lists,
                                          .num_devices = 1, .num_args = n_in, .output_lists = outs,
                                          .device_complete_events = done};
  return api->PJRT_LoadedExecutable_Execute(&a);
}

static PJRT_Error* to_host(PJRT_Buffer* b, void* dst, size_t size) {
  PJRT_Buffer_ToHostBuffer_Args a = {ARGS(PJRT_Buffer_ToHostBuffer_Args, event), .src = b, .dst = dst,
                                     .dst_size = size};
  PJRT_Error* err = api->PJRT_Buffer_ToHostBuffer(&a);
  if (!err && a.event) { /* NULL: copied already */
    PJRT_Event_Await_Args w = {ARGS(PJRT_Event_Await_Args, event), .event = a.event};
    OK(api->PJRT_Event_Await(&w));
    destroy_event(a.event);
  }
  return err;
}

static char* softmax_module(int n) {
  char* s = NULL;
  int r = asprintf(&s,
      "module @jit_softmax attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {\n"
      "  func.func public @main(%%arg0: tensor<%dxf32> {mhlo.layout_mode = \"default\"}) -> (tensor<%dxf32> {jax.result_info = \"\"}) {\n"
      "    %%0 = stablehlo.constant dense<0xFF800000> : tensor<f32>\n"
      "    %%1 = stablehlo.reduce(%%arg0 init: %%0) applies stablehlo.maximum across dimensions = [0] : (tensor<%dxf32>, tensor<f32>) -> tensor<f32>\n"
      "    %%2 = stablehlo.broadcast_in_dim %%1, dims = [] : (tensor<f32>) -> tensor<%dxf32>\n"
      "    %%3 = stablehlo.subtract %%arg0, %%2 : tensor<%dxf32>\n"
      "    %%4 = stablehlo.exponential %%3 : tensor<%dxf32>\n"
      "    %%5 = stablehlo.constant dense<0.000000e+00> : tensor<f32>\n"
      "    %%6 = stablehlo.reduce(%%4 init: %%5) applies stablehlo.add across dimensions = [0] : (tensor<%dxf32>, tensor<f32>) -> tensor<f32>\n"
      "    %%7 = stablehlo.broadcast_in_dim %%6, dims = [] : (tensor<f32>) -> tensor<%dxf32>\n"
      "    %%8 = stablehlo.divide %%4, %%7 : tensor<%dxf32>\n"
      "    return %%8 : tensor<%dxf32>\n"
      "  }\n"
      "}\n",
      n, n, n, n, n, n, n, n, n, n);
  return r < 0 ? NULL : s;
}

/* Several arguments and results, a scalar, pred input (with a non-0/1 byte) and i32 output. */
static const char* MULTI_MODULE =
    "module @multi {\n"
    "  func.func public @main(%x: tensor<2x3xf32>, %s: tensor<f32>, %m: tensor<2x3xi1>) -> (tensor<2x3xf32>, tensor<i32>) {\n"
    "    %b = stablehlo.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<2x3xf32>\n"
    "    %y = stablehlo.multiply %x, %b : tensor<2x3xf32>\n"
    "    %z = stablehlo.constant dense<0.0> : tensor<2x3xf32>\n"
    "    %r = stablehlo.select %m, %y, %z : tensor<2x3xi1>, tensor<2x3xf32>\n"
    "    %mi = stablehlo.convert %m : (tensor<2x3xi1>) -> tensor<2x3xi32>\n"
    "    %c0 = stablehlo.constant dense<0> : tensor<i32>\n"
    "    %n = stablehlo.reduce(%mi init: %c0) applies stablehlo.add across dimensions = [0, 1] : (tensor<2x3xi32>, tensor<i32>) -> tensor<i32>\n"
    "    return %r, %n : tensor<2x3xf32>, tensor<i32>\n"
    "  }\n"
    "}\n";

static const char* NO_ARGS_MODULE =
    "module @constant {\n"
    "  func.func public @main() -> tensor<2xi64> {\n"
    "    %c = stablehlo.constant dense<[7, -9]> : tensor<2xi64>\n"
    "    return %c : tensor<2xi64>\n"
    "  }\n"
    "}\n";

/* Parses (signature is fine) but the body is not valid StableHLO. */
static const char* BAD_BODY_MODULE =
    "module @bad {\n"
    "  func.func public @main(%arg0: tensor<3xf32>) -> tensor<3xf32> {\n"
    "    %0 = stablehlo.no_such_op %arg0 : tensor<3xf32>\n"
    "    return %0 : tensor<3xf32>\n"
    "  }\n"
    "}\n";

/* Parses, but its body does not type-check against its signature. */
static const char* BAD_TYPES_MODULE =
    "module @badtypes {\n"
    "  func.func public @main(%arg0: tensor<3xf32>) -> tensor<3xf32> {\n"
    "    %0 = stablehlo.add %arg0, %arg0 : tensor<4xf32>\n"
    "    return %0 : tensor<3xf32>\n"
    "  }\n"
    "}\n";

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}


/* ---- the same call through TF's bare C API, for the plugin-overhead comparison ----------
 * The plugin loads TF with RTLD_GLOBAL, so its C API is reachable with dlsym(RTLD_DEFAULT).
 * Builds exactly the graph the plugin builds (Placeholder -> XlaCallModule, same session
 * options) and times TF_SessionRun with a reused input tensor. */
typedef struct TF_Tensor TF_Tensor;
typedef struct { void* oper; int index; } TF_Output;
typedef struct bare_tf {
  void* (*NewGraph)(void);
  void* (*NewStatus)(void);
  int (*GetCode)(const void*);
  void* (*NewOperation)(void*, const char*, const char*);
  void (*SetAttrType)(void*, const char*, int);
  void (*SetAttrShape)(void*, const char*, const int64_t*, int);
  void (*SetAttrInt)(void*, const char*, int64_t);
  void (*SetAttrString)(void*, const char*, const void*, size_t);
  void (*SetAttrShapeList)(void*, const char*, const int64_t* const*, const int*, int);
  void (*SetAttrTypeList)(void*, const char*, const int*, int);
  void (*SetAttrStringList)(void*, const char*, const void* const*, const size_t*, int);
  void (*AddInputList)(void*, const TF_Output*, int);
  void* (*FinishOperation)(void*, void*);
  void* (*NewSessionOptions)(void);
  void (*SetConfig)(void*, const void*, size_t, void*);
  void* (*NewSession)(void*, const void*, void*);
  void (*SessionRun)(void*, const void*, const TF_Output*, TF_Tensor* const*, int, const TF_Output*,
                     TF_Tensor**, int, const void* const*, int, void*, void*);
  TF_Tensor* (*AllocateTensor)(int, const int64_t*, int, size_t);
  void* (*TensorData)(const TF_Tensor*);
  void (*DeleteTensor)(TF_Tensor*);
  void* session;
  void* status;
  TF_Output in, out;
  TF_Tensor* x;
} bare_tf;

static int bare_tf_init(bare_tf* b, const char* module, int n) {
#define SYM(field, name) if (!(*(void**)&b->field = dlsym(RTLD_DEFAULT, name))) return 0;
  SYM(NewGraph, "TF_NewGraph") SYM(NewStatus, "TF_NewStatus") SYM(GetCode, "TF_GetCode")
  SYM(NewOperation, "TF_NewOperation") SYM(SetAttrType, "TF_SetAttrType") SYM(SetAttrShape, "TF_SetAttrShape")
  SYM(SetAttrInt, "TF_SetAttrInt") SYM(SetAttrString, "TF_SetAttrString")
  SYM(SetAttrShapeList, "TF_SetAttrShapeList") SYM(SetAttrTypeList, "TF_SetAttrTypeList")
  SYM(SetAttrStringList, "TF_SetAttrStringList") SYM(AddInputList, "TF_AddInputList")
  SYM(FinishOperation, "TF_FinishOperation") SYM(NewSessionOptions, "TF_NewSessionOptions")
  SYM(SetConfig, "TF_SetConfig") SYM(NewSession, "TF_NewSession") SYM(SessionRun, "TF_SessionRun")
  SYM(AllocateTensor, "TF_AllocateTensor") SYM(TensorData, "TF_TensorData") SYM(DeleteTensor, "TF_DeleteTensor")
#undef SYM
  void* g = b->NewGraph();
  b->status = b->NewStatus();
  int64_t dims[1] = {n};
  void* d = b->NewOperation(g, "Placeholder", "x");
  b->SetAttrType(d, "dtype", 1);
  b->SetAttrShape(d, "shape", dims, 1);
  b->in = (TF_Output){b->FinishOperation(d, b->status), 0};
  d = b->NewOperation(g, "XlaCallModule", "call");
  b->AddInputList(d, &b->in, 1);
  b->SetAttrInt(d, "version", 9);
  b->SetAttrString(d, "module", module, strlen(module));
  const int64_t* shapes[1] = {dims};
  int ranks[1] = {1}, types[1] = {1};
  b->SetAttrShapeList(d, "Sout", shapes, ranks, 1);
  b->SetAttrTypeList(d, "Tout", types, 1);
  const void* pl[1] = {"CPU"};
  size_t pll[1] = {3};
  b->SetAttrStringList(d, "platforms", pl, pll, 1);
  b->out = (TF_Output){b->FinishOperation(d, b->status), 0};
  void* so = b->NewSessionOptions();
  static const unsigned char cfg[] = {0x10, 0x01, 0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  b->SetConfig(so, cfg, sizeof cfg, b->status);
  b->session = b->NewSession(g, so, b->status);
  b->x = b->AllocateTensor(1, dims, 1, (size_t)n * 4);
  for (int i = 0; i < n; i++) ((float*)b->TensorData(b->x))[i] = (float)(i + 1);
  return b->GetCode(b->status) == 0; /* graph and session are left to process exit */
}

static int bare_tf_call(bare_tf* b) {
  TF_Tensor* o = NULL;
  b->SessionRun(b->session, NULL, &b->in, &b->x, 1, &b->out, &o, 1, NULL, 0, NULL, b->status);
  if (o) b->DeleteTensor(o);
  return b->GetCode(b->status);
}

static double median(double* v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return v[n / 2];
}

typedef struct {
  PJRT_Client* client;
  PJRT_LoadedExecutable* exe;
  int calls;
  int bad;
} thread_job;

static void* thread_main(void* arg) {
  thread_job* job = arg;
  float x[3] = {1, 2, 3};
  int64_t dims[1] = {3};
  for (int i = 0; i < job->calls; i++) {
    PJRT_Buffer *in, *out = NULL;
    if (consume(from_host(job->client, x, PJRT_Buffer_Type_F32, dims, 1, &in))) { job->bad++; continue; }
    if (consume(execute(job->exe, &in, 1, &out, NULL))) job->bad++;
    float y[3] = {0};
    if (out && (consume(to_host(out, y, sizeof y)) || fabsf(y[2] - 0.66524096f) > 1e-6f)) job->bad++;
    PJRT_Buffer_Destroy_Args d = {ARGS(PJRT_Buffer_Destroy_Args, buffer), .buffer = in};
    consume(api->PJRT_Buffer_Destroy(&d));
    d.buffer = out;
    if (out) consume(api->PJRT_Buffer_Destroy(&d));
  }
  return NULL;
}


static PJRT_NamedValue string_option(const char* name, const char* value) {
  return (PJRT_NamedValue){ARGS(PJRT_NamedValue, value_size), .name = name, .name_size = strlen(name),
                           .type = PJRT_NamedValue_kString, .string_value = value, .value_size = strlen(value)};
}

static PJRT_NamedValue int_option(const char* name, int64_t value) {
  return (PJRT_NamedValue){ARGS(PJRT_NamedValue, value_size), .name = name, .name_size = strlen(name),
                           .type = PJRT_NamedValue_kInt64, .int64_value = value, .value_size = 1};
}

static PJRT_Error* create_client(const PJRT_NamedValue* options, size_t n, PJRT_Client** out) {
  PJRT_Client_Create_Args cc = {ARGS(PJRT_Client_Create_Args, kv_try_get_user_arg), .create_options = options,
                                .num_options = n};
  *out = NULL;
  PJRT_Error* err = api->PJRT_Client_Create(&cc);
  if (!err) *out = cc.client;
  return err;
}

static void destroy_client(PJRT_Client* c) {
  if (!c) return;
  PJRT_Client_Destroy_Args cd = {ARGS(PJRT_Client_Destroy_Args, client), .client = c};
  OK(api->PJRT_Client_Destroy(&cd));
}

static const char* platform_version(PJRT_Client* c) {
  static char buf[1024];
  PJRT_Client_PlatformVersion_Args pv = {ARGS(PJRT_Client_PlatformVersion_Args, platform_version_size), .client = c};
  OK(api->PJRT_Client_PlatformVersion(&pv));
  snprintf(buf, sizeof buf, "%.*s", (int)pv.platform_version_size, pv.platform_version);
  return buf;
}

static PJRT_Error* compile_with(PJRT_Client* client, const char* text, const void* options, size_t options_size,
                                PJRT_LoadedExecutable** out) {
  PJRT_Program prog = {ARGS(PJRT_Program, format_size), .code = (char*)text, .code_size = strlen(text),
                       .format = "mlir", .format_size = 4};
  PJRT_Client_Compile_Args a = {ARGS(PJRT_Client_Compile_Args, executable), .client = client, .program = &prog,
                                .compile_options = options, .compile_options_size = options_size};
  *out = NULL;
  PJRT_Error* err = api->PJRT_Client_Compile(&a);
  if (!err) *out = a.executable;
  return err;
}

static PJRT_Error* from_host_on(PJRT_Client* client, PJRT_Device* device, const void* data, PJRT_Buffer_Type type,
                                const int64_t* dims, size_t rank, PJRT_HostBufferSemantics semantics,
                                PJRT_Buffer** out, PJRT_Event** done) {
  PJRT_Client_BufferFromHostBuffer_Args a = {
      ARGS(PJRT_Client_BufferFromHostBuffer_Args, buffer), .client = client, .data = data, .type = type,
      .dims = dims, .num_dims = rank, .host_buffer_semantics = semantics, .device = device};
  *out = NULL;
  PJRT_Error* err = api->PJRT_Client_BufferFromHostBuffer(&a);
  if (!err) {
    *out = a.buffer;
    if (done) {
      *done = a.done_with_host_buffer;
    } else {
      destroy_event(a.done_with_host_buffer);
    }
  }
  return err;
}

static bool event_ready(PJRT_Event* e) {
  PJRT_Event_IsReady_Args ir = {ARGS(PJRT_Event_IsReady_Args, is_ready), .event = e};
  OK(api->PJRT_Event_IsReady(&ir));
  return ir.is_ready;
}

static bool buffer_deleted(PJRT_Buffer* b) {
  PJRT_Buffer_IsDeleted_Args isd = {ARGS(PJRT_Buffer_IsDeleted_Args, is_deleted), .buffer = b};
  OK(api->PJRT_Buffer_IsDeleted(&isd));
  return isd.is_deleted;
}

/* x + 1 and x * 2 of f32[4], the first donating x (tf.aliasing_output, as jax writes it). */
static const char* DONATE_MODULE =
    "module @donate {\n"
    "  func.func public @main(%x: tensor<4xf32> {tf.aliasing_output = 0 : i32}, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {\n"
    "    %c = stablehlo.constant dense<1.0> : tensor<4xf32>\n"
    "    %0 = stablehlo.add %x, %c : tensor<4xf32>\n"
    "    %1 = stablehlo.multiply %y, %y : tensor<4xf32>\n"
    "    return %0, %1 : tensor<4xf32>, tensor<4xf32>\n"
    "  }\n"
    "}\n";

static const char* MATMUL_MODULE =
    "module @matmul {\n"
    "  func.func public @main(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {\n"
    "    %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>\n"
    "    return %0 : tensor<256x256xf32>\n"
    "  }\n"
    "}\n";


/* Rows split over two partitions: XLA's SPMD partitioner turns the sum over rows into an
 * all-reduce between the devices; the product stays per shard. */
static const char* SHARDED_MODULE =
    "module @sharded attributes {mhlo.num_partitions = 2 : i32} {\n"
    "  func.func public @main(%x: tensor<4x2xf32> {mhlo.sharding = \"{devices=[2,1]0,1}\"}) -> "
    "(tensor<2xf32> {mhlo.sharding = \"{replicated}\"}, tensor<4x2xf32> {mhlo.sharding = \"{devices=[2,1]0,1}\"}) {\n"
    "    %c = stablehlo.constant dense<0.0> : tensor<f32>\n"
    "    %s = stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [0] : (tensor<4x2xf32>, tensor<f32>) -> tensor<2xf32>\n"
    "    %y = stablehlo.multiply %x, %x : tensor<4x2xf32>\n"
    "    return %s, %y : tensor<2xf32>, tensor<4x2xf32>\n"
    "  }\n"
    "}\n";

/* {executable_build_options {device_ordinal -1, num_replicas 1, num_partitions 2,
 * use_spmd_partitioning, device_assignment {1 replica, 2 computations, [[0], [1]]}}} */
static const unsigned char TWO_PARTITIONS[] = {
    0x1a, 0x21, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x20, 0x01, 0x28, 0x02,
    0x30, 0x01, 0x4a, 0x0e, 0x08, 0x01, 0x10, 0x02, 0x1a, 0x03, 0x0a, 0x01, 0x00, 0x1a, 0x03, 0x0a, 0x01, 0x01};
/* CompileOptionsProto {executable_build_options {device_ordinal -1, num_replicas 1,
 * num_partitions 1, device_assignment {1, 1, [[d]]}}}, as jnx's Java CompileOptions writes it. */
static size_t single_device_options(int d, unsigned char* out) {
  static const unsigned char head[] = {0x1a, 0x1a, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                                       0x20, 0x01, 0x28, 0x01, 0x4a, 0x09, 0x08, 0x01, 0x10, 0x01, 0x1a, 0x03, 0x0a,
                                       0x01};
  memcpy(out, head, sizeof head);
  out[sizeof head] = (unsigned char)d;
  return sizeof head + 1;
}
/* What both runtimes must do alike: compile, run, metadata, errors, delete semantics,
 * several results, pred canonicalisation, threads. */
static void common_suite(PJRT_Client* client) {
  double t0;
  PJRT_Client_PlatformName_Args pn = {ARGS(PJRT_Client_PlatformName_Args, platform_name_size), .client = client};
  OK(api->PJRT_Client_PlatformName(&pn));
  CHECK(pn.platform_name_size == 3 && memcmp(pn.platform_name, "cpu", 3) == 0, "platform name");
  PJRT_Client_AddressableDevices_Args ad = {ARGS(PJRT_Client_AddressableDevices_Args, num_addressable_devices), .client = client};
  OK(api->PJRT_Client_AddressableDevices(&ad));
  CHECK(ad.num_addressable_devices >= 1, "a device");
  PJRT_Device* device = ad.addressable_devices[0];
  PJRT_Device_GetDescription_Args gd = {ARGS(PJRT_Device_GetDescription_Args, device_description), .device = device};
  OK(api->PJRT_Device_GetDescription(&gd));
  PJRT_DeviceDescription_Kind_Args dk = {ARGS(PJRT_DeviceDescription_Kind_Args, device_kind_size),
                                         .device_description = gd.device_description};
  OK(api->PJRT_DeviceDescription_Kind(&dk));
  CHECK(dk.device_kind_size == 3 && memcmp(dk.device_kind, "cpu", 3) == 0, "device kind");
  PJRT_Client_LookupDevice_Args ld = {ARGS(PJRT_Client_LookupDevice_Args, device), .client = client, .id = 0};
  OK(api->PJRT_Client_LookupDevice(&ld));
  CHECK(ld.device == device, "lookup device 0");
  ld.id = 7;
  expect_error(api->PJRT_Client_LookupDevice(&ld), PJRT_Error_Code_INVALID_ARGUMENT, "no device", "LookupDevice(7)");

  /* Compile and run softmax([1,2,3]). */
  char* sm3 = softmax_module(3);
  PJRT_LoadedExecutable* exe;
  t0 = now_us();
  OK(compile(client, sm3, &exe));
  printf("Client_Compile softmax f32[3]: %.2f ms\n", (now_us() - t0) / 1e3);
  if (!exe) return;
  float x[3] = {1, 2, 3};
  int64_t dims3[1] = {3};
  PJRT_Buffer* in;
  OK(from_host(client, x, PJRT_Buffer_Type_F32, dims3, 1, &in));
  PJRT_Buffer* out = NULL;
  PJRT_Event* done = NULL;
  t0 = now_us();
  OK(execute(exe, &in, 1, &out, &done));
  printf("first Execute: %.2f ms\n", (now_us() - t0) / 1e3);
  PJRT_Event_IsReady_Args ir = {ARGS(PJRT_Event_IsReady_Args, is_ready), .event = done};
  OK(api->PJRT_Event_IsReady(&ir));
  CHECK(ir.is_ready, "event ready");
  destroy_event(done);
  PJRT_Buffer_ToHostBuffer_Args q = {ARGS(PJRT_Buffer_ToHostBuffer_Args, event), .src = out};
  OK(api->PJRT_Buffer_ToHostBuffer(&q));
  CHECK(q.dst_size == 12, "ToHostBuffer size query: %zu", q.dst_size);
  float y[3] = {0};
  OK(to_host(out, y, sizeof y));
  const float want[3] = {0.09003057f, 0.24472847f, 0.66524096f};
  printf("softmax([1,2,3]) = [%.8f, %.8f, %.8f]\n", y[0], y[1], y[2]);
  for (int i = 0; i < 3; i++) CHECK(fabsf(y[i] - want[i]) < 1e-6f, "softmax[%d] = %f", i, y[i]);
  PJRT_Buffer_Dimensions_Args bd = {ARGS(PJRT_Buffer_Dimensions_Args, num_dims), .buffer = out};
  OK(api->PJRT_Buffer_Dimensions(&bd));
  CHECK(bd.num_dims == 1 && bd.dims[0] == 3, "output dims");
  PJRT_Buffer_ElementType_Args et = {ARGS(PJRT_Buffer_ElementType_Args, type), .buffer = out};
  OK(api->PJRT_Buffer_ElementType(&et));
  CHECK(et.type == PJRT_Buffer_Type_F32, "output type");

  /* Executable metadata. */
  PJRT_LoadedExecutable_GetExecutable_Args ge = {ARGS(PJRT_LoadedExecutable_GetExecutable_Args, executable),
                                                 .loaded_executable = exe};
  OK(api->PJRT_LoadedExecutable_GetExecutable(&ge));
  PJRT_Executable_Name_Args en = {ARGS(PJRT_Executable_Name_Args, executable_name_size), .executable = ge.executable};
  OK(api->PJRT_Executable_Name(&en));
  CHECK(en.executable_name_size == 11 && memcmp(en.executable_name, "jit_softmax", 11) == 0, "name");
  PJRT_Executable_OutputDimensions_Args od = {ARGS(PJRT_Executable_OutputDimensions_Args, dim_sizes),
                                              .executable = ge.executable};
  OK(api->PJRT_Executable_OutputDimensions(&od));
  CHECK(od.num_outputs == 1 && od.dim_sizes[0] == 1 && od.dims[0] == 3, "output dimensions");
  PJRT_Executable_Serialize_Args ser = {ARGS(PJRT_Executable_Serialize_Args, serialized_executable_deleter),
                                        .executable = ge.executable};
  OK(api->PJRT_Executable_Serialize(&ser));
  PJRT_Executable_DeserializeAndLoad_Args des = {ARGS(PJRT_Executable_DeserializeAndLoad_Args, loaded_executable),
                                                 .client = client, .serialized_executable = ser.serialized_bytes,
                                                 .serialized_executable_size = ser.serialized_bytes_size};
  OK(api->PJRT_Executable_DeserializeAndLoad(&des));
  ser.serialized_executable_deleter(ser.serialized_executable);
  destroy_loaded(des.loaded_executable);
  PJRT_Executable_Destroy_Args xd = {ARGS(PJRT_Executable_Destroy_Args, executable), .executable = ge.executable};
  OK(api->PJRT_Executable_Destroy(&xd));

  /* Error cases: none may crash. */
  PJRT_LoadedExecutable* bad = NULL;
  expect_error(compile(client, "this is not a module", &bad), PJRT_Error_Code_INVALID_ARGUMENT, "@main",
               "compile garbage");
  expect_error(compile(client, "ML\xEFR\x01\x02", &bad), PJRT_Error_Code_INVALID_ARGUMENT, "bytecode",
               "compile bytecode");
  expect_error(compile(client, "module { func.func public @main(%a: tensor<?xf32>) -> tensor<f32> {} }", &bad),
               PJRT_Error_Code_INVALID_ARGUMENT, "dynamic", "compile dynamic shape");
  expect_error(compile(client, "module { func.func public @main(%a: tensor<2xf8E4M3FN>) -> tensor<f32> {} }", &bad),
               PJRT_Error_Code_INVALID_ARGUMENT, "f8E4M3FN", "compile fp8");
  {
    PJRT_Program prog = {ARGS(PJRT_Program, format_size), .code = sm3, .code_size = strlen(sm3), .format = "hlo",
                         .format_size = 3};
    PJRT_Client_Compile_Args a = {ARGS(PJRT_Client_Compile_Args, executable), .client = client, .program = &prog};
    expect_error(api->PJRT_Client_Compile(&a), PJRT_Error_Code_INVALID_ARGUMENT, "mlir", "compile format hlo");
  }
  const char* bodies[2] = {BAD_BODY_MODULE, BAD_TYPES_MODULE};
  for (int k = 0; k < 2; k++) {
    PJRT_Error* cerr = compile(client, bodies[k], &bad);
    if (cerr) {
      expect_error(cerr, PJRT_Error_Code_INVALID_ARGUMENT, NULL, "compile bad body (reported at compile)");
    } else {
      PJRT_Buffer* o = NULL;
      expect_error(execute(bad, &in, 1, &o, NULL), PJRT_Error_Code_INVALID_ARGUMENT, "error",
                   k == 0 ? "bad body: reported at first Execute" : "ill-typed body: reported at first Execute");
      CHECK(o == NULL, "no output on error");
      expect_error(execute(bad, &in, 1, &o, NULL), PJRT_Error_Code_INVALID_ARGUMENT, NULL,
                   "bad body: second Execute fails too");
      destroy_loaded(bad);
    }
  }

  float x5[5] = {1, 2, 3, 4, 5};
  int64_t dims5[1] = {5};
  PJRT_Buffer* in5;
  OK(from_host(client, x5, PJRT_Buffer_Type_F32, dims5, 1, &in5));
  PJRT_Buffer* o = NULL;
  expect_error(execute(exe, &in5, 1, &o, NULL), PJRT_Error_Code_INVALID_ARGUMENT,
               "argument 0: expected f32[3], got f32[5]", "wrong shape");
  int32_t xi[3] = {1, 2, 3};
  PJRT_Buffer* ini;
  OK(from_host(client, xi, PJRT_Buffer_Type_S32, dims3, 1, &ini));
  expect_error(execute(exe, &ini, 1, &o, NULL), PJRT_Error_Code_INVALID_ARGUMENT,
               "argument 0: expected f32[3], got s32[3]", "wrong dtype");
  PJRT_Buffer* two[2] = {in, in};
  expect_error(execute(exe, two, 2, &o, NULL), PJRT_Error_Code_INVALID_ARGUMENT, "takes 1 arguments, got 2",
               "wrong arg count");
  PJRT_Buffer* null_in = NULL;
  expect_error(execute(exe, &null_in, 1, &o, NULL), PJRT_Error_Code_INVALID_ARGUMENT, "argument 0",
               "NULL argument");
  expect_error(execute(exe, (PJRT_Buffer**)&exe, 1, &o, NULL), PJRT_Error_Code_INVALID_ARGUMENT, "argument 0",
               "executable passed as buffer");
  int64_t neg[2] = {2, -1};
  PJRT_Buffer* nb;
  expect_error(from_host(client, x, PJRT_Buffer_Type_F32, neg, 2, &nb), PJRT_Error_Code_INVALID_ARGUMENT,
               "negative", "negative dim");
  int64_t huge[2] = {INT64_MAX / 2, 8};
  expect_error(from_host(client, x, PJRT_Buffer_Type_F32, huge, 2, &nb), PJRT_Error_Code_INVALID_ARGUMENT,
               "too large", "overflowing shape");
  expect_error(from_host(client, x, PJRT_Buffer_Type_F8E5M2, dims3, 1, &nb), PJRT_Error_Code_UNIMPLEMENTED,
               NULL, "fp8 buffer");
  float small[2];
  expect_error(to_host(out, small, sizeof small), PJRT_Error_Code_INVALID_ARGUMENT, "dst_size",
               "ToHostBuffer too small");
  PJRT_Client_Compile_Args short_args = {.struct_size = 16, .client = client};
  expect_error(api->PJRT_Client_Compile(&short_args), PJRT_Error_Code_INVALID_ARGUMENT, "struct_size",
               "short struct_size");

  /* Delete semantics. */
  PJRT_Buffer* tmp;
  OK(from_host(client, x, PJRT_Buffer_Type_F32, dims3, 1, &tmp));
  PJRT_Buffer_CopyToDevice_Args cp = {ARGS(PJRT_Buffer_CopyToDevice_Args, dst_buffer), .buffer = tmp,
                                      .dst_device = device};
  OK(api->PJRT_Buffer_CopyToDevice(&cp));
  PJRT_Buffer_Delete_Args del = {ARGS(PJRT_Buffer_Delete_Args, buffer), .buffer = tmp};
  OK(api->PJRT_Buffer_Delete(&del));
  PJRT_Buffer_IsDeleted_Args isd = {ARGS(PJRT_Buffer_IsDeleted_Args, is_deleted), .buffer = tmp};
  OK(api->PJRT_Buffer_IsDeleted(&isd));
  CHECK(isd.is_deleted, "is deleted");
  expect_error(execute(exe, &tmp, 1, &o, NULL), PJRT_Error_Code_FAILED_PRECONDITION, "deleted",
               "execute with deleted buffer");
  OK(execute(exe, &cp.dst_buffer, 1, &o, NULL)); /* the copy survives */
  destroy_buffer(o);
  destroy_buffer(tmp);
  destroy_buffer(cp.dst_buffer);

  /* Several args/results, scalar, pred canonicalisation, i32 result. */
  PJRT_LoadedExecutable* multi;
  OK(compile(client, MULTI_MODULE, &multi));
  float mx[6] = {1, 2, 3, 4, 5, 6}, ms = 10;
  unsigned char mm[6] = {1, 0, 2, 0, 255, 1}; /* 2 and 255 must count as true */
  int64_t d23[2] = {2, 3};
  PJRT_Buffer* margs[3];
  OK(from_host(client, mx, PJRT_Buffer_Type_F32, d23, 2, &margs[0]));
  OK(from_host(client, &ms, PJRT_Buffer_Type_F32, NULL, 0, &margs[1]));
  OK(from_host(client, mm, PJRT_Buffer_Type_PRED, d23, 2, &margs[2]));
  PJRT_Buffer* mouts[2] = {NULL, NULL};
  OK(execute(multi, margs, 3, mouts, NULL));
  float r[6] = {0};
  int32_t count = -1;
  if (mouts[0] && mouts[1]) {
    OK(to_host(mouts[0], r, sizeof r));
    OK(to_host(mouts[1], &count, sizeof count));
  }
  printf("multi: r = [%g %g %g %g %g %g], count = %d\n", r[0], r[1], r[2], r[3], r[4], r[5], count);
  CHECK(r[0] == 10 && r[1] == 0 && r[2] == 30 && r[4] == 50 && r[5] == 60 && count == 4, "multi results");
  for (int i = 0; i < 3; i++) destroy_buffer(margs[i]);
  for (int i = 0; i < 2; i++) destroy_buffer(mouts[i]);
  destroy_loaded(multi);

  PJRT_LoadedExecutable* cst;
  OK(compile(client, NO_ARGS_MODULE, &cst));
  PJRT_Buffer* co = NULL;
  OK(execute(cst, NULL, 0, &co, NULL));
  int64_t cv[2] = {0, 0};
  if (co) OK(to_host(co, cv, sizeof cv));
  CHECK(cv[0] == 7 && cv[1] == -9, "no-arg module: %lld %lld", (long long)cv[0], (long long)cv[1]);
  destroy_buffer(co);
  destroy_loaded(cst);

  /* Threads sharing one executable. */
  pthread_t th[4];
  thread_job jobs[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (thread_job){client, exe, 2000, 0};
    pthread_create(&th[i], NULL, thread_main, &jobs[i]);
  }
  int bad_calls = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    bad_calls += jobs[i].bad;
  }
  printf("threads: 4 x 2000 concurrent executes, %d bad\n", bad_calls);
  CHECK(bad_calls == 0, "thread errors");

  destroy_buffer(in);
  destroy_buffer(in5);
  destroy_buffer(ini);
  destroy_buffer(out);
  destroy_loaded(exe);
  free(sm3);
}

/* What only XLA's own client does: compile-time errors, options, several devices, donation,
 * zero-copy uploads, serialized executables that load without recompiling. */
static void xla_suite(PJRT_Client* client) {
  unsigned char opts[64];
  PJRT_LoadedExecutable* e = NULL;
  /* Compile options: checked before XLA, which would abort on some of them. */
  const unsigned char zero_replicas[] = {0x1a, 0x04, 0x20, 0x00, 0x28, 0x01}; /* explicit 0 reads as unset */
  OK(compile_with(client, NO_ARGS_MODULE, zero_replicas, sizeof zero_replicas, &e));
  destroy_loaded(e);
  const unsigned char two_replicas[] = {0x1a, 0x04, 0x20, 0x02, 0x28, 0x01};
  expect_error(compile_with(client, NO_ARGS_MODULE, two_replicas, sizeof two_replicas, &e),
               PJRT_Error_Code_INVALID_ARGUMENT, "2 replicas", "2 replicas on 1 device");
  const unsigned char garbage[] = {0xff, 0xff, 0xff, 0x07, 0x12};
  expect_error(compile_with(client, NO_ARGS_MODULE, garbage, sizeof garbage, &e), PJRT_Error_Code_INVALID_ARGUMENT,
               "CompileOptionsProto", "garbage compile options");
  size_t n = single_device_options(5, opts);
  expect_error(compile_with(client, NO_ARGS_MODULE, opts, n, &e), PJRT_Error_Code_INVALID_ARGUMENT, "device 5",
               "assignment to a missing device");

  /* Several devices: compile for device 1, run there, move buffers between devices. */
  PJRT_NamedValue two[2] = {string_option("jnx_cpu_runtime", "tfrt-cpu"), int_option("cpu_device_count", 2)};
  PJRT_Client* multi = NULL;
  OK(create_client(two, 2, &multi));
  if (multi) {
    PJRT_Client_AddressableDevices_Args ad = {ARGS(PJRT_Client_AddressableDevices_Args, num_addressable_devices),
                                              .client = multi};
    OK(api->PJRT_Client_AddressableDevices(&ad));
    CHECK(ad.num_addressable_devices == 2, "2 devices: %zu", ad.num_addressable_devices);
    printf("two devices: %s\n", platform_version(multi));
    n = single_device_options(1, opts);
    OK(compile_with(multi, DONATE_MODULE, opts, n, &e));
    PJRT_LoadedExecutable_AddressableDevices_Args ed = {ARGS(PJRT_LoadedExecutable_AddressableDevices_Args,
                                                             num_addressable_devices), .executable = e};
    if (e) OK(api->PJRT_LoadedExecutable_AddressableDevices(&ed));
    CHECK(e && ed.num_addressable_devices == 1 && ed.addressable_devices[0] == ad.addressable_devices[1],
          "compiled for device 1");
    float x[4] = {1, 2, 3, 4};
    int64_t d4[1] = {4};
    PJRT_Buffer *on0, *on1, *y1;
    OK(from_host_on(multi, ad.addressable_devices[0], x, PJRT_Buffer_Type_F32, d4, 1,
                    PJRT_HostBufferSemantics_kImmutableOnlyDuringCall, &on0, NULL));
    OK(from_host_on(multi, ad.addressable_devices[1], x, PJRT_Buffer_Type_F32, d4, 1,
                    PJRT_HostBufferSemantics_kImmutableOnlyDuringCall, &y1, NULL));
    PJRT_Buffer* args[2] = {on0, y1};
    PJRT_Buffer* outs[2] = {NULL, NULL};
    expect_error(execute(e, args, 2, outs, NULL), PJRT_Error_Code_INVALID_ARGUMENT, "CpuDevice(id=0)",
                 "argument on the wrong device");
    PJRT_Buffer_CopyToDevice_Args cp = {ARGS(PJRT_Buffer_CopyToDevice_Args, dst_buffer), .buffer = on0,
                                        .dst_device = ad.addressable_devices[1]};
    OK(api->PJRT_Buffer_CopyToDevice(&cp));
    on1 = cp.dst_buffer;
    PJRT_Buffer_Device_Args bd = {ARGS(PJRT_Buffer_Device_Args, device), .buffer = on1};
    OK(api->PJRT_Buffer_Device(&bd));
    CHECK(bd.device == ad.addressable_devices[1], "copy is on device 1");
    /* Donation: x's buffer becomes the first result; y is not donated. */
    args[0] = on1;
    OK(execute(e, args, 2, outs, NULL));
    float r0[4] = {0}, r1[4] = {0};
    if (outs[0] && outs[1]) {
      OK(to_host(outs[0], r0, sizeof r0));
      OK(to_host(outs[1], r1, sizeof r1));
    }
    CHECK(r0[0] == 2 && r0[3] == 5 && r1[1] == 4 && r1[3] == 16, "donated run: [%g..%g] [%g..%g]", r0[0], r0[3],
          r1[0], r1[3]);
    CHECK(buffer_deleted(on1), "the donated argument is deleted");
    CHECK(!buffer_deleted(y1), "the other argument survives");
    expect_error(execute(e, args, 2, outs + 0, NULL), PJRT_Error_Code_FAILED_PRECONDITION, "deleted",
                 "reuse of a donated buffer");
    printf("donation: x+1 = [%g %g %g %g] in x's buffer\n", r0[0], r0[1], r0[2], r0[3]);
    /* non_donatable_input_indices: the plugin passes a copy, the caller's buffer survives. */
    PJRT_Buffer *keep, *o2[2] = {NULL, NULL};
    OK(from_host_on(multi, ad.addressable_devices[1], x, PJRT_Buffer_Type_F32, d4, 1,
                    PJRT_HostBufferSemantics_kImmutableOnlyDuringCall, &keep, NULL));
    const int64_t nd[1] = {0};
    PJRT_ExecuteOptions eo = {ARGS(PJRT_ExecuteOptions, incarnation_ids), .non_donatable_input_indices = nd,
                              .num_non_donatable_input_indices = 1};
    PJRT_Buffer* kargs[2] = {keep, y1};
    PJRT_Buffer* const* lists[1] = {kargs};
    PJRT_Buffer** olists[1] = {o2};
    PJRT_LoadedExecutable_Execute_Args ex = {ARGS(PJRT_LoadedExecutable_Execute_Args, execute_device),
                                             .executable = e, .options = &eo, .argument_lists = lists,
                                             .num_devices = 1, .num_args = 2, .output_lists = olists};
    OK(api->PJRT_LoadedExecutable_Execute(&ex));
    CHECK(!buffer_deleted(keep), "a non-donatable argument survives");
    float kv[4] = {0};
    OK(to_host(keep, kv, sizeof kv));
    CHECK(kv[0] == 1 && kv[3] == 4, "and keeps its values");
    for (int i = 0; i < 2; i++) destroy_buffer(o2[i]);
    destroy_buffer(keep);
    for (int i = 0; i < 2; i++) destroy_buffer(outs[i]);
    destroy_buffer(on0);
    destroy_buffer(on1);
    destroy_buffer(y1);
    destroy_loaded(e);

    /* One program over both devices (SPMD): shards in, shards and a replicated sum out. */
    OK(compile_with(multi, SHARDED_MODULE, TWO_PARTITIONS, sizeof TWO_PARTITIONS, &e));
    if (e) {
      ed.executable = e;
      OK(api->PJRT_LoadedExecutable_AddressableDevices(&ed));
      CHECK(ed.num_addressable_devices == 2, "partitioned over 2 devices: %zu", ed.num_addressable_devices);
      float top[4] = {1, 2, 3, 4}, bottom[4] = {5, 6, 7, 8};
      int64_t d22[2] = {2, 2};
      PJRT_Buffer *s0, *s1;
      OK(from_host_on(multi, ad.addressable_devices[0], top, PJRT_Buffer_Type_F32, d22, 2,
                      PJRT_HostBufferSemantics_kImmutableOnlyDuringCall, &s0, NULL));
      OK(from_host_on(multi, ad.addressable_devices[1], bottom, PJRT_Buffer_Type_F32, d22, 2,
                      PJRT_HostBufferSemantics_kImmutableOnlyDuringCall, &s1, NULL));
      PJRT_Buffer* a0[1] = {s0};
      PJRT_Buffer* a1[1] = {s1};
      PJRT_Buffer* const* lists2[2] = {a0, a1};
      PJRT_Buffer* r0[2] = {NULL, NULL};
      PJRT_Buffer* r1[2] = {NULL, NULL};
      PJRT_Buffer** olists2[2] = {r0, r1};
      PJRT_LoadedExecutable_Execute_Args px = {ARGS(PJRT_LoadedExecutable_Execute_Args, execute_device),
                                               .executable = e, .argument_lists = lists2, .num_devices = 2,
                                               .num_args = 1, .output_lists = olists2};
      OK(api->PJRT_LoadedExecutable_Execute(&px));
      float sum0[2] = {0}, sum1[2] = {0}, sq1[4] = {0};
      if (r0[0] && r1[0] && r1[1]) {
        OK(to_host(r0[0], sum0, sizeof sum0));
        OK(to_host(r1[0], sum1, sizeof sum1));
        OK(to_host(r1[1], sq1, sizeof sq1));
      }
      printf("partitioned: sum = [%g %g] on device 0, [%g %g] on device 1; shard 1 squared = [%g %g %g %g]\n",
             sum0[0], sum0[1], sum1[0], sum1[1], sq1[0], sq1[1], sq1[2], sq1[3]);
      CHECK(sum0[0] == 16 && sum0[1] == 20 && sum1[0] == 16 && sum1[1] == 20, "all-reduced sum");
      CHECK(sq1[0] == 25 && sq1[3] == 64, "per-shard product");
      px.num_devices = 1;
      expect_error(api->PJRT_LoadedExecutable_Execute(&px), PJRT_Error_Code_INVALID_ARGUMENT, "2 device",
                   "partitioned executable with one device list");
      for (int i = 0; i < 2; i++) {
        destroy_buffer(r0[i]);
        destroy_buffer(r1[i]);
      }
      destroy_buffer(s0);
      destroy_buffer(s1);
      destroy_loaded(e);
    }
    destroy_client(multi);
  }

  /* Zero-copy: XLA reads the caller's memory until the buffer is gone. */
  float* host = aligned_alloc(64, 64 * 4);
  for (int i = 0; i < 64; i++) host[i] = (float)i;
  int64_t d64[1] = {64};
  PJRT_Buffer* zc = NULL;
  PJRT_Event* zdone = NULL;
  OK(from_host_on(client, NULL, host, PJRT_Buffer_Type_F32, d64, 1, PJRT_HostBufferSemantics_kImmutableZeroCopy,
                  &zc, &zdone));
  PJRT_Buffer_UnsafePointer_Args up = {ARGS(PJRT_Buffer_UnsafePointer_Args, buffer_pointer), .buffer = zc};
  if (zc) OK(api->PJRT_Buffer_UnsafePointer(&up));
  CHECK(up.buffer_pointer == (uintptr_t)host, "zero-copy aliases the host memory");
  CHECK(zdone && !event_ready(zdone), "done_with_host_buffer pending while the buffer lives");
  destroy_buffer(zc);
  CHECK(zdone && event_ready(zdone), "done_with_host_buffer ready once the buffer is gone");
  destroy_event(zdone);
  free(host);

  /* Serialization: the loaded executable runs without compiling again. */
  PJRT_LoadedExecutable* sm = NULL;
  char* sm4 = softmax_module(4);
  OK(compile(client, sm4, &sm));
  PJRT_LoadedExecutable_GetExecutable_Args ge = {ARGS(PJRT_LoadedExecutable_GetExecutable_Args, executable),
                                                 .loaded_executable = sm};
  if (sm) OK(api->PJRT_LoadedExecutable_GetExecutable(&ge));
  PJRT_Executable_Serialize_Args ser = {ARGS(PJRT_Executable_Serialize_Args, serialized_executable_deleter),
                                        .executable = ge.executable};
  OK(api->PJRT_Executable_Serialize(&ser));
  double t0 = now_us();
  PJRT_Executable_DeserializeAndLoad_Args des = {ARGS(PJRT_Executable_DeserializeAndLoad_Args, loaded_executable),
                                                 .client = client, .serialized_executable = ser.serialized_bytes,
                                                 .serialized_executable_size = ser.serialized_bytes_size};
  OK(api->PJRT_Executable_DeserializeAndLoad(&des));
  printf("DeserializeAndLoad of %zu bytes: %.2f ms\n", ser.serialized_bytes_size, (now_us() - t0) / 1e3);
  float x4[4] = {1, 2, 3, 4}, y4[4] = {0};
  int64_t d4[1] = {4};
  PJRT_Buffer *b4, *o4 = NULL;
  OK(from_host(client, x4, PJRT_Buffer_Type_F32, d4, 1, &b4));
  if (des.loaded_executable) OK(execute(des.loaded_executable, &b4, 1, &o4, NULL));
  if (o4) OK(to_host(o4, y4, sizeof y4));
  CHECK(fabsf(y4[3] - 0.64391426f) < 1e-6f, "deserialized softmax[3] = %f", y4[3]);
  /* A deserialized executable serializes to what it was loaded from, and that loads again. */
  if (des.loaded_executable) {
    PJRT_LoadedExecutable_GetExecutable_Args ge2 = {ARGS(PJRT_LoadedExecutable_GetExecutable_Args, executable),
                                                    .loaded_executable = des.loaded_executable};
    OK(api->PJRT_LoadedExecutable_GetExecutable(&ge2));
    PJRT_Executable_Serialize_Args ser2 = {ARGS(PJRT_Executable_Serialize_Args, serialized_executable_deleter),
                                           .executable = ge2.executable};
    OK(api->PJRT_Executable_Serialize(&ser2));
    CHECK(ser2.serialized_bytes_size == ser.serialized_bytes_size &&
              memcmp(ser2.serialized_bytes, ser.serialized_bytes, ser.serialized_bytes_size) == 0,
          "serialize(deserialize(x)) == x");
    PJRT_Executable_DeserializeAndLoad_Args again = des;
    again.serialized_executable = ser2.serialized_bytes;
    again.serialized_executable_size = ser2.serialized_bytes_size;
    OK(api->PJRT_Executable_DeserializeAndLoad(&again));
    destroy_loaded(again.loaded_executable);
    ser2.serialized_executable_deleter(ser2.serialized_executable);
    PJRT_Executable_Destroy_Args xd2 = {ARGS(PJRT_Executable_Destroy_Args, executable), .executable = ge2.executable};
    OK(api->PJRT_Executable_Destroy(&xd2));
  }
  char* cut = malloc(ser.serialized_bytes_size);
  memcpy(cut, ser.serialized_bytes, ser.serialized_bytes_size);
  des.serialized_executable = cut;
  des.serialized_executable_size = ser.serialized_bytes_size - 3;
  expect_error(api->PJRT_Executable_DeserializeAndLoad(&des), PJRT_Error_Code_INVALID_ARGUMENT, "truncated",
               "truncated executable");
  memcpy(cut + 10, "XYZ", 3); /* another runtime identity */
  des.serialized_executable_size = ser.serialized_bytes_size;
  expect_error(api->PJRT_Executable_DeserializeAndLoad(&des), PJRT_Error_Code_INVALID_ARGUMENT, "compiled by",
               "foreign executable");
  free(cut);
  ser.serialized_executable_deleter(ser.serialized_executable);
  PJRT_Executable_Destroy_Args xd = {ARGS(PJRT_Executable_Destroy_Args, executable), .executable = ge.executable};
  if (ge.executable) OK(api->PJRT_Executable_Destroy(&xd));
  destroy_buffer(b4);
  destroy_buffer(o4);
  destroy_loaded(des.loaded_executable);
  destroy_loaded(sm);
  free(sm4);
}

/* Median per-call figures of softmax f32[5] through both runtimes and bare TF, in
 * alternating blocks so that machine noise hits all alike; then a 256x256 matmul. */
static void timing(PJRT_Client* xla, PJRT_Client* tf, int calls) {
  char* sm5 = softmax_module(5);
  PJRT_LoadedExecutable* ex[2] = {NULL, NULL};
  PJRT_Buffer* in[2] = {NULL, NULL};
  PJRT_Client* clients[2] = {xla, tf};
  float x5[5] = {1, 2, 3, 4, 5};
  int64_t dims5[1] = {5};
  for (int k = 0; k < 2; k++) {
    OK(compile(clients[k], sm5, &ex[k]));
    OK(from_host(clients[k], x5, PJRT_Buffer_Type_F32, dims5, 1, &in[k]));
  }
  bare_tf bare;
  int have_bare = bare_tf_init(&bare, sm5, 5);
  double* t[4];
  for (int k = 0; k < 4; k++) t[k] = malloc(sizeof(double) * (size_t)calls);
  const int block = 500;
  int n = 0;
  for (int warm = 1; warm >= 0; warm--) {
    for (int done = 0; done < calls;) {
      int m = calls - done < block ? calls - done : block;
      for (int k = 0; k < 2; k++) {
        for (int i = 0; i < m; i++) {
          PJRT_Buffer* r = NULL;
          double a = now_us();
          OK(execute(ex[k], &in[k], 1, &r, NULL));
          double b = now_us();
          destroy_buffer(r);
          if (!warm) t[k][done + i] = b - a;
          if (!warm && k == 0) t[3][done + i] = now_us() - a;
        }
      }
      for (int i = 0; have_bare && i < m; i++) {
        double a = now_us();
        if (bare_tf_call(&bare)) failures++;
        if (!warm) t[2][done + i] = now_us() - a;
      }
      done += m;
    }
    n = calls;
  }
  printf("softmax f32[5], median of %d calls (alternating blocks):\n", n);
  printf("  tfrt-cpu Execute                    %7.2f us\n", median(t[0], n));
  printf("  tfrt-cpu Execute + Buffer_Destroy   %7.2f us\n", median(t[3], n));
  printf("  tf-session Execute                  %7.2f us\n", median(t[1], n));
  if (have_bare) printf("  bare TF_SessionRun (same graph)     %7.2f us\n", median(t[2], n));
  for (int k = 0; k < 4; k++) free(t[k]);
  for (int k = 0; k < 2; k++) {
    destroy_buffer(in[k]);
    destroy_loaded(ex[k]);
  }
  free(sm5);

  /* matmul 256x256 on both runtimes. */
  float* m = malloc(256 * 256 * 4);
  for (int i = 0; i < 256 * 256; i++) m[i] = (float)(i % 7) * 0.25f;
  int64_t d[2] = {256, 256};
  for (int k = 0; k < 2; k++) {
    PJRT_LoadedExecutable* mm = NULL;
    PJRT_Buffer* b = NULL;
    OK(compile(clients[k], MATMUL_MODULE, &mm));
    OK(from_host(clients[k], m, PJRT_Buffer_Type_F32, d, 2, &b));
    double tm[41];
    for (int i = 0; i < 41; i++) {
      PJRT_Buffer* args[2] = {b, b};
      PJRT_Buffer* r = NULL;
      double a = now_us();
      OK(execute(mm, args, 2, &r, NULL));
      tm[i] = now_us() - a;
      destroy_buffer(r);
    }
    printf("  matmul 256x256 f32 on %-10s    %7.1f us (median of 41)\n", k ? "tf-session" : "tfrt-cpu", median(tm, 41));
    destroy_buffer(b);
    destroy_loaded(mm);
  }
  free(m);
}

/* Run with a TensorFlow library that is not the verified binary (run_test.sh changes one
 * byte of a copy): the plugin must refuse XLA's client and fall back to tf-session. */
static int fallback_suite(void) {
  PJRT_Client* c = NULL;
  OK(create_client(NULL, 0, &c));
  if (!c) return 1;
  const char* v = platform_version(c);
  printf("platform (modified TensorFlow): %s\n", v);
  CHECK(strstr(v, "tf-session") && strstr(v, "sha256"), "falls back naming the digest: %s", v);
  char* sm3 = softmax_module(3);
  PJRT_LoadedExecutable* e = NULL;
  OK(compile(c, sm3, &e));
  float x[3] = {1, 2, 3}, y[3] = {0};
  int64_t d3[1] = {3};
  PJRT_Buffer *in = NULL, *out = NULL;
  OK(from_host(c, x, PJRT_Buffer_Type_F32, d3, 1, &in));
  if (e && in) OK(execute(e, &in, 1, &out, NULL));
  if (out) OK(to_host(out, y, sizeof y));
  CHECK(fabsf(y[2] - 0.66524096f) < 1e-6f, "softmax on the fallback: %f", y[2]);
  destroy_buffer(in);
  destroy_buffer(out);
  destroy_loaded(e);
  destroy_client(c);
  free(sm3);
  PJRT_NamedValue o = string_option("jnx_cpu_runtime", "tfrt-cpu");
  expect_error(create_client(&o, 1, &c), PJRT_Error_Code_FAILED_PRECONDITION, "sha256", "tfrt-cpu on a modified binary");
  printf(failures ? "FAILED: %d check(s)\n" : "ALL PASSED\n", failures);
  return failures ? 1 : 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s libjnx_pjrt_cpu.so [timed_calls]\n", argv[0]);
    return 2;
  }
  int timed_calls = argc > 2 ? atoi(argv[2]) : 20000;
  if (timed_calls < 0) timed_calls = 0;
  double t0 = now_us();
  void* h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    printf("FAIL dlopen: %s\n", dlerror());
    return 1;
  }
  const PJRT_Api* (*get_api)(void) = (const PJRT_Api* (*)(void))dlsym(h, "GetPjrtApi");
  live_objects = (int64_t(*)(void))dlsym(h, "jnx_pjrt_live_objects");
  if (!get_api || !live_objects) {
    printf("FAIL: GetPjrtApi or jnx_pjrt_live_objects not exported\n");
    return 1;
  }
  api = get_api();
  printf("GetPjrtApi: struct_size %zu, version %d.%d (dlopen+GetPjrtApi %.1f ms)\n", api->struct_size,
         api->pjrt_api_version.major_version, api->pjrt_api_version.minor_version, (now_us() - t0) / 1e3);
  CHECK(api->struct_size == 1072, "PJRT_Api struct_size");
  CHECK(api->pjrt_api_version.major_version == 0 && api->pjrt_api_version.minor_version == 94, "version");

  t0 = now_us();
  PJRT_Plugin_Initialize_Args init = {ARGS(PJRT_Plugin_Initialize_Args, extension_start)};
  OK(api->PJRT_Plugin_Initialize(&init));
  OK(api->PJRT_Plugin_Initialize(&init)); /* idempotent */
  printf("Plugin_Initialize (loads TensorFlow): %.1f ms\n", (now_us() - t0) / 1e3);
  PJRT_Plugin_Attributes_Args attrs = {ARGS(PJRT_Plugin_Attributes_Args, num_attributes)};
  OK(api->PJRT_Plugin_Attributes(&attrs));
  for (size_t i = 0; i < attrs.num_attributes; i++) {
    const PJRT_NamedValue* v = &attrs.attributes[i];
    if (v->type == PJRT_NamedValue_kString)
      printf("  attribute %.*s = %.*s\n", (int)v->name_size, v->name, (int)v->value_size, v->string_value);
  }

  if (argc > 2 && strcmp(argv[2], "--expect-fallback") == 0) return fallback_suite();

  /* Client options: bad values are errors; unknown names (other plugins' options) are not. */
  PJRT_Client* c = NULL;
  PJRT_NamedValue o1 = string_option("jnx_cpu_runtime", "gpu");
  expect_error(create_client(&o1, 1, &c), PJRT_Error_Code_INVALID_ARGUMENT, "auto, tfrt-cpu or tf-session",
               "unknown runtime");
  PJRT_NamedValue o2 = int_option("cpu_device_count", 0);
  expect_error(create_client(&o2, 1, &c), PJRT_Error_Code_INVALID_ARGUMENT, "cpu_device_count", "0 devices");
  PJRT_NamedValue o3 = int_option("intra_op_threads", -1);
  expect_error(create_client(&o3, 1, &c), PJRT_Error_Code_INVALID_ARGUMENT, "intra_op_threads", "-1 threads");
  PJRT_NamedValue o4[2] = {string_option("jnx_cpu_runtime", "tf-session"), int_option("cpu_device_count", 2)};
  expect_error(create_client(o4, 2, &c), PJRT_Error_Code_INVALID_ARGUMENT, "tfrt-cpu", "2 devices on tf-session");

  PJRT_NamedValue xo[2] = {string_option("jnx_cpu_runtime", "tfrt-cpu"), int_option("unknown_option", 42)};
  t0 = now_us();
  PJRT_Client* xla = NULL;
  OK(create_client(xo, 2, &xla));
  printf("Client_Create tfrt-cpu (binary check, self-test): %.1f ms\n", (now_us() - t0) / 1e3);
  if (!xla) return 1;
  printf("platform: %s\n", platform_version(xla));
  CHECK(strstr(platform_version(xla), "TfrtCpuClient") != NULL, "tfrt-cpu names TfrtCpuClient");
  common_suite(xla);
  xla_suite(xla);

  PJRT_NamedValue to = string_option("jnx_cpu_runtime", "tf-session");
  PJRT_Client* tf = NULL;
  OK(create_client(&to, 1, &tf));
  if (!tf) return 1;
  printf("platform: %s\n", platform_version(tf));
  CHECK(strstr(platform_version(tf), "tf-session") != NULL, "tf-session names itself");
  common_suite(tf);

  if (timed_calls > 0) timing(xla, tf, timed_calls);

  destroy_client(xla);
  destroy_client(tf);
  int64_t left = live_objects();
  printf("live plugin objects after cleanup: %lld\n", (long long)left);
  CHECK(left == 0, "leaked %lld objects", (long long)left);

  printf(failures ? "FAILED: %d check(s)\n" : "ALL PASSED\n", failures);
  return failures ? 1 : 0;
}
