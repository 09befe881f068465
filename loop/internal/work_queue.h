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

class WorkQueue {
 public:
  explicit WorkQueue(Inbox& inbox) noexcept : inbox_(inbox) {}
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // uv_queue_work: `work` goes to the pool; `after` waits here, on the loop thread, in a slot
  // (only the slot number travels through the pool).
  void queue(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after);
  // The completion of the job in `slot`, on the loop thread (poll phase): runs its `after`, or
  // rethrows what `work` threw (its `after` is then destroyed, not called).
  void complete(std::uint32_t slot, std::exception_ptr error);

  // Jobs submitted and not completed: each keeps the loop alive (libuv's active reqs).
  std::size_t pending() const noexcept { return pending_; }

 private:
  Inbox& inbox_;
  std::vector<absl::AnyInvocable<void()>> after_;  // by slot
  std::vector<std::uint32_t> free_slots_;
  std::size_t pending_ = 0;
};

// Queues `work` on the process's pool; when it returns (or throws), the pool pushes
// `queue->complete(slot, error)` to `inbox`. The inbox must outlive the job (a Loop keeps its
// inbox alive while jobs are out).
void submitToPool(absl::AnyInvocable<void()> work, Inbox* inbox, WorkQueue* queue,
                  std::uint32_t slot);

}  // namespace vow::internal
