// Deep eager starts: a coroutine body runs synchronously when called, so `co_await f(n - 1)`
// recursion nests one C++ call per level. When less than 1 MiB (a quarter of a small thread
// stack) is left below the current frame, the next body starts on a fresh stack segment
// instead, so the depth is bounded by memory, not by the 8 MiB thread stack, and every body,
// at any depth, has at least that much stack for what it calls. A body that uses more than it
// was left on a segment hits the segment's guard region, and the process aborts with
// "vow: stack overflow in a coroutine ..." instead of corrupting memory.
#pragma once

#include <coroutine>

namespace vow::internal {

// True while the current stack (or segment) has room for another eager coroutine start.
bool stackHasRoom() noexcept;

// Resumes `h` on a new stack segment; returns once `h` suspends or finishes.
void resumeOnNewStack(std::coroutine_handle<> h);

// Starts a coroutine body eagerly, on a fresh stack segment when this one runs low.
struct EagerStart {
  bool await_ready() const noexcept { return stackHasRoom(); }
  void await_suspend(std::coroutine_handle<> h) const { resumeOnNewStack(h); }
  void await_resume() const noexcept {}
};

}  // namespace vow::internal
