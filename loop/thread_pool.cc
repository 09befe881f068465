#include "vow/loop/thread_pool.h"

#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "vow/loop/internal/hrtime.h"
#include "vow/loop/internal/inbox.h"
#include "vow/loop/internal/trace.h"
#include "vow/loop/internal/work_queue.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/exceptions.h"

namespace vow {

namespace internal {

std::size_t threadPoolSizeFrom(const char* value) noexcept {
  // libuv's init_threads(): nthreads is unsigned; atoi; 0 -> 1; > 1024 -> 1024.
  constexpr unsigned kDefault = 4;
  constexpr unsigned kMax = 1024;
  unsigned n = kDefault;
  if (value != nullptr) n = static_cast<unsigned>(std::atoi(value));
  if (n == 0) n = 1;
  if (n > kMax) n = kMax;
  return n;
}

// One queued job. Allocated and freed on the loop thread (the completion carries it back, or
// cancelPoolTask frees it), so the allocator never frees across threads; the pool's lock
// guards the links and `queued`.
struct PoolTask {
  PoolTask* next = nullptr;
  PoolTask* prev = nullptr;
  absl::AnyInvocable<void()> work;
  std::exception_ptr error;  // what `work` threw, rethrown on the loop thread
  Inbox* inbox;
  WorkQueue* queue;
  std::uint32_t slot;
  bool queued = true;      // in the pool's FIFO: no thread has taken it (uv_cancel can)
  std::uint64_t flow = 0;  // tracing: the arrow from where it was queued (0: not traced)
};

namespace {

// One pool for the process, started on first use and never torn down (its threads may be
// blocked in user work when the process exits). As libuv's: one mutex-guarded FIFO, a worker
// is signalled only when one is idle. The signal is sent with the lock held: measured here
// (2 cores, 100,000 jobs), signalling after unlocking made the pool 1.5x slower, the woken
// worker racing the submitter for the lock.
class ThreadPool {
 public:
  static ThreadPool& instance() {
    static ThreadPool* pool =
        new ThreadPool(threadPoolSizeFrom(std::getenv("VOW_THREADPOOL_SIZE")));
    return *pool;
  }

  explicit ThreadPool(std::size_t size) : size_(size) {
    for (std::size_t i = 0; i < size; ++i) {
      std::thread([this] {
        internal::traceNameThread("pool");
        worker();
      }).detach();
    }
  }

  std::size_t size() const noexcept { return size_; }

  void submit(PoolTask* task) {
    std::lock_guard<std::mutex> lock(mu_);
    task->prev = tail_;
    if (tail_ != nullptr) {
      tail_->next = task;
    } else {
      head_ = task;
    }
    tail_ = task;
    if (idle_ > 0) cv_.notify_one();
  }

  // uv_cancel: unlinks a job no thread has taken.
  bool cancel(PoolTask* task) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!task->queued) return false;
    unlink(task);
    return true;
  }

 private:
  void unlink(PoolTask* task) {
    (task->prev != nullptr ? task->prev->next : head_) = task->next;
    (task->next != nullptr ? task->next->prev : tail_) = task->prev;
    task->next = task->prev = nullptr;
    task->queued = false;
  }

  PoolTask* take() {
    std::unique_lock<std::mutex> lock(mu_);
    while (head_ == nullptr) {
      ++idle_;
      cv_.wait(lock);
      --idle_;
    }
    PoolTask* task = head_;
    unlink(task);
    return task;
  }

  void worker() {
    for (;;) {
      PoolTask* task = take();
      // An exception must not end the pool thread (std::terminate): it travels with the
      // completion to the loop thread, which throws it out of run().
      std::uint64_t done_flow = 0;
      {
        internal::TraceSpan span("pool job", "pool");
        if (task->flow != 0 && internal::tracing()) [[unlikely]] {
          internal::traceRecord("queueWork", "flow", 'f', internal::monotonicNs(), 0, task->flow);
        }
        VOW_TRY { task->work(); }
        VOW_CATCH_ALL { task->error = std::current_exception(); }
        task->work = nullptr;  // release what the job captured here, on the pool thread
        if (internal::tracing()) [[unlikely]] {
          done_flow = internal::traceFlowId();
          internal::traceRecord("completion", "flow", 's', internal::monotonicNs(), 0, done_flow);
        }
      }
      task->flow = done_flow;
      Inbox* inbox = task->inbox;
      inbox->push([owned = std::unique_ptr<PoolTask>(task)] {
        internal::TraceSpan span("pool completion", "callback");
        if (owned->flow != 0 && internal::tracing()) [[unlikely]] {
          internal::traceRecord("completion", "flow", 'f', internal::monotonicNs(), 0, owned->flow);
        }
        owned->queue->complete(owned->slot, std::move(owned->error));
      });
    }
  }

  std::size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  PoolTask* head_ = nullptr;
  PoolTask* tail_ = nullptr;
  std::size_t idle_ = 0;
};

}  // namespace

PoolTask* submitToPool(absl::AnyInvocable<void()> work, Inbox* inbox, WorkQueue* queue,
                       std::uint32_t slot) {
  auto* task = new PoolTask{nullptr, nullptr, std::move(work), nullptr, inbox, queue, slot};
  if (internal::tracing()) [[unlikely]] {
    task->flow = internal::traceFlowId();
    internal::traceRecord("queueWork", "flow", 's', internal::monotonicNs(), 0, task->flow);
  }
  ThreadPool::instance().submit(task);
  return task;
}

bool cancelPoolTask(PoolTask* task) {
  if (!ThreadPool::instance().cancel(task)) return false;
  delete task;  // its work is destroyed here, on the loop thread, unrun
  return true;
}

WorkTicket queueWorkOnCurrentLoop(absl::AnyInvocable<void()> work,
                                  absl::AnyInvocable<void()> after) {
  Loop& loop = Loop::current();
  WorkId id = LoopAccess::work(loop).queue(std::move(work), std::move(after));
  return WorkTicket(LoopAccess::link(loop), id);
}

bool WorkTicket::cancel() const {
  return link_->loop != nullptr && LoopAccess::work(*link_->loop).cancel(id_);
}

}  // namespace internal

std::size_t threadPoolSize() { return internal::ThreadPool::instance().size(); }

}  // namespace vow
