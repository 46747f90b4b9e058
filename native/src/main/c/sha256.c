/* SHA-256 (FIPS 180-4) of a file, for the binary check of xla_cpu.cc: the TfrtCpuClient
 * runtime is used only with the exact libtensorflow_cc.so.2 whose layouts it was written for.
 * Hashing 630 MB takes seconds, so a verified file leaves a stamp next to itself (its
 * device, inode, size and change times with the digest); a later process that finds the same
 * stamp skips the hash. Any change to the file changes its ctime, which voids the stamp. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jnx_internal.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t h[8], const unsigned char* block) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) {
    w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
           block[4 * i + 3];
  }
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

void jnx_sha256(const void* data, size_t size, char hex[65]) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const unsigned char* p = data;
  size_t full = size / 64;
  for (size_t i = 0; i < full; i++) compress(h, p + 64 * i);
  unsigned char tail[128] = {0};
  size_t rest = size % 64;
  memcpy(tail, p + 64 * full, rest);
  tail[rest] = 0x80;
  size_t tail_len = rest < 56 ? 64 : 128;
  uint64_t bits = (uint64_t)size * 8;
  for (int i = 0; i < 8; i++) tail[tail_len - 1 - i] = (unsigned char)(bits >> (8 * i));
  compress(h, tail);
  if (tail_len == 128) compress(h, tail + 64);
  for (int i = 0; i < 8; i++) snprintf(hex + 8 * i, 9, "%08x", h[i]);
}

/* The stamp's content: everything that changes when the file does, then the digest. */
static int stamp_text(const struct stat* st, const char* digest, char* out, size_t size) {
  return snprintf(out, size, "jnx-sha256 1\ndev %llu\nino %llu\nsize %lld\nmtime %lld.%09ld\nctime %lld.%09ld\n%s\n",
                  (unsigned long long)st->st_dev, (unsigned long long)st->st_ino, (long long)st->st_size,
                  (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec,
                  st->st_ctim.tv_nsec, digest);
}

bool jnx_file_sha256(const char* path, char hex[65], char* why, size_t why_size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(why, why_size, "cannot read %s", path);
    if (fd >= 0) close(fd);
    return false;
  }
  char stamp_path[4096], expect[512], found[512] = "";
  bool stamped = (size_t)snprintf(stamp_path, sizeof stamp_path, "%s.jnx-sha256", path) < sizeof stamp_path;
  if (stamped) {
    int sfd = open(stamp_path, O_RDONLY | O_CLOEXEC);
    if (sfd >= 0) {
      ssize_t n = read(sfd, found, sizeof found - 1);
      found[n > 0 ? n : 0] = '\0';
      close(sfd);
      /* The digest is the stamp's last line; the rest must describe this very file. */
      size_t len = strlen(found);
      if (len > 66 && found[len - 1] == '\n') {
        char digest[65];
        memcpy(digest, found + len - 65, 64);
        digest[64] = '\0';
        stamp_text(&st, digest, expect, sizeof expect);
        if (strcmp(expect, found) == 0) {
          memcpy(hex, digest, 65);
          close(fd);
          return true;
        }
      }
    }
  }
  void* map = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
  close(fd);
  if (st.st_size && map == MAP_FAILED) {
    snprintf(why, why_size, "cannot map %s", path);
    return false;
  }
  jnx_sha256(map, (size_t)st.st_size, hex);
  if (map) munmap(map, (size_t)st.st_size);
  /* Best effort: a read-only directory just means hashing again next time. Written to a
   * temporary name and renamed, so a reader never sees half a stamp. */
  if (stamped) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%d", stamp_path, (int)getpid());
    int sfd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (sfd >= 0) {
      int n = stamp_text(&st, hex, expect, sizeof expect);
      bool ok = n > 0 && write(sfd, expect, (size_t)n) == n;
      close(sfd);
      if (!ok || rename(tmp, stamp_path) != 0) unlink(tmp);
    }
  }
  return true;
}
