/* Reads the signature of `func.func public @main` from StableHLO MLIR text.
 *
 * Why: XlaCallModule needs the result types (Tout/Sout) up front, and a wrong Tout is
 * accepted by TensorFlow yet reads past buffers. Deriving them from the module itself, and
 * checking every argument against the argument types, keeps Execute memory-safe whatever
 * the caller passes. Only the signature is read; the body is left to XLA.
 *
 * Accepted grammar (what MLIR's printer emits for StableHLO):
 *   func.func [public|private] @main(%name: TYPE [{attrs}] [loc(...)], ...)
 *       [-> TYPE | -> (TYPE [{attrs}] [loc(...)], ...)] ...
 *   TYPE := tensor<[DIM x]* ELEM>   with DIM a non-negative integer
 *   ELEM := i1 | i8 | i16 | i32 | i64 | ui8 | ui16 | ui32 | ui64 | f16 | bf16 | f32 | f64
 *         | complex<f32> | complex<f64>
 * Dynamic dims (?), unranked tensors, encodings, tokens and tuples are rejected with a
 * message naming the argument or result.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jnx_internal.h"

/* Generous limits that keep a hostile module from making us allocate without bound. */
#define MAX_VALUES 100000
#define MAX_RANK 64

typedef struct cursor {
  const char* p;
  const char* end;
} cursor;

static void skip_ws(cursor* c) {
  for (;;) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
    /* MLIR line comments may sit between arguments of hand-written modules. */
    if (c->end - c->p >= 2 && c->p[0] == '/' && c->p[1] == '/') {
      while (c->p < c->end && *c->p != '\n') c->p++;
      continue;
    }
    return;
  }
}

static int eat(cursor* c, const char* s) {
  size_t n = strlen(s);
  if ((size_t)(c->end - c->p) >= n && memcmp(c->p, s, n) == 0) {
    c->p += n;
    return 1;
  }
  return 0;
}

/* Skips a balanced (...) / {...} / <...> / [...] group starting at c->p, honouring string
 * literals, whose contents may hold any bracket. Returns 0 when unbalanced. */
static int skip_group(cursor* c) {
  char stack[256];
  int depth = 0;
  char prev = 0;
  while (c->p < c->end) {
    char ch = *c->p++;
    char before = prev;
    prev = ch;
    if (ch == '"') {
      while (c->p < c->end && *c->p != '"') c->p += (*c->p == '\\' && c->p + 1 < c->end) ? 2 : 1;
      if (c->p >= c->end) return 0;
      c->p++;
      continue;
    }
    char close = ch == '(' ? ')' : ch == '{' ? '}' : ch == '[' ? ']' : ch == '<' ? '>' : 0;
    if (close) {
      if (depth == (int)sizeof stack) return 0;
      stack[depth++] = close;
    } else if (ch == ')' || ch == '}' || ch == ']' || ch == '>') {
      /* '->' inside attributes is an arrow, not a closing bracket. */
      if (ch == '>' && before == '-') continue;
      if (depth == 0 || stack[depth - 1] != ch) return 0;
      if (--depth == 0) return 1;
    }
  }
  return 0;
}

static const struct {
  const char* mlir;
  PJRT_Buffer_Type type;
} ELEMENT_TYPES[] = {
    {"i1", PJRT_Buffer_Type_PRED},   {"i8", PJRT_Buffer_Type_S8},
    {"i16", PJRT_Buffer_Type_S16},   {"i32", PJRT_Buffer_Type_S32},
    {"i64", PJRT_Buffer_Type_S64},   {"si8", PJRT_Buffer_Type_S8},
    {"si16", PJRT_Buffer_Type_S16},  {"si32", PJRT_Buffer_Type_S32},
    {"si64", PJRT_Buffer_Type_S64},  {"ui8", PJRT_Buffer_Type_U8},
    {"ui16", PJRT_Buffer_Type_U16},  {"ui32", PJRT_Buffer_Type_U32},
    {"ui64", PJRT_Buffer_Type_U64},  {"f16", PJRT_Buffer_Type_F16},
    {"bf16", PJRT_Buffer_Type_BF16}, {"f32", PJRT_Buffer_Type_F32},
    {"f64", PJRT_Buffer_Type_F64},   {"complex<f32>", PJRT_Buffer_Type_C64},
    {"complex<f64>", PJRT_Buffer_Type_C128},
};

/* what: "argument 3" / "result 0", for messages. */
static PJRT_Error* parse_type(cursor* c, const char* what, jnx_tensor_type* out) {
  int64_t dims[MAX_RANK];
  size_t rank = 0;
  skip_ws(c);
  if (!eat(c, "tensor<")) {
    const char* e = c->p;
    while (e < c->end && e - c->p < 40 && *e != ',' && *e != ')' && *e != '\n') e++;
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                     "@main %s: unsupported type '%.*s' (only ranked tensor<...> types are supported)",
                     what, (int)(e - c->p), c->p);
  }
  for (;;) {
    if (c->p < c->end && (*c->p == '?' || *c->p == '*')) {
      return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                       "@main %s: dynamic or unranked shapes are not supported", what);
    }
    if (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
      int64_t v = 0;
      while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        if (v > (INT64_MAX - 9) / 10) {
          return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main %s: dimension too large", what);
        }
        v = v * 10 + (*c->p++ - '0');
      }
      if (!eat(c, "x")) {
        return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main %s: malformed tensor type", what);
      }
      if (rank == MAX_RANK) {
        return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main %s: rank above %d", what, MAX_RANK);
      }
      dims[rank++] = v;
      continue;
    }
    break;
  }
  const char* elem = c->p;
  for (size_t i = 0; i < sizeof ELEMENT_TYPES / sizeof ELEMENT_TYPES[0]; i++) {
    size_t n = strlen(ELEMENT_TYPES[i].mlir);
    if ((size_t)(c->end - elem) > n && memcmp(elem, ELEMENT_TYPES[i].mlir, n) == 0 &&
        (elem[n] == '>' || elem[n] == ',')) {
      if (elem[n] == ',') {
        return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                         "@main %s: tensor encodings (bounds, sparsity) are not supported", what);
      }
      c->p = elem + n + 1;
      out->type = ELEMENT_TYPES[i].type;
      out->rank = rank;
      out->donated = false;
      out->tiles = NULL;
      out->dims = malloc((rank ? rank : 1) * sizeof(int64_t));
      if (!out->dims) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
      memcpy(out->dims, dims, rank * sizeof(int64_t));
      return NULL;
    }
  }
  const char* e = elem;
  while (e < c->end && e - elem < 40 && *e != '>' && *e != ',') e++;
  return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main %s: unsupported element type '%.*s'",
                   what, (int)(e - elem), elem);
}

/* The tiling of an `mhlo.sharding = "..."` attribute among a value's attributes, as tiles per
 * dimension (NULL: not sharded, or replicated). Understood: {replicated},
 * {devices=[t0,...]ids...} and its iota form {devices=[t0,...]<=[n]}, each optionally with
 * last_tile_dim_replicate. Other shardings (maximal, manual, subgroups) are refused. */
static PJRT_Error* parse_sharding(const char* attrs, size_t n, size_t rank, const int64_t* dims, const char* what,
                                  int64_t** tiles) {
  *tiles = NULL;
  const char* key = memmem(attrs, n, "mhlo.sharding", 13);
  if (!key) return NULL;
  cursor c = {key + 13, attrs + n};
  skip_ws(&c);
  if (!eat(&c, "=")) goto bad;
  skip_ws(&c);
  if (!eat(&c, "\"{")) goto bad;
  if (eat(&c, "replicated}")) return NULL;
  if (!eat(&c, "devices=[")) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED,
                     "@main %s: only replicated and tiled mhlo.sharding attributes are supported", what);
  }
  int64_t t[MAX_RANK + 1];
  size_t k = 0;
  for (;;) {
    int64_t v = 0;
    if (c.p >= c.end || *c.p < '0' || *c.p > '9') goto bad;
    while (c.p < c.end && *c.p >= '0' && *c.p <= '9' && v < (1 << 20)) v = v * 10 + (*c.p++ - '0');
    if (k == MAX_RANK + 1 || v < 1) goto bad;
    t[k++] = v;
    if (eat(&c, ",")) continue;
    if (eat(&c, "]")) break;
    goto bad;
  }
  /* The device list (or <=[n]) is the caller's business: shards of one value all have one shape. */
  const char* close = memchr(c.p, '}', (size_t)(c.end - c.p));
  if (!close) goto bad;
  bool replicate_last = memmem(c.p, (size_t)(close - c.p), "last_tile_dim_replicate", 23) != NULL;
  if (memmem(c.p, (size_t)(close - c.p), "last_tile_dims", 14)) {
    return jnx_error(PJRT_Error_Code_UNIMPLEMENTED, "@main %s: subgroup shardings (last_tile_dims) are not supported",
                     what);
  }
  if (k != rank + (replicate_last ? 1 : 0)) {
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main %s: mhlo.sharding tiles %zu dimensions of a rank-%zu value",
                     what, k - (replicate_last ? 1 : 0), rank);
  }
  *tiles = malloc((rank ? rank : 1) * sizeof(int64_t));
  if (!*tiles) return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
  for (size_t i = 0; i < rank; i++) {
    if (dims[i] % t[i] != 0) {
      free(*tiles);
      *tiles = NULL;
      return jnx_error(PJRT_Error_Code_UNIMPLEMENTED,
                       "@main %s: dimension %zu (%lld) does not divide into %lld shards; uneven shards are not supported",
                       what, i, (long long)dims[i], (long long)t[i]);
    }
    (*tiles)[i] = t[i];
  }
  return NULL;
bad:
  return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main %s: malformed mhlo.sharding attribute", what);
}

/* Skips `{attrs}` and `loc(...)` after a value's type. */
static PJRT_Error* skip_decorations(cursor* c, const char* what) {
  for (;;) {
    skip_ws(c);
    if (c->p < c->end && *c->p == '{') {
      if (!skip_group(c)) goto bad;
    } else if (c->end - c->p >= 4 && memcmp(c->p, "loc(", 4) == 0) {
      c->p += 3;
      if (!skip_group(c)) goto bad;
    } else {
      return NULL;
    }
  }
bad:
  return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main %s: unbalanced attribute braces", what);
}

static PJRT_Error* push(jnx_tensor_type** list, size_t* n, size_t* cap, jnx_tensor_type t) {
  if (*n == MAX_VALUES) {
    free(t.dims);
    free(t.tiles);
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "@main has more than %d values", MAX_VALUES);
  }
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 8;
    jnx_tensor_type* l = realloc(*list, ncap * sizeof **list);
    if (!l) {
      free(t.dims);
      free(t.tiles);
      return jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
    }
    *list = l;
    *cap = ncap;
  }
  (*list)[(*n)++] = t;
  return NULL;
}

/* Finds `func.func [visibility] @main(` and leaves the cursor after the '('. */
static int find_main(cursor* c) {
  const char* p = c->p;
  for (;;) {
    const char* f = memmem(p, (size_t)(c->end - p), "func.func", 9);
    if (!f) return 0;
    cursor k = {f + 9, c->end};
    skip_ws(&k);
    if (eat(&k, "public") || eat(&k, "private") || eat(&k, "nested")) skip_ws(&k);
    if (eat(&k, "@main")) {
      skip_ws(&k);
      if (eat(&k, "(")) {
        *c = k;
        return 1;
      }
    }
    p = f + 9;
  }
}

static char* module_name(const char* text, size_t len) {
  cursor c = {text, text + len};
  const char* m = memmem(text, len, "module", 6);
  if (m) {
    c.p = m + 6;
    skip_ws(&c);
    if (eat(&c, "@")) {
      const char* s = c.p;
      while (c.p < c.end && (((*c.p | 32) >= 'a' && (*c.p | 32) <= 'z') ||
                             (*c.p >= '0' && *c.p <= '9') || *c.p == '_' || *c.p == '.' ||
                             *c.p == '$' || *c.p == '-'))
        c.p++;
      if (c.p > s) return strndup(s, (size_t)(c.p - s));
    }
  }
  return strdup("main");
}

PJRT_Error* jnx_parse_signature(const char* text, size_t len, jnx_signature* out) {
  memset(out, 0, sizeof *out);
  cursor c = {text, text + len};
  size_t cap_args = 0, cap_results = 0;
  char what[48];
  PJRT_Error* err = NULL;
  if (!find_main(&c)) {
    return jnx_error(PJRT_Error_Code_INVALID_ARGUMENT,
                     "not a StableHLO module: no `func.func public @main(` found in the program text");
  }
  skip_ws(&c);
  if (!eat(&c, ")")) {
    for (;;) {
      snprintf(what, sizeof what, "argument %zu", out->num_args);
      skip_ws(&c);
      if (!eat(&c, "%")) goto malformed;
      while (c.p < c.end && *c.p != ':' && *c.p != ',' && *c.p != ')' && *c.p != ' ') c.p++;
      skip_ws(&c);
      if (!eat(&c, ":")) goto malformed;
      jnx_tensor_type t;
      if ((err = parse_type(&c, what, &t))) goto fail;
      const char* attrs = c.p;
      if ((err = skip_decorations(&c, what))) {
        free(t.dims);
        goto fail;
      }
      /* The argument attributes by which StableHLO producers (jax, jnx) donate a buffer. */
      size_t n = (size_t)(c.p - attrs);
      t.donated = memmem(attrs, n, "tf.aliasing_output", 18) || memmem(attrs, n, "jax.buffer_donor", 16);
      if ((err = parse_sharding(attrs, n, t.rank, t.dims, what, &t.tiles))) {
        free(t.dims);
        goto fail;
      }
      if ((err = push(&out->args, &out->num_args, &cap_args, t))) goto fail;
      if (eat(&c, ",")) continue;
      if (eat(&c, ")")) break;
      goto malformed;
    }
  }
  skip_ws(&c);
  if (eat(&c, "->")) {
    skip_ws(&c);
    int parenthesized = eat(&c, "(");
    skip_ws(&c);
    if (!(parenthesized && eat(&c, ")"))) {
      for (;;) {
        snprintf(what, sizeof what, "result %zu", out->num_results);
        jnx_tensor_type t;
        if ((err = parse_type(&c, what, &t))) goto fail;
        const char* rattrs = c.p;
        if (parenthesized && (err = skip_decorations(&c, what))) {
          free(t.dims);
          goto fail;
        }
        if ((err = parse_sharding(rattrs, (size_t)(c.p - rattrs), t.rank, t.dims, what, &t.tiles))) {
          free(t.dims);
          goto fail;
        }
        if ((err = push(&out->results, &out->num_results, &cap_results, t))) goto fail;
        if (!parenthesized) break;
        if (eat(&c, ",")) continue;
        if (eat(&c, ")")) break;
        goto malformed;
      }
    }
  }
  out->module_name = module_name(text, len);
  if (!out->module_name) {
    err = jnx_error(PJRT_Error_Code_RESOURCE_EXHAUSTED, "out of memory");
    goto fail;
  }
  return NULL;

malformed:
  err = jnx_error(PJRT_Error_Code_INVALID_ARGUMENT, "malformed @main signature near %s: '%.*s'",
                  what, (int)(c.end - c.p < 40 ? c.end - c.p : 40), c.p);
fail:
  jnx_signature_free(out);
  return err;
}

void jnx_signature_free(jnx_signature* sig) {
  for (size_t i = 0; i < sig->num_args; i++) {
    free(sig->args[i].dims);
    free(sig->args[i].tiles);
  }
  for (size_t i = 0; i < sig->num_results; i++) {
    free(sig->results[i].dims);
    free(sig->results[i].tiles);
  }
  free(sig->args);
  free(sig->results);
  free(sig->module_name);
  memset(sig, 0, sizeof *sig);
}

const char* jnx_format_shape(PJRT_Buffer_Type type, const int64_t* dims, size_t rank, char* buf,
                             size_t size) {
  const jnx_type_info* info = jnx_type_info_of(type);
  size_t n = 0;
  int w = info ? snprintf(buf, size, "%s[", info->name) : snprintf(buf, size, "type#%d[", (int)type);
  if (w > 0) n = (size_t)w;
  for (size_t i = 0; i < rank && n < size; i++) {
    w = snprintf(buf + n, size - n, i ? ",%lld" : "%lld", (long long)dims[i]);
    if (w > 0) n += (size_t)w;
  }
  if (n < size) snprintf(buf + n, size - n, "]");
  return buf;
}
