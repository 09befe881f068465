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

#include <cstddef>
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
inline constexpr std::size_t kPoolSlabSize = std::size_t{2} * 1024 * 1024;  // a huge page

// A block of at least `size` bytes, 16-byte aligned. Thread: any.
// Out of line on purpose: inlined into a coroutine's ramp function, the fast path costs it
// registers, and the ramp's stack frame grows by 32 bytes, which a deep eager co_await
// recursion pays once per level (more than the header the pool saves).
void* poolAllocate(std::size_t size);
// Frees a block of poolAllocate(size) with the same `size`. Thread: any.
void poolFree(void* p, std::size_t size) noexcept;

// Large arrays of a bulk workload (the job queue's ring, an all() of a million inputs' reaction
// nodes): from kBigSize up, mapped on a huge-page boundary and backed by transparent huge pages
// where the kernel offers them on request, so filling them costs one page fault per 2 MiB
// instead of one per 4 KiB; below that, operator new. Thread: any. Throws std::bad_alloc.
inline constexpr std::size_t kBigSize = std::size_t{4} * 1024 * 1024;
void* bigAllocate(std::size_t bytes);
void bigFree(void* p, std::size_t bytes) noexcept;

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
