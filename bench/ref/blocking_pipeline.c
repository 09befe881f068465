/* Blocking-C reference for pipeline_1gib: one thread, a read / uppercase / write loop of
 * 64 KiB chunks (the ReadStream's highWaterMark) from $BENCH_DATA/pipeline_1g to
 * $BENCH_DATA/pipeline_1g.ref.out. Prints one JSON line per run:
 *   {"workload":"pipeline_1gib","impl":"blocking","ms":...,"cpu_ms":...}
 *
 *   blocking_pipeline pipeline_1gib [REPS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/ref/ref_common.h"

static void die(const char* what) { dieWith("blocking_pipeline", what, errno); }

int main(int argc, char** argv) {
  if (argc < 2 || strcmp(argv[1], "pipeline_1gib") != 0) {
    fprintf(stderr, "usage: blocking_pipeline pipeline_1gib [REPS]\n");
    return 2;
  }
  int reps = argc > 2 ? atoi(argv[2]) : 3;
  const char* dir = benchDataDir("blocking_pipeline");
  char in[4096], out[4096];
  snprintf(in, sizeof in, "%s/pipeline_1g", dir);
  snprintf(out, sizeof out, "%s/pipeline_1g.ref.out", dir);
  enum { kChunk = 64 * 1024 };
  char* buf = malloc(kChunk);
  if (!buf) die("malloc");
  for (int r = 0; r < reps; ++r) {
    double t0 = nowMs();
    double c0 = cpuMs();
    int a = open(in, O_RDONLY | O_CLOEXEC);
    int b = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (a < 0 || b < 0) die("open");
    size_t total = 0;
    for (;;) {
      ssize_t n = read(a, buf, kChunk);
      if (n < 0) die("read");
      if (n == 0) break;
      for (ssize_t i = 0; i < n; ++i) {
        unsigned char c = (unsigned char)buf[i];
        if (c >= 'a' && c <= 'z') buf[i] = (char)(c - 32);
      }
      for (ssize_t w = 0; w < n;) {
        ssize_t k = write(b, buf + w, (size_t)(n - w));
        if (k < 0) die("write");
        w += k;
      }
      total += (size_t)n;
    }
    close(a);
    close(b);
    double ms = nowMs() - t0;
    printf(
        "{\"workload\":\"pipeline_1gib\",\"impl\":\"blocking\",\"ms\":%.3f,\"cpu_ms\":%.3f,"
        "\"bytes\":%zu}\n",
        ms, cpuMs() - c0, total);
  }
  free(buf);
  return 0;
}
