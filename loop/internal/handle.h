// The handle model every loop part shares (libuv's uv_handle_t), and the weak link from a
// handle to its loop. Users never include this.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vow {
class Loop;
}  // namespace vow

namespace vow::internal {

// The weak link from handles (vow::Timeout, vow::Immediate, vow::IoWatcher) to their loop. The
// loop holds one reference and nulls `loop` in its destructor, so a handle that outlives its loop
// finds null, not freed memory: every operation on it is then a no-op. Counted without atomics:
// handles are used on their loop's thread.
struct LoopLink {
  ::vow::Loop* loop = nullptr;
  std::uint32_t refs = 1;

  LoopLink* addRef() noexcept {
    ++refs;
    return this;
  }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
};

// How many handles keep the loop alive: those both active (a timer armed, an immediate queued,
// a watcher watching) and ref'd. Loop::alive() reads this one number for all handle kinds.
struct HandleCount {
  std::size_t active_refed = 0;
};

// A handle's two flags, kept in step with the loop's HandleCount (libuv's UV_HANDLE_ACTIVE and
// UV_HANDLE_REF). A new handle is ref'd and not yet active.
struct HandleFlags {
  bool active = false;
  bool refed = true;

  void setActive(HandleCount& count, bool on) noexcept {
    if (active == on) return;
    active = on;
    if (refed) on ? ++count.active_refed : --count.active_refed;
  }
  void setRef(HandleCount& count, bool on) noexcept {
    if (refed == on) return;
    refed = on;
    if (active) on ? ++count.active_refed : --count.active_refed;
  }
};

}  // namespace vow::internal
