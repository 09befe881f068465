#include "vow/promise/internal/stack.h"

#include <pthread.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace vow::internal {

namespace {

// Leave this much of any stack unused by eager starts: the code a body runs between two
// coroutine calls (handlers, destructors, the allocator) needs headroom of its own.
constexpr std::size_t kReserve = 256 * 1024;
constexpr std::size_t kSegmentSize = 1024 * 1024;

struct StackBounds {
  std::uintptr_t low = 0;  // the lowest usable address (stacks grow down)
};

std::uintptr_t threadStackLow() noexcept {
  pthread_attr_t attr;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  return reinterpret_cast<std::uintptr_t>(addr);
}

thread_local StackBounds tl_bounds{};
thread_local bool tl_bounds_known = false;

struct Segment {
  ucontext_t context;
  ucontext_t caller;
  std::coroutine_handle<> handle;
};
thread_local Segment* tl_entering = nullptr;

void segmentMain() {
  Segment* s = tl_entering;
  s->handle.resume();
  // Returning switches back to s->caller (uc_link).
}

}  // namespace

bool stackHasRoom() noexcept {
  if (!tl_bounds_known) {
    tl_bounds.low = threadStackLow();
    tl_bounds_known = true;
  }
  if (tl_bounds.low == 0) return true;  // unknown bounds: never switch
  auto sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  return sp > tl_bounds.low + kReserve;
}

void resumeOnNewStack(std::coroutine_handle<> h) {
  // mmap, not malloc: the pages are only touched as deep as the body goes.
  void* mem = mmap(nullptr, kSegmentSize, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) throw std::bad_alloc();
  Segment seg{};
  seg.handle = h;
  getcontext(&seg.context);
  seg.context.uc_stack.ss_sp = mem;
  seg.context.uc_stack.ss_size = kSegmentSize;
  seg.context.uc_link = &seg.caller;
  makecontext(&seg.context, &segmentMain, 0);

  // The body now runs with the segment as its stack; a deeper start nests another segment.
  StackBounds saved = tl_bounds;
  tl_bounds.low = reinterpret_cast<std::uintptr_t>(mem);
  tl_entering = &seg;
  swapcontext(&seg.caller, &seg.context);
  tl_bounds = saved;
  // The body suspended or finished: nothing lives on the segment any more.
  munmap(mem, kSegmentSize);
}

}  // namespace vow::internal
