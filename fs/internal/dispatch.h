// The backend: runs an operation (a Job of derive.h: op, failure, result) and delivers its
// outcome to an error-first callback on the loop thread (poll phase). Two backends behind one
// submit(): the loop's io_uring (uring_ops.h says which operations it runs, as ring steps), else
// one thread-pool job. One allocation per operation either way: the job, which holds the
// operation and the callback together.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "vow/fs/internal/failure.h"
#include "vow/fs/internal/uring_ops.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/internal/context.h"

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

// The thread-pool backend: the operation runs on a pool thread, the callback in the poll phase.
template <class Op, class F>
void submitToPool(Loop& loop, Op&& op, F&& cb) {
  struct Job {
    std::decay_t<Op> op;
    std::decay_t<F> cb;
  };
  Job* job = new Job{std::forward<Op>(op), std::forward<F>(cb)};
  loop.queueWork([job] { job->op.run(); },
                 [job] {
                   std::unique_ptr<Job> owned(job);
                   deliver(owned->op, owned->cb);
                 });
}

// The io_uring backend: the operation's steps go through the loop's ring; the callback runs in
// the poll phase when the last step completes.
template <class J, class F>
class RingJob final : public UringRequest {
 public:
  using D = decltype(std::declval<J&>().op);
  // The callback runs in the async context of the call (AsyncLocalStorage), as a pool
  // completion's does (work_queue.cc binds those).
  RingJob(J&& job, F&& cb, Uring& ring)
      : job_(std::move(job)),
        cb_(std::move(cb)),
        ring_(ring),
        context_(::vow::internal::ContextRef::current()) {}

  unsigned sqeCount(const Uring& ring) const noexcept override {
    if constexpr (requires { steps_.sqeCount(ring); }) {
      return steps_.sqeCount(ring);
    } else {
      return 1;
    }
  }
  void prepare(io_uring_sqe* const* sqes) noexcept override {
    started_ = true;
    owed_ = sqeCount(ring_);
    if constexpr (requires { steps_.prepare(job_, sqes, ring_); }) {
      steps_.prepare(job_, sqes, ring_);
    } else {
      steps_.prepare(job_, sqes[0]);
    }
  }
  void complete(int res, unsigned index) override {
    --owed_;
    bool more;
    if constexpr (requires { steps_.collect(res, index); }) {
      // A linked chain: its step ends with its last CQE.
      steps_.collect(res, index);
      if (owed_ > 0) return;
      more = steps_.advance(job_, ring_);
    } else {
      more = steps_.advance(job_, res);
    }
    if (more) {
      ring_.resume(this);
      return;
    }
    std::unique_ptr<RingJob> owned(this);
    ::vow::internal::ContextScope scope(context_.get());
    deliver(job_, cb_);
  }
  bool moveToPool() override {
    if (started_) return false;
    std::unique_ptr<RingJob> owned(this);
    ::vow::internal::ContextScope scope(context_.get());  // the pool binds it in turn
    submitToPool(Loop::current(), std::move(job_), std::move(cb_));
    return true;
  }
  void abandon(int res, unsigned index) noexcept override {
    if (res == kNotSubmitted || !started_) {
      steps_.release(kNotSubmitted);
      delete this;
      return;
    }
    if constexpr (requires { steps_.release(res, index); }) {
      steps_.release(res, index);
    } else {
      steps_.release(res);
    }
    if (--owed_ == 0) delete this;
  }

 private:
  J job_;
  F cb_;
  Uring& ring_;
  RingSteps<D> steps_;
  ::vow::internal::ContextRef context_;
  unsigned owed_ = 0;  // CQEs of the step in flight not reaped yet
  bool started_ = false;
};

template <class Op, class F>
void submit(Op&& op, F&& cb) {
  Loop& loop = Loop::current();
  using J = std::decay_t<Op>;
  using D = decltype(std::declval<J&>().op);
  if constexpr (RingSteps<D>::kRing) {
    if (Uring* ring = ::vow::internal::LoopAccess::uring(loop).get();
        ring != nullptr && RingSteps<D>::usable(op.op, *ring)) {
      ring->enqueue(
          new RingJob<J, std::decay_t<F>>(std::forward<Op>(op), std::forward<F>(cb), *ring));
      return;
    }
  }
  submitToPool(loop, std::forward<Op>(op), std::forward<F>(cb));
}

// The sync API: run inline, throw the SystemError.
template <class Op>
auto runSync(Op&& op) {
  op.run();
  if (op.failure) op.failure.raise();
  if constexpr (HasValue<std::decay_t<Op>>) return op.take();
}

}  // namespace vow::fs::internal
