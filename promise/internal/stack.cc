#include "vow/promise/internal/stack.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "vow/promise/internal/exceptions.h"

namespace vow::internal {

namespace {

// Every eager start leaves at least this much stack to the body and what it calls: a body may
// call a function with a large local array (800 KiB is not unusual in C++ where Node's whole
// stack is under 1 MiB), and that must work at any recursion depth, not only at the top. The
// thread's own stack reserves less when it is small (a quarter of it).
constexpr std::size_t kReserve = 1024 * 1024;
// A segment: its usable stack, and below it a guard region that is never mapped accessible.
// The guard is as large as the reserve, so that a frame jumping past the end of the segment (a
// large local array) lands in it, not in whatever memory lies below: an overflow is caught and
// reported instead of corrupting the heap. Address space only; untouched pages cost nothing.
constexpr std::size_t kSegmentSize = 2 * 1024 * 1024;
constexpr std::size_t kGuardSize = 1024 * 1024;
constexpr std::size_t kAltStackSize = 64 * 1024;

struct StackBounds {
  std::uintptr_t limit = 0;      // an eager start below this address moves to a new segment
  std::uintptr_t guard_low = 0;  // the current segment's guard: [guard_low, guard_high)
  std::uintptr_t guard_high = 0;
};

thread_local StackBounds tl_bounds{};
thread_local bool tl_bounds_known = false;

// Out of line: inlined into stackHasRoom (called at every eager start), its pthread_attr_t gave
// that two-instruction test a 96-byte frame and a stack-protector check.
[[gnu::noinline]] void learnThreadStack() noexcept {
  tl_bounds_known = true;
  pthread_attr_t attr;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;  // unknown: never switch
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  if (addr == nullptr) return;
  tl_bounds.limit = reinterpret_cast<std::uintptr_t>(addr) + std::min(kReserve, size / 4);
}

// --- Reporting an overflow --------------------------------------------------------------------
// A fault in the current segment's guard is a coroutine body that used more stack than it was
// left. Without a handler that is a bare "Segmentation fault"; the handler names the cause. It
// runs on an alternate signal stack (the overflowing one has no room) and hands every other
// fault to the handler it replaced (ASan's, or the default action).

struct sigaction g_previous_segv;

extern "C" void onSegv(int sig, siginfo_t* info, void* context) {
  const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (addr >= tl_bounds.guard_low && addr < tl_bounds.guard_high) {
    static constexpr char kMessage[] =
        "vow: stack overflow in a coroutine: a coroutine body, or what it called, used more "
        "than the stack left to it (every body gets at least 1 MiB, on a stack segment when "
        "co_await recursion is deep). Recursion inside one body is not made safe by vow: "
        "make the deep part a coroutine too, or move large arrays to the heap.\n";
    (void)!write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    std::abort();
  }
  if ((g_previous_segv.sa_flags & SA_SIGINFO) != 0 && g_previous_segv.sa_sigaction != nullptr) {
    g_previous_segv.sa_sigaction(sig, info, context);
  } else if (g_previous_segv.sa_handler != SIG_DFL && g_previous_segv.sa_handler != SIG_IGN) {
    g_previous_segv.sa_handler(sig);
  } else {
    // Restore the default action; returning re-runs the faulting instruction, which now kills.
    sigaction(SIGSEGV, &g_previous_segv, nullptr);
  }
}

void installSegvHandler() noexcept {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_sigaction = &onSegv;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGSEGV, &action, &g_previous_segv) == 0;
  }();
  (void)installed;
}

// This thread's alternate signal stack, unless it has one already (sanitizers install theirs).
struct AltStack {
  void* mem = nullptr;
  ~AltStack() {
    if (mem == nullptr) return;
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    sigaltstack(&off, nullptr);
    munmap(mem, kAltStackSize);
  }
};

void ensureAltStack() noexcept {
  thread_local AltStack alt;
  thread_local bool checked = false;
  if (checked) return;
  checked = true;
  stack_t current{};
  if (sigaltstack(nullptr, &current) != 0 || (current.ss_flags & SS_DISABLE) == 0) return;
  void* mem =
      mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;
  stack_t ss{};
  ss.ss_sp = mem;
  ss.ss_size = kAltStackSize;
  if (sigaltstack(&ss, nullptr) != 0) {
    munmap(mem, kAltStackSize);
    return;
  }
  alt.mem = mem;
}

// --- Segments ---------------------------------------------------------------------------------

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
  if (!tl_bounds_known) learnThreadStack();
  auto sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  return sp > tl_bounds.limit;
}

void resumeOnNewStack(std::coroutine_handle<> h) {
  installSegvHandler();
  ensureAltStack();
  // mmap, not malloc: the pages are only touched as deep as the body goes. The guard comes
  // mapped inaccessible; only the segment above it is made usable.
  constexpr std::size_t kMapped = kGuardSize + kSegmentSize;
  void* mem = mmap(nullptr, kMapped, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem == MAP_FAILED) VOW_THROW(std::bad_alloc());
  char* stack = static_cast<char*>(mem) + kGuardSize;
  if (mprotect(stack, kSegmentSize, PROT_READ | PROT_WRITE) != 0) {
    munmap(mem, kMapped);
    VOW_THROW(std::bad_alloc());
  }
#ifdef MADV_POPULATE_WRITE
  // A segment is made only in a deep eager recursion, whose descent goes on to fill its upper
  // part (everything above the reserve) before the next segment: fault those pages in with one
  // call instead of one fault per 4 KiB page as the descent touches them (on this VM the faults
  // were a sixth of async_recursion_1m's time). Failing (an old kernel) changes nothing.
  madvise(stack + kReserve, kSegmentSize - kReserve, MADV_POPULATE_WRITE);
#endif
  Segment seg{};
  seg.handle = h;
  getcontext(&seg.context);
  seg.context.uc_stack.ss_sp = stack;
  seg.context.uc_stack.ss_size = kSegmentSize;
  seg.context.uc_link = &seg.caller;
  makecontext(&seg.context, &segmentMain, 0);

  // The body now runs with the segment as its stack; a deeper start nests another segment.
  StackBounds saved = tl_bounds;
  tl_bounds.limit = reinterpret_cast<std::uintptr_t>(stack) + kReserve;
  tl_bounds.guard_low = reinterpret_cast<std::uintptr_t>(mem);
  tl_bounds.guard_high = reinterpret_cast<std::uintptr_t>(stack);
  tl_entering = &seg;
  swapcontext(&seg.caller, &seg.context);
  tl_bounds = saved;
  // The body suspended or finished: nothing lives on the segment any more.
  munmap(mem, kMapped);
}

}  // namespace vow::internal
