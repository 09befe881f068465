// Deep eager starts: a coroutine body runs synchronously when called, so `co_await f(n - 1)`
// recursion nests one C++ call per level. When the current stack runs low, the next body starts
// on a fresh heap-allocated stack segment instead, so the depth is bounded by memory, not by
// the 8 MiB thread stack.
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
