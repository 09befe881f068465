// Event-loop workloads of issue 9, side by side with bench/node/*.js and the libuv reference
// bench/ref/uv_bench.c (same names, same parameters). One iteration is one whole workload,
// run to the end with vow::run(). See promise_bench.cc for how bench/compare drives it.
#include <benchmark/benchmark.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/cpu_time.h"
#include "vow/loop/loop.h"

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "benchmark failed: %s\n", what);
  std::abort();
}

// immediate_1m: 1,000,000 chained setImmediate (each callback sets the next).
// JS: function hop() { if (++n < N) setImmediate(hop); }
constexpr long kImmediates = 1'000'000;
long g_immediates = 0;
void immediateHop() {
  if (++g_immediates < kImmediates) vow::setImmediate(&immediateHop);
}
void immediate_1m(benchmark::State& state) {
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    g_immediates = 0;
    vow::setImmediate(&immediateHop);
    vow::run();
    cpu.stop();
    if (g_immediates != kImmediates) fail("immediate_1m: wrong count");
  }
  cpu.report(state);
}

// timers_1m: 1,000,000 setTimeout(f, 1) scheduled, then run until the last one fired.
// JS: for (...) setTimeout(fired, 1);
constexpr long kTimers = 1'000'000;
long g_fired = 0;
void fired() { ++g_fired; }
void timers_1m(benchmark::State& state) {
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    g_fired = 0;
    for (long i = 0; i < kTimers; ++i) vow::setTimeout(&fired, 1);
    vow::run();
    cpu.stop();
    if (g_fired != kTimers) fail("timers_1m: wrong count");
  }
  cpu.report(state);
}

// threadpool_100k_queuework: 100,000 concurrent stat()s of one file as raw pool jobs,
// Loop::queueWork(stat(2), completion callback): the pool's own cost per job, without fs's
// argument checks, Stats conversion and error plumbing. threadpool_100k itself (fs::stat, the
// workload of issue 9) is in fs_bench.cc. The file is $BENCH_DATA/small/00000 (else
// /etc/passwd).
constexpr long kStats = 100'000;
std::string statPath() {
  const char* data = std::getenv("BENCH_DATA");
  return data ? std::string(data) + "/small/00000" : std::string("/etc/passwd");
}
void threadpool_100k_queuework(benchmark::State& state) {
  const std::string path = statPath();
  const char* p = path.c_str();
  vow::Loop& loop = vow::Loop::current();
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    long done = 0, failed = 0;
    for (long i = 0; i < kStats; ++i) {
      // The result travels in the job's own capture, like a uv_fs_t's statbuf.
      struct Job {
        const char* path;
        int rc = 0;
        struct stat st;
      };
      auto* job = new Job{p};
      loop.queueWork([job] { job->rc = ::stat(job->path, &job->st); },
                     [job, &done, &failed] {
                       if (job->rc != 0) ++failed;
                       ++done;
                       delete job;
                     });
    }
    vow::run();
    cpu.stop();
    if (done != kStats || failed != 0) fail("threadpool_100k: stat failed");
  }
  cpu.report(state);
}

}  // namespace

BENCHMARK(immediate_1m)->Unit(benchmark::kMillisecond);
BENCHMARK(timers_1m)->Unit(benchmark::kMillisecond);
BENCHMARK(threadpool_100k_queuework)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
