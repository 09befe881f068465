#include "vow/promise/internal/pool.h"

#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <utility>

#include "vow/promise/internal/exceptions.h"

namespace vow::internal {

#if VOW_POOL

namespace {

// `bytes` (a multiple of the page size) of fresh memory on a kPoolSlabSize boundary: twice the
// size mapped, then the unaligned ends trimmed (mmap only promises page alignment).
void* mapAligned(std::size_t bytes) {
  const std::size_t span = bytes + kPoolSlabSize;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) VOW_THROW(std::bad_alloc());
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kPoolSlabSize - 1) & ~(std::uintptr_t{kPoolSlabSize} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const std::uintptr_t tail = aligned + bytes;
  if (start + span > tail) munmap(reinterpret_cast<void*>(tail), start + span - tail);
  return reinterpret_cast<void*>(aligned);
}

constexpr std::size_t kPageSize = 4096;

}  // namespace

namespace {

// The last large block freed on this thread, kept for the next bigAllocate of its size: a
// workload that repeats (an all() of a million inputs per request) then reuses memory that is
// already faulted in, instead of unmapping it and taking zeroed pages again. At most one block
// per thread, unmapped at thread exit (and blocks freed after that are unmapped at once).
constinit thread_local void* t_big_block = nullptr;
constinit thread_local std::size_t t_big_mapped = 0;
constinit thread_local bool t_big_closed = false;
struct BigCacheCloser {
  ~BigCacheCloser() {
    if (t_big_block != nullptr) munmap(t_big_block, t_big_mapped);
    t_big_block = nullptr;
    t_big_closed = true;
  }
};

std::size_t roundToPages(std::size_t bytes) {
  return (bytes + kPageSize - 1) / kPageSize * kPageSize;
}

}  // namespace

void* bigAllocate(std::size_t bytes) {
  if (bytes < kBigSize) return ::operator new(bytes);
  const std::size_t mapped = roundToPages(bytes);
  if (t_big_block != nullptr && t_big_mapped == mapped) return std::exchange(t_big_block, nullptr);
  void* p = mapAligned(mapped);
  madvise(p, mapped, MADV_HUGEPAGE);
  return p;
}

void bigFree(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (bytes < kBigSize) {
    ::operator delete(p, bytes);
    return;
  }
  const std::size_t mapped = roundToPages(bytes);
  if (t_big_closed) {
    munmap(p, mapped);
    return;
  }
  thread_local BigCacheCloser closer;  // registered with the first block kept
  (void)closer;
  if (t_big_block != nullptr) munmap(t_big_block, t_big_mapped);
  t_big_block = p;
  t_big_mapped = mapped;
}

namespace {

struct PoolHeap;

// The header at the start of every slab. Touched by its owning thread only, except `owner`
// (read by a freeing thread to tell whether it is the owner) and what the global lock guards.
struct PoolSlab {
  void* free = nullptr;        // freed blocks of this slab
  char* bump = nullptr;        // the next never-used block
  char* end = nullptr;         // no block starts at or after this
  std::uint32_t used = 0;      // blocks handed out and not freed back to this slab
  std::uint32_t size = 0;      // the block size of its class (0: the sentinel)
  std::uint32_t cls = 0;       // its class
  bool linked = false;         // the class's current slab or in its partial list
  bool remote_listed = false;  // in its owner's list of slabs with remote frees (global lock)
  std::atomic<PoolHeap*> owner{nullptr};  // nullptr once the owning thread has exited
  PoolSlab* prev = nullptr;               // in the class's partial list (slabs with free blocks)
  PoolSlab* next = nullptr;
  PoolSlab* all_prev = nullptr;  // in the heap's list of every slab it owns
  PoolSlab* all_next = nullptr;
  void* remote = nullptr;  // blocks freed by other threads (global lock)
  std::uint32_t remote_count = 0;
  PoolSlab* remote_next = nullptr;  // in the owner's remote_slabs (global lock)
};

// A thread's slabs: per class the slab blocks come from (never null: a sentinel with no room
// until the first allocation), and the slabs with free blocks to go on with.
struct PoolHeap {
  PoolSlab* current[kPoolClasses];
  PoolSlab* partial[kPoolClasses] = {};
  PoolSlab* all = nullptr;
  PoolSlab* spares = nullptr;  // empty slabs kept for reuse, linked by `next`
  std::size_t spare_count = 0;
  std::atomic<bool> has_remote{false};
  std::uint32_t slabs_made[kPoolClasses] = {};  // by class, over the heap's life
  PoolSlab* remote_slabs = nullptr;  // slabs with remote frees, by remote_next (global lock)
};

constinit thread_local PoolHeap* t_pool_heap = nullptr;

// Blocks start after the header, on a 64-byte boundary (16 would do for alignment; 64 keeps
// the header's cache line to itself).
constexpr std::size_t kHeaderSize = (sizeof(PoolSlab) + 63) / 64 * 64;
// Empty slabs a thread keeps instead of unmapping them (64 MiB at most): a workload that frees a
// burst and then allocates again (every benchmark iteration, every request) reuses pages that
// are already faulted in; without them, zeroing fresh pages was 13% of all_1m's time. malloc
// keeps freed memory in its heap the same way; beyond this, empty slabs go back at once.
constexpr std::size_t kMaxSpares = 32;

// Guards what crosses threads: remote frees, and slabs whose thread has exited.
constinit std::mutex g_mutex;

// current[] of a fresh heap: no free block, no room, so the first allocation takes the slow path.
constinit PoolSlab g_sentinel{};

PoolSlab* mapSlab() { return static_cast<PoolSlab*>(mapAligned(kPoolSlabSize)); }

void unmapSlab(PoolSlab* s) noexcept {
  s->~PoolSlab();
  munmap(s, kPoolSlabSize);
}

void unlinkPartial(PoolHeap* h, PoolSlab* s) noexcept {
  if (s->prev != nullptr) {
    s->prev->next = s->next;
  } else {
    h->partial[s->cls] = s->next;
  }
  if (s->next != nullptr) s->next->prev = s->prev;
  s->prev = s->next = nullptr;
}

void pushPartial(PoolHeap* h, PoolSlab* s) noexcept {
  s->prev = nullptr;
  s->next = h->partial[s->cls];
  if (s->next != nullptr) s->next->prev = s;
  h->partial[s->cls] = s;
  s->linked = true;
}

// An empty slab (not the current one of its class) leaves the heap: kept as a spare or unmapped.
void releaseSlab(PoolHeap* h, PoolSlab* s) noexcept {
  unlinkPartial(h, s);
  s->linked = false;
  if (s->all_prev != nullptr) {
    s->all_prev->all_next = s->all_next;
  } else {
    h->all = s->all_next;
  }
  if (s->all_next != nullptr) s->all_next->all_prev = s->all_prev;
  if (h->spare_count < kMaxSpares) {
    s->next = h->spares;
    h->spares = s;
    ++h->spare_count;
  } else {
    unmapSlab(s);
  }
}

// The owner's side of a block's return: the slab becomes listed again when it was full, and
// leaves the heap when it is empty and not the one blocks are taken from.
void settleSlab(PoolHeap* h, PoolSlab* s) noexcept {
  if (!s->linked) pushPartial(h, s);
  if (s->used == 0 && h->current[s->cls] != s) releaseSlab(h, s);
}

// Takes back the blocks other threads freed into this heap's slabs. Caller holds g_mutex.
void collectRemoteLocked(PoolHeap* h) noexcept {
  PoolSlab* s = h->remote_slabs;
  h->remote_slabs = nullptr;
  h->has_remote.store(false, std::memory_order_relaxed);
  while (s != nullptr) {
    PoolSlab* next = s->remote_next;
    s->remote_listed = false;
    void* b = s->remote;
    while (b != nullptr) {
      void* after = *static_cast<void**>(b);
      *static_cast<void**>(b) = s->free;
      s->free = b;
      b = after;
    }
    s->used -= s->remote_count;
    s->remote = nullptr;
    s->remote_count = 0;
    s->remote_next = nullptr;
    settleSlab(h, s);
    s = next;
  }
}

void retireHeap(PoolHeap* h) noexcept {
  std::lock_guard<std::mutex> lock(g_mutex);
  collectRemoteLocked(h);
  // Slabs with live blocks become orphans, freed by whichever thread frees their last block.
  for (PoolSlab* s = h->all; s != nullptr;) {
    PoolSlab* next = s->all_next;
    if (s->used == 0) {
      unmapSlab(s);
    } else {
      s->linked = false;  // keeps every later free off the owner's fast path
      s->owner.store(nullptr, std::memory_order_relaxed);
    }
    s = next;
  }
  for (PoolSlab* s = h->spares; s != nullptr;) {
    PoolSlab* next = s->next;
    unmapSlab(s);
    s = next;
  }
  delete h;
}

struct HeapOwner {
  PoolHeap* heap = nullptr;
  ~HeapOwner() {
    if (heap == nullptr) return;
    if (t_pool_heap == heap) t_pool_heap = nullptr;
    retireHeap(heap);
  }
};

constinit thread_local bool t_heap_registered = false;

PoolHeap* makeHeap() {
  auto* h = new PoolHeap;
  for (auto& c : h->current) c = &g_sentinel;
  t_pool_heap = h;
  if (!t_heap_registered) {
    // Freed at thread exit. A heap made after that (a promise made by a thread_local's
    // destructor) is left to the process: a few slabs at most.
    thread_local HeapOwner owner;
    owner.heap = h;
    t_heap_registered = true;  // HeapOwner's destructor runs once per thread
  }
  return h;
}

PoolSlab* newSlab(PoolHeap* h, std::size_t cls) {
  PoolSlab* s;
  if (h->spares != nullptr) {
    s = h->spares;
    h->spares = s->next;
    --h->spare_count;
  } else {
    s = mapSlab();
    // A class that already filled a slab is in a bulk workload (a million promises, a deep
    // recursion): back the next ones with transparent huge pages where the kernel offers them
    // on request. One fault then maps 2 MiB instead of 4 KiB; with 4 KiB pages the faults were
    // a quarter of async_recursion_1m's CPU time (this VM makes each one expensive). A thread's
    // first slab of a class stays in small pages, so a light user holds only what it touches.
    if (h->slabs_made[cls] > 0) madvise(s, kPoolSlabSize, MADV_HUGEPAGE);
  }
  ++h->slabs_made[cls];
  s = ::new (static_cast<void*>(s)) PoolSlab();
  const std::size_t block = (cls + 1) * kPoolGranule;
  s->bump = reinterpret_cast<char*>(s) + kHeaderSize;
  s->end = reinterpret_cast<char*>(s) + kPoolSlabSize;
  s->size = static_cast<std::uint32_t>(block);
  s->cls = static_cast<std::uint32_t>(cls);
  s->linked = true;
  s->owner.store(h, std::memory_order_relaxed);
  s->all_next = h->all;
  if (h->all != nullptr) h->all->all_prev = s;
  h->all = s;
  return s;
}

PoolSlab* slabOf(void* p) noexcept {
  return reinterpret_cast<PoolSlab*>(reinterpret_cast<std::uintptr_t>(p) &
                                     ~(std::uintptr_t{kPoolSlabSize} - 1));
}

// Out of line (noinline), so that poolAllocate and poolFree stay leaf functions: inlined, the
// slow paths made GCC save six registers in their prologues before the fast path's test, on
// every call (a deep co_await recursion pays it twice a level).
[[gnu::noinline]] void* allocateSlow(std::size_t size) {
  PoolHeap* h = t_pool_heap;
  if (h == nullptr) h = makeHeap();
  if (h->has_remote.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(g_mutex);
    collectRemoteLocked(h);
  }
  const std::size_t cls = (size - 1) / kPoolGranule;
  PoolSlab* s = h->current[cls];
  if (s->free == nullptr && s->end - s->bump < static_cast<std::ptrdiff_t>(s->size ? s->size : 1)) {
    // The current slab is full: it is tracked by nobody until one of its blocks comes back.
    if (s != &g_sentinel) s->linked = false;
    if (h->partial[cls] != nullptr) {
      s = h->partial[cls];
      unlinkPartial(h, s);
      s->linked = true;
    } else {
      s = newSlab(h, cls);
    }
    h->current[cls] = s;
  }
  void* b;
  if (s->free != nullptr) {
    b = s->free;
    s->free = *static_cast<void**>(b);
  } else {
    b = s->bump;
    s->bump += s->size;
  }
  ++s->used;
  return b;
}

[[gnu::noinline]] void freeSlow(void* p, PoolSlab* s) noexcept {
  PoolHeap* h = t_pool_heap;
  if (h != nullptr && s->owner.load(std::memory_order_relaxed) == h) {
    *static_cast<void**>(p) = s->free;
    s->free = p;
    --s->used;
    settleSlab(h, s);
    return;
  }
  // Another thread's slab, or an orphan.
  std::lock_guard<std::mutex> lock(g_mutex);
  PoolHeap* owner = s->owner.load(std::memory_order_relaxed);
  if (owner == nullptr) {
    if (--s->used == 0) unmapSlab(s);
    return;
  }
  *static_cast<void**>(p) = s->remote;
  s->remote = p;
  ++s->remote_count;
  if (!s->remote_listed) {
    s->remote_listed = true;
    s->remote_next = owner->remote_slabs;
    owner->remote_slabs = s;
  }
  owner->has_remote.store(true, std::memory_order_release);
}

}  // namespace

void* poolAllocate(std::size_t size) {
  if (size <= kPoolMaxSize) [[likely]] {
    if (PoolHeap* h = t_pool_heap) [[likely]] {
      const std::size_t cls = (size - 1) / kPoolGranule;
      PoolSlab* s = h->current[cls];
      if (void* b = s->free) [[likely]] {
        s->free = *static_cast<void**>(b);
        ++s->used;
        return b;
      }
      // The slab's untouched tail (the sentinel has none).
      const auto block = static_cast<std::ptrdiff_t>((cls + 1) * kPoolGranule);
      if (s->end - s->bump >= block) {
        void* b = s->bump;
        s->bump += block;
        ++s->used;
        return b;
      }
    }
    return allocateSlow(size);
  }
  return ::operator new(size);
}

void poolFree(void* p, std::size_t size) noexcept {
  if (size <= kPoolMaxSize) [[likely]] {
    PoolSlab* s = slabOf(p);
    // The common case: this thread's slab, which stays in use and is already listed.
    if (s->owner.load(std::memory_order_relaxed) == t_pool_heap && s->linked && s->used > 1)
        [[likely]] {
      *static_cast<void**>(p) = s->free;
      s->free = p;
      --s->used;
      return;
    }
    freeSlow(p, s);
    return;
  }
  ::operator delete(p, size);
}

PoolUsage poolUsage() noexcept {
  PoolUsage u;
  PoolHeap* h = t_pool_heap;
  if (h == nullptr) return u;
  for (PoolSlab* s = h->all; s != nullptr; s = s->all_next) {
    u.live_bytes += std::size_t{s->used} * s->size;
    u.slab_bytes += kPoolSlabSize;
  }
  u.slab_bytes += h->spare_count * kPoolSlabSize;
  return u;
}

#else  // !VOW_POOL: every block is a plain operator new, which sanitizers watch

void* bigAllocate(std::size_t bytes) { return ::operator new(bytes); }
void bigFree(void* p, std::size_t bytes) noexcept {
  if (p != nullptr) ::operator delete(p, bytes);
}
void* poolAllocate(std::size_t size) { return ::operator new(size); }
void poolFree(void* p, std::size_t size) noexcept { ::operator delete(p, size); }
PoolUsage poolUsage() noexcept { return {}; }

#endif

}  // namespace vow::internal
