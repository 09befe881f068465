// fs workloads of issue 9 (and threadpool_100k with fs::stat), side by side with
// bench/node/*.js, the blocking-C reference bench/ref/blocking_fs.c and libuv's raw chain in
// bench/ref/uv_bench.c. They read the files bench/compare prepares in $BENCH_DATA:
// small/00000 .. small/09999 (4 KiB each) and large (256 MiB). Written as a user would, with
// the one include.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/cpu_time.h"
#include "vow/promise/combinators.h"  // vow::all: vow/vow.h does not export it (yet)
#include "vow/vow.h"

namespace {

void fail(const std::string& what) {
  std::fprintf(stderr, "benchmark failed: %s\n", what.c_str());
  std::abort();
}

std::string dataDir() {
  const char* d = std::getenv("BENCH_DATA");
  if (!d) fail("set BENCH_DATA to the directory bench/compare prepared");
  return d;
}

// Which backend ran fs (issue 17): the label, and the counter io_uring (1 or 0) that
// bench/compare reads to say which one a column measured (VOW_IO_URING picks it).
void reportBackend(benchmark::State& state) {
  const std::string_view backend = vow::Loop::current().fsBackend();
  state.SetLabel("fs backend: " + std::string(backend));
  state.counters["io_uring"] = backend == "io_uring" ? 1 : 0;
}

constexpr int kFiles = 10'000;
constexpr std::size_t kFileSize = 4096;
constexpr std::size_t kLargeSize = 256u << 20;

const std::vector<std::string>& smallFiles() {
  static const std::vector<std::string> files = [] {
    std::vector<std::string> v;
    v.reserve(kFiles);
    char name[16];
    for (int i = 0; i < kFiles; ++i) {
      std::snprintf(name, sizeof name, "%05d", i);
      v.push_back(dataDir() + "/small/" + name);
    }
    return v;
  }();
  return files;
}

// fs_small_10k_parallel: 10,000 files of 4 KiB read at once with fs::promises::readFile.
// JS: await Promise.all(files.map((f) => fsp.readFile(f))).
void fs_small_10k_parallel(benchmark::State& state) {
  const auto& files = smallFiles();
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    std::size_t bytes = 0;
    {
      std::vector<vow::Promise<vow::Buffer>> reads;
      reads.reserve(files.size());
      for (const auto& f : files) reads.push_back(vow::fs::promises::readFile(f));
      vow::all(std::move(reads)).then([&bytes](const std::vector<vow::Buffer>& all) {
        for (const auto& d : all) bytes += d.size();
      });
    }
    vow::run();
    cpu.stop();
    if (bytes != kFiles * kFileSize) fail("fs_small_10k_parallel: short read");
  }
  cpu.report(state);
  reportBackend(state);
}

// fs_small_10k_callback: the same 10,000 reads with the callback fs::readFile.
// JS: for (const f of files) fs.readFile(f, (err, data) => { ... }).
void fs_small_10k_callback(benchmark::State& state) {
  const auto& files = smallFiles();
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    std::size_t bytes = 0;
    int done = 0;
    for (const auto& f : files) {
      vow::fs::readFile(f, [&bytes, &done](vow::Error err, vow::Buffer data) {
        if (err) fail(err.message());
        bytes += data.size();
        ++done;
      });
    }
    vow::run();
    cpu.stop();
    if (done != kFiles || bytes != kFiles * kFileSize) fail("fs_small_10k_callback: short read");
  }
  cpu.report(state);
  reportBackend(state);
}

// fs_small_10k_sequential: the 10,000 files one after another in a coroutine.
// JS: for (const f of files) bytes += (await fsp.readFile(f)).length.
vow::Promise<std::size_t> readAllSequentially(const std::vector<std::string>& files) {
  std::size_t bytes = 0;
  for (const auto& f : files) bytes += (co_await vow::fs::promises::readFile(f)).size();
  co_return bytes;
}
void fs_small_10k_sequential(benchmark::State& state) {
  const auto& files = smallFiles();
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    std::size_t bytes = 0;
    readAllSequentially(files).then([&bytes](std::size_t b) { bytes = b; });
    vow::run();
    cpu.stop();
    if (bytes != kFiles * kFileSize) fail("fs_small_10k_sequential: short read");
  }
  cpu.report(state);
  reportBackend(state);
}

// fs_large_256m: one 256 MiB file with fs::promises::readFile.
void fs_large_256m(benchmark::State& state) {
  const std::string file = dataDir() + "/large";
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    std::size_t bytes = 0;
    vow::fs::promises::readFile(file).then([&bytes](const vow::Buffer& d) { bytes = d.size(); });
    vow::run();
    cpu.stop();
    if (bytes != kLargeSize) fail("fs_large_256m: short read");
  }
  cpu.report(state);
  reportBackend(state);
}

// threadpool_100k: 100,000 concurrent fs::stat (callback form) of one file on the pool (4
// threads by default). JS: fs.stat(file, (err, stats) => { ... }). bench/ref/uv_bench.c does
// the same with uv_fs_stat.
void threadpool_100k(benchmark::State& state) {
  constexpr int kStats = 100'000;
  const std::string file = smallFiles()[0];
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    int done = 0;
    for (int i = 0; i < kStats; ++i) {
      vow::fs::stat(file, [&done](vow::Error err, const vow::fs::Stats& st) {
        if (err || st.size != kFileSize) fail("threadpool_100k: stat failed");
        ++done;
      });
    }
    vow::run();
    cpu.stop();
    if (done != kStats) fail("threadpool_100k: wrong count");
  }
  cpu.report(state);
  reportBackend(state);
}

}  // namespace

BENCHMARK(fs_small_10k_parallel)->Unit(benchmark::kMillisecond);
BENCHMARK(fs_small_10k_callback)->Unit(benchmark::kMillisecond);
BENCHMARK(fs_small_10k_sequential)->Unit(benchmark::kMillisecond);
BENCHMARK(fs_large_256m)->Unit(benchmark::kMillisecond);
BENCHMARK(threadpool_100k)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
