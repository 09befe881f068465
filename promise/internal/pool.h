// A per-thread small-object allocator for what every promise costs: states, reactions and
// coroutine frames. Users never include this header.
//
// Why: a chain or an all() of a million promises makes and frees a million small blocks of a
// few sizes, in bursts; glibc's malloc spends a quarter of all_1m's cycles on them (tcache holds
// 7 blocks a size, the rest goes through fastbins and malloc_consolidate) and adds an 8-byte
// header to each (a deep async recursion keeps two blocks per level). Here a block is taken
// from a per-size-class slab of the current thread: an inline pop, no header, 16-byte steps.
//
// Slabs are kPoolSlabSize bytes, aligned to their size, so a block finds its slab by masking
// its address. Each slab keeps its own free list and count of live blocks: an empty slab goes
// back to the system (a few are kept as spares), so memory returns after a burst. A block freed
// on another thread than its slab's (not done by vow, whose promises stay on their thread, but
// allowed) is handed back to the owning thread under a lock; slabs of an exited thread that
// still have live blocks are freed when their last block is.
//
// Off under AddressSanitizer and ThreadSanitizer (every block is then a plain operator new, so
// use-after-free and races are still caught), or with -DVOW_NO_POOL.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(VOW_NO_POOL)
#define VOW_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define VOW_POOL 0
#endif
#endif
#ifndef VOW_POOL
#define VOW_POOL 1
#endif

namespace vow::internal {

inline constexpr std::size_t kPoolGranule = 16;
inline constexpr std::size_t kPoolMaxSize = 512;  // larger blocks go to operator new
inline constexpr std::size_t kPoolClasses = kPoolMaxSize / kPoolGranule;
inline constexpr std::size_t kPoolSlabSize = std::size_t{256} * 1024;

struct PoolHeap;

// The header at the start of every slab. Touched by its owning thread only, except `owner`
// (read by a freeing thread to tell whether it is the owner) and what the global lock guards.
struct PoolSlab {
  void* free = nullptr;       // freed blocks of this slab
  char* bump = nullptr;       // the next never-used block
  char* end = nullptr;        // no block starts at or after this
  std::uint32_t used = 0;     // blocks handed out and not freed back to this slab
  std::uint32_t size = 0;     // the block size of its class (0: the sentinel)
  std::uint32_t cls = 0;      // its class
  bool linked = false;        // the class's current slab or in its partial list
  bool remote_listed = false; // in its owner's list of slabs with remote frees (global lock)
  std::atomic<PoolHeap*> owner{nullptr};  // nullptr once the owning thread has exited
  PoolSlab* prev = nullptr;   // in the class's partial list (slabs with free blocks)
  PoolSlab* next = nullptr;
  PoolSlab* all_prev = nullptr;  // in the heap's list of every slab it owns
  PoolSlab* all_next = nullptr;
  void* remote = nullptr;       // blocks freed by other threads (global lock)
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
  PoolSlab* remote_slabs = nullptr;  // slabs with remote frees, linked by `next` (global lock)
};

extern constinit thread_local PoolHeap* t_pool_heap;

void* poolAllocateSlow(std::size_t size);
void poolFreeSlow(void* p, PoolSlab* slab) noexcept;

inline PoolSlab* poolSlabOf(void* p) noexcept {
  return reinterpret_cast<PoolSlab*>(reinterpret_cast<std::uintptr_t>(p) &
                                     ~(std::uintptr_t{kPoolSlabSize} - 1));
}

// A block of at least `size` bytes, 16-byte aligned. Thread: any.
inline void* poolAllocate(std::size_t size) {
#if VOW_POOL
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
    return poolAllocateSlow(size);
  }
#endif
  return ::operator new(size);
}

// Frees a block of poolAllocate(size) with the same `size`. Thread: any.
inline void poolFree(void* p, std::size_t size) noexcept {
#if VOW_POOL
  if (size <= kPoolMaxSize) [[likely]] {
    PoolSlab* s = poolSlabOf(p);
    // The common case: this thread's slab, which stays in use and is already listed.
    if (s->owner.load(std::memory_order_relaxed) == t_pool_heap && s->linked && s->used > 1)
        [[likely]] {
      *static_cast<void**>(p) = s->free;
      s->free = p;
      --s->used;
      return;
    }
    poolFreeSlow(p, s);
    return;
  }
#endif
  ::operator delete(p, size);
}

// This thread's pool, for benchmarks: bytes in blocks handed out, and bytes of slabs held.
struct PoolUsage {
  std::size_t live_bytes = 0;
  std::size_t slab_bytes = 0;
};
PoolUsage poolUsage() noexcept;

// A base giving a class (and what derives from it) the pool's operator new and delete. The
// sized delete gets the most-derived size through a virtual destructor or a `delete this` in a
// final class, as it must.
struct PoolAllocated {
  static void* operator new(std::size_t size) { return poolAllocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { poolFree(p, size); }
};

}  // namespace vow::internal
