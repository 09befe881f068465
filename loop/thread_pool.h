// The thread pool (libuv's threadpool): blocking work off the loop thread.
//
// The pool is shared by every loop in the process. It starts on first use with
// VOW_THREADPOOL_SIZE threads, read then, exactly as libuv reads UV_THREADPOOL_SIZE: unset ->
// 4; otherwise atoi(value) taken as unsigned, 0 (which includes non-numbers) -> 1, above
// 1024 -> 1024 (so a negative value gives 1024, as in libuv).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/internal/handle.h"
#include "vow/loop/internal/work_queue.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"

namespace vow {

// The number of pool threads (starts the pool).
std::size_t threadPoolSize();

namespace internal {
// libuv's rule for UV_THREADPOOL_SIZE applied to `value` (null = unset).
std::size_t threadPoolSizeFrom(const char* value) noexcept;

// A job queued on a loop, for cancelling it later from that loop's thread (uv_cancel).
class WorkTicket {
 public:
  WorkTicket(LoopLink* link, WorkId id) noexcept : link_(link->addRef()), id_(id) {}
  WorkTicket(const WorkTicket& o) noexcept : link_(o.link_->addRef()), id_(o.id_) {}
  WorkTicket& operator=(const WorkTicket&) = delete;
  ~WorkTicket() { link_->release(); }
  // Drops the job if no pool thread took it (see WorkQueue::cancel); false otherwise or once
  // the loop is gone.
  bool cancel() const;

 private:
  LoopLink* link_;
  WorkId id_;
};

// Loop::current().queueWork(work, after), with a ticket to cancel the job.
WorkTicket queueWorkOnCurrentLoop(absl::AnyInvocable<void()> work,
                                  absl::AnyInvocable<void()> after);
}  // namespace internal

// The options of vow::queueWork.
struct QueueWorkOptions {
  // Node's `{ signal }` convention. Already aborted: rejected at once with an AbortError
  // (cause = the reason) and `fn` never runs. Aborted later: the promise rejects at once (from
  // inside abort()); a job no pool thread has started is taken out of the pool's queue and
  // destroyed unrun (libuv's uv_cancel) and stops keeping the loop alive; a running job
  // finishes on its thread and its result is dropped.
  AbortSignalRef signal;
};

// Phase: poll (the promise settles there, on the loop thread). Runs `fn` on a pool thread and
// returns a promise of its result; an exception from `fn` rejects it. `fn` and what it captures
// must be safe to run and destroy on another thread (capture no Promise). The job keeps the loop
// alive. Node: what fs.promises does under the hood (uv_queue_work).
//
//   vow::queueWork([] { return expensive(); }).then([](int v) { ... });
//   vow::queueWork(job, {.signal = controller.signal()});   // cancellable
template <class F>
auto queueWork(F&& fn, QueueWorkOptions options = {}) {
  using R = std::invoke_result_t<std::decay_t<F>&>;
  static_assert(!internal::IsPromise<std::remove_cvref_t<R>>::value,
                "queueWork(fn): fn runs on another thread and cannot return a Promise");
  struct Slot {
    std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> value{};
    std::exception_ptr error;
  };
  const AbortSignal& signal = options.signal.get();
  if (signal.aborted()) return Promise<R>::reject(internal::abortErrorOf(signal));
  auto slot = std::make_shared<Slot>();
  auto [promise, resolve, reject] = Promise<R>::withResolvers();
  // The abort listener, removed when the job completes (held weakly: no cycle).
  auto registration = signal ? std::make_shared<internal::AbortRegistration>() : nullptr;
  internal::WorkTicket ticket = internal::queueWorkOnCurrentLoop(
      [slot, fn = std::forward<F>(fn)]() mutable {
        VOW_TRY {
          if constexpr (std::is_void_v<R>) {
            fn();
          } else {
            slot->value.emplace(fn());
          }
        }
        VOW_CATCH_ALL { slot->error = std::current_exception(); }
      },
      [slot, resolve = std::move(resolve), reject, registration]() mutable {
        if (registration != nullptr) registration->remove();
        if (slot->error) {
          reject(Error(slot->error));
        } else if constexpr (std::is_void_v<R>) {
          resolve();
        } else {
          resolve(std::move(*slot->value));
        }
      });
  if (signal) {
    const AbortSignal::ListenerId id =
        signal.addEventListener("abort",
                                [ticket, reject = std::move(reject)](const AbortEvent& event) {
                                  ticket.cancel();
                                  reject(internal::abortErrorOf(event.target));
                                },
                                {.once = true});
    *registration = internal::AbortRegistration(signal, id);
  }
  return promise;
}

}  // namespace vow
