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
#include "vow/promise/promise.h"

namespace vow {

// The number of pool threads (starts the pool).
std::size_t threadPoolSize();

namespace internal {
// libuv's rule for UV_THREADPOOL_SIZE applied to `value` (null = unset).
std::size_t threadPoolSizeFrom(const char* value) noexcept;
// Loop::current().queueWork(work, after).
void queueWorkOnCurrentLoop(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after);
}  // namespace internal

// Phase: poll (the promise settles there, on the loop thread). Runs `fn` on a pool thread and
// returns a promise of its result; an exception from `fn` rejects it. `fn` and what it captures
// must be safe to run and destroy on another thread (capture no Promise). The job keeps the loop
// alive. Node: what fs.promises does under the hood (uv_queue_work).
//
//   vow::queueWork([] { return expensive(); }).then([](int v) { ... });
template <class F>
auto queueWork(F&& fn) {
  using R = std::invoke_result_t<std::decay_t<F>&>;
  static_assert(!internal::IsPromise<std::remove_cvref_t<R>>::value,
                "queueWork(fn): fn runs on another thread and cannot return a Promise");
  struct Slot {
    std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> value{};
    std::exception_ptr error;
  };
  auto slot = std::make_shared<Slot>();
  auto [promise, resolve, reject] = Promise<R>::withResolvers();
  internal::queueWorkOnCurrentLoop(
      [slot, fn = std::forward<F>(fn)]() mutable {
        try {
          if constexpr (std::is_void_v<R>) {
            fn();
          } else {
            slot->value.emplace(fn());
          }
        } catch (...) {
          slot->error = std::current_exception();
        }
      },
      [slot, resolve = std::move(resolve), reject = std::move(reject)]() mutable {
        if (slot->error) {
          reject(Error(slot->error));
        } else if constexpr (std::is_void_v<R>) {
          resolve();
        } else {
          resolve(std::move(*slot->value));
        }
      });
  return promise;
}

}  // namespace vow
