/* What the C reference benchmarks share: clocks, dying with a message, and the data directory
 * bench/compare prepared ($BENCH_DATA: small/00000..09999 of 4 KiB, and large of 256 MiB). */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Wall-clock and process CPU time, in milliseconds. */
static inline double nowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static inline double cpuMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Prints "<program>: <what>[: <errno text>]" and exits 1. */
static inline void dieWith(const char* program, const char* what, int err) {
  if (err != 0) {
    fprintf(stderr, "%s: %s: %s\n", program, what, strerror(err));
  } else {
    fprintf(stderr, "%s: %s\n", program, what);
  }
  exit(1);
}

/* $BENCH_DATA, or exit with the reason. */
static inline const char* benchDataDir(const char* program) {
  const char* d = getenv("BENCH_DATA");
  if (!d) dieWith(program, "set BENCH_DATA to the directory bench/compare prepared", 0);
  return d;
}
