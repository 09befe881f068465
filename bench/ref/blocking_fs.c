/* Blocking-C reference for the fs workloads of issue 9: one thread, plain system calls, no
 * loop — the physical limit on this machine. Prints one JSON line per run:
 *   {"workload":"fs_small_10k","impl":"blocking","ms":...}
 *
 *   blocking_fs WORKLOAD [REPS]   (WORKLOAD: fs_small_10k | fs_large_256m; reads $BENCH_DATA)
 *
 * fs_small_10k: for each of the 10,000 files of 4 KiB: open, fstat, malloc(size), read until
 *   EOF, close, free — what readFile does, in a loop. The reference for all three
 *   fs_small_10k_* workloads.
 * fs_large_256m: the same for the one 256 MiB file: a read loop into one malloc'd buffer.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/ref/ref_common.h"

static void die(const char* what) { dieWith("blocking_fs", what, errno); }

/* Reads the whole file like readFile; returns its size. */
static size_t readWhole(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(path);
  struct stat st;
  if (fstat(fd, &st) != 0) die("fstat");
  size_t size = (size_t)st.st_size;
  char* buf = malloc(size + 1);
  if (!buf) die("malloc");
  size_t got = 0;
  for (;;) {
    ssize_t n = read(fd, buf + got, size + 1 - got);
    if (n < 0) die("read");
    if (n == 0) break;
    got += (size_t)n;
    if (got == size + 1) break; /* grew meanwhile; good enough for a benchmark */
  }
  close(fd);
  /* Touch the result so the read cannot be considered dead. */
  volatile char sink = got ? buf[got - 1] : 0;
  (void)sink;
  free(buf);
  return got;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: blocking_fs fs_small_10k|fs_large_256m [REPS]\n");
    return 2;
  }
  const char* workload = argv[1];
  int reps = argc > 2 ? atoi(argv[2]) : 3;
  const char* dir = benchDataDir("blocking_fs");
  char path[4096];
  for (int r = 0; r < reps; ++r) {
    double t0 = nowMs();
    double c0 = cpuMs();
    size_t bytes = 0;
    if (strcmp(workload, "fs_small_10k") == 0) {
      for (int i = 0; i < 10000; ++i) {
        snprintf(path, sizeof path, "%s/small/%05d", dir, i);
        bytes += readWhole(path);
      }
      if (bytes != 10000u * 4096u) die("short read");
    } else if (strcmp(workload, "fs_large_256m") == 0) {
      snprintf(path, sizeof path, "%s/large", dir);
      bytes = readWhole(path);
      if (bytes != 256u * 1024u * 1024u) die("short read");
    } else {
      fprintf(stderr, "unknown workload\n");
      return 2;
    }
    double ms = nowMs() - t0;
    double cpu = cpuMs() - c0;
    printf("{\"workload\":\"%s\",\"impl\":\"blocking\",\"ms\":%.3f,\"cpu_ms\":%.3f}\n", workload,
           ms, cpu);
    fflush(stdout);
  }
  return 0;
}
