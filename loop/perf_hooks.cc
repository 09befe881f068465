// perf_hooks: the histograms are Node's HdrHistogram (lowest 1, highest one hour in ns, three
// significant digits), reimplemented from the algorithm's published description so that min,
// max, mean, percentiles and the percentiles map report the same bucket values as Node.
#include "vow/loop/perf_hooks.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "vow/loop/internal/hrtime.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/exceptions.h"

namespace vow {
namespace perf_hooks {
namespace internal {

// The bucket layout for 3 significant digits from 1: sub-buckets of 2048 (half 1024), each
// bucket twice the range of the previous one, 32 buckets to reach one hour in ns.
constexpr int kSubBucketHalfCountMagnitude = 10;
constexpr std::int64_t kSubBucketCount = std::int64_t{1} << (kSubBucketHalfCountMagnitude + 1);
constexpr std::int64_t kSubBucketHalfCount = kSubBucketCount / 2;
constexpr std::int64_t kSubBucketMask = kSubBucketCount - 1;
constexpr std::int64_t kHighestTrackable = 3'600'000'000'000;  // one hour in ns

int bucketsNeeded() {
  std::int64_t smallest_untrackable = kSubBucketCount;
  int buckets = 1;
  while (smallest_untrackable <= kHighestTrackable) {
    smallest_untrackable <<= 1;
    ++buckets;
  }
  return buckets;
}

struct HdrData {
  HdrData() : counts((bucketsNeeded() + 1) * kSubBucketHalfCount, 0) {}

  static int bucketIndex(std::int64_t v) {
    const int pow2ceiling = 64 - __builtin_clzll(static_cast<std::uint64_t>(v | kSubBucketMask));
    return pow2ceiling - (kSubBucketHalfCountMagnitude + 1);
  }
  static std::int64_t subBucketIndex(std::int64_t v, int bucket) { return v >> bucket; }
  static std::int64_t countsIndex(int bucket, std::int64_t sub) {
    return (static_cast<std::int64_t>(bucket + 1) << kSubBucketHalfCountMagnitude) +
           (sub - kSubBucketHalfCount);
  }
  static std::int64_t valueAtIndex(std::int64_t index) {
    int bucket = static_cast<int>(index >> kSubBucketHalfCountMagnitude) - 1;
    std::int64_t sub = (index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
    if (bucket < 0) {
      sub -= kSubBucketHalfCount;
      bucket = 0;
    }
    return sub << bucket;
  }
  static std::int64_t lowestEquivalent(std::int64_t v) {
    const int bucket = bucketIndex(v);
    return subBucketIndex(v, bucket) << bucket;
  }
  static std::int64_t rangeSize(std::int64_t v) {
    const int bucket = bucketIndex(v);
    const int adjusted = subBucketIndex(v, bucket) >= kSubBucketCount ? bucket + 1 : bucket;
    return std::int64_t{1} << adjusted;
  }
  static std::int64_t highestEquivalent(std::int64_t v) {
    return lowestEquivalent(v) + rangeSize(v) - 1;
  }
  static std::int64_t medianEquivalent(std::int64_t v) {
    return lowestEquivalent(v) + (rangeSize(v) >> 1);
  }

  // hdr_record_value: false when the value has no bucket.
  bool recordValue(std::int64_t v) {
    if (v < 0) return false;
    const int bucket = bucketIndex(v);
    const std::int64_t index = countsIndex(bucket, subBucketIndex(v, bucket));
    if (index < 0 || index >= static_cast<std::int64_t>(counts.size())) return false;
    ++counts[index];
    ++total;
    if (v < min_value && v != 0) min_value = v;
    if (v > max_value) max_value = v;
    return true;
  }
  // Node's Histogram::Record: what was not recorded counts as exceeding.
  bool record(std::int64_t v) {
    if (recordValue(v)) {
      ++count;
      return true;
    }
    ++exceeds;
    return false;
  }

  void reset() {
    std::fill(counts.begin(), counts.end(), 0);
    total = count = exceeds = 0;
    min_value = std::numeric_limits<std::int64_t>::max();
    max_value = 0;
    prev = 0;
  }

  std::vector<std::int64_t> counts;
  std::int64_t total = 0;  // values in the buckets
  std::int64_t count = 0;  // Node's count (values recorded through record/recordDelta/add)
  std::int64_t exceeds = 0;
  std::int64_t min_value = std::numeric_limits<std::int64_t>::max();
  std::int64_t max_value = 0;
  std::int64_t prev = 0;  // recordDelta's previous time
};

}  // namespace internal

namespace {

using internal::HdrData;

// A number as JS prints it in an error message (integers without a fraction).
std::string jsNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == std::floor(v) && std::abs(v) < 1e21) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// Node's ERR_OUT_OF_RANGE for validateInteger(value, name, min).
[[noreturn]] void throwIntegerOutOfRange(const char* name, double value, std::int64_t min) {
  std::string message = std::string("The value of \"") + name + "\" is out of range. It must be ";
  if (value != std::floor(value) || std::isinf(value)) {
    message += "an integer";
  } else {
    message += ">= " + std::to_string(min) + " && <= 9007199254740991";
  }
  VOW_THROW(RangeError(message + ". Received " + jsNumber(value), "ERR_OUT_OF_RANGE"));
}

}  // namespace

Histogram::Histogram() : data_(std::make_shared<HdrData>()) {}

std::int64_t Histogram::count() const noexcept { return data_->count; }
std::int64_t Histogram::exceeds() const noexcept { return data_->exceeds; }

std::int64_t Histogram::min() const noexcept {
  if (data_->counts[0] > 0) return 0;
  if (data_->min_value == std::numeric_limits<std::int64_t>::max()) return data_->min_value;
  return HdrData::lowestEquivalent(data_->min_value);
}

std::int64_t Histogram::max() const noexcept {
  return data_->max_value == 0 ? 0 : HdrData::highestEquivalent(data_->max_value);
}

double Histogram::mean() const noexcept {
  if (data_->total == 0) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (std::size_t i = 0; i < data_->counts.size(); ++i) {
    if (std::int64_t c = data_->counts[i]) {
      sum += static_cast<double>(c) *
             static_cast<double>(HdrData::medianEquivalent(HdrData::valueAtIndex(i)));
    }
  }
  return sum / static_cast<double>(data_->total);
}

double Histogram::stddev() const noexcept {
  if (data_->total == 0) return std::numeric_limits<double>::quiet_NaN();
  const double m = mean();
  double dev = 0;
  for (std::size_t i = 0; i < data_->counts.size(); ++i) {
    if (std::int64_t c = data_->counts[i]) {
      const double d = static_cast<double>(HdrData::medianEquivalent(HdrData::valueAtIndex(i))) - m;
      dev += d * d * static_cast<double>(c);
    }
  }
  return std::sqrt(dev / static_cast<double>(data_->total));
}

std::int64_t Histogram::percentile(double p) const {
  if (!(p > 0 && p <= 100)) {
    VOW_THROW(
        RangeError("The value of \"percentile\" is out of range. It must be > 0 && <= 100. "
                   "Received " +
                       jsNumber(p),
                   "ERR_OUT_OF_RANGE"));
  }
  const double requested = std::min(p, 100.0);
  std::int64_t at =
      static_cast<std::int64_t>((requested / 100) * static_cast<double>(data_->total) + 0.5);
  at = std::max<std::int64_t>(at, 1);
  std::int64_t running = 0;
  for (std::size_t i = 0; i < data_->counts.size(); ++i) {
    running += data_->counts[i];
    if (running >= at) return HdrData::highestEquivalent(HdrData::valueAtIndex(i));
  }
  return 0;
}

// HdrHistogram's percentile iteration with one tick per half distance, as Node's
// histogram.percentiles walks it: each entry maps the percentile reached to the low bound of
// the bucket that reached it; 100 comes last, with the value of the last bucket walked.
std::map<double, std::int64_t> Histogram::percentiles() const {
  std::map<double, std::int64_t> out;
  const HdrData& d = *data_;
  const auto len = static_cast<std::int64_t>(d.counts.size());
  std::int64_t index = -1, cumulative = 0, count = 0, value = 0;
  double to = 0, reported = 0;
  bool seen_last = false;
  auto has_next = [&] { return cumulative < d.total; };
  auto basic_next = [&] {
    if (!has_next() || index >= len) return false;
    ++index;
    if (index >= len) return true;
    count = d.counts[index];
    cumulative += count;
    value = HdrData::valueAtIndex(index);
    return true;
  };
  for (;;) {
    if (!has_next()) {
      if (seen_last) break;
      seen_last = true;
      out[100.0] = value;
      continue;
    }
    if (index == -1 && !basic_next()) break;
    do {
      const double current = 100.0 * static_cast<double>(cumulative) / static_cast<double>(d.total);
      if (count != 0 && to <= current) {
        reported = to;
        const auto temp = static_cast<std::int64_t>(std::log(100 / (100.0 - to)) / std::log(2)) + 1;
        to += 100.0 / std::pow(2, static_cast<double>(temp));
        break;
      }
    } while (basic_next());
    out[reported] = value;
  }
  return out;
}

void Histogram::reset() noexcept { data_->reset(); }

void RecordableHistogram::record(std::int64_t value) {
  if (value < 1) throwIntegerOutOfRange("val", static_cast<double>(value), 1);
  data_->record(value);
}

void RecordableHistogram::recordDelta() {
  const std::int64_t now = ::vow::internal::monotonicNs();
  if (data_->prev > 0) data_->record(now - data_->prev);
  data_->prev = now;
}

void RecordableHistogram::add(const Histogram& other) {
  // hdr_add: every bucket's count, min and max; Node adds count and exceeds too.
  HdrData& d = *data_;
  std::optional<HdrData> copy;  // adding a histogram to itself reads a snapshot
  if (other.data_ == data_) copy.emplace(*other.data_);
  const HdrData& o = copy ? *copy : *other.data_;
  for (std::size_t i = 0; i < o.counts.size(); ++i) {
    if (o.counts[i] == 0) continue;
    d.counts[i] += o.counts[i];
    d.total += o.counts[i];
  }
  if (o.total > 0) {
    d.min_value = std::min(d.min_value, o.min_value);
    d.max_value = std::max(d.max_value, o.max_value);
  }
  d.count += o.count;
  d.exceeds += o.exceeds;
}

// The sampling timer of monitorEventLoopDelay: holds the histogram's data and clears its
// timer when the last IntervalHistogram goes. The timer's callback holds it weakly.
struct IntervalHistogram::Sampler {
  ~Sampler() {
    if (enabled) clearInterval(timer);
  }
  std::shared_ptr<HdrData> data;
  double resolution = 10;
  bool enabled = false;
  Timeout timer;
};

IntervalHistogram::IntervalHistogram(double resolution) : sampler_(std::make_shared<Sampler>()) {
  sampler_->data = data_;
  sampler_->resolution = resolution;
}

bool IntervalHistogram::enable() {
  if (sampler_->enabled) return false;
  sampler_->enabled = true;
  std::weak_ptr<Sampler> weak = sampler_;
  sampler_->data->prev = 0;
  sampler_->timer = setInterval(
      [weak] {
        auto s = weak.lock();
        if (!s) return;
        // Node's ELDHistogram::OnInterval -> RecordDelta: the time since the previous run.
        const std::int64_t now = ::vow::internal::monotonicNs();
        if (s->data->prev > 0) s->data->record(now - s->data->prev);
        s->data->prev = now;
      },
      sampler_->resolution);
  sampler_->timer.unref();
  return true;
}

bool IntervalHistogram::disable() {
  if (!sampler_->enabled) return false;
  sampler_->enabled = false;
  clearInterval(sampler_->timer);
  return true;
}

IntervalHistogram monitorEventLoopDelay(const MonitorEventLoopDelayOptions& options) {
  if (!(options.resolution >= 1) || options.resolution != std::floor(options.resolution) ||
      options.resolution > 9007199254740991.0) {
    throwIntegerOutOfRange("options.resolution", options.resolution, 1);
  }
  return IntervalHistogram(options.resolution);
}

RecordableHistogram createHistogram() { return RecordableHistogram(); }

}  // namespace perf_hooks

namespace performance {

namespace {
const std::int64_t kTimeOrigin = ::vow::internal::monotonicNs();
}  // namespace

double now() noexcept {
  return static_cast<double>(::vow::internal::monotonicNs() - kTimeOrigin) / 1e6;
}

EventLoopUtilization eventLoopUtilization(const Loop& loop,
                                          const std::optional<EventLoopUtilization>& util1,
                                          const std::optional<EventLoopUtilization>& util2) {
  const std::int64_t start = loop.loopStartNs();
  if (start <= 0) return {};
  if (util1 && util2) {
    const double idle = util1->idle - util2->idle;
    const double active = util1->active - util2->active;
    return {idle, active, active / (idle + active)};
  }
  const double idle = static_cast<double>(loop.idleTimeNs()) / 1e6;
  const double active = static_cast<double>(::vow::internal::monotonicNs() - start) / 1e6 - idle;
  if (!util1) return {idle, active, active / (idle + active)};
  const double idle_delta = idle - util1->idle;
  const double active_delta = active - util1->active;
  return {idle_delta, active_delta, active_delta / (idle_delta + active_delta)};
}

EventLoopUtilization eventLoopUtilization(const std::optional<EventLoopUtilization>& util1,
                                          const std::optional<EventLoopUtilization>& util2) {
  return eventLoopUtilization(Loop::current(), util1, util2);
}

}  // namespace performance
}  // namespace vow
