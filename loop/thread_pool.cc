#include "vow/loop/thread_pool.h"

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

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

struct Task {
  absl::AnyInvocable<void()> work;
  Inbox* inbox;
  ::vow::Loop* loop;
  std::uint32_t slot;
};

// One pool for the process, started on first use and never torn down (its threads may be
// blocked in user work when the process exits). As libuv's: one mutex-guarded FIFO, a worker
// is signalled only when one is idle.
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

  void submit(Task task) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
    if (idle_ > 0) cv_.notify_one();
  }

 private:
  void worker() {
    for (;;) {
      Task task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        while (queue_.empty()) {
          ++idle_;
          cv_.wait(lock);
          --idle_;
        }
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task.work();
      task.work = nullptr;  // release what the job captured here, on the pool thread
      ::vow::Loop* loop = task.loop;
      std::uint32_t slot = task.slot;
      task.inbox->push([loop, slot] { loop->completeWork(slot); });
    }
  }

  std::size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::size_t idle_ = 0;
};

}  // namespace

void submitToPool(absl::AnyInvocable<void()> work, Inbox* inbox, ::vow::Loop* loop,
                  std::uint32_t slot) {
  ThreadPool::instance().submit(Task{std::move(work), inbox, loop, slot});
}

}  // namespace internal

std::size_t threadPoolSize() { return internal::ThreadPool::instance().size(); }

}  // namespace vow
