#include "vow/loop/internal/work_queue.h"

#include <utility>

namespace vow::internal {

void WorkQueue::queue(absl::AnyInvocable<void()> work, absl::AnyInvocable<void()> after) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(after_.size());
    after_.push_back(std::move(after));
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    after_[slot] = std::move(after);
  }
  ++pending_;
  submitToPool(std::move(work), &inbox_, this, slot);
}

void WorkQueue::complete(std::uint32_t slot, std::exception_ptr error) {
  absl::AnyInvocable<void()> after = std::move(after_[slot]);
  after_[slot] = nullptr;
  free_slots_.push_back(slot);
  --pending_;
  if (error) std::rethrow_exception(error);  // `after` is destroyed, not called
  after();
}

}  // namespace vow::internal
