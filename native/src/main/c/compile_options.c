/* Checks a serialized xla.CompileOptionsProto before XLA reads it. XLA treats some values as
 * programming errors and aborts the process (a DeviceAssignment with 0 replicas is a failed
 * CHECK), and proto3 does not even serialize a 0, so an empty or partial message from any
 * PJRT caller would crash it. This reads the protobuf wire format just far enough to check the
 * replica/partition counts (one replica, up to one partition per device), the device ordinal and
 * the device assignment against the client's devices, and appends the defaults XLA expects
 * (1 replica, 1 partition) where they are unset.
 *
 * Fields read (numbers from xla/pjrt/proto/compile_options.proto, xla/xla_data.proto):
 *   CompileOptionsProto: 2 parameter_is_tupled_arguments, 3 executable_build_options,
 *                        4 compile_portable_executable
 *   ExecutableBuildOptionsProto: 1 device_ordinal, 4 num_replicas, 5 num_partitions,
 *                                9 device_assignment
 *   DeviceAssignmentProto: 1 replica_count, 2 computation_count, 3 computation_devices
 *   ComputationDevice: 1 replica_device_ids (repeated int64, packed or not)
 * Repeated occurrences of a message merge and of a scalar overwrite, as protobuf parses them.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "jnx_internal.h"

typedef struct reader {
  const unsigned char* p;
  const unsigned char* end;
} reader;

static bool varint(reader* r, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) return false;
    unsigned char b = *r->p++;
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

/* One field: its number and wire type; for length-delimited fields, the payload's reader. */
static bool field(reader* r, uint32_t* number, int* wire, uint64_t* value, reader* payload) {
  uint64_t key;
  if (!varint(r, &key) || key >> 3 == 0 || key >> 3 > 0x1fffffff) return false;
  *number = (uint32_t)(key >> 3);
  *wire = (int)(key & 7);
  switch (*wire) {
    case 0: return varint(r, value);
    case 1:
      if (r->end - r->p < 8) return false;
      r->p += 8;
      return true;
    case 5:
      if (r->end - r->p < 4) return false;
      r->p += 4;
      return true;
    case 2: {
      uint64_t n;
      if (!varint(r, &n) || n > (uint64_t)(r->end - r->p)) return false;
      *payload = (reader){r->p, r->p + n};
      r->p += n;
      return true;
    }
    default: return false; /* groups (3, 4) are not used by these messages */
  }
}

typedef struct build_options {
  int64_t device_ordinal; /* -1: unset */
  int64_t replicas, partitions;
  bool has_assignment;
  int64_t assignment_replicas, assignment_computations;
  size_t num_ids;
  int64_t bad_id;       /* first device id out of range, or -1 */
  int64_t repeated_id;  /* first device id named twice, or -1 */
  uint64_t seen[(JNX_MAX_DEVICES + 63) / 64];
} build_options;

static void note_id(build_options* o, uint64_t v, size_t num_devices) {
  if (v >= num_devices) {
    if (o->bad_id < 0) o->bad_id = (int64_t)v;
  } else if (o->seen[v / 64] & (1ULL << (v % 64))) {
    if (o->repeated_id < 0) o->repeated_id = (int64_t)v;
  } else {
    o->seen[v / 64] |= 1ULL << (v % 64);
  }
  o->num_ids++;
}

static bool read_assignment(reader r, build_options* o, size_t num_devices) {
  uint32_t n;
  int w;
  uint64_t v;
  reader payload;
  while (r.p < r.end) {
    if (!field(&r, &n, &w, &v, &payload)) return false;
    if (n == 1 && w == 0) o->assignment_replicas = (int64_t)v;
    if (n == 2 && w == 0) o->assignment_computations = (int64_t)v;
    if (n != 3 || w != 2) continue;
    reader d = payload;
    while (d.p < d.end) {
      reader ids;
      if (!field(&d, &n, &w, &v, &ids)) return false;
      if (n != 1) continue;
      if (w == 2) {
        while (ids.p < ids.end) {
          if (!varint(&ids, &v)) return false;
          note_id(o, v, num_devices);
        }
      } else if (w == 0) {
        note_id(o, v, num_devices);
      }
    }
  }
  return true;
}

static bool read_build_options(reader r, build_options* o, size_t num_devices) {
  uint32_t n;
  int w;
  uint64_t v;
  reader payload;
  while (r.p < r.end) {
    if (!field(&r, &n, &w, &v, &payload)) return false;
    if (w == 0 && n == 1) o->device_ordinal = (int64_t)v;
    if (w == 0 && n == 4) o->replicas = (int64_t)v;
    if (w == 0 && n == 5) o->partitions = (int64_t)v;
    if (w == 2 && n == 9) {
      o->has_assignment = true;
      if (!read_assignment(payload, o, num_devices)) return false;
    }
  }
  return true;
}

PJRT_Error* jnx_compile_options_check(const void* bytes, size_t size, size_t num_devices, void** out,
                                      size_t* out_size) {
  static const char FN[] = "compile_options";
  *out = NULL;
  *out_size = 0;
  reader r = {bytes, (const unsigned char*)bytes + size};
  build_options o = {.device_ordinal = -1, .bad_id = -1, .repeated_id = -1};
  uint32_t n;
  int w;
  uint64_t v;
  reader payload;
  while (r.p < r.end) {
    if (!field(&r, &n, &w, &v, &payload)) {
      return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                       "%s (%zu bytes) is not a serialized xla.CompileOptionsProto", FN, size);
    }
    if (n == 2 && w == 0 && v) {
      return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: parameter_is_tupled_arguments is not supported", FN);
    }
    if (n == 4 && w == 0 && v) {
      return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "%s: compile_portable_executable is not supported", FN);
    }
    if (n == 3 && w == 2 && !read_build_options(payload, &o, num_devices)) {
      return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                       "%s: executable_build_options is not a serialized xla.ExecutableBuildOptionsProto", FN);
    }
  }
  int64_t replicas = o.replicas ? o.replicas : 1, partitions = o.partitions ? o.partitions : 1;
  if (replicas < 1 || partitions < 1 || replicas > (int64_t)num_devices || partitions > (int64_t)num_devices) {
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "%s: %lld replicas x %lld partitions, the client has %zu devices",
                     FN, (long long)replicas, (long long)partitions, num_devices);
  }
  if (replicas != 1) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED,
                     "%s: %lld replicas; this plugin runs one replica (split work across partitions instead)", FN,
                     (long long)replicas);
  }
  if (o.device_ordinal < -1 || o.device_ordinal >= (int64_t)num_devices) {
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "%s: device_ordinal %lld is not a device of the client (%zu)", FN,
                     (long long)o.device_ordinal, num_devices);
  }
  if (o.has_assignment) {
    if (o.assignment_replicas != replicas || o.assignment_computations != partitions ||
        o.num_ids != (size_t)(replicas * partitions)) {
      return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                       "%s: the device assignment (%lld replicas, %lld computations, %zu ids) does not match %lld "
                       "replicas x %lld partitions",
                       FN, (long long)o.assignment_replicas, (long long)o.assignment_computations, o.num_ids,
                       (long long)replicas, (long long)partitions);
    }
    if (o.bad_id >= 0) {
      return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "%s: the device assignment names device %lld of %zu", FN,
                       (long long)o.bad_id, num_devices);
    }
    if (o.repeated_id >= 0) {
      return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "%s: the device assignment names device %lld twice", FN,
                       (long long)o.repeated_id);
    }
  }
  /* The defaults go into a trailing executable_build_options, which protobuf merges into the
   * earlier one: {3: {4: 1 (num_replicas), 5: 1 (num_partitions)}}, each only if unset. */
  unsigned char defaults[6] = {0x1a, 0};
  size_t extra = 2;
  if (!o.replicas) {
    defaults[extra++] = 0x20;
    defaults[extra++] = 0x01;
  }
  if (!o.partitions) {
    defaults[extra++] = 0x28;
    defaults[extra++] = 0x01;
  }
  defaults[1] = (unsigned char)(extra - 2);
  if (extra == 2) extra = 0;
  unsigned char* copy = malloc(size + sizeof defaults);
  if (!copy) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
  if (size) memcpy(copy, bytes, size);
  memcpy(copy + size, defaults, extra);
  *out = copy;
  *out_size = size + extra;
  return NULL;
}
