// vow::ThreadSafeResolvers: promises of a loop settled from threads vow does not own. Run under
// ThreadSanitizer in CI (bazel test --config=tsan //loop/...).
#include "vow/loop/thread_safe_resolvers.h"

#include <atomic>
#include <memory>
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

TEST(ThreadSafeResolvers, ResolveFromAnotherThreadSettlesOnTheLoopThread) {
  vow::Loop loop;
  auto [promise, resolver] = vow::ThreadSafeResolvers<std::string>::make();
  std::thread::id settled_on;
  std::string got;
  promise.then([&](const std::string& v) {
    settled_on = std::this_thread::get_id();
    got = v;
  });
  std::thread worker([resolver = resolver] { resolver.resolve("from the worker"); });
  loop.run();
  worker.join();
  EXPECT_EQ(got, "from the worker");
  EXPECT_EQ(settled_on, std::this_thread::get_id());
}

TEST(ThreadSafeResolvers, KeepsTheLoopAliveUntilSettledThenLetsItGo) {
  vow::Loop loop;
  EXPECT_FALSE(loop.alive());
  auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();
  EXPECT_TRUE(loop.alive());  // nothing else is queued
  int got = 0;
  promise.then([&](int v) { got = v; });
  std::thread worker([resolver = resolver] { EXPECT_TRUE(resolver.resolve(7)); });
  worker.join();
  EXPECT_TRUE(loop.alive());  // the settlement is posted, not run yet
  loop.run(vow::RunMode::kNoWait);
  EXPECT_EQ(got, 7);
  EXPECT_FALSE(loop.alive());  // a copy of the resolver is still here, settled
}

TEST(ThreadSafeResolvers, SettlesInThePollPhaseWithACheckpointAfter) {
  vow::Loop loop;
  Log log;
  auto [promise, resolver] = vow::ThreadSafeResolvers<void>::make();
  promise.then([&] {
    log.push_back("then");
    vow::nextTick([&] { log.push_back("tick after then"); });
  });
  vow::setImmediate([&] { log.push_back("immediate"); });
  vow::nextTick([&] { log.push_back("main tick"); });
  std::thread worker([resolver = resolver] { resolver.resolve(); });
  worker.join();
  loop.run();
  EXPECT_EQ(log, (Log{"main tick", "then", "tick after then", "immediate"}));
}

TEST(ThreadSafeResolvers, RejectCarriesTheExceptionType) {
  vow::Loop loop;
  auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();
  std::string caught;
  promise.catch_([&](const std::out_of_range& e) {
    caught = e.what();
    return 0;
  });
  std::thread worker([resolver = resolver] { resolver.reject(std::out_of_range("no such key")); });
  worker.join();
  loop.run();
  EXPECT_EQ(caught, "no such key");
}

TEST(ThreadSafeResolvers, OnlyTheFirstOfManyThreadsSettles) {
  vow::Loop loop;
  auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();
  constexpr int kThreads = 8;
  std::atomic<int> winners{0};
  std::atomic<int> winner{-1};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i, resolver = resolver] {
      while (!go.load()) std::this_thread::yield();
      bool won = i % 2 == 0 ? resolver.resolve(i) : resolver.reject(std::runtime_error("odd"));
      if (won) {
        winners.fetch_add(1);
        winner.store(i);
      }
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  std::string outcome;
  promise.then([&](int v) { outcome = "resolved " + std::to_string(v); },
               [&](const vow::Error& e) { outcome = "rejected " + e.message(); });
  loop.run();
  ASSERT_EQ(winners.load(), 1);
  int w = winner.load();
  EXPECT_EQ(outcome, w % 2 == 0 ? "resolved " + std::to_string(w) : std::string("rejected odd"));
}

TEST(ThreadSafeResolvers, DroppedUnsettledOnAnotherThreadRejectsWithResolverDropped) {
  vow::Loop loop;
  auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();
  std::string code;
  std::string message;
  promise.catch_([&](const vow::Error& e) {
    code = e.code();
    message = e.message();
    return 0;
  });
  // The only copy goes to the worker, which drops it without settling.
  std::thread worker([r = std::make_unique<vow::ThreadSafeResolver<int>>(std::move(resolver))] {});
  worker.join();
  loop.run();
  EXPECT_EQ(code, vow::kResolverDroppedCode);
  EXPECT_EQ(message, "ThreadSafeResolver destroyed without settling its promise");
}

TEST(ThreadSafeResolvers, SettlesWhileTheLoopIsBlockedInPoll) {
  vow::Loop loop;
  auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();
  int got = 0;
  promise.then([&](int v) { got = v; });
  std::thread worker;
  // Start the worker from inside the loop, so that run() has nothing else to wait for.
  vow::setImmediate(
      [&, resolver = resolver] { worker = std::thread([resolver] { resolver.resolve(42); }); });
  loop.run();
  worker.join();
  EXPECT_EQ(got, 42);
}

}  // namespace
