// The tfrt-cpu runtime: XLA's own PJRT CPU client (xla::TfrtCpuClient), which
// libtensorflow_cc.so.2 exports but offers no C API for. No XLA, MLIR or protobuf headers are
// available, so every entry point is resolved by its mangled name with dlsym and called through
// a plain function pointer whose parameters spell out the Itanium C++ ABI: a class result that
// is not trivially copyable comes back through a hidden pointer passed first (before `this`),
// a by-value parameter that is not trivially copyable is passed as a pointer to a temporary the
// caller owns and destroys afterwards, trivially copyable ones (Span, string_view, optional of
// Span) by value. The few types we construct ourselves are mirrored below, each pinned by
// static_asserts against the layout of TF 2.18.0's binary (abseil lts_20230802), and the
// mirrors are only trusted for that exact binary: jnx_xla_check() compares TF_Version() and the
// sha256 of the library, then compiles and runs a small module before any client is handed out.
// Anything else falls back to the tf-session runtime (tf_glue.c).
//
// Every buffer this file hands out is ready when the call returns: uploads copy during the call
// (or alias caller memory that stays valid), executions run inline (ExecuteOptions synchronous,
// all inputs ready), copies between devices go through host memory. So readers never wait.
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <new>
#include <string>
#include <string_view>

extern "C" {
#include "jnx_internal.h"
}

namespace {

// ---- mirrored types ------------------------------------------------------------------------

// absl::Status: one word, 0 when OK; a set low bit means a refcounted heap representation.
struct Status {
  uintptr_t rep;
};

template <class T>
struct StatusOr {  // absl::StatusOr<T>: the status, then the value (valid only when OK)
  Status status;
  T value;
};

// absl::Span<T const>, std::string_view: trivially copyable, passed in two registers.
template <class T>
struct Span {
  const T* data;
  size_t size;
};

// std::optional<absl::Span<long const>>: 24 bytes, passed in memory.
struct OptionalSpan {
  Span<int64_t> span;
  bool engaged;
};

// absl::AnyInvocable<void() &&>: 16 bytes of 16-aligned local storage, the manager, the invoker.
struct alignas(16) AnyInvocable {
  void* storage[2];
  void (*manager)(bool dispose, void* from, void* to) noexcept;
  void (*invoker)(void* state);
};

// std::vector<T*>: begin, end, end of storage.
struct Vector {
  void** begin;
  void** end;
  void** capacity;
};

// xla::XlaComputation: unique_id, then the HloModuleProto (0xd8 bytes, read off
// Arena::CreateMaybeMessage<xla::HloModuleProto>).
constexpr size_t kHloModuleProtoSize = 0xd8;
struct XlaComputation {
  int64_t unique_id;
  alignas(8) unsigned char proto[kHloModuleProtoSize];
};

// absl::flat_hash_set<int> when empty: control bytes point at abseil's shared empty group.
struct EmptyFlatHashSet {
  const void* ctrl;
  void* slots;
  size_t size;
  size_t capacity;
};

// xla::ExecuteOptions of TF 2.18 (read off ExecuteOptions::FromProto).
struct ExecuteOptions {
  bool arguments_are_tupled;           // 0x00
  bool untuple_result;                 // 0x01
  int32_t launch_id;                   // 0x04
  void* context;                       // 0x08
  bool strict_shape_checking;          // 0x10
  void* multi_slice_config;            // 0x18
  Span<void*> send_callbacks;          // 0x20
  Span<void*> recv_callbacks;          // 0x30
  bool use_major_to_minor_data_layout; // 0x40
  int32_t execution_mode;              // 0x44: 0 default, 1 synchronous, 2 asynchronous
  EmptyFlatHashSet non_donatable_input_indices;  // 0x48
};

static_assert(sizeof(Status) == 8, "absl::Status is one word");
static_assert(sizeof(StatusOr<void*>) == 16 && offsetof(StatusOr<void*>, value) == 8, "StatusOr<ptr>");
static_assert(sizeof(StatusOr<Vector>) == 32 && offsetof(StatusOr<Vector>, value) == 8, "StatusOr<vector>");
// StatusOr<std::string>: the string is constructed by XLA (only when OK) in raw storage.
struct StatusOrString {
  Status status;
  alignas(std::string) unsigned char value[sizeof(std::string)];
  std::string& string() { return *std::launder(reinterpret_cast<std::string*>(value)); }
};
static_assert(sizeof(StatusOrString) == 40 && offsetof(StatusOrString, value) == 8, "StatusOr<std::string>");
static_assert(sizeof(Span<int64_t>) == 16, "absl::Span");
static_assert(sizeof(std::string_view) == 16, "std::string_view");
static_assert(sizeof(OptionalSpan) == 24 && offsetof(OptionalSpan, engaged) == 16, "optional<Span>");
static_assert(sizeof(AnyInvocable) == 32 && alignof(AnyInvocable) == 16 &&
                  offsetof(AnyInvocable, manager) == 16 && offsetof(AnyInvocable, invoker) == 24,
              "absl::AnyInvocable");
static_assert(sizeof(Vector) == 24, "std::vector");
static_assert(sizeof(XlaComputation) == 8 + kHloModuleProtoSize, "xla::XlaComputation");
static_assert(sizeof(EmptyFlatHashSet) == 32, "absl::flat_hash_set");
static_assert(offsetof(ExecuteOptions, strict_shape_checking) == 0x10 &&
                  offsetof(ExecuteOptions, multi_slice_config) == 0x18 &&
                  offsetof(ExecuteOptions, send_callbacks) == 0x20 &&
                  offsetof(ExecuteOptions, recv_callbacks) == 0x30 &&
                  offsetof(ExecuteOptions, use_major_to_minor_data_layout) == 0x40 &&
                  offsetof(ExecuteOptions, execution_mode) == 0x44 &&
                  offsetof(ExecuteOptions, non_donatable_input_indices) == 0x48 && sizeof(ExecuteOptions) == 104,
              "xla::ExecuteOptions");

// xla::PjRtFuture<void>: the promise (an RCReference to a ConcreteAsyncValue<absl::Status>)
// and two std::function profiling hooks. std::function's layout and destructor do not depend
// on its signature, so void() stands in for theirs.
struct Future {
  void* value;
  std::function<void()> on_block_start;
  std::function<void()> on_block_end;
};
// std::optional<std::vector<PjRtFuture<void>>>
struct OptionalFutures {
  Future* begin;
  Future* end;
  Future* capacity;
  bool engaged;
};
// tsl::ConcreteAsyncValue<absl::Status> (0x80 bytes, 64-aligned; read off
// AbstractTfrtCpuBuffer::GetReadyFuture): its type id at +6, its state in the low bits of +8
// (2 concrete, 3 error), and its Status (the value, or the error) at +0x40.
constexpr size_t kAsyncTypeId = 6, kAsyncState = 8, kAsyncStatus = 0x40;
static_assert(sizeof(Future) == 72 && sizeof(std::function<void()>) == 32, "xla::PjRtFuture<void>");
static_assert(sizeof(OptionalFutures) == 32 && offsetof(OptionalFutures, engaged) == 24,
              "std::optional<std::vector<xla::PjRtFuture<void>>>");

// Objects we only hold pointers to, or build in storage sized from the binary.
constexpr size_t kTfrtCpuDeviceSize = 0xd8;  // operator new in GetTfrtCpuClient
// StatusOr<xla::CompileOptions> and optional<CompileOptions>: CompileOptions is about 0x8e0
// bytes; zeroed storage this large is a disengaged optional wherever its flag lies.
constexpr size_t kCompileOptionsStorage = 0x2000;

// xla::PrimitiveType values (xla_data.proto), indexed by PJRT_Buffer_Type.
int primitive_type(PJRT_Buffer_Type t) {
  switch (t) {
    case PJRT_Buffer_Type_PRED: return 1;
    case PJRT_Buffer_Type_S8: return 2;
    case PJRT_Buffer_Type_S16: return 3;
    case PJRT_Buffer_Type_S32: return 4;
    case PJRT_Buffer_Type_S64: return 5;
    case PJRT_Buffer_Type_U8: return 6;
    case PJRT_Buffer_Type_U16: return 7;
    case PJRT_Buffer_Type_U32: return 8;
    case PJRT_Buffer_Type_U64: return 9;
    case PJRT_Buffer_Type_F16: return 10;
    case PJRT_Buffer_Type_F32: return 11;
    case PJRT_Buffer_Type_F64: return 12;
    case PJRT_Buffer_Type_BF16: return 16;
    case PJRT_Buffer_Type_C64: return 15;
    case PJRT_Buffer_Type_C128: return 18;
    default: return -1;
  }
}

// ---- the entry points ----------------------------------------------------------------------

// The entry points, each with the mangled name it is resolved by.
struct Symbols {
  const char* (*tf_version)();
  int (*status_code)(const Status*);
  std::string_view (*status_message)(const Status*);
  void (*status_unref)(uintptr_t);
  const unsigned char* empty_group;
  int (*default_thread_pool_size)();
  void (*device_ctor)(void*, int, int, int);
  void (*device_dtor)(void*);
  void (*make_client)(void** out, const int* process_index, Vector* devices, const void* collectives, unsigned long* num_threads, const bool* asynchronous);
  void (*client_delete)(void*);
  const unsigned char* client_vtable;
  Span<void*> (*client_devices)(const void*);
  void (*hlo_proto_ctor)(void*, void* arena, bool owned);
  void (*hlo_proto_dtor)(void*);
  void (*parse_mlir)(Status*, std::string_view, XlaComputation*, bool, bool);
  void* (*new_options_proto)(void* arena);
  void (*options_proto_delete)(void*);
  bool (*parse_from_array)(void*, const void*, int);
  void (*options_from_proto)(void* status_or_options, const void* proto);
  void (*options_dtor)(void*);
  void (*compile)(StatusOr<void*>*, void* client, const XlaComputation*, void* options);
  void (*executable_delete)(void*);
  const unsigned char* executable_vtable;
  Span<void*> (*executable_devices)(const void*);
  void (*serialize)(StatusOrString*, const void* executable);
  void (*deserialize)(StatusOr<void*>*, void* client, std::string_view, void* optional_options);
  void (*from_host)(StatusOr<void*>*, void* client, const void* data, int type, Span<int64_t> dims, OptionalSpan byte_strides, int semantics, AnyInvocable* on_done, void* device);
  void (*unsafe_pointer)(StatusOr<uintptr_t>*, void* client, void* buffer);
  void (*buffer_size)(StatusOr<size_t>*, const void* buffer);
  void* (*buffer_device)(const void* buffer);
  bool (*buffer_is_deleted)(void* buffer);
  void (*buffer_delete)(void*);
  const unsigned char* buffer_vtable;
  void (*execute)(StatusOr<Vector>*, void* executable, Span<void*> args, void* device, const ExecuteOptions*, void* returned_future, bool fill_future);
  void (*execute_all)(StatusOr<Vector>*, void* executable, Span<Vector> argument_lists, const ExecuteOptions*,
                      OptionalFutures* returned_futures);
  void (*block_until_ready)(void* async_value);
  void (*async_value_unref)(void** rc_reference);
  const uint16_t* status_type_id;
};
Symbols xla;

struct SymbolName {
  void** slot;
  const char* name;
};
#define SLOT(field) reinterpret_cast<void**>(const_cast<void*>(static_cast<const void*>(&xla.field)))
const SymbolName kSymbols[] = {
    {SLOT(tf_version), "TF_Version"},
    {SLOT(status_code), "_ZNK4absl12lts_202308026Status4codeEv"},
    {SLOT(status_message), "_ZNK4absl12lts_202308026Status7messageEv"},
    {SLOT(status_unref), "_ZN4absl12lts_202308026Status15UnrefNonInlinedEm"},
    {SLOT(empty_group), "_ZN4absl12lts_2023080218container_internal11kEmptyGroupE"},
    {SLOT(default_thread_pool_size), "_ZN3xla21DefaultThreadPoolSizeEv"},
    {SLOT(device_ctor), "_ZN3xla13TfrtCpuDeviceC1Eiii"},
    {SLOT(device_dtor), "_ZN3xla13TfrtCpuDeviceD2Ev"},
    {SLOT(make_client), "_ZSt11make_uniqueIN3xla13TfrtCpuClientEJRKiSt6vectorISt10unique_ptrINS0_13TfrtCpuDeviceESt14" "default_deleteIS6_EESaIS9_EEKSt10shared_ptrINS0_3cpu20CollectivesInterfaceEERmRKbEENSt9_" "MakeUniqIT_E15__single_objectEDpOT0_"},
    {SLOT(client_delete), "_ZN3xla13TfrtCpuClientD0Ev"},
    {SLOT(client_vtable), "_ZTVN3xla13TfrtCpuClientE"},
    {SLOT(client_devices), "_ZNK3xla13TfrtCpuClient19addressable_devicesEv"},
    {SLOT(hlo_proto_ctor), "_ZN3xla14HloModuleProtoC1EPN6google8protobuf5ArenaEb"},
    {SLOT(hlo_proto_dtor), "_ZN3xla14HloModuleProtoD1Ev"},
    {SLOT(parse_mlir), "_ZN3xla47ParseMlirModuleStringAndConvertToXlaComputationESt17basic_string_viewIcSt11char_" "traitsIcEERNS_14XlaComputationEbb"},
    {SLOT(new_options_proto), "_ZN6google8protobuf5Arena18CreateMaybeMessageIN3xla19CompileOptionsProtoEJEEEPT_PS1_DpOT0_"},
    {SLOT(options_proto_delete), "_ZN3xla19CompileOptionsProtoD0Ev"},
    {SLOT(parse_from_array), "_ZN6google8protobuf11MessageLite14ParseFromArrayEPKvi"},
    {SLOT(options_from_proto), "_ZN3xla14CompileOptions9FromProtoERKNS_19CompileOptionsProtoE"},
    {SLOT(options_dtor), "_ZN3xla14CompileOptionsD2Ev"},
    {SLOT(compile), "_ZN3xla13TfrtCpuClient7CompileERKNS_14XlaComputationENS_14CompileOptionsE"},
    {SLOT(executable_delete), "_ZN3xla17TfrtCpuExecutableD0Ev"},
    {SLOT(executable_vtable), "_ZTVN3xla17TfrtCpuExecutableE"},
    {SLOT(executable_devices), "_ZNK3xla17TfrtCpuExecutable19addressable_devicesEv"},
    {SLOT(serialize), "_ZNK3xla17TfrtCpuExecutable19SerializeExecutableB5cxx11Ev"},
    {SLOT(deserialize), "_ZN3xla13TfrtCpuClient21DeserializeExecutableESt17basic_string_viewIcSt11char_traitsIcEESt8" "optionalINS_14CompileOptionsEE"},
    {SLOT(from_host), "_ZN3xla13TfrtCpuClient20BufferFromHostBufferEPKvNS_13PrimitiveTypeEN4absl12lts_202308024Span" "IKlEESt8optionalIS8_ENS_10PjRtClient19HostBufferSemanticsENS5_12AnyInvocableIFvvOEEEPNS_10" "PjRtDeviceE"},
    {SLOT(unsafe_pointer), "_ZN3xla10PjRtClient19UnsafeBufferPointerEPNS_10PjRtBufferE"},
    {SLOT(buffer_size), "_ZNK3xla21AbstractTfrtCpuBuffer22GetOnDeviceSizeInBytesEv"},
    {SLOT(buffer_device), "_ZNK3xla13TfrtCpuBuffer6deviceEv"},
    {SLOT(buffer_is_deleted), "_ZN3xla21AbstractTfrtCpuBuffer9IsDeletedEv"},
    {SLOT(buffer_delete), "_ZN3xla13TfrtCpuBufferD0Ev"},
    {SLOT(buffer_vtable), "_ZTVN3xla13TfrtCpuBufferE"},
    {SLOT(block_until_ready), "_ZN3tsl15BlockUntilReadyEPNS_10AsyncValueE"},
    {SLOT(async_value_unref), "_ZN3tsl11RCReferenceINS_10AsyncValueEED2Ev"},
    {SLOT(status_type_id), "_ZN3tsl8internal18ConcreteAsyncValueIN4absl12lts_202308026StatusEE17concrete_type_id_E"},
    {SLOT(execute_all), "_ZN3xla17TfrtCpuExecutable7ExecuteEN4absl12lts_202308024SpanIKSt6vectorIPNS_10PjRtBufferESaIS6_EEEERKNS_14ExecuteOptionsERSt8optionalIS4_INS_10PjRtFutureIvEESaISG_EEE"},
    {SLOT(execute), "_ZN3xla17TfrtCpuExecutable14ExecuteShardedEN4absl12lts_202308024SpanIKPNS_10PjRtBufferEEEPNS_" "10PjRtDeviceERKNS_14ExecuteOptionsERSt8optionalINS_10PjRtFutureIvEEEb"},
};
#undef SLOT

// The binary these layouts were read off.
constexpr char kTfVersion[] = "2.18.0";
constexpr char kTfSha256[] = "9d170ad7b544798e929e197abb4f8176bc8c6d1cfc88bd131cbd5b13d440d25f";

// ---- statuses ----------------------------------------------------------------------------

void status_free(Status* s) {
  if (s->rep & 1) xla.status_unref(s->rep);
  s->rep = 0;
}

// The status as a PJRT error (NULL when OK); frees the status.
PJRT_Error* status_error(Status* s, const char* context) {
  if (s->rep == 0) return nullptr;
  int code = xla.status_code(s);
  std::string_view m = xla.status_message(s);
  PJRT_Error* e = jnx_error(code >= 1 && code <= 16 ? (PJRT_Error_Code)code : PJRT_Error_Code_UNKNOWN,
                            "%s: %.*s", context, (int)(m.size() > 65536 ? 65536 : m.size()), m.data());
  status_free(s);
  return e;
}

PJRT_Error* oom() { return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory"); }

bool has_vtable(const void* object, const unsigned char* vtable) {
  return object && *static_cast<const unsigned char* const*>(object) == vtable + 16;
}

// ---- on_done callbacks ---------------------------------------------------------------------

// The callback XLA runs when it no longer needs caller memory (zero-copy uploads). The
// AnyInvocable's storage holds the jnx callback and its argument; dispose without a call
// (XLA dropping the callback) counts as done too, so the caller is always released once.
struct DoneCallback {
  void (*fn)(void*);
  void* arg;
  std::atomic<bool> fired;
};

void done_fire(DoneCallback* d) {
  if (!d->fired.exchange(true)) d->fn(d->arg);
}

void done_manager(bool dispose, void* from, void* to) noexcept {
  auto* f = static_cast<AnyInvocable*>(from);
  auto* t = static_cast<AnyInvocable*>(to);
  if (!dispose) {
    t->storage[0] = f->storage[0];
    t->storage[1] = f->storage[1];
    return;
  }
  auto* d = static_cast<DoneCallback*>(f->storage[0]);
  if (d) {
    done_fire(d);
    delete d;
  }
}

void done_invoker(void* state) {
  auto* d = static_cast<DoneCallback*>(static_cast<AnyInvocable*>(state)->storage[0]);
  if (d) done_fire(d);
}

void empty_manager(bool, void*, void*) noexcept {}

// ---- loading and checking ------------------------------------------------------------------

pthread_once_t check_once = PTHREAD_ONCE_INIT;
char unavailable[1024];  // empty when the runtime can be used

void set_unavailable(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void set_unavailable(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(unavailable, sizeof unavailable, fmt, ap);
  va_end(ap);
}

bool resolve_symbols() {
  for (const SymbolName& s : kSymbols) {
    *s.slot = dlsym(RTLD_DEFAULT, s.name);
    if (!*s.slot) {
      set_unavailable("the TensorFlow runtime lacks %s", s.name);
      return false;
    }
  }
  return true;
}

PJRT_Error* self_test();

void check_runtime() {
  if (!resolve_symbols()) return;
  const char* version = xla.tf_version();
  if (strcmp(version, kTfVersion) != 0) {
    set_unavailable("TensorFlow %s, not the %s whose layouts jnx knows", version, kTfVersion);
    return;
  }
  Dl_info info;
  if (!dladdr(reinterpret_cast<void*>(xla.tf_version), &info) || !info.dli_fname) {
    set_unavailable("cannot locate libtensorflow_cc.so.2");
    return;
  }
  char digest[65], why[512];
  if (!jnx_file_sha256(info.dli_fname, digest, why, sizeof why)) {
    set_unavailable("%s", why);
    return;
  }
  if (strcmp(digest, kTfSha256) != 0) {
    set_unavailable("%s has sha256 %s, not the verified %s", info.dli_fname, digest, kTfSha256);
    return;
  }
  if (PJRT_Error* err = self_test()) {
    set_unavailable("self-test failed: %s", jnx_error_message(err));
    jnx_error_free(err);
  }
}

}  // namespace

// ---- the C interface -------------------------------------------------------------------------

struct jnx_xla_client {
  void* client;  // xla::TfrtCpuClient
  size_t num_devices;
  void** devices;  // xla::TfrtCpuDevice*, by local index
  int threads;
};

struct jnx_xla_executable {
  void* executable;    // xla::TfrtCpuExecutable
  size_t num_devices;  // partitions: the devices one execution runs on
  size_t devices[];    // their local indices, in partition order
};

// A jnx_xla_buffer* is the xla::TfrtCpuBuffer* itself: no wrapper to allocate per buffer.
static void* xla_buffer(jnx_xla_buffer* b) { return b; }
static jnx_xla_buffer* jnx_buffer(void* b) { return static_cast<jnx_xla_buffer*>(b); }

extern "C" const char* jnx_xla_unavailable(void) {
  pthread_once(&check_once, check_runtime);
  return unavailable[0] ? unavailable : nullptr;
}

namespace {

PJRT_Error* client_new(int device_count, int threads, jnx_xla_client** out) {
  *out = nullptr;
  Vector devices{};
  size_t bytes = sizeof(void*) * (size_t)device_count;
  devices.begin = static_cast<void**>(::operator new(bytes, std::nothrow));
  if (!devices.begin) return oom();
  devices.end = devices.capacity = devices.begin;
  for (int i = 0; i < device_count; i++) {
    void* d = ::operator new(kTfrtCpuDeviceSize, std::nothrow);
    if (!d) break;
    // process 0, local id i, XLA's default of 32 computations in flight per device
    xla.device_ctor(d, 0, i, 32);
    *devices.end++ = d;
  }
  if ((int)(devices.end - devices.begin) != device_count) {
    for (void** d = devices.begin; d != devices.end; d++) {
      xla.device_dtor(*d);
      ::operator delete(*d);
    }
    ::operator delete(devices.begin);
    return oom();
  }
  devices.capacity = devices.end;
  int process_index = 0;
  unsigned long num_threads = (unsigned long)threads;
  bool asynchronous = false;
  struct {
    void* ptr;
    void* control;
  } no_collectives = {nullptr, nullptr};  // an empty std::shared_ptr<CollectivesInterface>
  void* client = nullptr;
  xla.make_client(&client, &process_index, &devices, &no_collectives, &num_threads, &asynchronous);
  // The client took the devices; whatever the vector still holds is ours.
  for (void** d = devices.begin; d && d != devices.end; d++) {
    if (*d) {
      xla.device_dtor(*d);
      ::operator delete(*d);
    }
  }
  if (devices.begin) ::operator delete(devices.begin);
  if (!has_vtable(client, xla.client_vtable)) {
    return jnx_error(PJRT_Error_Code_INTERNAL, "TfrtCpuClient: unexpected object from make_unique");
  }
  Span<void*> listed = xla.client_devices(client);
  auto* c = static_cast<jnx_xla_client*>(calloc(1, sizeof(jnx_xla_client)));
  void** copy = static_cast<void**>(calloc(listed.size + 1, sizeof(void*)));
  if (!c || !copy || listed.size != (size_t)device_count) {
    free(c);
    free(copy);
    xla.client_delete(client);
    return listed.size != (size_t)device_count
               ? jnx_error(PJRT_Error_Code_INTERNAL, "TfrtCpuClient lists %zu devices, %d were made",
                           listed.size, device_count)
               : oom();
  }
  memcpy(copy, listed.data, listed.size * sizeof(void*));
  c->client = client;
  c->num_devices = listed.size;
  c->devices = copy;
  c->threads = threads;
  *out = c;
  return nullptr;
}

}  // namespace

extern "C" PJRT_Error* jnx_xla_client_create(int device_count, int threads, jnx_xla_client** out) {
  *out = nullptr;
  if (const char* why = jnx_xla_unavailable()) {
    return jnx_error(PJRT_Error_Code_FAILED_PRECONDITION, "the tfrt-cpu runtime is unavailable: %s", why);
  }
  if (device_count < 1 || device_count > 1024) {
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "cpu_device_count must be in [1, 1024], got %d", device_count);
  }
  if (threads == 0) threads = xla.default_thread_pool_size();
  if (threads < 1 || threads > 256) {
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "intra_op_threads must be in [1, 256], got %d", threads);
  }
  // A collective across N devices needs N threads, as in xla::GetTfrtCpuClient.
  return client_new(device_count, threads < device_count ? device_count : threads, out);
}

extern "C" void jnx_xla_client_destroy(jnx_xla_client* c) {
  if (!c) return;
  xla.client_delete(c->client);
  free(c->devices);
  free(c);
}

extern "C" size_t jnx_xla_client_devices(const jnx_xla_client* c) { return c->num_devices; }

extern "C" int jnx_xla_client_threads(const jnx_xla_client* c) { return c->threads; }

namespace {

// CompileOptions from a serialized CompileOptionsProto (empty: XLA's defaults), built in
// `storage` (a StatusOr<CompileOptions>); the options live at storage + 8 until options_dtor.
PJRT_Error* compile_options(const void* bytes, size_t size, unsigned char* storage) {
  if (size > INT32_MAX) return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "compile_options is too large");
  void* proto = xla.new_options_proto(nullptr);
  if (!proto) return oom();
  if (size && !xla.parse_from_array(proto, bytes, (int)size)) {
    xla.options_proto_delete(proto);
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                     "compile_options (%zu bytes) is not a serialized xla.CompileOptionsProto", size);
  }
  xla.options_from_proto(storage, proto);
  xla.options_proto_delete(proto);
  return status_error(reinterpret_cast<Status*>(storage), "compile_options");
}

PJRT_Error* wrap_executable(jnx_xla_client* c, void* exe, jnx_xla_executable** out) {
  if (!has_vtable(exe, xla.executable_vtable)) {
    return jnx_error(PJRT_Error_Code_INTERNAL, "TfrtCpuClient returned an unexpected executable");
  }
  Span<void*> devs = xla.executable_devices(exe);
  auto* e = static_cast<jnx_xla_executable*>(malloc(sizeof(jnx_xla_executable) + devs.size * sizeof(size_t)));
  if (!e) {
    xla.executable_delete(exe);
    return oom();
  }
  e->executable = exe;
  e->num_devices = devs.size;
  for (size_t k = 0; k < devs.size; k++) {
    size_t index = c->num_devices;
    for (size_t i = 0; i < c->num_devices; i++) {
      if (c->devices[i] == devs.data[k]) index = i;
    }
    if (index == c->num_devices || devs.size == 0) {
      xla.executable_delete(exe);
      free(e);
      return jnx_error(PJRT_Error_Code_INTERNAL, "the executable runs on a device the client does not list");
    }
    e->devices[k] = index;
  }
  *out = e;
  return nullptr;
}

}  // namespace

extern "C" PJRT_Error* jnx_xla_compile(jnx_xla_client* c, const char* code, size_t size, const void* options,
                                       size_t options_size, jnx_xla_executable** out) {
  *out = nullptr;
  XlaComputation computation;
  computation.unique_id = -1;
  xla.hlo_proto_ctor(computation.proto, nullptr, false);
  Status parsed{0};
  xla.parse_mlir(&parsed, std::string_view(code, size), &computation, false, false);
  // MLIR reports a malformed module as UNKNOWN; to a PJRT caller it is an invalid argument.
  if (parsed.rep && xla.status_code(&parsed) == 2) {
    std::string_view m = xla.status_message(&parsed);
    PJRT_Error* err = jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "StableHLO module: %.*s",
                                (int)(m.size() > 65536 ? 65536 : m.size()), m.data());
    status_free(&parsed);
    xla.hlo_proto_dtor(computation.proto);
    return err;
  }
  PJRT_Error* err = status_error(&parsed, "StableHLO module");
  if (!err) {
    auto* storage = static_cast<unsigned char*>(calloc(1, kCompileOptionsStorage));
    if (!storage) {
      err = oom();
    } else {
      void* checked = nullptr;
      size_t checked_size = 0;
      err = jnx_compile_options_check(options, options_size, c->num_devices, &checked, &checked_size);
      if (!err) err = compile_options(checked, checked_size, storage);
      free(checked);
    }
    if (!err) {
      StatusOr<void*> compiled{};
      xla.compile(&compiled, c->client, &computation, storage + 8);
      xla.options_dtor(storage + 8);
      err = status_error(&compiled.status, "XLA compilation");
      if (!err) err = wrap_executable(c, compiled.value, out);
    }
    free(storage);
  }
  xla.hlo_proto_dtor(computation.proto);
  return err;
}

extern "C" void jnx_xla_executable_destroy(jnx_xla_executable* e) {
  if (!e) return;
  xla.executable_delete(e->executable);
  free(e);
}

extern "C" size_t jnx_xla_executable_devices(const jnx_xla_executable* e, const size_t** devices) {
  *devices = e->devices;
  return e->num_devices;
}

extern "C" PJRT_Error* jnx_xla_serialize(const jnx_xla_executable* e, char** bytes, size_t* size) {
  *bytes = nullptr;
  *size = 0;
  StatusOrString s{};
  xla.serialize(&s, e->executable);
  if (PJRT_Error* err = status_error(&s.status, "SerializeExecutable")) return err;
  std::string& blob = s.string();
  *bytes = static_cast<char*>(malloc(blob.size() + 1));
  if (*bytes) {
    memcpy(*bytes, blob.data(), blob.size());
    *size = blob.size();
  }
  blob.~basic_string();
  return *bytes ? nullptr : oom();
}

extern "C" PJRT_Error* jnx_xla_deserialize(jnx_xla_client* c, const char* bytes, size_t size,
                                           jnx_xla_executable** out) {
  *out = nullptr;
  // A disengaged std::optional<CompileOptions>: the options stored with the executable apply.
  auto* no_options = static_cast<unsigned char*>(calloc(1, kCompileOptionsStorage));
  if (!no_options) return oom();
  StatusOr<void*> loaded{};
  xla.deserialize(&loaded, c->client, std::string_view(bytes, size), no_options);
  free(no_options);
  if (PJRT_Error* err = status_error(&loaded.status, "DeserializeExecutable")) return err;
  return wrap_executable(c, loaded.value, out);
}

extern "C" PJRT_Error* jnx_xla_buffer_from_host(jnx_xla_client* c, size_t device, PJRT_Buffer_Type type,
                                                const int64_t* dims, size_t rank, const void* data,
                                                void (*on_done)(void*), void* on_done_arg,
                                                jnx_xla_buffer** out, void** device_data) {
  *out = nullptr;
  *device_data = nullptr;
  int ptype = primitive_type(type);
  if (ptype < 0) return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "element type %d is not supported", (int)type);
  AnyInvocable done{};
  done.manager = empty_manager;
  int semantics = 0;  // kImmutableOnlyDuringCall: XLA copies before returning
  if (on_done) {
    auto* d = new (std::nothrow) DoneCallback{on_done, on_done_arg, {false}};
    if (!d) {
      on_done(on_done_arg);  // the caller's memory was never handed over
      return oom();
    }
    done.storage[0] = d;
    done.manager = done_manager;
    done.invoker = done_invoker;
    semantics = 2;  // kImmutableZeroCopy: XLA may alias `data` until it calls on_done
  }
  StatusOr<void*> made{};
  xla.from_host(&made, c->client, data, ptype, Span<int64_t>{dims, rank}, OptionalSpan{{nullptr, 0}, false},
                semantics, &done, c->devices[device]);
  done.manager(true, &done, &done);  // the caller destroys the by-value argument
  if (PJRT_Error* err = status_error(&made.status, "BufferFromHostBuffer")) return err;
  if (!has_vtable(made.value, xla.buffer_vtable)) {
    return jnx_error(PJRT_Error_Code_INTERNAL, "BufferFromHostBuffer returned an unexpected buffer");
  }
  StatusOr<uintptr_t> ptr{};
  xla.unsafe_pointer(&ptr, c->client, made.value);
  if (PJRT_Error* err = status_error(&ptr.status, "UnsafeBufferPointer")) {
    xla.buffer_delete(made.value);
    return err;
  }
  *out = jnx_buffer(made.value);
  *device_data = reinterpret_cast<void*>(ptr.value);
  return nullptr;
}

extern "C" PJRT_Error* jnx_xla_buffer_data(jnx_xla_client* c, jnx_xla_buffer* b, void** data) {
  StatusOr<uintptr_t> ptr{};
  xla.unsafe_pointer(&ptr, c->client, xla_buffer(b));
  *data = reinterpret_cast<void*>(ptr.value);
  return status_error(&ptr.status, "UnsafeBufferPointer");
}

extern "C" void jnx_xla_buffer_destroy(jnx_xla_buffer* b) {
  if (b) xla.buffer_delete(xla_buffer(b));
}

extern "C" bool jnx_xla_buffer_is_deleted(jnx_xla_buffer* b) { return xla.buffer_is_deleted(xla_buffer(b)); }

extern "C" PJRT_Error* jnx_xla_execute(jnx_xla_client* c, jnx_xla_executable* e, jnx_xla_buffer* const* args,
                                       size_t num_args, const size_t* result_bytes, size_t num_results,
                                       jnx_xla_buffer** results) {
  void* stack_args[16];
  void** in = num_args <= 16 ? stack_args : static_cast<void**>(malloc(num_args * sizeof(void*)));
  if (!in) return oom();
  for (size_t i = 0; i < num_args; i++) in[i] = xla_buffer(args[i]);
  ExecuteOptions options{};
  options.untuple_result = true;
  options.strict_shape_checking = true;
  options.execution_mode = 1;  // synchronous: results are ready on return
  options.non_donatable_input_indices = {xla.empty_group + 16, nullptr, 0, 0};
  // std::optional<PjRtFuture<void>>, left disengaged (fill_future is false); zeroed storage
  // larger than the type, checked afterwards to still be zero.
  alignas(16) unsigned char future[256] = {};
  StatusOr<Vector> ran{};
  xla.execute(&ran, e->executable, Span<void*>{in, num_args}, c->devices[e->devices[0]], &options, future, false);
  if (in != stack_args) free(in);
  for (unsigned char byte : future) {
    if (byte) return jnx_error(PJRT_Error_Code_INTERNAL, "ExecuteSharded returned a future it was not asked for");
  }
  if (PJRT_Error* err = status_error(&ran.status, "Execute")) return err;
  size_t n = (size_t)(ran.value.end - ran.value.begin);
  PJRT_Error* err = nullptr;
  if (n != num_results) {
    err = jnx_error(PJRT_Error_Code_INTERNAL, "the executable produced %zu results, its signature has %zu", n,
                    num_results);
  }
  for (size_t i = 0; !err && i < n; i++) {
    void* r = ran.value.begin[i];
    if (result_bytes) {
      StatusOr<size_t> size{};
      xla.buffer_size(&size, r);
      err = status_error(&size.status, "result size");
      if (!err && size.value != result_bytes[i]) {
        err = jnx_error(PJRT_Error_Code_INTERNAL, "result %zu has %zu bytes, its signature says %zu", i, size.value,
                        result_bytes[i]);
      }
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (err) {
      xla.buffer_delete(ran.value.begin[i]);
    } else {
      results[i] = jnx_buffer(ran.value.begin[i]);
    }
  }
  ::operator delete(ran.value.begin);
  return err;
}

namespace {

// Waits for every future, frees them, and returns the first failure (NULL when all succeeded).
PJRT_Error* await_futures(OptionalFutures* futures) {
  PJRT_Error* err = nullptr;
  if (!futures->engaged) return nullptr;
  for (Future* f = futures->begin; f != futures->end; f++) {
    auto* value = static_cast<unsigned char*>(f->value);
    if (value && !err) {
      xla.block_until_ready(value);
      uint16_t type;
      memcpy(&type, value + kAsyncTypeId, sizeof type);
      uint64_t state;
      memcpy(&state, value + kAsyncState, sizeof state);
      if (type != *xla.status_type_id || ((state & 3) != 2 && (state & 3) != 3)) {
        err = jnx_error(PJRT_Error_Code_INTERNAL, "an execution future is not the AsyncValue<Status> jnx expects");
      } else {
        auto* status = reinterpret_cast<Status*>(value + kAsyncStatus);
        if (status->rep) {
          std::string_view m = xla.status_message(status);
          int code = xla.status_code(status);
          err = jnx_error(code >= 1 && code <= 16 ? (PJRT_Error_Code)code : PJRT_Error_Code_UNKNOWN, "Execute: %.*s",
                          (int)(m.size() > 65536 ? 65536 : m.size()), m.data());
        }
      }
    }
    f->on_block_start.~function();
    f->on_block_end.~function();
    xla.async_value_unref(&f->value);
  }
  ::operator delete(futures->begin);
  return err;
}

}  // namespace

// One execution over all partitions: argument and result lists per device, in partition
// order. XLA runs the partitions concurrently (device 0 in the calling thread, the others on
// its client's pool), which collectives between them need.
extern "C" PJRT_Error* jnx_xla_execute_partitioned(jnx_xla_executable* e,
                                                   jnx_xla_buffer* const* args, size_t num_args,
                                                   const size_t* result_bytes, size_t num_results,
                                                   jnx_xla_buffer** results) {
  size_t nd = e->num_devices;
  auto* lists = static_cast<Vector*>(calloc(nd, sizeof(Vector)));
  auto* flat = static_cast<void**>(malloc((nd * num_args + 1) * sizeof(void*)));
  if (!lists || !flat) {
    free(lists);
    free(flat);
    return oom();
  }
  for (size_t d = 0; d < nd; d++) {
    for (size_t i = 0; i < num_args; i++) flat[d * num_args + i] = xla_buffer(args[d * num_args + i]);
    lists[d] = Vector{flat + d * num_args, flat + (d + 1) * num_args, flat + (d + 1) * num_args};
  }
  ExecuteOptions options{};
  options.untuple_result = true;
  options.strict_shape_checking = true;
  options.execution_mode = 1;
  options.non_donatable_input_indices = {xla.empty_group + 16, nullptr, 0, 0};
  // Partitions with collectives may run asynchronously: the futures say when each is done.
  OptionalFutures futures{nullptr, nullptr, nullptr, true};
  StatusOr<Vector> ran{};  // vector<vector<unique_ptr<PjRtBuffer>>>: Vector of Vectors
  xla.execute_all(&ran, e->executable, Span<Vector>{lists, nd}, &options, &futures);
  free(lists);
  free(flat);
  PJRT_Error* failed = await_futures(&futures);
  if (failed) {
    status_free(&ran.status);  // the partitions' own error comes first
  }
  if (!failed && ran.status.rep) return status_error(&ran.status, "Execute");
  auto* per_device = reinterpret_cast<Vector*>(ran.value.begin);
  size_t got = (size_t)(reinterpret_cast<Vector*>(ran.value.end) - per_device);
  PJRT_Error* err = failed    ? failed
                    : got == nd ? nullptr
                                : jnx_error(PJRT_Error_Code_INTERNAL, "Execute returned results for %zu of %zu devices",
                                            got, nd);
  for (size_t d = 0; !err && d < got; d++) {
    size_t n = (size_t)(per_device[d].end - per_device[d].begin);
    if (n != num_results) {
      err = jnx_error(PJRT_Error_Code_INTERNAL, "device %zu produced %zu results, the signature has %zu", d, n,
                      num_results);
    }
    for (size_t i = 0; !err && result_bytes && i < n; i++) {
      StatusOr<size_t> size{};
      xla.buffer_size(&size, per_device[d].begin[i]);
      err = status_error(&size.status, "result size");
      if (!err && size.value != result_bytes[i]) {
        err = jnx_error(PJRT_Error_Code_INTERNAL, "result %zu on device %zu has %zu bytes, its sharding says %zu", i,
                        d, size.value, result_bytes[i]);
      }
    }
  }
  for (size_t d = 0; d < got; d++) {
    for (void** r = per_device[d].begin; r != per_device[d].end; r++) {
      if (err) {
        xla.buffer_delete(*r);
      } else {
        results[d * num_results + (size_t)(r - per_device[d].begin)] = jnx_buffer(*r);
      }
    }
    ::operator delete(per_device[d].begin);
  }
  ::operator delete(ran.value.begin);
  return err;
}

// ---- self test ---------------------------------------------------------------------------------

namespace {

// add and multiply of f32[2]: two results exercise untupling, the values every mirror above.
const char kSelfTest[] =
    "module @jnx_self_test {\n"
    "  func.func public @main(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {\n"
    "    %0 = stablehlo.add %a, %b : tensor<2xf32>\n"
    "    %1 = stablehlo.multiply %a, %b : tensor<2xf32>\n"
    "    return %0, %1 : tensor<2xf32>, tensor<2xf32>\n"
    "  }\n"
    "}\n";

PJRT_Error* self_test() {
  jnx_xla_client* c = nullptr;
  PJRT_Error* err = client_new(1, 1, &c);
  if (err) return err;
  jnx_xla_executable* e = nullptr;
  jnx_xla_buffer* in[2] = {nullptr, nullptr};
  jnx_xla_buffer* out[2] = {nullptr, nullptr};
  void* in_data[2];
  void* out_data[2] = {nullptr, nullptr};
  const float a[2] = {1.5f, -2.0f}, b[2] = {4.0f, 0.25f};
  const int64_t dims[1] = {2};
  const size_t bytes[2] = {8, 8};
  err = jnx_xla_compile(c, kSelfTest, sizeof kSelfTest - 1, nullptr, 0, &e);
  if (!err) err = jnx_xla_buffer_from_host(c, 0, PJRT_Buffer_Type_F32, dims, 1, a, nullptr, nullptr, &in[0], &in_data[0]);
  if (!err) err = jnx_xla_buffer_from_host(c, 0, PJRT_Buffer_Type_F32, dims, 1, b, nullptr, nullptr, &in[1], &in_data[1]);
  if (!err) err = jnx_xla_execute(c, e, in, 2, bytes, 2, out);
  for (int i = 0; !err && i < 2; i++) err = jnx_xla_buffer_data(c, out[i], &out_data[i]);
  if (!err) {
    const float* sum = static_cast<const float*>(out_data[0]);
    const float* product = static_cast<const float*>(out_data[1]);
    if (sum[0] != 5.5f || sum[1] != -1.75f || product[0] != 6.0f || product[1] != -0.5f) {
      err = jnx_error(PJRT_Error_Code_INTERNAL, "computed [%g, %g] and [%g, %g], expected [5.5, -1.75] and [6, -0.5]",
                      sum[0], sum[1], product[0], product[1]);
    }
  }
  for (jnx_xla_buffer* x : in) jnx_xla_buffer_destroy(x);
  for (jnx_xla_buffer* x : out) jnx_xla_buffer_destroy(x);
  jnx_xla_executable_destroy(e);
  jnx_xla_client_destroy(c);
  return err;
}

}  // namespace
