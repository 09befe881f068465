#include "vow/promise/internal/job_queue.h"

#include <cstdlib>

#include "vow/promise/internal/exceptions.h"

namespace vow::internal {

JobQueue& JobQueue::current() noexcept {
  // One queue per thread, as V8 has one per isolate: promises never cross threads.
  thread_local JobQueue queue;
  return queue;
}

JobQueue::~JobQueue() {
  // Jobs left at thread exit are released, not run: their promises can no longer be observed
  // by anything but other jobs in this same dying queue.
  while (head_ != tail_) {
    Job job = ring_[head_ & (capacity_ - 1)];
    ++head_;
    job.fn(job, false);
  }
  std::free(ring_);
}

void JobQueue::drain() {
  while (head_ != tail_) {
    // Copy the job out before running it: running may push and so reallocate the ring.
    Job job = ring_[head_ & (capacity_ - 1)];
    ++head_;
    job.fn(job, true);
  }
}

void JobQueue::grow() {
  std::size_t capacity = capacity_ == 0 ? 256 : capacity_ * 2;
  auto* ring = static_cast<Job*>(std::malloc(capacity * sizeof(Job)));
  if (ring == nullptr) VOW_THROW(std::bad_alloc());
  for (std::size_t i = head_; i != tail_; ++i) {
    ring[i - head_] = ring_[i & (capacity_ - 1)];
  }
  std::free(ring_);
  tail_ -= head_;
  head_ = 0;
  ring_ = ring;
  capacity_ = capacity;
}

}  // namespace vow::internal
