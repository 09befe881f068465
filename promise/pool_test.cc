#include "vow/promise/internal/pool.h"

#include <cstdint>
#include <cstring>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "vow/promise/promise.h"

namespace vow::internal {
namespace {

struct Block {
  void* p;
  std::size_t size;
};

// Fills each block with a pattern of its own, so overlapping blocks show as a wrong byte.
void fill(const std::vector<Block>& blocks) {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    std::memset(blocks[i].p, static_cast<int>(i * 31 + 7) & 0xff, blocks[i].size);
  }
}
bool intact(const std::vector<Block>& blocks) {
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto want = static_cast<unsigned char>(i * 31 + 7);
    const auto* bytes = static_cast<const unsigned char*>(blocks[i].p);
    for (std::size_t j = 0; j < blocks[i].size; ++j) {
      if (bytes[j] != want) return false;
    }
  }
  return true;
}

TEST(PoolAllocate, BlocksAreAlignedDistinctAndKeepTheirBytes) {
  std::vector<Block> blocks;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t size = 1; size <= kPoolMaxSize + 40; size += 7) {
      blocks.push_back({poolAllocate(size), size});
    }
  }
  for (const Block& b : blocks) {
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b.p) % 16, 0u) << b.size;
  }
  fill(blocks);
  // Free every other block and allocate again: reused blocks must not overlap live ones.
  std::vector<Block> kept;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i % 2 == 0) {
      poolFree(blocks[i].p, blocks[i].size);
    } else {
      kept.push_back(blocks[i]);
    }
  }
  for (std::size_t size = 1; size <= kPoolMaxSize + 40; size += 7) {
    kept.push_back({poolAllocate(size), size});
  }
  fill(kept);
  EXPECT_TRUE(intact(kept));
  for (const Block& b : kept) poolFree(b.p, b.size);
}

TEST(PoolFree, EmptySlabsGoBackToTheSystem) {
  if (!VOW_POOL) GTEST_SKIP() << "the pool is off in this build (sanitizer)";
  // More than the spares a thread keeps (32 slabs of 2 MiB): 128 MiB of blocks.
  constexpr std::size_t kCount = 1'000'000;
  constexpr std::size_t kSize = 128;
  const PoolUsage before = poolUsage();
  std::vector<void*> blocks;
  blocks.reserve(kCount);
  for (std::size_t i = 0; i < kCount; ++i) blocks.push_back(poolAllocate(kSize));
  const PoolUsage full = poolUsage();
  EXPECT_EQ(full.live_bytes - before.live_bytes, kCount * kSize);
  EXPECT_GE(full.slab_bytes, kCount * kSize);
  for (void* p : blocks) poolFree(p, kSize);
  const PoolUsage after = poolUsage();
  EXPECT_EQ(after.live_bytes, before.live_bytes);
  // The spares and the current slab of each class stay; the rest was unmapped.
  EXPECT_LE(after.slab_bytes, before.slab_bytes + 33 * kPoolSlabSize);
  // 61 slabs were in use; at most 33 stay (spares taken before count on both sides).
  EXPECT_GE(full.slab_bytes - after.slab_bytes, 25 * kPoolSlabSize);
}

TEST(PoolFree, BlocksFreedOnAnotherThreadAreReusedByTheirOwner) {
  if (!VOW_POOL) GTEST_SKIP() << "the pool is off in this build (sanitizer)";
  constexpr int kCount = 50'000;
  std::vector<void*> blocks;
  for (int i = 0; i < kCount; ++i) blocks.push_back(poolAllocate(64));
  const std::size_t slabs_at_peak = poolUsage().slab_bytes;
  std::thread([&blocks] {
    for (void* p : blocks) poolFree(p, 64);
  }).join();
  // The owner takes them back the next time its current slab runs dry: allocating as many
  // again needs no new slab.
  std::vector<void*> again;
  for (int i = 0; i < kCount; ++i) again.push_back(poolAllocate(64));
  EXPECT_LE(poolUsage().slab_bytes, slabs_at_peak);
  for (void* p : again) poolFree(p, 64);
}

TEST(PoolFree, BlocksOutliveTheThreadThatAllocatedThem) {
  std::vector<Block> blocks;
  std::thread([&blocks] {
    for (std::size_t i = 0; i < 10'000; ++i) {
      const std::size_t size = 16 + (i % 20) * 16;
      blocks.push_back({poolAllocate(size), size});
    }
    fill(blocks);
  }).join();
  // The thread's heap is gone; its slabs stay while they hold live blocks.
  EXPECT_TRUE(intact(blocks));
  for (const Block& b : blocks) poolFree(b.p, b.size);
}

TEST(PoolAllocate, PromisesSettleOnAThreadThatExitsWithTheirReactionsQueued) {
  // States and reactions allocated on a thread, part of them freed by the thread's exit (its
  // job queue is released then), the rest by the main thread after it.
  std::vector<Promise<int>> survivors;
  std::thread([&survivors] {
    for (int i = 0; i < 1000; ++i) {
      auto p = Promise<int>::resolve(i).then([](int x) { return x + 1; });
      if (i % 2 == 0) survivors.push_back(Promise<int>::resolve(i));
    }
  }).join();
  EXPECT_EQ(survivors.size(), 500u);
  survivors.clear();
}

}  // namespace
}  // namespace vow::internal
