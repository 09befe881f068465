// Stress and bad-input checks from the reliability issue that no layer's own suite covers:
// volumes (posts from many threads, a million pending promises dropped), re-entrancy (an
// emitter's listeners removing each other, clearing dead timer handles) and hostile targets
// (a full device, a read-only file, a loop destroyed with work pending).
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vow/promise/testing/test_support.h"
#include "vow/vow.h"

namespace {

using ::testing::ElementsAre;
using vow::test::Counted;
using vow::test::Log;

TEST(StressPost, EightThreadsPostAHundredThousandEach) {
  vow::Loop loop;
  constexpr int kThreads = 8;
  constexpr int kPosts = 100'000;
  long count = 0;  // touched on the loop thread only
  vow::KeepAlive token = loop.keepAlive();
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPosts; ++i) loop.post([&count] { ++count; });
      if (finished.fetch_add(1) + 1 == kThreads) loop.post([&token] { token = vow::KeepAlive(); });
    });
  }
  loop.run();
  for (auto& th : threads) th.join();
  EXPECT_EQ(count, long{kThreads} * kPosts);
}

TEST(StressPromises, MillionPendingPromisesReleasedWithoutSettlingLeakNothing) {
  Counted::live = 0;
  {
    std::vector<vow::ResolveFn<int>> resolvers;
    resolvers.reserve(1'000'000);
    for (int i = 0; i < 1'000'000; ++i) {
      vow::Promise<int>([&](auto resolve, auto) {
        resolvers.push_back(resolve);
      }).then([c = Counted()](int v) { return v; });
    }
    EXPECT_EQ(Counted::live, 1'000'000);
  }
  // Every resolver is gone: nothing can settle them, so every handler was released.
  EXPECT_EQ(Counted::live, 0);
}

TEST(StressEmitter, ListenerRemovingItselfAndOthersDuringEmit) {
  vow::EventEmitter e;
  Log log;
  vow::EventEmitter::ListenerId a = 0, b = 0, c = 0;
  a = e.on("x", [&] {
    log.push_back("a");
    e.off("x", a);  // itself
    e.off("x", c);  // one that has not run yet in this emit
  });
  b = e.on("x", [&] { log.push_back("b"); });
  c = e.on("x", [&] { log.push_back("c"); });
  e.emit("x");  // the snapshot taken at emit still runs c, as Node does
  e.emit("x");
  EXPECT_THAT(log, ElementsAre("a", "b", "c", "b"));
  EXPECT_EQ(e.listenerCount("x"), 1u);
  (void)b;
}

TEST(StressTimers, ClearingFiredClearedAndForeignHandlesIsHarmless) {
  vow::Timeout fired, foreign;
  {
    vow::Loop other;  // a handle made on another loop
    foreign = vow::setTimeout([] {}, 1000);
    foreign.unref();
  }
  vow::Loop loop;
  Log log;
  fired = vow::setTimeout([&] { log.push_back("fired"); }, 1);
  vow::Timeout cleared = vow::setTimeout([&] { log.push_back("not this"); }, 1);
  vow::clearTimeout(cleared);
  loop.run();
  vow::clearTimeout(fired);    // already fired
  vow::clearTimeout(cleared);  // cleared twice
  vow::clearTimeout(foreign);  // its loop is gone
  vow::Timeout never;          // a default handle
  vow::clearTimeout(never);
  vow::setTimeout([&] { log.push_back("later"); }, 1);
  loop.run();
  EXPECT_THAT(log, ElementsAre("fired", "later"));
}

TEST(StressLoop, DestroyingALoopWithPendingWorkRunsNothingAndLeaksNothing) {
  Counted::live = 0;
  bool ran = false;
  {
    vow::Loop loop;
    vow::setTimeout([&ran, c = Counted()] { ran = true; }, 10);
    vow::setImmediate([&ran, c = Counted()] { ran = true; });
    vow::nextTick([&ran, c = Counted()] { ran = true; });
    EXPECT_EQ(Counted::live, 3);
  }
  // Documented outcome: callbacks never run; everything they captured is released.
  EXPECT_FALSE(ran);
  EXPECT_EQ(Counted::live, 0);
}

TEST(StressWriteStream, FullDeviceReportsEveryWriteAndLosesNothingAcknowledged) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full here";
  vow::Loop loop;
  Log log;
  auto w = vow::fs::createWriteStream("/dev/full");
  w->on("error", [&](const vow::Error& e) { log.push_back("error " + e.code()); });
  w->on("close", [&] { log.push_back("close"); });
  w->write("a", [&](vow::Error err) { log.push_back(err ? "cb1 " + err.code() : "cb1 ok"); });
  w->write("b", [&](vow::Error err) { log.push_back(err ? "cb2 " + err.code() : "cb2 ok"); });
  loop.run();
  // No write was acknowledged as done: each callback got the error, then error and close.
  EXPECT_THAT(log, ElementsAre("cb1 ENOSPC", "cb2 ENOSPC", "error ENOSPC", "close"));
}

TEST(StressWriteStream, ReadOnlyTargetFailsToOpenAndReportsEveryWrite) {
  // A file without write permission; root ignores permissions, so as root use a sysfs file
  // the kernel refuses to open for writing.
  std::string path;
  if (geteuid() == 0) {
    path = "/sys/kernel/notes";
    if (access(path.c_str(), F_OK) != 0) GTEST_SKIP() << "no read-only target for root here";
  } else {
    const char* tmp = std::getenv("TEST_TMPDIR");
    path = std::string(tmp != nullptr ? tmp : "/tmp") + "/read_only_target";
    vow::fs::writeFileSync(path, "x");
    chmod(path.c_str(), 0444);
  }
  vow::Loop loop;
  Log log;
  std::string code;
  auto w = vow::fs::createWriteStream(path);
  w->on("error", [&](const vow::Error& e) { log.push_back("error " + e.code()); });
  w->write("a", [&](vow::Error err) {
    code = err ? err.code() : "ok";
    log.push_back("cb " + code);
  });
  loop.run();
  EXPECT_THAT(code, ::testing::AnyOf("EACCES", "EROFS", "EPERM"));
  EXPECT_THAT(log, ElementsAre("cb " + code, "error " + code));
}

}  // namespace
