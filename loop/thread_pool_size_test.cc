// VOW_THREADPOOL_SIZE is read when the pool starts: set here before anything uses the pool.
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/loop/thread_pool.h"

namespace {

TEST(LoopThreadPool, SizeComesFromVowThreadpoolSize) {
  vow::Loop loop;
  EXPECT_EQ(vow::threadPoolSize(), 2u);
  std::mutex mu;
  std::set<std::thread::id> threads;
  for (int i = 0; i < 200; ++i) {
    loop.queueWork(
        [&] {
          std::lock_guard<std::mutex> lock(mu);
          threads.insert(std::this_thread::get_id());
        },
        [] {});
  }
  loop.run();
  EXPECT_LE(threads.size(), 2u);
  EXPECT_GE(threads.size(), 1u);
}

}  // namespace

int main(int argc, char** argv) {
  ::setenv("VOW_THREADPOOL_SIZE", "2", 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
