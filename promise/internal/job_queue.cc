#include "vow/promise/internal/job_queue.h"

#include <cstdlib>

#include "vow/promise/internal/context.h"
#include "vow/promise/internal/exceptions.h"
#include "vow/promise/internal/pool.h"

namespace vow::internal {

constinit thread_local ContextFrame* t_context = nullptr;
constinit thread_local bool t_context_aware = false;

void enableContext() noexcept {
  if (t_context_aware) return;
  t_context_aware = true;
  JobQueue::current().setContextAware();
}

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
  bigFree(ring_, capacity_ * sizeof(Job));
}

void JobQueue::drain() {
  // The flag is read next to head_ and tail_, which the loop reloads after every job anyway: an
  // AsyncLocalStorage first used inside a job switches the rest of this drain over.
  while (head_ != tail_ && !context_aware_) {
    // Copy the job out before running it: running may push and so reallocate the ring.
    Job job = ring_[head_ & (capacity_ - 1)];
    ++head_;
    job.fn(job, true);
  }
  if (context_aware_ && head_ != tail_) [[unlikely]]
    drainWithContext();
}

void JobQueue::drainWithContext() {
  // Every job starts in the empty context: a job queued while a frame was current restores
  // that frame itself (ContextReaction, queueMicrotask's wrapper), and an enterWith() in a job
  // that captured nothing must not leak into the next job (in Node each job is its own async
  // resource). Whatever was current before the checkpoint is current again after it.
  ContextScope outer(nullptr);
  while (head_ != tail_) {
    Job job = ring_[head_ & (capacity_ - 1)];
    ++head_;
    setContext(nullptr);
    job.fn(job, true);
  }
}

void JobQueue::grow() {
  std::size_t capacity = capacity_ == 0 ? 256 : capacity_ * 2;
  // A ring of a million jobs is 24 MiB: bigAllocate backs it with huge pages, so filling it is
  // not one page fault per 170 jobs.
  auto* ring = static_cast<Job*>(bigAllocate(capacity * sizeof(Job)));
  for (std::size_t i = head_; i != tail_; ++i) {
    ring[i - head_] = ring_[i & (capacity_ - 1)];
  }
  bigFree(ring_, capacity_ * sizeof(Job));
  tail_ -= head_;
  head_ = 0;
  ring_ = ring;
  capacity_ = capacity;
}

}  // namespace vow::internal
