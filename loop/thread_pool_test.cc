// The thread pool: queueWork's promise and callback forms, pool size, many completions.
#include "vow/loop/thread_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using vow::test::Log;

TEST(LoopThreadPool, QueueWorkResolvesOnTheLoopThread) {
  vow::Loop loop;
  const auto loop_thread = std::this_thread::get_id();
  std::thread::id work_thread;
  int result = 0;
  vow::queueWork([&work_thread] {
    work_thread = std::this_thread::get_id();
    return 21 * 2;
  }).then([&](int v) {
    EXPECT_EQ(std::this_thread::get_id(), loop_thread);
    result = v;
  });
  loop.run();
  EXPECT_EQ(result, 42);
  EXPECT_NE(work_thread, loop_thread);
}

TEST(LoopThreadPool, ExceptionBecomesARejection) {
  vow::Loop loop;
  std::string reason;
  vow::queueWork([]() -> int {
    throw std::runtime_error("in the pool");
  }).catch_([&](const vow::Error& e) {
    reason = e.message();
    return 0;
  });
  loop.run();
  EXPECT_EQ(reason, "in the pool");
}

TEST(LoopThreadPool, VoidWorkAndMoveOnlyResults) {
  vow::Loop loop;
  Log log;
  vow::queueWork([] {}).then([&] { log.push_back("void done"); });
  vow::queueWork([] { return std::make_unique<int>(7); }).then([&](std::unique_ptr<int>&& p) {
    log.push_back(std::to_string(*p));
  });
  loop.run();
  EXPECT_EQ(log.size(), 2u);
}

TEST(LoopThreadPool, CallbackFormRunsAfterInThePollPhaseWithACheckpoint) {
  vow::Loop loop;
  Log log;
  std::atomic<bool> worked{false};
  loop.queueWork([&] { worked = true; },
                 [&] {
                   log.push_back(worked ? "after (work done)" : "after (work missing)");
                   vow::nextTick([&] { log.push_back("after -> tick"); });
                   vow::setImmediate([&] { log.push_back("immediate"); });
                 });
  loop.run();
  EXPECT_EQ(log, (Log{"after (work done)", "after -> tick", "immediate"}));
}

TEST(LoopThreadPool, DefaultSizeIsFourAndJobsRunConcurrently) {
  vow::Loop loop;
  ASSERT_EQ(vow::threadPoolSize(), 4u);
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  int max_inside = 0;
  for (int i = 0; i < 8; ++i) {
    loop.queueWork(
        [&] {
          std::unique_lock<std::mutex> lock(mu);
          ++inside;
          max_inside = std::max(max_inside, inside);
          cv.notify_all();
          // Wait until 4 jobs have been inside at once (the last jobs cannot make 4 again, so
          // they wait for "have been", not "are"). The bound only ends the wait if the pool is
          // smaller (the test then fails); a slow machine just takes longer to get there.
          cv.wait_for(lock, std::chrono::seconds(10), [&] { return max_inside >= 4; });
          --inside;
        },
        [] {});
  }
  loop.run();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(max_inside, 4);
}

TEST(LoopThreadPool, ManyJobsAllComplete) {
  vow::Loop loop;
  constexpr int kJobs = 10000;
  long long sum = 0;
  for (int i = 0; i < kJobs; ++i) {
    vow::queueWork([i] { return i; }).then([&](int v) { sum += v; });
  }
  loop.run();
  EXPECT_EQ(sum, static_cast<long long>(kJobs) * (kJobs - 1) / 2);
}

TEST(LoopThreadPool, SizeFollowsLibuvRules) {
  using vow::internal::threadPoolSizeFrom;
  EXPECT_EQ(threadPoolSizeFrom(nullptr), 4u);
  EXPECT_EQ(threadPoolSizeFrom("8"), 8u);
  EXPECT_EQ(threadPoolSizeFrom("1"), 1u);
  EXPECT_EQ(threadPoolSizeFrom("0"), 1u);
  EXPECT_EQ(threadPoolSizeFrom("abc"), 1u);
  EXPECT_EQ(threadPoolSizeFrom(""), 1u);
  EXPECT_EQ(threadPoolSizeFrom("1024"), 1024u);
  EXPECT_EQ(threadPoolSizeFrom("5000"), 1024u);
  EXPECT_EQ(threadPoolSizeFrom("-1"), 1024u);  // libuv: atoi into an unsigned
  EXPECT_EQ(threadPoolSizeFrom("12abc"), 12u);
}

}  // namespace
