// Async stack traces, the internal half (vow/promise/async_stack.h is the public one): the
// switch the hot paths read, the raw frames a capture records, and the hooks the promise states
// call. Users never include this.
#pragma once

#include <atomic>
#include <cstdint>
#include <source_location>

namespace vow {
class Error;
}  // namespace vow

namespace vow::internal {

class StateBase;

// The switch. Off by default; VOW_ASYNC_STACK_TRACES=1 turns it on at startup. The hot paths
// test it once (a relaxed load, a plain load on x86-64, and a branch predicted not taken) and do
// nothing else while it is off.
extern std::atomic<bool> g_async_stack_traces;
inline bool asyncStackTracesOn() noexcept {
  return g_async_stack_traces.load(std::memory_order_relaxed);
}

// One frame as recorded: pointers to static data only, so recording costs no allocation per
// frame beyond the vector that holds them. Turned into text only when someone asks.
struct RawAsyncFrame {
  enum Kind : std::uint8_t {
    kCoroutine,   // a vow::Promise coroutine (`function` names it)
    kGenerator,   // a vow::AsyncGenerator body
    kThen,        // a then() derived promise (`site` is the then call)
    kCatch,       // a catch_() derived promise
    kFinally,     // a finally() derived promise
    kAll,         // vow::all's input `index`
    kAny,         // vow::any's input `index`
    kAllSettled,  // vow::allSettled's input `index`
  };
  Kind kind = kCoroutine;
  bool async = false;     // printed "at async ...": a waiter, not the code that failed
  bool has_site = false;  // `site` is known (a co_await or then call)
  std::uint32_t index = 0;
  std::source_location function;  // a coroutine's creation (gives its name); else unused
  std::source_location site;      // a co_await or then/catch_/finally call
};

// Called by StateBase::rejectNow while the switch is on, before the reactions are scheduled:
// records the chain of `rejected` (the code that failed, if it is running, then whoever waits
// on it, transitively) for the exception `error` carries, unless that exception has one
// already (like a JS error's stack, the first capture is kept).
void captureAsyncStack(StateBase* rejected, const Error& error);

// The code running now, innermost last: coroutine bodies and then handlers push themselves on
// entry and pop on suspension or exit while the switch is on. `made`: a coroutine's creation,
// which names it until its first co_await.
void pushRunning(StateBase* s, std::source_location made = {});
void popRunning(StateBase* s) noexcept;

// The then/catch_/finally call sites, kept beside the states (a then's state does not grow for
// them) while the switch is on. g_then_sites_kept: some were kept, so a then's destructor must
// forget its own.
extern std::atomic<bool> g_then_sites_kept;
inline bool thenSitesKept() noexcept { return g_then_sites_kept.load(std::memory_order_relaxed); }
void keepThenSite(const StateBase* then, std::source_location site, RawAsyncFrame::Kind kind);
void forgetThenSite(const StateBase* then) noexcept;
// Fills f.kind, f.site and f.has_site if a site was kept for `then`.
bool findThenSite(const StateBase* then, RawAsyncFrame& f) noexcept;

}  // namespace vow::internal
