// The microtask (job) queue: a growable ring of small fixed-size jobs, one per thread.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace vow::internal {

// A job: a function pointer and 16 bytes of inline payload. `fn(job, true)` runs the job and
// releases its payload; `fn(job, false)` only releases it (queue torn down with jobs left).
// Payloads must be trivially relocatable: the ring moves jobs with memcpy when it grows.
struct Job {
  void (*fn)(Job& job, bool run);
  alignas(void*) unsigned char payload[2 * sizeof(void*)];

  template <class P>
  P& as() noexcept {
    return *std::launder(reinterpret_cast<P*>(payload));
  }
};

class JobQueue {
 public:
  JobQueue() = default;
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;
  ~JobQueue();

  // This thread's queue.
  static JobQueue& current() noexcept;

  void push(void (*fn)(Job&, bool), const void* payload, std::size_t size) {
    if (tail_ - head_ == capacity_) grow();
    Job& job = ring_[tail_ & (capacity_ - 1)];
    job.fn = fn;
    std::memcpy(job.payload, payload, size);
    ++tail_;
  }

  // Queues any callable as a job; small trivially copyable callables (a lambda capturing up to
  // two pointers) are stored inline, others on the heap.
  template <class F>
  void pushCallable(F&& f);

  bool empty() const noexcept { return head_ == tail_; }
  std::size_t size() const noexcept { return tail_ - head_; }

  // Runs jobs until the queue is empty, including jobs queued meanwhile. If a job throws, the
  // exception propagates and the jobs not yet run stay queued.
  void drain();

  // From now on each job runs in the continuation context captured for it (the empty one
  // unless a job restores its own): see promise/internal/context.h.
  void setContextAware() noexcept { context_aware_ = true; }

 private:
  void grow();
  void drainWithContext();

  Job* ring_ = nullptr;
  std::size_t capacity_ = 0;  // a power of two
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
  bool context_aware_ = false;  // a copy of t_context_aware, next to the indices drain() reads
};

// ---------------------------------------------------------------------------------------------
// Implementation details.

template <class F>
void JobQueue::pushCallable(F&& f) {
  using Fn = std::decay_t<F>;
  if constexpr (sizeof(Fn) <= sizeof(Job::payload) && alignof(Fn) <= alignof(void*) &&
                std::is_trivially_copyable_v<Fn>) {
    Fn copy(std::forward<F>(f));
    push(
        [](Job& job, bool run) {
          if (run) job.as<Fn>()();
        },
        &copy, sizeof(Fn));
  } else {
    Fn* heap = new Fn(std::forward<F>(f));
    push(
        [](Job& job, bool run) {
          std::unique_ptr<Fn> owned(job.as<Fn*>());
          if (run) (*owned)();
        },
        &heap, sizeof(heap));
  }
}

}  // namespace vow::internal
