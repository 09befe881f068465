// vow::ThreadSafeResolvers: a promise of this loop that any thread may settle.
//
//   auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();  // on the loop thread
//   foreignPool.submit([resolver] { resolver.resolve(compute()); });   // on any thread
//   promise.then([](int v) { ... });                                   // on the loop thread
//
// For results that come back on threads vow does not own (another library's thread pool, a
// driver's callback thread). The promise belongs to the loop thread, as every promise does; the
// resolver posts the settlement to that loop (Loop::post), so the promise settles in its poll
// phase, with a checkpoint after it. Until the promise is settled the resolver keeps the loop
// alive (a KeepAlive token). Node: no direct equivalent (a worker's message settling a promise;
// libuv: uv_async_send).
#pragma once

#include <atomic>
#include <memory>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace vow {

// The code of the error a promise is rejected with when every copy of its resolver was
// destroyed without settling it (a vow::Exception, message "ThreadSafeResolver destroyed
// without settling its promise").
inline constexpr const char* kResolverDroppedCode = "ERR_VOW_RESOLVER_DROPPED";

namespace internal {

// What the copies of one resolver share (any thread). The promise's resolving functions live
// in `fns_` and are touched, run and destroyed only on the loop thread: the settling post owns
// them. The first settle wins (an atomic exchange); its thread posts and then drops the token.
template <class T>
class ThreadSafeSettlement {
 public:
  ThreadSafeSettlement(KeepAlive token, ResolveFn<T> resolve, RejectFn reject)
      : token_(std::move(token)), fns_(new Fns{std::move(resolve), std::move(reject)}) {}
  ThreadSafeSettlement(const ThreadSafeSettlement&) = delete;
  ThreadSafeSettlement& operator=(const ThreadSafeSettlement&) = delete;
  // The last copy of the resolver is gone: reject, unless settled.
  ~ThreadSafeSettlement() {
    settle([](Fns& fns) {
      fns.reject(Exception("ThreadSafeResolver destroyed without settling its promise",
                           kResolverDroppedCode));
    });
  }

  struct Fns {
    ResolveFn<T> resolve;
    RejectFn reject;
  };

  // Posts `apply(fns)` to the loop unless some thread settled first; returns whether it did.
  // If the loop is destroyed before the post runs, the functions are leaked rather than
  // destroyed on a thread their promise does not belong to.
  template <class Apply>
  bool settle(Apply&& apply) {
    if (settled_.exchange(true, std::memory_order_acq_rel)) return false;
    Fns* fns = std::exchange(fns_, nullptr);
    LoopAccess::post(token_, [fns, apply = std::forward<Apply>(apply)]() mutable {
      std::unique_ptr<Fns> owned(fns);
      apply(*owned);
    });
    KeepAlive released = std::move(token_);  // the pending post keeps the loop alive now
    return true;
  }

 private:
  std::atomic<bool> settled_{false};
  KeepAlive token_;
  Fns* fns_;
};

}  // namespace internal

// The settling side: copyable, and callable and destructible on any thread. Thread: any (the
// promise settles on its loop's thread, in the poll phase). Only the first resolve or reject of
// all copies counts; it returns true, the others false. When the last copy is destroyed with the
// promise unsettled, the promise is rejected with a vow::Exception whose code() is
// kResolverDroppedCode. libuv: uv_async_send with the result.
template <class T>
class ThreadSafeResolver {
 public:
  // The value crosses threads: it must not be (or hold) a Promise, and is destroyed on the loop
  // thread.
  bool resolve(internal::Stored<T> value) const requires(!std::is_void_v<T>) {
    return shared_->settle(
        [value = std::move(value)](auto& fns) mutable { fns.resolve(std::move(value)); });
  }
  bool resolve() const requires std::is_void_v<T> {
    return shared_->settle([](auto& fns) { fns.resolve(); });
  }
  // Any exception object, std::exception_ptr or non-OK absl::Status (a vow::Error).
  bool reject(Error reason) const {
    return shared_->settle(
        [reason = std::move(reason)](auto& fns) mutable { fns.reject(std::move(reason)); });
  }

 private:
  template <class>
  friend struct ThreadSafeResolvers;
  explicit ThreadSafeResolver(std::shared_ptr<internal::ThreadSafeSettlement<T>> s)
      : shared_(std::move(s)) {}
  std::shared_ptr<internal::ThreadSafeSettlement<T>> shared_;
};

// What make() returns: `auto [promise, resolver] = vow::ThreadSafeResolvers<T>::make();`.
// JS's Promise.withResolvers(), with one resolver for both outcomes that any thread may call.
template <class T>
struct ThreadSafeResolvers {
  static_assert(!internal::IsPromise<std::remove_cvref_t<T>>::value,
                "ThreadSafeResolvers<T>: T crosses threads and cannot be a Promise");

  Promise<T> promise;
  ThreadSafeResolver<T> resolver;

  // Call on the loop's thread (the promise belongs to it); the loop stays alive until the
  // promise is settled.
  [[nodiscard]] static ThreadSafeResolvers make(Loop& loop = Loop::current()) {
    auto [promise, resolve, reject] = Promise<T>::withResolvers();
    auto shared = std::make_shared<internal::ThreadSafeSettlement<T>>(
        loop.keepAlive(), std::move(resolve), std::move(reject));
    return ThreadSafeResolvers{std::move(promise), ThreadSafeResolver<T>(std::move(shared))};
  }
};

}  // namespace vow
