// Deriving the three public APIs from a descriptor of operations.h: callbackApi, promiseApi
// and syncApi check the arguments the same way, run the descriptor (through the backend's
// submit(), or in place) and report its Failure or Result.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vow/fs/internal/dispatch.h"
#include "vow/fs/internal/failure.h"
#include "vow/loop/abort_controller.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/promise.h"
#include "vow/promise/promisify.h"

namespace vow::fs::internal {

// What a descriptor's run() returns: void, or the operation's value (its `Result`).
template <class D>
using ResultOf = decltype(std::declval<const D&>().run(std::declval<Failure&>()));

struct NoResult {};

// A descriptor with its outcome: the shape submit() and runSync() run.
template <class D>
struct Job {
  using Result = ResultOf<D>;
  D op;
  Failure failure;
  [[no_unique_address]] std::conditional_t<std::is_void_v<Result>, NoResult, Result> value{};

  void run() noexcept {
    if constexpr (std::is_void_v<Result>) {
      op.run(failure);
    } else {
      value = op.run(failure);
    }
  }
  Result take() requires(!std::is_void_v<Result>) { return std::move(value); }
};

// Paths arrive as string_view and are owned by the descriptor; a std::string rvalue (data) is
// moved in; other arguments pass as they are.
inline std::string own(std::string_view s) { return std::string(s); }
inline std::string own(std::string&& s) { return std::move(s); }
template <class T>
requires(!std::is_convertible_v<T, std::string_view>) T own(T value) { return value; }

template <class D, class... A>
Job<D> makeJob(A&&... args) {
  Job<D> job{D{own(std::forward<A>(args))...}};
  job.op.check();
  return job;
}

// A descriptor whose options take Node's `signal` (readFile, writeFile, appendFile).
template <class D>
concept Abortable = requires(D& d) {
  d.options.signal;
  d.abort;
};

// The `{ signal }` of an Abortable operation (not aborted yet), on the loop thread: a listener
// raises the job's flag, which the pool thread reads between steps, and the completion fails
// with the AbortError if the signal aborted meanwhile (Node's readFile checks its signal after
// every step it awaits).
template <class D, class F>
void submitWithSignal(Job<D>&& job, AbortSignal signal, F&& cb) {
  using R = ResultOf<D>;
  auto flag = std::make_shared<std::atomic<bool>>(signal.aborted());
  job.op.abort = flag;
  const AbortSignal::ListenerId id = signal.addEventListener(
      "abort", [flag] { flag->store(true, std::memory_order_relaxed); }, {.once = true});
  auto finish = [signal, id](Error& err) {
    signal.removeEventListener("abort", id);
    if (signal.aborted()) err = ::vow::internal::abortErrorOf(signal);
  };
  if constexpr (std::is_void_v<R>) {
    submit(std::move(job), [cb = std::forward<F>(cb), finish](Error err) mutable {
      finish(err);
      cb(std::move(err));
    });
  } else {
    submit(std::move(job), [cb = std::forward<F>(cb), finish](Error err, R value) mutable {
      finish(err);
      if (err) {
        failWith<R>(cb, std::move(err));
      } else {
        cb(std::move(err), std::move(value));
      }
    });
  }
}

// fs.name(args..., cb): checks (throwing), then one backend job; cb(err) or cb(err, result) on
// the loop thread.
template <class D, class F, class... A>
void callbackApi(F&& cb, A&&... args) {
  if constexpr (Abortable<D>) {
    Job<D> job{D{own(std::forward<A>(args))...}};
    // The options refer to the signal: copied now, while the caller's signal is alive.
    // Node's getOptions checks the encoding before anything else (the signal too).
    if constexpr (requires { job.op.checkOptions(); }) job.op.checkOptions();
    AbortSignal signal = job.op.options.signal.get();
    job.op.options.signal = AbortSignalRef();
    // Node checks the signal before the arguments, and calls back before returning (except
    // where it checks it in the job: readFile(fd)).
    constexpr bool kInTheJob = requires { D::kSignalCheckedInTheJob; };
    if (signal.aborted() && !kInTheJob) {
      failWith<ResultOf<D>>(cb, ::vow::internal::abortErrorOf(signal));
      return;
    }
    job.op.check();
    if (signal) {
      submitWithSignal(std::move(job), std::move(signal), std::forward<F>(cb));
    } else {
      submit(std::move(job), std::forward<F>(cb));
    }
  } else {
    submit(makeJob<D>(std::forward<A>(args)...), std::forward<F>(cb));
  }
}

// fs.promises.name(args...): the callback form promisified; invalid arguments reject.
template <class D, class... A>
Promise<ResultOf<D>> promiseApi(A... args) {
  return ::vow::promisify<ResultOf<D>>(
      [&](auto cb) { callbackApi<D>(std::move(cb), std::move(args)...); })();
}

// fs.nameSync(args...): checks and runs on the calling thread, throws the failure.
template <class D, class... A>
ResultOf<D> syncApi(A&&... args) {
  return runSync(makeJob<D>(std::forward<A>(args)...));
}

// What a vow::fs::nothrow function returns: absl::Status for an operation without a result,
// absl::StatusOr<R> otherwise.
template <class R>
using StatusOf = std::conditional_t<std::is_void_v<R>, absl::Status, absl::StatusOr<R>>;

// vow::fs::nothrow::nameSync(args...): runs as syncApi does and returns the failure as a status
// (Node's code in vow::errorCode). Invalid arguments: with exceptions the TypeError/RangeError
// is caught and returned too; without, they end the process (see VOW_THROW).
template <class D, class... A>
StatusOf<ResultOf<D>> syncStatusApi(A&&... args) {
  std::optional<Job<D>> job;
  VOW_TRY { job.emplace(makeJob<D>(std::forward<A>(args)...)); }
  VOW_CATCH_ALL { return Error::current().status(); }
  job->run();
  if (job->failure) return job->failure.toError().status();
  if constexpr (std::is_void_v<ResultOf<D>>) {
    return absl::OkStatus();
  } else {
    return job->take();
  }
}

}  // namespace vow::fs::internal

// Expands a parenthesised parameter or argument list (for operations.inc).
#define VOW_FS_UNPAREN(...) __VA_ARGS__
