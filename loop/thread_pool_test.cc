// The thread pool: queueWork's promise and callback forms, pool size, many completions.
#include "vow/loop/thread_pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "vow/loop/abort_controller.h"
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

// A gate pool jobs wait on, opened from the test thread.
class Gate {
 public:
  void open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Queues one job per pool thread that waits for `gate`, and returns once all of them run: until
// the gate opens, every further job waits in the pool's queue.
void occupyEveryPoolThread(Gate& gate) {
  auto started = std::make_shared<std::atomic<std::size_t>>(0);
  const std::size_t threads = vow::threadPoolSize();
  for (std::size_t i = 0; i < threads; ++i) {
    vow::queueWork([started, &gate] {
      ++*started;
      gate.wait();
    });
  }
  while (started->load() < threads) std::this_thread::yield();
}

TEST(QueueWorkSignal, AnAlreadyAbortedSignalRejectsWithoutRunningTheJob) {
  vow::Loop loop;
  std::atomic<bool> ran{false};
  std::string seen;
  vow::queueWork([&ran] { ran = true; }, {.signal = vow::AbortSignal::abort(vow::Exception("no"))})
      .catch_([&](const vow::AbortError& e) { seen = e.message() + " / " + e.cause().message(); });
  loop.run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(seen, "The operation was aborted / no");
}

TEST(QueueWorkSignal, AbortingAJobNoThreadStartedDropsItUnrunAndRejectsAtOnce) {
  vow::Loop loop;
  Log log;
  Gate gate;
  occupyEveryPoolThread(gate);  // the next job waits in the pool's queue
  auto captured = std::make_shared<int>(7);
  std::weak_ptr<int> watch = captured;
  std::atomic<bool> ran{false};
  vow::AbortController c;
  vow::queueWork(
      [&ran, captured = std::move(captured)] {
        ran = true;
        return *captured;
      },
      {.signal = c.signal()})
      .then([&](int) { log("fulfilled"); },
            [&](const vow::Error& e) { log("rejected " + e.name() + " " + e.code()); });
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  c.abort();
  log("aborted");
  EXPECT_TRUE(watch.expired());  // the job's closure went with the cancellation
  gate.open();
  loop.run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(log, (Log{"aborted", "micro", "rejected AbortError ABORT_ERR"}));
}

TEST(QueueWorkSignal, AbortingARunningJobRejectsAndDropsItsResult) {
  vow::Loop loop;
  Log log;
  Gate gate;
  std::atomic<bool> started{false}, finished{false};
  vow::AbortController c;
  vow::queueWork(
      [&] {
        started = true;
        gate.wait();
        finished = true;
        return 5;
      },
      {.signal = c.signal()})
      .then([&](int v) { log("fulfilled " + std::to_string(v)); },
            [&](const vow::Error& e) { log("rejected " + e.name()); });
  while (!started.load()) std::this_thread::yield();
  c.abort();  // from the loop thread, while the job runs on a pool thread
  gate.open();
  loop.run();  // waits for the running job: it still keeps the loop alive
  EXPECT_TRUE(finished);
  EXPECT_EQ(log, (Log{"rejected AbortError"}));
}

TEST(QueueWorkSignal, AbortAfterTheJobSettledChangesNothing) {
  vow::Loop loop;
  Log log;
  vow::AbortController c;
  vow::queueWork([] { return 3; }, {.signal = c.signal()}).then([&](int v) {
    log("fulfilled " + std::to_string(v));
    c.abort();
  });
  loop.run();
  EXPECT_EQ(log, (Log{"fulfilled 3"}));
}

TEST(QueueWorkSignal, ABatchCancelledByOneControllerLeavesNothingQueued) {
  vow::Loop loop;
  Gate gate;
  std::atomic<int> ran{0};
  occupyEveryPoolThread(gate);
  vow::AbortController c;
  c.signal().setMaxListeners(0);
  int rejected = 0;
  for (int i = 0; i < 1000; ++i) {
    vow::queueWork([&] { ++ran; }, {.signal = c.signal()}).catch_([&](const vow::AbortError&) {
      ++rejected;
    });
  }
  c.abort();
  gate.open();
  loop.run();
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(rejected, 1000);
}

}  // namespace
