// Promise-layer workloads of issue 9, side by side with bench/node/*.js (same names, same
// parameters). One benchmark iteration is one whole workload; bench/compare runs each binary
// several times, alternating with Node, and takes medians.
//
//   bazel run -c opt //bench:promise_bench -- --benchmark_filter=chain_1m
//
// No loop is needed for these: the microtask queue is drained with vow::runMicrotasks(), as a
// host does after a script (Node's twins end their clock in the last reaction).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench/alloc_counter.h"
#include "bench/cpu_time.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/combinators.h"
#include "vow/promise/for_await.h"
#include "vow/promise/internal/pool.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "benchmark failed: %s\n", what);
  std::abort();
}

// chain_1m: a resolved promise, then 1,000,000 sequential then(x + 1); the time to build the
// chain and run it to the end. JS: let p = Promise.resolve(0); for (...) p = p.then(x => x + 1).
void chain_1m(benchmark::State& state) {
  constexpr int kLinks = 1'000'000;
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    int result = -1;
    {
      vow::Promise<int> p = vow::Promise<int>::resolve(0);
      for (int i = 0; i < kLinks; ++i) p = p.then([](int x) { return x + 1; });
      p.then([&result](int x) { result = x; });
    }
    vow::runMicrotasks();
    cpu.stop();
    if (result != kLinks) fail("chain_1m: wrong result");
  }
  cpu.report(state);
}

// all_1m: 1,000,000 resolved promises into all(); creating them, all(), and the result.
// JS: Promise.all(Array.from({length: N}, (_, i) => Promise.resolve(i))).then(...).
void all_1m(benchmark::State& state) {
  constexpr int kCount = 1'000'000;
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    std::size_t size = 0;
    {
      std::vector<vow::Promise<int>> promises;
      promises.reserve(kCount);
      for (int i = 0; i < kCount; ++i) promises.push_back(vow::Promise<int>::resolve(i));
      vow::all(std::move(promises)).then([&size](const std::vector<int>& v) { size = v.size(); });
    }
    vow::runMicrotasks();
    cpu.stop();
    if (size != kCount) fail("all_1m: wrong size");
  }
  cpu.report(state);
}

// pending_mem_1m: 1,000,000 pending promises, each with one then() handler, their resolve
// functions kept in an array. Reports the growth of live heap bytes per promise (see
// alloc_counter.h; Node: heapUsed after gc()), then times resolving them all and running the
// handlers. JS: new Promise(r => rs[i] = r).then(x => x + 1). States and reactions come from
// vow's pool (promise/internal/pool.h), not operator new: its live blocks (at their size class,
// with no header; pool_bytes_per_promise) are added to both the first figure and the second
// (malloc's in-use bytes, headers included: what the process really holds).
void pending_mem_1m(benchmark::State& state) {
  constexpr int kCount = 1'000'000;
  double bytes = 0, malloc_bytes = 0, pool_bytes = 0;
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    state.PauseTiming();  // only resolving and running the handlers is timed
    std::vector<vow::ResolveFn<int>> resolvers;
    vow_bench::setCounting(true);
    const long long live0 = vow_bench::liveHeapBytes();
    const std::size_t malloc0 = vow_bench::mallocInUseBytes();
    const vow::internal::PoolUsage pool0 = vow::internal::poolUsage();
    resolvers.reserve(kCount);
    for (int i = 0; i < kCount; ++i) {
      vow::Promise<int>([&resolvers](vow::ResolveFn<int> resolve, vow::RejectFn) {
        resolvers.push_back(std::move(resolve));
      }).then([](int x) { return x + 1; });
    }
    const vow::internal::PoolUsage pool1 = vow::internal::poolUsage();
    bytes = (static_cast<double>(vow_bench::liveHeapBytes() - live0) +
             static_cast<double>(pool1.live_bytes) - static_cast<double>(pool0.live_bytes)) /
            kCount;
    pool_bytes =
        (static_cast<double>(pool1.live_bytes) - static_cast<double>(pool0.live_bytes)) / kCount;
    malloc_bytes =
        (static_cast<double>(vow_bench::mallocInUseBytes()) - static_cast<double>(malloc0)) /
            kCount +
        pool_bytes;
    vow_bench::setCounting(false);

    state.ResumeTiming();
    cpu.start();
    for (int i = 0; i < kCount; ++i) resolvers[i](i);
    vow::runMicrotasks();
    cpu.stop();
    state.PauseTiming();
    if (vow::pendingMicrotasks() != 0) fail("pending_mem_1m: queue not drained");
    resolvers.clear();  // destroying the resolved promises is not part of the workload
    state.ResumeTiming();
  }
  cpu.report(state);
  state.counters["bytes_per_promise"] = bytes;
  state.counters["malloc_bytes_per_promise"] = malloc_bytes;
  state.counters["pool_bytes_per_promise"] = pool_bytes;
}

// microtask_10m: 10,000,000 chained queueMicrotask (each job queues the next).
// JS: function hop() { if (++n < N) queueMicrotask(hop); }
long g_hops = 0;
constexpr long kMicrotasks = 10'000'000;
void hop() {
  if (++g_hops < kMicrotasks) vow::queueMicrotask(&hop);
}
void microtask_10m(benchmark::State& state) {
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    g_hops = 0;
    vow::queueMicrotask(&hop);
    vow::runMicrotasks();
    cpu.stop();
    if (g_hops != kMicrotasks) fail("microtask_10m: wrong count");
  }
  cpu.report(state);
}

}  // namespace

// One iteration is one whole workload. Google Benchmark decides the number of iterations
// (--benchmark_min_time); bench/compare passes a tiny min_time so that every repetition
// (--benchmark_repetitions) is one workload run. The Time column is wall-clock time.
// async_generator_1m: an async generator yielding 0..999,999, consumed by a for-await that sums
// them. JS: async function* count(n) { for (let i = 0; i < n; i++) yield i; }
//           for await (const x of count(N)) sum += x;
vow::AsyncGenerator<int> count(int n) {
  for (int i = 0; i < n; ++i) co_yield i;
}

vow::Promise<long long> sumAll(int n) {
  long long sum = 0;
  auto it = vow::forAwait(count(n));
  while (auto x = co_await it.next()) sum += *x;
  co_await it.close();
  co_return sum;
}

void async_generator_1m(benchmark::State& state) {
  constexpr int kValues = 1'000'000;
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    long long result = -1;
    sumAll(kValues).then([&result](long long v) { result = v; });
    vow::runMicrotasks();
    cpu.stop();
    if (result != static_cast<long long>(kValues) * (kValues - 1) / 2) {
      fail("async_generator_1m: wrong result");
    }
  }
  cpu.report(state);
}

BENCHMARK(chain_1m)->Unit(benchmark::kMillisecond);
BENCHMARK(all_1m)->Unit(benchmark::kMillisecond);
BENCHMARK(pending_mem_1m)->Unit(benchmark::kMillisecond);
BENCHMARK(microtask_10m)->Unit(benchmark::kMillisecond);
BENCHMARK(async_generator_1m)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
