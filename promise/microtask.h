// The microtask (job) queue: JavaScript's `queueMicrotask` and the checkpoint that drains it.
//
// vow's promise layer is the engine (V8's role): promise reactions and `co_await` resumptions
// are queued here as jobs. The host decides when the queue drains: vow::Loop drains it after
// every macrotask callback (behind nextTick callbacks, as Node does); code without a loop calls
// vow::runMicrotasks() itself.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "vow/promise/internal/context.h"
#include "vow/promise/internal/job_queue.h"

namespace vow {

// Queues `f` to run as a microtask on this thread, after the jobs already queued.
// JS: queueMicrotask(f). An exception escaping `f` propagates out of the runMicrotasks() call
// that runs it (out of vow::run() under a loop, as an uncaught exception ends a Node process).
//
//   vow::queueMicrotask([] { std::puts("later, but before any timer"); });
// The job runs in the async context current now (vow/loop/async_local_storage.h), as Node's
// queueMicrotask runs its callback in the AsyncResource it makes.
template <class F>
void queueMicrotask(F&& f) {
  if (internal::currentContext() != nullptr) [[unlikely]] {
    internal::JobQueue::current().pushCallable(
        [ctx = internal::ContextRef::current(), f = std::decay_t<F>(std::forward<F>(f))]() mutable {
          internal::ContextScope scope(ctx.get());
          f();
        });
    return;
  }
  internal::JobQueue::current().pushCallable(std::forward<F>(f));
}

// Runs this thread's microtasks until the queue is empty, including the ones queued while it
// runs (a microtask checkpoint). The loop calls it for you; tests without a loop call it.
inline void runMicrotasks() { internal::JobQueue::current().drain(); }

// How many microtasks are queued on this thread.
inline std::size_t pendingMicrotasks() { return internal::JobQueue::current().size(); }

}  // namespace vow
