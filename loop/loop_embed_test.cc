// The embedding API of vow::Loop (libuv's uv_run modes, uv_backend_fd, uv_backend_timeout),
// without a host loop: //loop/embed tests it under libuv and Asio.
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <thread>

#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/loop/testing/pipe.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using vow::test::Log;

using vow::test::Pipe;

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

// Sleeps long enough for a 1 ms timer to be due (the clock is monotonic: no race).
void letOneMillisecondPass() {
  timespec ts{0, 3 * 1000 * 1000};
  ::nanosleep(&ts, nullptr);
}

TEST(LoopEmbed, RunNoWaitRunsOneIterationInNodePhaseOrder) {
  vow::Loop loop;
  Log log;
  Pipe pipe;
  pipe.write();
  vow::IoWatcher watcher = loop.watch(pipe.fd[0], vow::kReadable, [&](std::uint32_t) {
    pipe.read();
    log.push_back("poll: io");
    watcher.close();
  });
  loop.queuePending([&] { log.push_back("pending"); });
  loop.queueClose([&] { log.push_back("close"); });
  vow::setImmediate([&] { log.push_back("check: immediate"); });
  vow::setTimeout([&] { log.push_back("timers: timeout"); }, 1);
  vow::nextTick([&] { log.push_back("checkpoint: tick"); });
  letOneMillisecondPass();
  EXPECT_FALSE(loop.run(vow::RunMode::kNoWait));
  // libuv's UV_RUN_NOWAIT: no timers before the iteration; they end it.
  EXPECT_EQ(log, (Log{"checkpoint: tick", "pending", "poll: io", "check: immediate", "close",
                      "timers: timeout"}));
}

TEST(LoopEmbed, RunDefaultRunsTheDueTimersBeforeTheFirstIteration) {
  vow::Loop loop;
  Log log;
  loop.queuePending([&] { log.push_back("pending"); });
  vow::setImmediate([&] { log.push_back("immediate"); });
  vow::setTimeout([&] { log.push_back("timeout"); }, 1);
  letOneMillisecondPass();
  EXPECT_FALSE(loop.run(vow::RunMode::kDefault));
  EXPECT_EQ(log, (Log{"timeout", "pending", "immediate"}));
}

TEST(LoopEmbed, RunNoWaitReturnsWithoutWaitingForAFarTimer) {
  vow::Loop loop;
  bool fired = false;
  vow::Timeout t = vow::setTimeout([&] { fired = true; }, 60000);
  // Blocking here would time the test out.
  EXPECT_TRUE(loop.run(vow::RunMode::kNoWait));
  EXPECT_FALSE(fired);
  EXPECT_TRUE(loop.alive());
  vow::clearTimeout(t);
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, RunNoWaitDrainsWhatHostCodeQueuedEvenWhenNotAlive) {
  vow::Loop loop;
  Log log;
  vow::Promise<void>::resolve().then([&] { log.push_back("then"); });
  vow::nextTick([&] { log.push_back("tick"); });
  EXPECT_FALSE(loop.alive());
  EXPECT_EQ(loop.backendTimeout(), 0);
  EXPECT_FALSE(loop.run(vow::RunMode::kNoWait));
  EXPECT_EQ(log, (Log{"tick", "then"}));
  EXPECT_EQ(loop.backendTimeout(), -1);
}

TEST(LoopEmbed, RunOnceWaitsForTheNextEventThenReturns) {
  vow::Loop loop;
  Log log;
  Pipe pipe;
  vow::IoWatcher watcher = loop.watch(pipe.fd[0], vow::kReadable, [&](std::uint32_t) {
    pipe.read();
    log.push_back("io");
  });
  std::thread writer([&] { pipe.write(); });
  EXPECT_TRUE(loop.run(vow::RunMode::kOnce));  // blocks until the writer's byte
  writer.join();
  EXPECT_EQ(log, (Log{"io"}));
  EXPECT_TRUE(loop.alive());  // the watcher is still active
}

TEST(LoopEmbed, BackendTimeoutSaysWhenVowNeedsToRun) {
  vow::Loop loop;
  EXPECT_EQ(loop.backendTimeout(), -1);  // nothing at all
  {
    vow::Timeout t = vow::setTimeout([] {}, 5000);
    int timeout = loop.backendTimeout();
    EXPECT_GT(timeout, 4000);
    EXPECT_LE(timeout, 5000);
    t.unref();  // an unref'd timer alone: the loop is not alive, run(kNoWait) would not run it
    EXPECT_EQ(loop.backendTimeout(), -1);
    vow::clearTimeout(t);
  }
  Pipe pipe;
  vow::IoWatcher watcher = loop.watch(pipe.fd[0], vow::kReadable, [](std::uint32_t) {});
  EXPECT_EQ(loop.backendTimeout(), -1);  // only an fd to wait for: backendFd() tells
  vow::Immediate immediate = vow::setImmediate([] {});
  EXPECT_EQ(loop.backendTimeout(), 0);
  vow::clearImmediate(immediate);
  EXPECT_EQ(loop.backendTimeout(), -1);
  vow::queueMicrotask([] {});
  EXPECT_EQ(loop.backendTimeout(), 0);
  loop.run(vow::RunMode::kNoWait);
  EXPECT_EQ(loop.backendTimeout(), -1);
  loop.process().setUnhandledRejections(vow::UnhandledRejections::kNone);
  auto rejected =
      vow::Promise<int>::reject(std::runtime_error("nobody listens"));  // a report is due
  EXPECT_EQ(loop.backendTimeout(), 0);
  loop.run(vow::RunMode::kNoWait);
  EXPECT_EQ(loop.backendTimeout(), -1);
}

TEST(LoopEmbed, BackendFdIsReadableWhileAPostWaitsAndDrainedByRunNoWait) {
  vow::Loop loop;
  EXPECT_FALSE(readable(loop.backendFd()));
  bool ran = false;
  std::thread poster([&loop, &ran] { loop.post([&ran] { ran = true; }); });
  poster.join();
  EXPECT_TRUE(readable(loop.backendFd()));
  EXPECT_EQ(loop.backendTimeout(), 0);
  EXPECT_FALSE(loop.run(vow::RunMode::kNoWait));
  EXPECT_TRUE(ran);
  EXPECT_FALSE(readable(loop.backendFd()));
}

TEST(LoopEmbed, BackendFdIsDrainedAfterAKeepAliveIsReleased) {
  vow::Loop loop;
  std::optional<vow::KeepAlive> token = loop.keepAlive();
  EXPECT_TRUE(loop.alive());
  std::thread releaser([&token] { token.reset(); });  // wakes the loop, posts nothing
  releaser.join();
  EXPECT_TRUE(readable(loop.backendFd()));
  EXPECT_FALSE(loop.run(vow::RunMode::kNoWait));
  // Left readable, the fd would make a host call run(kNoWait) again and again.
  EXPECT_FALSE(readable(loop.backendFd()));
}

TEST(LoopEmbed, BackendFdIsReadableWhileAWatchedFdIsReady) {
  vow::Loop loop;
  Pipe pipe;
  Log log;
  vow::IoWatcher watcher = loop.watch(pipe.fd[0], vow::kReadable, [&](std::uint32_t) {
    pipe.read();
    log.push_back("io");
  });
  EXPECT_FALSE(readable(loop.backendFd()));
  pipe.write();
  EXPECT_TRUE(readable(loop.backendFd()));
  EXPECT_TRUE(loop.run(vow::RunMode::kNoWait));
  EXPECT_EQ(log, (Log{"io"}));
  EXPECT_FALSE(readable(loop.backendFd()));
}

TEST(LoopEmbed, RunNoWaitAfterAnExceptionFinishesTheIterationAsRunWould) {
  vow::Loop loop;
  Log log;
  vow::setImmediate([&] {
    log.push_back("immediate 1");
    vow::nextTick([&] { log.push_back("tick left by 1"); });
    throw std::runtime_error("boom");
  });
  vow::setImmediate([&] { log.push_back("immediate 2"); });
  loop.queueClose([&] { log.push_back("close"); });
  try {
    loop.run(vow::RunMode::kNoWait);
    log.push_back("no exception");
  } catch (const std::runtime_error& e) {
    log.push_back(std::string("caught ") + e.what());
  }
  EXPECT_EQ(loop.backendTimeout(), 0);  // the rest of the check phase is due
  loop.run(vow::RunMode::kNoWait);
  // As after run(): the rest of the batch without a checkpoint first; the tick left behind waits
  // for the checkpoint after the next callback.
  EXPECT_EQ(log, (Log{"immediate 1", "caught boom", "immediate 2", "tick left by 1", "close"}));
  // Node's setImmediate(noop) after 'uncaughtException' runs in the next check phase.
  EXPECT_TRUE(loop.alive());
  EXPECT_FALSE(loop.run(vow::RunMode::kNoWait));
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, RunModeInsideACallbackThrowsLogicError) {
  vow::Loop loop;
  bool threw = false;
  vow::setImmediate([&] {
    try {
      loop.run(vow::RunMode::kNoWait);
    } catch (const std::logic_error&) {
      threw = true;
    }
  });
  loop.run(vow::RunMode::kNoWait);
  EXPECT_TRUE(threw);
}

}  // namespace
