/* io_uring batched C reference for the fs workloads (issue 17): one thread, liburing, the same
 * syscalls per file as blocking_fs.c (open, fstat, read until EOF, close), but each step of up to
 * QD files goes to the kernel in one io_uring_submit_and_wait per round. What a hand-written
 * io_uring program gets on this machine: the bar for vow's io_uring backend. Prints one JSON
 * line per run: {"workload":"fs_small_10k","impl":"uring_c","ms":...,"cpu_ms":...}
 *
 *   uring_fs WORKLOAD [REPS]   (WORKLOAD: fs_small_10k | fs_large_256m; reads $BENCH_DATA)
 */
#define _GNU_SOURCE /* statx, AT_EMPTY_PATH */
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/ref/ref_common.h"

enum { QD = 256, FILES = 10000 };

static void die(const char* what, int err) { dieWith("uring_fs", what, err); }

/* One file in flight: which step it is at, its fd, buffer and size. */
enum Step { OPEN, STAT, READ, CLOSE };
struct File {
  enum Step step;
  int fd;
  char path[4096];
  struct statx sx;
  char* buf;
  size_t size, got;
};

static void prep(struct io_uring* ring, struct File* f) {
  struct io_uring_sqe* sqe = io_uring_get_sqe(ring);
  if (!sqe) die("no sqe", 0);
  switch (f->step) {
    case OPEN:
      io_uring_prep_openat(sqe, AT_FDCWD, f->path, O_RDONLY | O_CLOEXEC, 0);
      break;
    case STAT:
      io_uring_prep_statx(sqe, f->fd, "", AT_EMPTY_PATH, STATX_SIZE, &f->sx);
      break;
    case READ:
      io_uring_prep_read(sqe, f->fd, f->buf + f->got, (unsigned)(f->size + 1 - f->got), -1);
      break;
    case CLOSE:
      io_uring_prep_close(sqe, f->fd);
      break;
  }
  io_uring_sqe_set_data(sqe, f);
}

/* Advances `f` with its step's result; returns 1 when the file is done. */
static int advance(struct File* f, int res, size_t* bytes) {
  if (res < 0) die(f->path, -res);
  switch (f->step) {
    case OPEN:
      f->fd = res;
      f->step = STAT;
      return 0;
    case STAT:
      f->size = (size_t)f->sx.stx_size;
      f->buf = malloc(f->size + 1);
      if (!f->buf) die("malloc", 0);
      f->got = 0;
      f->step = READ;
      return 0;
    case READ:
      f->got += (size_t)res;
      if (res > 0 && f->got < f->size + 1) return 0; /* read until EOF, as blocking_fs */
      f->step = CLOSE;
      return 0;
    case CLOSE: {
      volatile char sink = f->got ? f->buf[f->got - 1] : 0;
      (void)sink;
      *bytes += f->got;
      free(f->buf);
      return 1;
    }
  }
  return 1;
}

/* Reads the `n` files of `paths` with up to QD in flight; returns the bytes read. */
static size_t readAll(struct io_uring* ring, char (*paths)[4096], int n) {
  static struct File files[QD];
  struct File* free_list[QD];
  int nfree = QD;
  for (int i = 0; i < QD; ++i) free_list[i] = &files[i];
  int next = 0, in_flight = 0;
  size_t bytes = 0;
  while (next < n || in_flight > 0) {
    while (next < n && nfree > 0) {
      struct File* f = free_list[--nfree];
      f->step = OPEN;
      strcpy(f->path, paths[next++]);
      prep(ring, f);
      ++in_flight;
    }
    int r = io_uring_submit_and_wait(ring, 1);
    if (r < 0) die("io_uring_submit_and_wait", -r);
    struct io_uring_cqe* cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(ring, head, cqe) {
      struct File* f = io_uring_cqe_get_data(cqe);
      ++seen;
      if (advance(f, cqe->res, &bytes)) {
        free_list[nfree++] = f;
        --in_flight;
      } else {
        prep(ring, f);
      }
    }
    io_uring_cq_advance(ring, seen);
  }
  return bytes;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: uring_fs fs_small_10k|fs_large_256m [REPS]\n");
    return 2;
  }
  const char* workload = argv[1];
  int reps = argc > 2 ? atoi(argv[2]) : 3;
  const char* dir = benchDataDir("uring_fs");
  static char paths[FILES][4096];
  int n;
  size_t want;
  if (strcmp(workload, "fs_small_10k") == 0) {
    for (int i = 0; i < FILES; ++i) snprintf(paths[i], sizeof paths[i], "%s/small/%05d", dir, i);
    n = FILES;
    want = 10000u * 4096u;
  } else if (strcmp(workload, "fs_large_256m") == 0) {
    snprintf(paths[0], sizeof paths[0], "%s/large", dir);
    n = 1;
    want = 256u * 1024u * 1024u;
  } else {
    fprintf(stderr, "unknown workload\n");
    return 2;
  }
  struct io_uring ring;
  int r = io_uring_queue_init(QD, &ring, 0);
  if (r < 0) die("io_uring_queue_init", -r);
  for (int i = 0; i < reps; ++i) {
    double t0 = nowMs();
    double c0 = cpuMs();
    size_t bytes = readAll(&ring, paths, n);
    if (bytes != want) die("short read", 0);
    double ms = nowMs() - t0;
    double cpu = cpuMs() - c0;
    printf("{\"workload\":\"%s\",\"impl\":\"uring_c\",\"ms\":%.3f,\"cpu_ms\":%.3f}\n", workload, ms,
           cpu);
    fflush(stdout);
  }
  io_uring_queue_exit(&ring);
  return 0;
}
