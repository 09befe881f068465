// The check phase's queue: setImmediate callbacks (Node's immediateQueue and
// outstandingQueue). Users never include this; they use vow::setImmediate (vow/loop/timers.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "vow/loop/internal/handle.h"

namespace vow {
class Loop;
}  // namespace vow

namespace vow::internal {

class CheckQueue {
 public:
  CheckQueue(Loop& loop, HandleCount& handles) noexcept : loop_(loop), handles_(handles) {}
  CheckQueue(const CheckQueue&) = delete;
  CheckQueue& operator=(const CheckQueue&) = delete;

  // Node: setImmediate(f): queued for the next check phase; returns its id (ascending).
  std::uint64_t add(absl::AnyInvocable<void()>&& cb);
  // Node: clearImmediate / immediate.ref() / unref() / hasRef(). Unknown ids (ran, cleared)
  // are ignored.
  void clear(std::uint64_t id);
  void setRef(std::uint64_t id, bool ref);
  bool hasRef(std::uint64_t id) const;

  // Node's CheckImmediate + processImmediate: runs the immediates queued before this phase (or
  // those an exception left over), a checkpoint between two and after the last. `resumed`: the
  // phase goes on after an exception (see Loop::run). `checkpoint_first`: ticks or microtasks an
  // exception left behind are waiting; Node's CheckImmediate runs them first (the callback scope
  // of its native immediates), if any immediate is queued.
  void run(bool resumed, bool checkpoint_first);

  // Whether a ref'd immediate is queued: the poll phase must not block (Node's idle handle).
  bool hasRefed() const noexcept { return refed_ > 0; }

 private:
  struct Entry {
    std::uint64_t id;
    HandleFlags flags;  // active until it runs or is cleared
    absl::AnyInvocable<void()> callback;
  };
  Entry* find(std::uint64_t id);
  const Entry* find(std::uint64_t id) const;
  void deactivate(Entry& e);

  Loop& loop_;
  HandleCount& handles_;
  std::vector<Entry> queued_;   // for the next check phase
  std::vector<Entry> running_;  // the batch being run (ids ascending)
  std::size_t running_index_ = 0;
  std::uint64_t next_id_ = 1;
  std::size_t refed_ = 0;  // active and ref'd entries (Node's immediateInfo[kRefCount])
};

}  // namespace vow::internal
