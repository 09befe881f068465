// VOW_THREADPOOL_SIZE is read when the pool starts: set here before anything uses the pool.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/loop/thread_pool.h"

namespace {

// With VOW_THREADPOOL_SIZE=2, two jobs run at once (each waits until the other is inside) and
// a third waits for a free thread.
TEST(LoopThreadPool, SizeComesFromVowThreadpoolSize) {
  vow::Loop loop;
  EXPECT_EQ(vow::threadPoolSize(), 2u);
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  int most_inside = 0;
  bool release = false;
  auto job = [&] {
    std::unique_lock<std::mutex> lock(mu);
    most_inside = std::max(most_inside, ++inside);
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    --inside;
  };
  for (int i = 0; i < 3; ++i) loop.queueWork(job, [] {});
  std::thread releaser([&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return inside == 2; });  // two at once: there are two threads
    // A third thread, if there were one, would be inside well within this time.
    cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return inside > 2; });
    release = true;
    cv.notify_all();
  });
  loop.run();
  releaser.join();
  EXPECT_EQ(most_inside, 2);
}

}  // namespace

int main(int argc, char** argv) {
  ::setenv("VOW_THREADPOOL_SIZE", "2", 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
