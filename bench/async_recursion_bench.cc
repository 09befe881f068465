// async_recursion_1m: `async f(n) { if (n) await f(n - 1) }` with n = 1,000,000, as a C++
// coroutine: time and peak RSS. A binary of its own so that its peak RSS (getrusage
// ru_maxrss, reported as the counter peak_rss_kib) belongs to this workload alone; run it with
// --benchmark_repetitions=1 and the default stack (ulimit -s 8192): vow must not need more.
// It also reports heap_bytes_per_level: live operator-new bytes per level at the bottom of the
// descent (the heap part of the peak; stack segments and allocator slack make up the rest of
// the RSS). Twin of bench/node/async_recursion_1m.js. ASYNC_DEPTH overrides n (for quick tries).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "bench/alloc_counter.h"
#include "bench/cpu_time.h"
#include "vow/promise/internal/pool.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace {

vow::Promise<void> f(long n) {
  if (n) co_await f(n - 1);
}

void async_recursion_1m(benchmark::State& state) {
  const char* env = std::getenv("ASYNC_DEPTH");
  const long depth = env ? std::atol(env) : 1'000'000;
  vow_bench::CpuCounter cpu;
  double heap_per_level = 0;
  for (auto _ : state) {
    cpu.start();
    bool done = false;
    // The descent runs synchronously: when f(depth) returns, every level is suspended, so the
    // live heap then is the recursion's peak (frames and states; see alloc_counter.h).
    vow_bench::setCounting(true);
    const long long live0 = vow_bench::liveHeapBytes();
    const std::size_t pool0 = vow::internal::poolUsage().live_bytes;
    vow::Promise<void> top = f(depth);
    // Frames and states come from vow's pool (promise/internal/pool.h), not operator new.
    heap_per_level =
        (static_cast<double>(vow_bench::liveHeapBytes() - live0) +
         static_cast<double>(vow::internal::poolUsage().live_bytes) - static_cast<double>(pool0)) /
        depth;
    vow_bench::setCounting(false);
    top.then([&done] { done = true; });
    vow::runMicrotasks();
    cpu.stop();
    if (!done) {
      std::fprintf(stderr, "async_recursion_1m: did not finish\n");
      std::abort();
    }
  }
  cpu.report(state);
  state.counters["depth"] = static_cast<double>(depth);
  state.counters["heap_bytes_per_level"] = heap_per_level;
  state.counters["peak_rss_kib"] = static_cast<double>(vow_bench::peakRssKib());
}

}  // namespace

BENCHMARK(async_recursion_1m)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
