#include "vow/loop/thread_pool.h"

#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "vow/loop/internal/inbox.h"
#include "vow/loop/internal/work_queue.h"
#include "vow/loop/loop.h"

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

namespace {

// One queued job. Allocated and freed on the loop thread (the completion carries it back), so
// the allocator never frees across threads; the pool's lock guards only the `next` links.
struct Task {
  Task* next = nullptr;
  absl::AnyInvocable<void()> work;
  std::exception_ptr error;  // what `work` threw, rethrown on the loop thread
  Inbox* inbox;
  WorkQueue* queue;
  std::uint32_t slot;
};

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
      std::thread([this] { worker(); }).detach();
    }
  }

  std::size_t size() const noexcept { return size_; }

  void submit(Task* task) {
    std::lock_guard<std::mutex> lock(mu_);
    if (tail_ != nullptr) {
      tail_->next = task;
    } else {
      head_ = task;
    }
    tail_ = task;
    if (idle_ > 0) cv_.notify_one();
  }

 private:
  Task* take() {
    std::unique_lock<std::mutex> lock(mu_);
    while (head_ == nullptr) {
      ++idle_;
      cv_.wait(lock);
      --idle_;
    }
    Task* task = head_;
    head_ = task->next;
    if (head_ == nullptr) tail_ = nullptr;
    return task;
  }

  void worker() {
    for (;;) {
      Task* task = take();
      // An exception must not end the pool thread (std::terminate): it travels with the
      // completion to the loop thread, which throws it out of run().
      try {
        task->work();
      } catch (...) {
        task->error = std::current_exception();
      }
      task->work = nullptr;  // release what the job captured here, on the pool thread
      Inbox* inbox = task->inbox;
      inbox->push([owned = std::unique_ptr<Task>(task)] {
        owned->queue->complete(owned->slot, std::move(owned->error));
      });
    }
  }

  std::size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  Task* head_ = nullptr;
  Task* tail_ = nullptr;
  std::size_t idle_ = 0;
};

}  // namespace

void submitToPool(absl::AnyInvocable<void()> work, Inbox* inbox, WorkQueue* queue,
                  std::uint32_t slot) {
  ThreadPool::instance().submit(new Task{nullptr, std::move(work), nullptr, inbox, queue, slot});
}

void queueWorkOnCurrentLoop(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after) {
  Loop::current().queueWork(std::move(work), std::move(after));
}

}  // namespace internal

std::size_t threadPoolSize() { return internal::ThreadPool::instance().size(); }

}  // namespace vow
