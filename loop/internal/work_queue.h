// The loop's side of the thread pool: the `after` callbacks of jobs that are out. Users never
// include this; they use vow::queueWork or Loop::queueWork.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <vector>

#include "absl/functional/any_invocable.h"

namespace vow::internal {

class Inbox;
struct PoolTask;

// A job queued with WorkQueue::queue, for cancel(): its slot and the serial it had then.
struct WorkId {
  std::uint32_t slot = 0;
  std::uint64_t serial = 0;
};

class WorkQueue {
 public:
  explicit WorkQueue(Inbox& inbox) noexcept : inbox_(inbox) {}
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // uv_queue_work: `work` goes to the pool; `after` waits here, on the loop thread, in a slot
  // (only the slot number travels through the pool).
  WorkId queue(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after);
  // uv_cancel: a job no pool thread has taken yet leaves the pool's queue; its `work` and
  // `after` are destroyed here, now, without running, and it no longer keeps the loop alive.
  // False when the job is running or done (or the id is stale): it then completes as usual.
  bool cancel(WorkId id);
  // The completion of the job in `slot`, on the loop thread (poll phase): runs its `after`, or
  // rethrows what `work` threw (its `after` is then destroyed, not called).
  void complete(std::uint32_t slot, std::exception_ptr error);

  // Jobs submitted and not completed: each keeps the loop alive (libuv's active reqs).
  std::size_t pending() const noexcept { return pending_; }

 private:
  Inbox& inbox_;
  struct Slot {
    absl::AnyInvocable<void()> after;
    PoolTask* task = nullptr;  // the pool's record of the job, while it is out
    std::uint64_t serial = 0;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t serial_ = 0;
  std::size_t pending_ = 0;
};

// Queues `work` on the process's pool; when it returns (or throws), the pool pushes
// `queue->complete(slot, error)` to `inbox`. The inbox must outlive the job (a Loop keeps its
// inbox alive while jobs are out). Returns the pool's record of the job, valid on the loop
// thread until the completion runs (or cancelPoolTask succeeds).
PoolTask* submitToPool(absl::AnyInvocable<void()> work, Inbox* inbox, WorkQueue* queue,
                       std::uint32_t slot);
// Takes `task` out of the pool's queue if no thread has started it, and frees it (its work is
// destroyed on the calling thread, unrun). False if a thread took it.
bool cancelPoolTask(PoolTask* task);

}  // namespace vow::internal
