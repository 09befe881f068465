// Process CPU time (all threads, user + system) for the benchmarks' cpu_ms counter.
//
// The machine these benchmarks run on is shared, so wall-clock time includes waiting for a
// core; CPU time does not. bench/compare shows both ratios; the targets use wall-clock time.
// Google Benchmark's own CPU column counts the main thread only, which hides pool threads.
#pragma once

#include <time.h>

namespace vow_bench {

inline double processCpuMs() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Accumulates the CPU time of the timed parts of a benchmark's iterations and reports it as
// the counter cpu_ms (per iteration).
class CpuCounter {
 public:
  void start() noexcept { t0_ = processCpuMs(); }
  void stop() noexcept { total_ += processCpuMs() - t0_; }
  template <class State>
  void report(State& state) const {
    state.counters["cpu_ms"] = total_ / static_cast<double>(state.iterations());
  }

 private:
  double t0_ = 0;
  double total_ = 0;
};

}  // namespace vow_bench
