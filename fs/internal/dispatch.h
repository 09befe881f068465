// The backend: runs an operation (a Job of derive.h: op, failure, result) as one thread-pool
// job and delivers its outcome to an error-first callback on the loop thread (poll phase). One
// allocation per operation: the job, which holds the operation and the callback together. An
// io_uring backend replaces submit(); nothing else needs to know.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "vow/fs/internal/failure.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"

namespace vow::fs::internal {

template <class Op>
concept HasValue = requires(Op& op) {
  op.take();
};

// Calls back with an error: cb(err), or cb(err, V{}) when the callback takes a value V (Node
// passes undefined).
template <class V, class F>
void failWith(F& cb, Error err) {
  if constexpr (std::is_void_v<V> || std::is_invocable_v<F&, Error>) {
    cb(std::move(err));
  } else {
    cb(std::move(err), V{});
  }
}

// Calls cb(err) / cb(err, value) as the operation ended.
template <class Op, class F>
void deliver(Op& op, F& cb) {
  if (op.failure) {
    if constexpr (HasValue<Op>) {
      failWith<decltype(op.take())>(cb, op.failure.toError());
    } else {
      failWith<void>(cb, op.failure.toError());
    }
  } else if constexpr (HasValue<Op>) {
    cb(Error(), op.take());
  } else {
    cb(Error());
  }
}

template <class Op, class F>
void submit(Op&& op, F&& cb) {
  struct Job {
    std::decay_t<Op> op;
    std::decay_t<F> cb;
  };
  Job* job = new Job{std::forward<Op>(op), std::forward<F>(cb)};
  Loop::current().queueWork([job] { job->op.run(); },
                            [job] {
                              std::unique_ptr<Job> owned(job);
                              deliver(owned->op, owned->cb);
                            });
}

// The sync API: run inline, throw the SystemError.
template <class Op>
auto runSync(Op&& op) {
  op.run();
  if (op.failure) op.failure.raise();
  if constexpr (HasValue<std::decay_t<Op>>) return op.take();
}

}  // namespace vow::fs::internal
