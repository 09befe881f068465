// Node's perf_hooks: performance.now(), performance.eventLoopUtilization(),
// monitorEventLoopDelay() and createHistogram().
//
//   auto delay = vow::perf_hooks::monitorEventLoopDelay({.resolution = 10});
//   delay.enable();
//   ... later ...
//   std::printf("p99 %lld ns\n", (long long)delay.percentile(99));
//   auto elu = vow::performance::eventLoopUtilization();   // {idle, active, utilization} in ms
//
// Histograms are Node's (HdrHistogram: 1 ns to 1 hour, 3 significant digits): values are kept
// in log-linear buckets, so min, max and percentiles are bucket bounds, as Node reports them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "vow/loop/timers.h"

namespace vow {

class Loop;

namespace perf_hooks {

namespace internal {
struct HdrData;
}  // namespace internal

// Node's Histogram: the read side. Values are integers (nanoseconds for event-loop delay).
// A handle: copies share the histogram, as JS references do.
class Histogram {
 public:
  Histogram();

  // Node: histogram.count, .exceeds (values outside 1 ns .. 1 hour, not recorded), .min (the
  // lowest bucket's low bound; INT64_MAX when empty, as Node's 9223372036854776000), .max
  // (the highest bucket's high bound; 0 when empty), .mean and .stddev (NaN when empty).
  std::int64_t count() const noexcept;
  std::int64_t exceeds() const noexcept;
  std::int64_t min() const noexcept;
  std::int64_t max() const noexcept;
  double mean() const noexcept;
  double stddev() const noexcept;
  // Node: histogram.percentile(p), 0 < p <= 100 (else vow::RangeError ERR_OUT_OF_RANGE).
  std::int64_t percentile(double p) const;
  // Node: histogram.percentiles: percentile -> value, at 0, 50, 75, 87.5, ... 100.
  std::map<double, std::int64_t> percentiles() const;
  // Node: histogram.reset().
  void reset() noexcept;

 protected:
  friend class RecordableHistogram;  // add() reads another histogram's buckets
  std::shared_ptr<internal::HdrData> data_;
};

// Node's RecordableHistogram (createHistogram()).
class RecordableHistogram : public Histogram {
 public:
  // Node: histogram.record(value): value >= 1 (else vow::RangeError ERR_OUT_OF_RANGE).
  void record(std::int64_t value);
  // Node: histogram.recordDelta(): records the ns since the previous recordDelta() call.
  void recordDelta();
  // Node: histogram.add(other): adds other's values (and counts) to this one.
  void add(const Histogram& other);
};

struct MonitorEventLoopDelayOptions {
  double resolution = 10;  // ms, an integer >= 1 (else vow::RangeError ERR_OUT_OF_RANGE)
};

// Node's IntervalHistogram (monitorEventLoopDelay()): while enabled, an unref'd timer every
// `resolution` ms records the time since its previous run, in ns (the resolution plus the
// delay). Dropping every copy stops it.
class IntervalHistogram : public Histogram {
 public:
  // Node: histogram.enable() / disable(): true if the state changed.
  bool enable();
  bool disable();

 private:
  struct Sampler;
  friend IntervalHistogram monitorEventLoopDelay(const MonitorEventLoopDelayOptions&);
  explicit IntervalHistogram(double resolution);
  std::shared_ptr<Sampler> sampler_;
};

// Node: perf_hooks.monitorEventLoopDelay([{resolution}]). Samples on the thread's loop.
IntervalHistogram monitorEventLoopDelay(const MonitorEventLoopDelayOptions& options = {});
// Node: perf_hooks.createHistogram().
RecordableHistogram createHistogram();

}  // namespace perf_hooks

namespace performance {

// Node: performance.now(): ms since the process started (vow: since the library was loaded),
// on the monotonic clock.
double now() noexcept;

// Node: the object eventLoopUtilization() returns (ms).
struct EventLoopUtilization {
  double idle = 0;
  double active = 0;
  double utilization = 0;
};

// Node: performance.eventLoopUtilization([util1[, util2]]) for the thread's loop: idle is the
// time blocked in the poll phase since the loop first ran, active the rest; with util1, the
// change since util1; with both, util1 - util2. All zero before the loop first ran.
EventLoopUtilization eventLoopUtilization(
    const std::optional<EventLoopUtilization>& util1 = std::nullopt,
    const std::optional<EventLoopUtilization>& util2 = std::nullopt);
// The same for a given loop.
EventLoopUtilization eventLoopUtilization(const Loop& loop,
                                          const std::optional<EventLoopUtilization>& util1,
                                          const std::optional<EventLoopUtilization>& util2);

}  // namespace performance

}  // namespace vow
