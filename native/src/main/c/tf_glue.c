/* TensorFlow glue: loads TensorFlow's runtime (for both runtimes), and the tf-session runtime:
 * StableHLO through TF's C API and its XlaCallModule op, which hands the module to the XLA:CPU
 * compiler embedded in libtensorflow_cc.
 *
 * TensorFlow is dlopen-ed lazily rather than linked, because
 *  - a missing runtime becomes a PJRT error naming the files, not a dlopen failure of the
 *    plugin with a loader message;
 *  - GetPjrtApi stays cheap: loading 680 MB of TF happens in Plugin_Initialize/Client_Create.
 * The libraries are looked up in $JNX_TF_LIBRARY_DIR, then next to this plugin (where the
 * build and the Java loader put them), then on the default search path.
 *
 * There are no TF headers available, so the few C API functions used are declared here;
 * they are plain C and stable across TF 2.x.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jnx_internal.h"

/* ---- the TF C API subset ---------------------------------------------------------------- */

typedef struct TF_Graph TF_Graph;
typedef struct TF_Operation TF_Operation;
typedef struct TF_OperationDescription TF_OperationDescription;
typedef struct TF_Status TF_Status;
typedef struct TF_Session TF_Session;
typedef struct TF_SessionOptions TF_SessionOptions;
typedef struct TF_Buffer TF_Buffer;
typedef struct TF_Output {
  TF_Operation* oper;
  int index;
} TF_Output;

enum { TF_OK = 0 };

#define TF_FUNCTIONS(X)                                                                          \
  X(const char*, TF_Version, (void))                                                             \
  X(TF_Status*, TF_NewStatus, (void))                                                            \
  X(void, TF_DeleteStatus, (TF_Status*))                                                         \
  X(int, TF_GetCode, (const TF_Status*))                                                         \
  X(const char*, TF_Message, (const TF_Status*))                                                 \
  X(TF_Graph*, TF_NewGraph, (void))                                                              \
  X(void, TF_DeleteGraph, (TF_Graph*))                                                           \
  X(TF_OperationDescription*, TF_NewOperation, (TF_Graph*, const char*, const char*))            \
  X(void, TF_SetAttrType, (TF_OperationDescription*, const char*, int))                          \
  X(void, TF_SetAttrShape, (TF_OperationDescription*, const char*, const int64_t*, int))         \
  X(void, TF_SetAttrInt, (TF_OperationDescription*, const char*, int64_t))                       \
  X(void, TF_SetAttrString, (TF_OperationDescription*, const char*, const void*, size_t))        \
  X(void, TF_SetAttrShapeList,                                                                   \
    (TF_OperationDescription*, const char*, const int64_t* const*, const int*, int))             \
  X(void, TF_SetAttrTypeList, (TF_OperationDescription*, const char*, const int*, int))          \
  X(void, TF_SetAttrStringList,                                                                  \
    (TF_OperationDescription*, const char*, const void* const*, const size_t*, int))             \
  X(void, TF_AddInputList, (TF_OperationDescription*, const TF_Output*, int))                    \
  X(TF_Operation*, TF_FinishOperation, (TF_OperationDescription*, TF_Status*))                   \
  X(TF_SessionOptions*, TF_NewSessionOptions, (void))                                            \
  X(void, TF_DeleteSessionOptions, (TF_SessionOptions*))                                         \
  X(void, TF_SetConfig, (TF_SessionOptions*, const void*, size_t, TF_Status*))                   \
  X(TF_Session*, TF_NewSession, (TF_Graph*, const TF_SessionOptions*, TF_Status*))               \
  X(void, TF_CloseSession, (TF_Session*, TF_Status*))                                            \
  X(void, TF_DeleteSession, (TF_Session*, TF_Status*))                                           \
  X(void, TF_SessionRun,                                                                         \
    (TF_Session*, const TF_Buffer*, const TF_Output*, TF_Tensor* const*, int, const TF_Output*,  \
     TF_Tensor**, int, const TF_Operation* const*, int, TF_Buffer*, TF_Status*))                 \
  X(TF_Tensor*, TF_AllocateTensor, (int, const int64_t*, int, size_t))                           \
  X(void, TF_DeleteTensor, (TF_Tensor*))                                                         \
  X(void*, TF_TensorData, (const TF_Tensor*))                                                    \
  X(size_t, TF_TensorByteSize, (const TF_Tensor*))                                               \
  X(int, TF_TensorType, (const TF_Tensor*))                                                      \
  X(int, TF_NumDims, (const TF_Tensor*))                                                         \
  X(int64_t, TF_Dim, (const TF_Tensor*, int))

static struct {
#define X(ret, name, params) ret(*name) params;
  TF_FUNCTIONS(X)
#undef X
} tf;

static pthread_mutex_t load_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool loaded;
static pthread_key_t status_key;
static int min_log_level = 2;
static bool capture_stderr = true;

static const char FRAMEWORK_LIB[] = "libtensorflow_framework.so.2";
static const char CC_LIB[] = "libtensorflow_cc.so.2";

/* Appends "dir/file: why; " to a bounded report. */
static void note(char* report, size_t size, const char* what, const char* why) {
  size_t n = strlen(report);
  /* Using the result tells gcc that truncation is expected (a report may be cut short). */
  if (n < size && snprintf(report + n, size - n, "%s%s (%s)", n ? "; " : "", what, why ? why : "?") < 0) {
    report[n] = '\0';
  }
}

/* Opens both libraries from dir (NULL: default search path). */
static bool open_from(const char* dir, char* report, size_t size) {
  char fw[PATH_MAX], cc[PATH_MAX];
  if (dir) {
    if ((size_t)snprintf(fw, sizeof fw, "%s/%s", dir, FRAMEWORK_LIB) >= sizeof fw ||
        (size_t)snprintf(cc, sizeof cc, "%s/%s", dir, CC_LIB) >= sizeof cc) {
      note(report, size, dir, "path too long");
      return false;
    }
    if (access(fw, F_OK) != 0 || access(cc, F_OK) != 0) {
      note(report, size, fw, "not found");
      return false;
    }
  } else {
    snprintf(fw, sizeof fw, "%s", FRAMEWORK_LIB);
    snprintf(cc, sizeof cc, "%s", CC_LIB);
  }
  /* The framework first and global, as TF's own loaders do: libtensorflow_cc needs it by
   * soname, and kernels registered by either must see one registry. */
  void* hfw = dlopen(fw, RTLD_NOW | RTLD_GLOBAL);
  if (!hfw) {
    note(report, size, fw, dlerror());
    return false;
  }
  void* hcc = dlopen(cc, RTLD_NOW | RTLD_GLOBAL);
  if (!hcc) {
    note(report, size, cc, dlerror());
    return false; /* the framework stays loaded: harmless, and unloading TF is unsafe */
  }
#define X(ret, name, params)                             \
  tf.name = (ret(*) params)dlsym(hcc, #name);            \
  if (!tf.name) {                                        \
    note(report, size, cc, "lacks symbol " #name);       \
    return false;                                        \
  }
  TF_FUNCTIONS(X)
#undef X
  return true;
}

static void delete_thread_status(void* s) {
  if (s) tf.TF_DeleteStatus((TF_Status*)s);
}

PJRT_Error* jnx_tf_load(void) {
  if (atomic_load_explicit(&loaded, memory_order_acquire)) return NULL;
  PJRT_Error* err = NULL;
  pthread_mutex_lock(&load_mu);
  if (!atomic_load_explicit(&loaded, memory_order_relaxed)) {
    /* The environment is read, never written: setenv in a running JVM races with every
     * thread that reads it. TF reads TF_CPP_MIN_LOG_LEVEL itself (the jnx launcher sets 2);
     * absl lines captured around first runs are dropped below the same level, 2 if unset. */
    const char* lvl = getenv("TF_CPP_MIN_LOG_LEVEL");
    min_log_level = lvl && *lvl >= '0' && *lvl <= '9' ? atoi(lvl) : 2;
    const char* cap = getenv("JNX_PJRT_CAPTURE_STDERR");
    capture_stderr = !(cap && strcmp(cap, "0") == 0);

    char report[2048] = "";
    bool ok = false;
    const char* env_dir = getenv("JNX_TF_LIBRARY_DIR");
    if (env_dir && *env_dir) ok = open_from(env_dir, report, sizeof report);
    if (!ok) {
      Dl_info info;
      char own_dir[PATH_MAX];
      if (dladdr((void*)&jnx_tf_load, &info) && info.dli_fname) {
        snprintf(own_dir, sizeof own_dir, "%s", info.dli_fname);
        char* slash = strrchr(own_dir, '/');
        if (slash) {
          *slash = '\0';
          ok = open_from(own_dir, report, sizeof report);
        }
      }
    }
    if (!ok) ok = open_from(NULL, report, sizeof report);
    if (ok && pthread_key_create(&status_key, delete_thread_status) != 0) {
      note(report, sizeof report, "pthread_key_create", strerror(errno));
      ok = false;
    }
    if (ok) {
      atomic_store_explicit(&loaded, true, memory_order_release);
    } else {
      err = jnx_error(PJRT_Error_Code_NOT_FOUND,
                      "cannot load the TensorFlow runtime (%s and %s, expected next to the "
                      "plugin or in $JNX_TF_LIBRARY_DIR): %s",
                      FRAMEWORK_LIB, CC_LIB, report);
    }
  }
  pthread_mutex_unlock(&load_mu);
  return err;
}

const char* jnx_tf_version(void) { return tf.TF_Version(); }

/* One status per thread: saves two allocations per Execute. */
static TF_Status* thread_status(void) {
  TF_Status* s = pthread_getspecific(status_key);
  if (!s) {
    s = tf.TF_NewStatus();
    pthread_setspecific(status_key, s);
  }
  return s;
}

/* ---- tensors ------------------------------------------------------------------------------ */

PJRT_Error* jnx_tf_tensor_new(const jnx_type_info* type, const int64_t* dims, size_t rank,
                              size_t bytes, TF_Tensor** out) {
  *out = tf.TF_AllocateTensor(type->tf_dtype, dims, (int)rank, bytes);
  if (!*out) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "cannot allocate %zu bytes", bytes);
  return NULL;
}

void jnx_tf_tensor_delete(TF_Tensor* t) {
  if (t) tf.TF_DeleteTensor(t);
}

void* jnx_tf_tensor_data(const TF_Tensor* t) { return tf.TF_TensorData(t); }

/* ---- programs ----------------------------------------------------------------------------- */

struct jnx_tf_program {
  TF_Graph* graph;
  TF_Session* session;
  const jnx_signature* sig; /* owned by the caller, outlives the program */
  int num_in, num_out;
  TF_Output* feeds;
  TF_Output* fetches;
  TF_Operation* call;
  atomic_bool warmed;   /* first run done: XLA compiled it */
  atomic_bool verified; /* a run's results matched the signature (see check_outputs) */
};

/* ConfigProto{intra_op_parallelism_threads: 1, inter_op_parallelism_threads: -1}, encoded
 * by hand. inter_op = -1 runs ops in the caller's thread; together they bring a tiny call
 * from ~60-110 us to ~22 us (perf-facts.md). XLA:CPU keeps its own intra-op threads. */
static const unsigned char SESSION_CONFIG[] = {
    0x10, 0x01,                                                       /* field 2 = 1 */
    0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, /* field 5 = -1 */
};

/* Length of a TF message without the "\n\t [[{{node main}}]]" graph context TF appends,
 * which names our private graph and means nothing to PJRT users. */
static int tf_message_length(const char* m) {
  const char* ctx = strstr(m, "\n\t [[");
  size_t n = ctx ? (size_t)(ctx - m) : strlen(m);
  return n > INT_MAX ? INT_MAX : (int)n;
}

static PJRT_Error* status_error(TF_Status* s, const char* context) {
  int code = tf.TF_GetCode(s);
  if (code < 1 || code > 16) code = PJRT_Error_Code_UNKNOWN;
  const char* m = tf.TF_Message(s);
  return jnx_error((PJRT_Error_Code)code, "%s: %.*s", context, tf_message_length(m), m);
}

PJRT_Error* jnx_tf_program_create(const char* module, size_t len, const jnx_signature* sig,
                                  jnx_tf_program** out) {
  *out = NULL;
  if (sig->num_args > INT_MAX / 2 || sig->num_results > INT_MAX / 2) {
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "too many arguments or results");
  }
  jnx_tf_program* p = calloc(1, sizeof *p);
  TF_Status* st = tf.TF_NewStatus();
  PJRT_Error* err = NULL;
  int* types = NULL;
  const int64_t** shapes = NULL;
  int* ranks = NULL;
  if (!p || !st) goto oom;
  p->sig = sig;
  p->num_in = (int)sig->num_args;
  p->num_out = (int)sig->num_results;
  p->feeds = calloc(sig->num_args + 1, sizeof(TF_Output));
  p->fetches = calloc(sig->num_results + 1, sizeof(TF_Output));
  types = calloc(sig->num_results + sig->num_args + 1, sizeof(int));
  shapes = calloc(sig->num_results + 1, sizeof(int64_t*));
  ranks = calloc(sig->num_results + 1, sizeof(int));
  p->graph = tf.TF_NewGraph();
  if (!p->feeds || !p->fetches || !types || !shapes || !ranks || !p->graph) goto oom;

  for (size_t i = 0; i < sig->num_args; i++) {
    char name[32];
    snprintf(name, sizeof name, "arg%zu", i);
    TF_OperationDescription* d = tf.TF_NewOperation(p->graph, "Placeholder", name);
    tf.TF_SetAttrType(d, "dtype", jnx_type_info_of(sig->args[i].type)->tf_dtype);
    tf.TF_SetAttrShape(d, "shape", sig->args[i].dims, (int)sig->args[i].rank);
    TF_Operation* op = tf.TF_FinishOperation(d, st);
    if (tf.TF_GetCode(st) != TF_OK) {
      err = status_error(st, "building the TensorFlow graph (Placeholder)");
      goto fail;
    }
    p->feeds[i] = (TF_Output){op, 0};
  }

  TF_OperationDescription* d = tf.TF_NewOperation(p->graph, "XlaCallModule", "main");
  tf.TF_AddInputList(d, p->feeds, p->num_in);
  if (p->num_in == 0) tf.TF_SetAttrTypeList(d, "Tin", types, 0); /* nothing to infer it from */
  /* Version 9 is the newest this TF accepts with a text module; it requires platforms. */
  tf.TF_SetAttrInt(d, "version", 9);
  tf.TF_SetAttrString(d, "module", module, len);
  for (size_t i = 0; i < sig->num_results; i++) {
    types[i] = jnx_type_info_of(sig->results[i].type)->tf_dtype;
    shapes[i] = sig->results[i].dims;
    ranks[i] = (int)sig->results[i].rank;
  }
  /* Tout decides how TF reads XLA's results: it must come from the module, never from
   * the caller (a wrong Tout is accepted silently and reads past buffers). */
  tf.TF_SetAttrTypeList(d, "Tout", types, p->num_out);
  tf.TF_SetAttrShapeList(d, "Sout", shapes, ranks, p->num_out);
  const void* platforms[] = {"CPU"};
  const size_t platform_lens[] = {3};
  tf.TF_SetAttrStringList(d, "platforms", platforms, platform_lens, 1);
  p->call = tf.TF_FinishOperation(d, st);
  if (tf.TF_GetCode(st) != TF_OK) {
    err = status_error(st, "XlaCallModule rejected the module");
    goto fail;
  }
  for (int i = 0; i < p->num_out; i++) p->fetches[i] = (TF_Output){p->call, i};

  TF_SessionOptions* opts = tf.TF_NewSessionOptions();
  tf.TF_SetConfig(opts, SESSION_CONFIG, sizeof SESSION_CONFIG, st);
  if (tf.TF_GetCode(st) == TF_OK) p->session = tf.TF_NewSession(p->graph, opts, st);
  tf.TF_DeleteSessionOptions(opts);
  if (tf.TF_GetCode(st) != TF_OK) {
    err = status_error(st, "creating the TensorFlow session");
    goto fail;
  }
  free(types);
  free(shapes);
  free(ranks);
  tf.TF_DeleteStatus(st);
  *out = p;
  return NULL;

oom:
  err = jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
fail:
  free(types);
  free(shapes);
  free(ranks);
  if (st) tf.TF_DeleteStatus(st);
  jnx_tf_program_destroy(p);
  return err;
}

void jnx_tf_program_destroy(jnx_tf_program* p) {
  if (!p) return;
  if (p->session) {
    TF_Status* st = tf.TF_NewStatus();
    tf.TF_CloseSession(p->session, st);
    tf.TF_DeleteSession(p->session, st);
    tf.TF_DeleteStatus(st);
  }
  if (p->graph) tf.TF_DeleteGraph(p->graph);
  free(p->feeds);
  free(p->fetches);
  free(p);
}

/* Checks what TF handed back against the signature before anyone reads it: buffers take
 * their dims and byte size from the signature, so a disagreement would let readers run
 * past the tensor. XLA compiled a fixed program for fixed shapes, so results keep the
 * shapes they had once; after one run checks out, later runs skip this (~0.25 us: the
 * accessors touch cache lines XLA's thread just wrote). */
static PJRT_Error* check_outputs(jnx_tf_program* p, TF_Tensor** outputs) {
  if (atomic_load_explicit(&p->verified, memory_order_acquire)) return NULL;
  for (int i = 0; i < p->num_out; i++) {
    const jnx_tensor_type* want = &p->sig->results[i];
    const jnx_type_info* info = jnx_type_info_of(want->type);
    TF_Tensor* t = outputs[i];
    bool ok = t && tf.TF_TensorType(t) == info->tf_dtype && tf.TF_NumDims(t) == (int)want->rank;
    size_t elems = 1;
    for (size_t k = 0; ok && k < want->rank; k++) {
      ok = tf.TF_Dim(t, (int)k) == want->dims[k];
      elems *= (size_t)want->dims[k];
    }
    if (ok) ok = tf.TF_TensorByteSize(t) == elems * info->size;
    if (!ok) {
      char w[128];
      return jnx_error(PJRT_Error_Code_INTERNAL,
                       "XlaCallModule result %d does not match the module's signature %s", i,
                       jnx_format_shape(want->type, want->dims, want->rank, w, sizeof w));
    }
  }
  atomic_store_explicit(&p->verified, true, memory_order_release);
  return NULL;
}

/* Runs once; on failure returns TF's code and message through *code / *message (the
 * message lives in the thread's status until its next use). */
static int run_once(jnx_tf_program* p, TF_Tensor* const* inputs, TF_Tensor** outputs,
                    const char** message) {
  TF_Status* st = thread_status();
  if (!st) {
    *message = "cannot allocate a TF_Status";
    return PJRT_Error_Code_RESOURCE_EXHAUSTED;
  }
  const TF_Operation* targets[1] = {p->call};
  /* Without fetches nothing would run; name the call as a target instead. */
  tf.TF_SessionRun(p->session, NULL, p->feeds, inputs, p->num_in, p->fetches, outputs, p->num_out,
                   p->num_out ? NULL : targets, p->num_out ? 0 : 1, NULL, st);
  int code = tf.TF_GetCode(st);
  if (code != TF_OK) {
    *message = tf.TF_Message(st);
    if (code < 1 || code > 16) code = PJRT_Error_Code_UNKNOWN;
  }
  return code;
}

static void delete_outputs(const jnx_tf_program* p, TF_Tensor** outputs) {
  for (int i = 0; i < p->num_out; i++) {
    if (outputs[i]) tf.TF_DeleteTensor(outputs[i]);
    outputs[i] = NULL;
  }
}

/* ---- stderr capture around the first run ----------------------------------------------------
 * The first run is when XLA parses and compiles the module. MLIR reports parse and verifier
 * errors only on stderr ("loc(...): error: ..."), while the status says just "Cannot
 * deserialize computation"; and TF prints a handful of absl INFO lines that survive every
 * TF_CPP_MIN_LOG_LEVEL. So the first run of each program redirects fd 2 into a memfd:
 * diagnostics go into the PJRT error, absl lines below the log level are dropped, anything
 * else (e.g. another thread's output) is written back to stderr afterwards. First runs are
 * serialised by a mutex so redirections never nest. JNX_PJRT_CAPTURE_STDERR=0 turns this off.
 */
static pthread_mutex_t capture_mu = PTHREAD_MUTEX_INITIALIZER;

/* absl log lines look like "I0000 00:00:1795636334.174043    3305 file.cc:401] text". */
static int absl_severity(const char* line, size_t n) {
  static const char FIRST_LOG_WARNING[] = "WARNING: All log messages before absl::InitializeLog()";
  if (n >= sizeof FIRST_LOG_WARNING - 1 && memcmp(line, FIRST_LOG_WARNING, sizeof FIRST_LOG_WARNING - 1) == 0) {
    return 1;
  }
  if (n < 6 || line[5] != ' ') return -1;
  for (int i = 1; i < 5; i++)
    if (line[i] < '0' || line[i] > '9') return -1;
  switch (line[0]) {
    case 'I': return 0;
    case 'W': return 1;
    case 'E': return 2;
    case 'F': return 3;
    default: return -1;
  }
}

static void write_all(int fd, const char* s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

/* Runs once with fd 2 redirected; diagnostics of a failed run land in diag. */
static int run_captured(jnx_tf_program* p, TF_Tensor* const* inputs, TF_Tensor** outputs,
                        const char** message, char* diag, size_t diag_size) {
  int mfd = memfd_create("jnx-pjrt-stderr", MFD_CLOEXEC);
  int saved = mfd >= 0 ? dup(2) : -1;
  if (saved < 0) {
    if (mfd >= 0) close(mfd);
    return run_once(p, inputs, outputs, message); /* cannot capture: run plainly */
  }
  fflush(stderr);
  dup2(mfd, 2);
  int code = run_once(p, inputs, outputs, message);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);

  /* Sort the captured text: diagnostics (into the error), absl noise below the log level
   * (dropped), the rest (back to stderr). Lines starting with whitespace continue the
   * previous line and share its fate. */
  off_t size = lseek(mfd, 0, SEEK_END);
  size_t want = size > 0 ? (size_t)(size < (1 << 20) ? size : (1 << 20)) : 0;
  char* text = want ? malloc(want) : NULL;
  size_t got = text && pread(mfd, text, want, 0) == (ssize_t)want ? want : 0;
  close(mfd);
  size_t diag_len = 0;
  int sev = -1;
  for (size_t i = 0; i < got;) {
    size_t j = i;
    while (j < got && text[j] != '\n') j++;
    size_t n = j - i + (j < got); /* with its newline */
    const char* line = text + i;
    if (line[0] != ' ' && line[0] != '\t') sev = absl_severity(line, n);
    if (sev < 0 && code != TF_OK) {
      if (diag_len + n < diag_size) {
        memcpy(diag + diag_len, line, n);
        diag_len += n;
      }
    } else if (sev < 0 || (sev >= min_log_level && !(sev >= 2 && code != TF_OK))) {
      write_all(2, line, n); /* errors of a failed run are already in the PJRT error */
    }
    i += n;
  }
  free(text);
  while (diag_len > 0 && (diag[diag_len - 1] == '\n' || diag[diag_len - 1] == ' ')) diag_len--;
  diag[diag_len] = '\0';
  return code;
}

static PJRT_Error* first_run(jnx_tf_program* p, TF_Tensor* const* inputs, TF_Tensor** outputs) {
  pthread_mutex_lock(&capture_mu);
  if (atomic_load_explicit(&p->warmed, memory_order_acquire)) {
    pthread_mutex_unlock(&capture_mu);
    return jnx_tf_program_run(p, inputs, outputs);
  }
  const char* message = NULL;
  char diag[4096] = "";
  int code = run_captured(p, inputs, outputs, &message, diag, sizeof diag);
  PJRT_Error* err = NULL;
  if (code != TF_OK) {
    delete_outputs(p, outputs);
    err = jnx_error((PJRT_Error_Code)code, "XLA could not run the module: %.*s%s%s",
                    tf_message_length(message), message, diag[0] ? "\nMLIR diagnostics:\n" : "", diag);
  } else if ((err = check_outputs(p, outputs))) {
    delete_outputs(p, outputs);
  } else {
    atomic_store_explicit(&p->warmed, true, memory_order_release);
  }
  pthread_mutex_unlock(&capture_mu);
  return err;
}

PJRT_Error* jnx_tf_program_run(jnx_tf_program* p, TF_Tensor* const* inputs, TF_Tensor** outputs) {
  for (int i = 0; i < p->num_out; i++) outputs[i] = NULL;
  if (capture_stderr && !atomic_load_explicit(&p->warmed, memory_order_acquire)) {
    return first_run(p, inputs, outputs);
  }
  const char* message;
  int code = run_once(p, inputs, outputs, &message);
  if (code != TF_OK) {
    delete_outputs(p, outputs);
    return jnx_error((PJRT_Error_Code)code, "XLA could not run the module: %.*s",
                     tf_message_length(message), message);
  }
  PJRT_Error* err = check_outputs(p, outputs);
  if (err) delete_outputs(p, outputs);
  return err;
}
