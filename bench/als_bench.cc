// The cost of AsyncLocalStorage when a store is in use: chain_1m, microtask_10m and
// immediate_1m (the workloads of promise_bench / loop_bench, same sizes) run inside
// als.run(store, ...), so every reaction, microtask and immediate captures and restores the
// context. Compare with the same names in promise_bench and loop_bench, where no storage was
// ever entered (that path must cost nothing).
//
//   bazel run -c opt //bench:als_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/cpu_time.h"
#include "vow/loop/async_local_storage.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "benchmark failed: %s\n", what);
  std::abort();
}

vow::AsyncLocalStorage<std::string> g_als;

void als_chain_1m(benchmark::State& state) {
  constexpr int kLinks = 1'000'000;
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    int result = -1;
    g_als.run("request", [&] {
      vow::Promise<int> p = vow::Promise<int>::resolve(0);
      for (int i = 0; i < kLinks; ++i) p = p.then([](int x) { return x + 1; });
      p.then([&result](int x) {
        if (g_als.getStore() == nullptr) fail("als_chain_1m: no store");
        result = x;
      });
    });
    vow::runMicrotasks();
    cpu.stop();
    if (result != kLinks) fail("als_chain_1m: wrong result");
  }
  cpu.report(state);
}

long g_hops = 0;
constexpr long kMicrotasks = 10'000'000;
void hop() {
  if (++g_hops < kMicrotasks) vow::queueMicrotask(&hop);
}
void als_microtask_10m(benchmark::State& state) {
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    g_hops = 0;
    g_als.run("request", [] { vow::queueMicrotask(&hop); });
    vow::runMicrotasks();
    cpu.stop();
    if (g_hops != kMicrotasks) fail("als_microtask_10m: wrong count");
  }
  cpu.report(state);
}

constexpr long kImmediates = 1'000'000;
long g_immediates = 0;
void immediateHop() {
  if (++g_immediates < kImmediates) vow::setImmediate(&immediateHop);
}
void als_immediate_1m(benchmark::State& state) {
  vow_bench::CpuCounter cpu;
  for (auto _ : state) {
    cpu.start();
    g_immediates = 0;
    g_als.run("request", [] { vow::setImmediate(&immediateHop); });
    vow::run();
    cpu.stop();
    if (g_immediates != kImmediates) fail("als_immediate_1m: wrong count");
  }
  cpu.report(state);
}

}  // namespace

BENCHMARK(als_chain_1m)->Unit(benchmark::kMillisecond);
BENCHMARK(als_microtask_10m)->Unit(benchmark::kMillisecond);
BENCHMARK(als_immediate_1m)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
