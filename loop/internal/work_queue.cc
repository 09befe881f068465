#include "vow/loop/internal/work_queue.h"

#include <utility>

#include "vow/promise/internal/context.h"

namespace vow::internal {

WorkId WorkQueue::queue(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& s = slots_[slot];
  // `after` runs in the async context of the call (Node: the request's async resource; fs
  // callbacks come here). `work` runs on a pool thread, in none: contexts are per thread.
  bindToCurrentContext(after);
  s.after = std::move(after);
  s.serial = ++serial_;
  ++pending_;
  s.task = submitToPool(std::move(work), &inbox_, this, slot);
  return WorkId{slot, s.serial};
}

bool WorkQueue::cancel(WorkId id) {
  if (id.slot >= slots_.size()) return false;
  Slot& s = slots_[id.slot];
  if (s.serial != id.serial || s.task == nullptr || !cancelPoolTask(s.task)) return false;
  absl::AnyInvocable<void()> after = std::move(s.after);
  s.after = nullptr;
  s.task = nullptr;
  s.serial = 0;
  free_slots_.push_back(id.slot);
  --pending_;
  return true;  // `after` is destroyed here, uncalled
}

void WorkQueue::complete(std::uint32_t slot, std::exception_ptr error) {
  Slot& s = slots_[slot];
  absl::AnyInvocable<void()> after = std::move(s.after);
  s.after = nullptr;
  s.task = nullptr;
  s.serial = 0;
  free_slots_.push_back(slot);
  --pending_;
  if (error) std::rethrow_exception(error);  // `after` is destroyed, not called
  after();
}

}  // namespace vow::internal
