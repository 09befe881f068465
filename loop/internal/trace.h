// Tracing's recording side (vow/loop/trace.h is the user's side): spans and flow events
// written into one process-wide buffer while tracing is on. Off, a span costs one relaxed
// atomic load and a branch.
#pragma once

#include <atomic>
#include <cstdint>

#include "vow/loop/internal/hrtime.h"

namespace vow::internal {

inline std::atomic<bool> g_tracing{false};

#ifdef VOW_NO_TRACING
// Built with -DVOW_NO_TRACING: every traced point compiles away; trace::start() records nothing.
// bench/trace_overhead builds this way for the baseline of "tracing off".
constexpr bool tracing() noexcept { return false; }
#else
inline bool tracing() noexcept { return g_tracing.load(std::memory_order_relaxed); }
#endif

// Appends one event (thread-safe). `name` and `cat` must be string literals.
// ph: 'X' complete (ts, dur), 's' / 'f' flow start / end (id), 'i' instant.
void traceRecord(const char* name, const char* cat, char ph, std::int64_t ts_ns,
                 std::int64_t dur_ns, std::uint64_t flow_id = 0);
// Names the calling thread's track ("loop", "pool 1", ...), once per thread.
void traceNameThread(const char* prefix);
// A fresh id for a flow arrow.
std::uint64_t traceFlowId() noexcept;
// VOW_TRACE=FILE: starts recording (once per process) and writes FILE at exit. Called when a
// Loop is made.
void traceFromEnvironment();

// A span of the calling thread: from construction to destruction.
class TraceSpan {
 public:
  TraceSpan(const char* name, const char* cat) noexcept : name_(name), cat_(cat) {
    if (tracing()) [[unlikely]]
      begin_ = monotonicNs();
  }
  TraceSpan(const TraceSpan&) = delete;
  TraceSpan& operator=(const TraceSpan&) = delete;
  ~TraceSpan() {
    if (begin_ != 0) [[unlikely]] {
      traceRecord(name_, cat_, 'X', begin_, monotonicNs() - begin_);
    }
  }

 private:
  const char* name_;
  const char* cat_;
  std::int64_t begin_ = 0;
};

}  // namespace vow::internal
