/* libuv references for the loop workloads of issue 9: the same work written directly on
 * libuv (the library Node's loop is), without JavaScript. Prints one JSON line per run:
 *   {"workload":"immediate_1m","impl":"libuv","ms":...}
 *
 *   uv_bench WORKLOAD [REPS]     (WORKLOAD: immediate_1m | timers_1m | threadpool_100k |
 *                                 fs_small_10k_parallel; the last two read $BENCH_DATA)
 *
 * immediate_1m: Node implements setImmediate with a uv_check_t (runs the queue after poll)
 *   and a uv_idle_t (keeps poll from blocking while immediates are pending). Chaining one
 *   immediate per callback is therefore one loop iteration per hop: here a check callback
 *   that counts and stays armed, with an idle handle active, until 1,000,000 hops ran.
 * timers_1m: 1,000,000 uv_timer_t started with timeout 1, run until all fired.
 * threadpool_100k: 100,000 concurrent uv_fs_stat of one file (libuv's pool, 4 threads unless
 *   UV_THREADPOOL_SIZE says otherwise), callback per stat.
 * fs_small_10k_parallel: libuv's raw chain for readFile of 10,000 files of 4 KiB, all at
 *   once: uv_fs_open -> uv_fs_fstat -> uv_fs_read -> uv_fs_close per file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "bench/ref/ref_common.h"

static void die(const char* what) { dieWith("uv_bench", what, 0); }

static const char* dataDir(void) { return benchDataDir("uv_bench"); }

/* ---- immediate_1m ---------------------------------------------------------------------- */
enum { kImmediates = 1000000 };
static long g_hops;
static uv_check_t g_check;
static uv_idle_t g_idle;

static void idleNoop(uv_idle_t* h) { (void)h; }
static void checkHop(uv_check_t* h) {
  (void)h;
  if (++g_hops >= kImmediates) {
    uv_check_stop(&g_check);
    uv_idle_stop(&g_idle);
  }
}
static double immediate1m(uv_loop_t* loop) {
  g_hops = 0;
  double t0 = nowMs();
  uv_check_init(loop, &g_check);
  uv_idle_init(loop, &g_idle);
  uv_check_start(&g_check, checkHop);
  uv_idle_start(&g_idle, idleNoop);
  uv_run(loop, UV_RUN_DEFAULT);
  double ms = nowMs() - t0;
  uv_close((uv_handle_t*)&g_check, NULL);
  uv_close((uv_handle_t*)&g_idle, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  if (g_hops != kImmediates) die("immediate_1m: wrong count");
  return ms;
}

/* ---- timers_1m ------------------------------------------------------------------------- */
enum { kTimers = 1000000 };
static long g_fired;
static void timerFired(uv_timer_t* t) {
  (void)t;
  ++g_fired;
}
static double timers1m(uv_loop_t* loop) {
  uv_timer_t* timers = malloc(sizeof(uv_timer_t) * kTimers);
  if (!timers) die("out of memory");
  g_fired = 0;
  double t0 = nowMs();
  for (long i = 0; i < kTimers; ++i) {
    uv_timer_init(loop, &timers[i]);
    uv_timer_start(&timers[i], timerFired, 1, 0);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  double ms = nowMs() - t0;
  if (g_fired != kTimers) die("timers_1m: wrong count");
  for (long i = 0; i < kTimers; ++i) uv_close((uv_handle_t*)&timers[i], NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  free(timers);
  return ms;
}

/* ---- threadpool_100k ------------------------------------------------------------------- */
enum { kStats = 100000 };
static long g_stats;
static void statDone(uv_fs_t* req) {
  if (req->result < 0) die("stat failed");
  ++g_stats;
  uv_fs_req_cleanup(req);
}
static double threadpool100k(uv_loop_t* loop) {
  char path[4096];
  snprintf(path, sizeof path, "%s/small/00000", dataDir());
  uv_fs_t* reqs = malloc(sizeof(uv_fs_t) * kStats);
  if (!reqs) die("out of memory");
  g_stats = 0;
  double t0 = nowMs();
  for (long i = 0; i < kStats; ++i) uv_fs_stat(loop, &reqs[i], path, statDone);
  uv_run(loop, UV_RUN_DEFAULT);
  double ms = nowMs() - t0;
  if (g_stats != kStats) die("threadpool_100k: wrong count");
  free(reqs);
  return ms;
}

/* ---- fs_small_10k_parallel ------------------------------------------------------------- */
enum { kFiles = 10000, kFileSize = 4096 };
typedef struct {
  uv_fs_t req;
  uv_file fd;
  char* data;
  size_t size;
  char path[4096];
} ReadJob;
static long g_read_files;
static size_t g_read_bytes;

static void onClose(uv_fs_t* req) {
  ReadJob* job = req->data;
  uv_fs_req_cleanup(req);
  g_read_bytes += job->size;
  ++g_read_files;
  free(job->data);
}
static void onRead(uv_fs_t* req) {
  ReadJob* job = req->data;
  if (req->result < 0) die("read failed");
  job->size = (size_t)req->result;
  uv_fs_req_cleanup(req);
  uv_fs_close(req->loop, req, job->fd, onClose);
}
static void onFstat(uv_fs_t* req) {
  ReadJob* job = req->data;
  if (req->result < 0) die("fstat failed");
  size_t size = (size_t)req->statbuf.st_size;
  uv_fs_req_cleanup(req);
  job->data = malloc(size ? size : 1);
  uv_buf_t buf = uv_buf_init(job->data, (unsigned)size);
  uv_fs_read(req->loop, req, job->fd, &buf, 1, 0, onRead);
}
static void onOpen(uv_fs_t* req) {
  ReadJob* job = req->data;
  if (req->result < 0) die("open failed");
  job->fd = (uv_file)req->result;
  uv_fs_req_cleanup(req);
  uv_fs_fstat(req->loop, req, job->fd, onFstat);
}
static double fsSmall10kParallel(uv_loop_t* loop) {
  ReadJob* jobs = calloc(kFiles, sizeof(ReadJob));
  if (!jobs) die("out of memory");
  const char* dir = dataDir();
  for (long i = 0; i < kFiles; ++i)
    snprintf(jobs[i].path, sizeof jobs[i].path, "%s/small/%05ld", dir, i);
  g_read_files = 0;
  g_read_bytes = 0;
  double t0 = nowMs();
  for (long i = 0; i < kFiles; ++i) {
    jobs[i].req.data = &jobs[i];
    uv_fs_open(loop, &jobs[i].req, jobs[i].path, O_RDONLY, 0, onOpen);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  double ms = nowMs() - t0;
  if (g_read_files != kFiles || g_read_bytes != (size_t)kFiles * kFileSize) die("short read");
  free(jobs);
  return ms;
}

int main(int argc, char** argv) {
  if (argc < 2) die("usage: uv_bench WORKLOAD [REPS]");
  const char* workload = argv[1];
  int reps = argc > 2 ? atoi(argv[2]) : 3;
  uv_loop_t* loop = uv_default_loop();
  for (int r = 0; r < reps; ++r) {
    double ms;
    double c0 = cpuMs();
    if (strcmp(workload, "immediate_1m") == 0) {
      ms = immediate1m(loop);
    } else if (strcmp(workload, "timers_1m") == 0) {
      ms = timers1m(loop);
    } else if (strcmp(workload, "threadpool_100k") == 0) {
      ms = threadpool100k(loop);
    } else if (strcmp(workload, "fs_small_10k_parallel") == 0) {
      ms = fsSmall10kParallel(loop);
    } else {
      die("unknown workload");
    }
    double cpu = cpuMs() - c0;
    printf("{\"workload\":\"%s\",\"impl\":\"libuv\",\"ms\":%.3f,\"cpu_ms\":%.3f}\n", workload, ms,
           cpu);
    fflush(stdout);
  }
  return 0;
}
