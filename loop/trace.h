// Tracing: what the loop ran and when, as Chrome trace-event JSON (open it in
// https://ui.perfetto.dev or chrome://tracing) or as a text timeline for teaching.
//
//   VOW_TRACE=out.json ./my_program      # traces the whole run, writes out.json at exit
//
//   vow::trace::start();
//   ... vow::run(); ...
//   auto events = vow::trace::stop();
//   std::puts(vow::trace::renderTimeline(events).c_str());
//
// Tracks: the loop thread ("loop") with a span per phase (timers, pending, poll, check, close),
// per callback run in it (setTimeout, setImmediate, I/O, pool completion, post, pending,
// close) and per checkpoint (nextTicks and microtasks after a callback); one track per pool
// thread ("pool N") with its jobs; flow arrows from where a pool job was queued to where it
// ran, and from there to its completion callback. Node's equivalent: --trace-event-categories
// node,node.async_hooks,v8 (different names: vow's are its own).
//
// Off by default; off, each instrumented point costs an atomic load and a branch (within noise
// of a build without them: bench/trace_overhead). Building with --copt=-DVOW_NO_TRACING removes
// the points altogether; start() then records nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vow::trace {

// One trace event (Chrome's trace-event format; times in ns of the monotonic clock).
struct Event {
  std::string name;
  std::string cat;
  char ph = 'X';  // 'X' complete, 's'/'f' flow start/finish, 'i' instant, 'M' thread name
  std::int64_t ts_ns = 0;
  std::int64_t dur_ns = 0;
  int tid = 0;
  std::uint64_t id = 0;  // flow id
};

// Starts recording (clearing what an earlier recording left).
void start();
// Stops recording and returns what was recorded, in recording order per thread.
std::vector<Event> stop();
bool enabled() noexcept;

// The events as Chrome trace-event JSON ({"traceEvents": [...]}, times in µs).
std::string toJson(const std::vector<Event>& events);
// A text chart: time across `width` columns, one row per track, a letter per kind of span
// (T timer, I immediate, O I/O, P pool job or completion, K checkpoint, ...), then a legend.
std::string renderTimeline(const std::vector<Event>& events, int width = 72);

}  // namespace vow::trace
