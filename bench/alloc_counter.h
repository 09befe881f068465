// Counts the heap bytes a benchmark keeps alive, for the memory workloads.
//
// Method: bench binaries that include alloc_counter.cc replace the global operator new/delete
// (all their sized, aligned and nothrow forms) with versions that call malloc/free and keep a
// running total of malloc_usable_size() of every live block. liveHeapBytes() is that total:
// the bytes the program's objects occupy, rounded up to malloc's granule, without malloc's own
// 8-byte chunk headers. mallocInUseBytes() is glibc's mallinfo2().uordblks: everything malloc
// handed out (including direct malloc calls and chunk headers). Benchmarks report both.
//
// Node's twin measures process.memoryUsage().heapUsed after gc() (node --expose-gc): the
// bytes of live objects in V8's heap, the same notion as liveHeapBytes().
#pragma once

#include <cstddef>

namespace vow_bench {

// Counting is off by default, so benchmarks that do not measure memory pay one predictable
// branch per allocation. While it is on, every operator new adds malloc_usable_size() of its
// block and every operator delete subtracts it; the difference of two liveHeapBytes() readings
// taken while counting is on is the growth of live bytes between them.
void setCounting(bool on) noexcept;

// The running total (meaningful only as a difference of two readings under counting).
long long liveHeapBytes() noexcept;

// glibc's mallinfo2().uordblks: bytes in use by malloc, all callers, headers included.
std::size_t mallocInUseBytes() noexcept;

// Peak resident set size of this process so far, in KiB (getrusage ru_maxrss).
long peakRssKib() noexcept;

}  // namespace vow_bench
