// Immediates, following Node's processImmediate (lib/internal/timers.js) and CheckImmediate
// (src/env.cc).
#include "vow/loop/internal/check_queue.h"

#include <algorithm>

#include "vow/loop/internal/trace.h"
#include "vow/loop/loop.h"
#include "vow/promise/internal/context.h"

namespace vow::internal {

std::uint64_t CheckQueue::add(absl::AnyInvocable<void()>&& cb) {
  bindToCurrentContext(cb);  // Node's Immediate: the async context of setImmediate()
  std::uint64_t id = next_id_++;
  queued_.push_back(Entry{id, HandleFlags{}, std::move(cb)});
  queued_.back().flags.setActive(handles_, true);
  ++refed_;
  return id;
}

CheckQueue::Entry* CheckQueue::find(std::uint64_t id) {
  auto by_id = [](const Entry& e, std::uint64_t v) { return e.id < v; };
  auto it = std::lower_bound(queued_.begin(), queued_.end(), id, by_id);
  if (it != queued_.end() && it->id == id) return &*it;
  auto first = running_.begin() + static_cast<std::ptrdiff_t>(running_index_);
  auto jt = std::lower_bound(first, running_.end(), id, by_id);
  if (jt != running_.end() && jt->id == id) return &*jt;
  return nullptr;
}
const CheckQueue::Entry* CheckQueue::find(std::uint64_t id) const {
  return const_cast<CheckQueue*>(this)->find(id);
}

void CheckQueue::deactivate(Entry& e) {
  if (e.flags.active && e.flags.refed) --refed_;
  e.flags.setActive(handles_, false);
  e.flags.setRef(handles_, false);  // Node: hasRef() is false once it ran or was cleared
}

void CheckQueue::clear(std::uint64_t id) {
  Entry* e = find(id);
  if (e == nullptr || !e->flags.active) return;
  deactivate(*e);
  e->callback = nullptr;
}

void CheckQueue::setRef(std::uint64_t id, bool ref) {
  Entry* e = find(id);
  if (e == nullptr || !e->flags.active || e->flags.refed == ref) return;
  ref ? ++refed_ : --refed_;
  e->flags.setRef(handles_, ref);
}

bool CheckQueue::hasRef(std::uint64_t id) const {
  const Entry* e = find(id);
  return e != nullptr && e->flags.refed;
}

void CheckQueue::run(bool resumed, bool checkpoint_first) {
  // Node's processImmediate: runs the immediates queued before this phase (or those an
  // exception left over: Node's outstandingQueue); new ones wait for the next one. Resumed
  // after an exception, it goes on with the batch, or with the next one if that was the last
  // (Node's CheckImmediate calls processImmediate again while kHasOutstanding is set).
  if (running_index_ >= running_.size()) {
    if (queued_.empty()) return;
    running_.clear();
    running_index_ = 0;
    running_.swap(queued_);
  }
  // Node's CheckImmediate first runs its native immediates in a callback scope whose end is a
  // checkpoint: empty after any callback, except for ticks an exception left behind.
  if (checkpoint_first && !resumed) loop_.checkpoint();
  bool ran = false;
  while (running_index_ < running_.size()) {
    // A cleared immediate is as if removed from Node's list: skipped before the checkpoint (which
    // matters after an exception: the next one then runs without a checkpoint before it).
    if (!running_[running_index_].flags.active) {
      ++running_index_;
      continue;
    }
    if (ran) {
      loop_.checkpoint();
      if (!running_[running_index_].flags.active) continue;  // cleared by that checkpoint
    }
    ran = true;
    Entry& e = running_[running_index_++];
    deactivate(e);
    absl::AnyInvocable<void()> fn = std::move(e.callback);
    TraceSpan span("setImmediate", "callback");
    fn();
  }
  running_.clear();
  running_index_ = 0;
  if (ran) loop_.checkpoint();
}

}  // namespace vow::internal
