// vow::Loop: phases, checkpoints, ref/unref exit behaviour, exceptions leaving run(), post.
#include "vow/loop/loop.h"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "vow/loop/testing/pipe.h"
#include "vow/promise/promise.h"
#include "vow/promise/promisify.h"
#include "vow/promise/testing/test_support.h"

namespace {

using vow::test::Log;

using vow::test::Pipe;

TEST(LoopRun, ChecksPointAfterMainProgramBeforeAnyPhase) {
  vow::Loop loop;
  Log log;
  vow::setTimeout([&] { log.push_back("timeout"); }, 0);
  vow::setImmediate([&] { log.push_back("immediate"); });
  vow::Promise<void>::resolve().then([&] { log.push_back("then"); });
  vow::nextTick([&] { log.push_back("tick"); });
  log.push_back("sync");
  loop.run();
  ASSERT_GE(log.size(), 4u);
  EXPECT_EQ(Log(log.begin(), log.begin() + 3), (Log{"sync", "tick", "then"}));
}

TEST(LoopRun, ReturnsAtOnceWhenNothingIsQueued) {
  vow::Loop loop;
  EXPECT_FALSE(loop.alive());
  loop.run();
}

TEST(LoopRun, CurrentIsTheInnermostLoop) {
  vow::Loop outer;
  EXPECT_EQ(&vow::Loop::current(), &outer);
  {
    vow::Loop inner;
    EXPECT_EQ(&vow::Loop::current(), &inner);
  }
  EXPECT_EQ(&vow::Loop::current(), &outer);
}

TEST(LoopRun, ReentrantRunThrowsLogicError) {
  vow::Loop loop;
  bool threw = false;
  vow::setImmediate([&] {
    try {
      loop.run();
    } catch (const std::logic_error&) {
      threw = true;
    }
  });
  loop.run();
  EXPECT_TRUE(threw);
}

TEST(LoopPhases, IoCallbackThenImmediateThenTimer) {
  // Inside an I/O callback (poll phase), setImmediate always runs before setTimeout(0): the
  // check phase comes before the next timers phase.
  vow::Loop loop;
  Log log;
  Pipe fds;
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  vow::IoWatcher w;
  w = loop.watch(fds[0], vow::kReadable, [&](std::uint32_t) {
    log.push_back("io");
    w.stop();
    vow::setTimeout([&] { log.push_back("timeout"); }, 0);
    vow::setImmediate([&] { log.push_back("immediate"); });
    vow::nextTick([&] { log.push_back("io -> tick"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"io", "io -> tick", "immediate", "timeout"}));
}

TEST(LoopPhases, ImmediateThenTimerFromTimer) {
  // From a timer, a setImmediate runs in the check phase of the same iteration, before a new
  // setTimeout(0) (the next timers phase).
  vow::Loop loop;
  Log log;
  vow::setTimeout(
      [&] {
        vow::setTimeout([&] { log.push_back("timeout"); }, 0);
        vow::setImmediate([&] { log.push_back("immediate"); });
      },
      1);
  loop.run();
  EXPECT_EQ(log, (Log{"immediate", "timeout"}));
}

TEST(LoopPhases, CloseCallbacksRunAfterCheck) {
  vow::Loop loop;
  Log log;
  vow::setImmediate([&] {
    log.push_back("immediate 1");
    loop.queueClose([&] { log.push_back("close"); });
    vow::setImmediate([&] { log.push_back("immediate 2"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"immediate 1", "close", "immediate 2"}));
}

TEST(LoopPhases, PendingCallbacksRunBeforePoll) {
  vow::Loop loop;
  Log log;
  vow::setTimeout(
      [&] {
        loop.queuePending([&] { log.push_back("pending"); });
        vow::setImmediate([&] { log.push_back("immediate"); });
        log.push_back("timer");
      },
      1);
  loop.run();
  EXPECT_EQ(log, (Log{"timer", "pending", "immediate"}));
}

TEST(LoopOrdering, NextTickBeforeMicrotasksAtEveryCheckpoint) {
  vow::Loop loop;
  Log log;
  vow::setImmediate([&] {
    vow::Promise<void>::resolve().then([&] {
      log.push_back("then 1");
      vow::nextTick([&] { log.push_back("tick from then"); });
    });
    vow::nextTick([&] { log.push_back("tick 1"); });
    vow::queueMicrotask([&] { log.push_back("microtask"); });
  });
  vow::setImmediate([&] { log.push_back("immediate 2"); });
  loop.run();
  // The microtask queue drains fully, then the tick it queued runs, all before immediate 2.
  EXPECT_EQ(log, (Log{"tick 1", "then 1", "microtask", "tick from then", "immediate 2"}));
}

TEST(LoopOrdering, NextTickQueuedByNextTickRunsBeforeMicrotasks) {
  vow::Loop loop;
  Log log;
  vow::Promise<void>::resolve().then([&] { log.push_back("then"); });
  vow::nextTick([&] {
    log.push_back("tick 1");
    vow::nextTick([&] { log.push_back("tick 2"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"tick 1", "tick 2", "then"}));
}

TEST(LoopRefUnref, UnrefedTimerDoesNotKeepLoopAlive) {
  vow::Loop loop;
  bool fired = false;
  vow::setTimeout([&] { fired = true; }, 5).unref();
  loop.run();
  EXPECT_FALSE(fired);
}

TEST(LoopRefUnref, UnrefedTimerFiresWhileSomethingElseKeepsLoopAlive) {
  vow::Loop loop;
  Log log;
  vow::setTimeout([&] { log.push_back("unref 5"); }, 5).unref();
  vow::setTimeout([&] { log.push_back("ref 30"); }, 30);
  loop.run();
  EXPECT_EQ(log, (Log{"unref 5", "ref 30"}));
}

TEST(LoopRefUnref, RefAgainKeepsLoopAlive) {
  vow::Loop loop;
  bool fired = false;
  vow::Timeout t = vow::setTimeout([&] { fired = true; }, 2);
  t.unref();
  EXPECT_FALSE(t.hasRef());
  t.ref();
  EXPECT_TRUE(t.hasRef());
  loop.run();
  EXPECT_TRUE(fired);
}

TEST(LoopRefUnref, UnrefedImmediateDoesNotKeepLoopAlive) {
  vow::Loop loop;
  bool ran = false;
  vow::Immediate i = vow::setImmediate([&] { ran = true; });
  EXPECT_TRUE(i.hasRef());
  i.unref();
  EXPECT_FALSE(i.hasRef());
  loop.run();
  EXPECT_FALSE(ran);
  i.ref();  // still queued: now it keeps the loop alive and runs
  loop.run();
  EXPECT_TRUE(ran);
  EXPECT_FALSE(i.hasRef());
}

TEST(LoopRefUnref, UnrefedWatcherDoesNotKeepLoopAlive) {
  vow::Loop loop;
  Pipe fds;
  vow::IoWatcher w = loop.watch(fds[0], vow::kReadable, [](std::uint32_t) {});
  EXPECT_TRUE(w.hasRef());
  EXPECT_TRUE(loop.alive());
  w.unref();
  EXPECT_FALSE(loop.alive());
  loop.run();
}

TEST(LoopIo, WatcherOutlivingItsLoopDoesNothing) {
  Pipe fds;
  vow::IoWatcher active;
  vow::IoWatcher stopped;
  {
    vow::Loop loop;
    active = loop.watch(fds[0], vow::kReadable, [](std::uint32_t) {});
    stopped = loop.watch(fds[1], vow::kWritable, [](std::uint32_t) {});
    stopped.stop();
  }
  EXPECT_FALSE(active.isActive());
  for (vow::IoWatcher* w : {&active, &stopped}) {
    w->start(vow::kReadable | vow::kWritable);
    EXPECT_FALSE(w->isActive()) << "a watcher of a destroyed loop cannot start";
    EXPECT_FALSE(w->ref().hasRef());
    w->unref();
    w->stop();
  }
  vow::Loop next;
  EXPECT_FALSE(next.alive());
}

TEST(LoopRefUnref, KeepAliveHoldsLoopUntilReleasedFromAnotherThread) {
  vow::Loop loop;
  bool ran = false;
  vow::KeepAlive token = loop.keepAlive();
  std::thread other([&loop, token = std::move(token)]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.post([] {});
    token = vow::KeepAlive();  // released: the loop may end once the post ran
  });
  loop.post([&] { ran = true; });
  loop.run();
  other.join();
  EXPECT_TRUE(ran);
  EXPECT_FALSE(loop.alive());
}

TEST(LoopIo, WatchesWritabilityAndReadability) {
  vow::Loop loop;
  Log log;
  Pipe fds;
  vow::IoWatcher reader;
  vow::IoWatcher writer;
  reader = loop.watch(fds[0], vow::kReadable, [&](std::uint32_t ev) {
    EXPECT_TRUE(ev & vow::kReadable);
    char buf[16];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    log.push_back("read " + std::string(buf, n > 0 ? n : 0));
    reader.stop();
  });
  writer = loop.watch(fds[1], vow::kWritable, [&](std::uint32_t ev) {
    EXPECT_TRUE(ev & vow::kWritable);
    ASSERT_EQ(::write(fds[1], "hi", 2), 2);
    log.push_back("wrote");
    writer.stop();
  });
  loop.run();
  EXPECT_EQ(log, (Log{"wrote", "read hi"}));
}

// Regression: stop() inside the callback removed the watcher from the loop's table, so the
// callback was not put back; start() later and the next event called an empty AnyInvocable.
TEST(LoopIo, StoppedInsideItsCallbackAndStartedLaterKeepsItsCallback) {
  vow::Loop loop;
  Log log;
  Pipe fds;
  ASSERT_EQ(::write(fds[1], "ab", 2), 2);
  vow::IoWatcher reader;
  reader = loop.watch(fds[0], vow::kReadable, [&](std::uint32_t) {
    char c;
    ASSERT_EQ(::read(fds[0], &c, 1), 1);
    log.push_back(std::string("read ") + c);
    reader.stop();
    if (c == 'a') {
      vow::setImmediate([&] {
        log.push_back("start again");
        reader.start(vow::kReadable);
      });
    }
  });
  loop.run();
  EXPECT_EQ(log, (Log{"read a", "start again", "read b"}));
  EXPECT_FALSE(reader.isActive());
}

TEST(LoopIo, StopThenStartInsideItsCallbackKeepsWatching) {
  vow::Loop loop;
  Log log;
  Pipe fds;
  ASSERT_EQ(::write(fds[1], "abc", 3), 3);
  vow::IoWatcher reader;
  reader = loop.watch(fds[0], vow::kReadable, [&](std::uint32_t) {
    char c;
    ASSERT_EQ(::read(fds[0], &c, 1), 1);
    log.push_back(std::string("read ") + c);
    reader.stop();
    if (c != 'c') reader.start(vow::kReadable);
  });
  loop.run();
  EXPECT_EQ(log, (Log{"read a", "read b", "read c"}));
}

TEST(LoopIo, DestroyedInsideItsCallbackIsSafe) {
  vow::Loop loop;
  Log log;
  Pipe fds;
  ASSERT_EQ(::write(fds[1], "ab", 2), 2);
  vow::IoWatcher reader;
  std::string label = "reader";  // copied into the callback: must outlive its watcher
  reader = loop.watch(fds[0], vow::kReadable, [&, label](std::uint32_t) {
    reader = vow::IoWatcher();  // destroys the watcher whose callback this is
    log.push_back(label + " destroyed itself");
    vow::nextTick([&] { log.push_back("tick"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"reader destroyed itself", "tick"}));
  EXPECT_FALSE(loop.alive());
}

// A program using only //loop gets Node's callbackify delivery: process.nextTick, so the
// callbacks come after every microtask (queueMicrotask would interleave them). Checked against
// node v20.20.2: ["m1","m2","m3","cb 1","cb !neg"].
TEST(LoopCallbackify, DeliversThroughNextTickAfterTheMicrotasksLikeNode) {
  vow::Loop loop;
  Log log;
  auto f = vow::callbackify([](int x) {
    return x < 0 ? vow::Promise<int>::reject(vow::Exception("neg")) : vow::Promise<int>::resolve(x);
  });
  f(1, [&](const vow::Error& e, int v) { log.push_back("cb " + std::to_string(v)); });
  f(-1, [&](const vow::Error& e, int) { log.push_back("cb !" + e.message()); });
  vow::queueMicrotask([&] {
    log.push_back("m1");
    vow::queueMicrotask([&] {
      log.push_back("m2");
      vow::queueMicrotask([&] { log.push_back("m3"); });
    });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"m1", "m2", "m3", "cb 1", "cb !neg"}));
}

// Node (with process.on('uncaughtException', ...) where vow catches around run()):
//   setTimeout(() => { log('a'); Promise.resolve().then(() => log('a -> then')); throw e; }, 1);
//   setTimeout(() => log('b'), 1);
// prints a, b, a -> then: RunTimers calls processTimers again at once, and the checkpoint after
// the failed callback is skipped.
TEST(LoopExceptions, TimerExceptionLeavesRunAndRunGoesOn) {
  vow::Loop loop;
  Log log;
  vow::setTimeout(
      [&] {
        log.push_back("a");
        vow::Promise<void>::resolve().then([&] { log.push_back("a -> then"); });
        throw std::runtime_error("boom");
      },
      1);
  vow::setTimeout([&] { log.push_back("b"); }, 1);
  EXPECT_THROW(
      {
        try {
          loop.run();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "boom");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(log, (Log{"a"}));
  loop.run();
  EXPECT_EQ(log, (Log{"a", "b", "a -> then"}));
}

TEST(LoopExceptions, IntervalThatThrowsStaysScheduled) {
  vow::Loop loop;
  int runs = 0;
  vow::Timeout t;
  t = vow::setInterval(
      [&] {
        if (++runs == 3) vow::clearInterval(t);
        throw std::runtime_error("tick");
      },
      1);
  int caught = 0;
  for (int i = 0; i < 10 && loop.alive(); ++i) {
    try {
      loop.run();
    } catch (const std::runtime_error&) {
      ++caught;
    }
  }
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(caught, 3);
}

TEST(LoopExceptions, ImmediateExceptionKeepsTheRestOfTheBatchFirst) {
  vow::Loop loop;
  Log log;
  vow::setImmediate([&] {
    log.push_back("1");
    vow::setImmediate([&] { log.push_back("3 (next batch)"); });
    throw std::runtime_error("boom");
  });
  vow::setImmediate([&] { log.push_back("2"); });
  EXPECT_THROW(loop.run(), std::runtime_error);
  loop.run();
  EXPECT_EQ(log, (Log{"1", "2", "3 (next batch)"}));
}

TEST(LoopExceptions, NextTickExceptionLeavesRunRemainingTicksStay) {
  vow::Loop loop;
  Log log;
  vow::nextTick([&] { throw std::runtime_error("tick boom"); });
  vow::nextTick([&] { log.push_back("second tick"); });
  EXPECT_THROW(loop.run(), std::runtime_error);
  EXPECT_TRUE(log.empty());
  loop.run();
  EXPECT_EQ(log, (Log{"second tick"}));
}

TEST(LoopExceptions, MicrotaskExceptionLeavesRun) {
  vow::Loop loop;
  Log log;
  vow::queueMicrotask([] { throw std::runtime_error("microtask boom"); });
  vow::queueMicrotask([&] { log.push_back("after"); });
  EXPECT_THROW(loop.run(), std::runtime_error);
  loop.run();
  EXPECT_EQ(log, (Log{"after"}));
}

TEST(LoopExceptions, IoCallbackExceptionLeavesRun) {
  vow::Loop loop;
  Pipe fds;
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  int calls = 0;
  vow::IoWatcher w = loop.watch(fds[0], vow::kReadable, [&](std::uint32_t) {
    if (++calls == 2) w.stop();
    throw std::runtime_error("io boom");
  });
  EXPECT_THROW(loop.run(), std::runtime_error);
  EXPECT_THROW(loop.run(), std::runtime_error);  // the callback survived the first throw
  loop.run();
  EXPECT_EQ(calls, 2);
}

TEST(LoopPost, PostFromManyThreadsRunsEveryCallbackOnTheLoopThread) {
  vow::Loop loop;
  constexpr int kThreads = 8;
  constexpr int kPosts = 500;
  int count = 0;  // only touched on the loop thread
  const auto loop_thread = std::this_thread::get_id();
  bool wrong_thread = false;
  vow::KeepAlive token = loop.keepAlive();
  std::vector<std::thread> threads;
  std::atomic<int> done{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPosts; ++i) {
        loop.post([&] {
          ++count;
          if (std::this_thread::get_id() != loop_thread) wrong_thread = true;
        });
      }
      if (done.fetch_add(1) + 1 == kThreads) {
        loop.post([&token] { token = vow::KeepAlive(); });
      }
    });
  }
  loop.run();
  for (auto& th : threads) th.join();
  loop.run();
  EXPECT_EQ(count, kThreads * kPosts);
  EXPECT_FALSE(wrong_thread);
}

TEST(LoopPost, PostedCallbackIsFollowedByACheckpoint) {
  vow::Loop loop;
  Log log;
  vow::KeepAlive token = loop.keepAlive();
  std::thread other([&] {
    loop.post([&] {
      log.push_back("post 1");
      vow::Promise<void>::resolve().then([&] { log.push_back("post 1 -> then"); });
    });
    loop.post([&] {
      log.push_back("post 2");
      token = vow::KeepAlive();
    });
  });
  loop.run();
  other.join();
  EXPECT_EQ(log, (Log{"post 1", "post 1 -> then", "post 2"}));
}

// The loop's own posts (fs streams' reads served on the loop thread) write no wake-up: the poll
// must still find them, in the next poll phase, beside posts from other threads (which do).
TEST(LoopPostFromLoopThread, RunsInTheNextPollPhaseAsAPost) {
  vow::Loop loop;
  Log log;
  vow::setImmediate([&] {
    log.push_back("check 1");
    loop.post([&] { log.push_back("own post"); });
    std::thread other([&] { loop.post([&] { log.push_back("other thread's post"); }); });
    other.join();
    vow::setImmediate([&] { log.push_back("check 2"); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"check 1", "own post", "other thread's post", "check 2"}));
}

TEST(LoopPostFromLoopThread, ThePollDoesNotBlockOnATimerWhileOneWaits) {
  vow::Loop loop;
  Log log;
  const auto t0 = std::chrono::steady_clock::now();
  vow::Timeout far = vow::setTimeout([&] { log.push_back("timer"); }, 5000);
  vow::setImmediate([&] {
    loop.post([&] {
      log.push_back("own post");
      vow::clearTimeout(far);
    });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"own post"}));
  // Blocking in epoll_wait until the timer would take 5 s.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
}

TEST(LoopPostFromLoopThread, OutsideRunItWakesTheBackendFdAsAPost) {
  vow::Loop loop;
  bool ran = false;
  loop.post([&] { ran = true; });
  pollfd p{loop.backendFd(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 1000), 1);  // an embedding host sees it
  loop.run();
  EXPECT_TRUE(ran);
}

}  // namespace

namespace {

TEST(LoopRun, RunningLoopIsCurrentInsideItsCallbacks) {
  vow::Loop outer;
  std::vector<std::string> log;
  vow::setTimeout(
      [&] {
        EXPECT_EQ(&vow::Loop::current(), &outer);
        vow::setImmediate([&] { log.push_back("immediate on outer"); });
      },
      1);
  {
    vow::Loop inner;  // current now, but outer.run() runs outer's callbacks against outer
    outer.run();
    EXPECT_EQ(&vow::Loop::current(), &inner);
    EXPECT_FALSE(inner.alive());
  }
  EXPECT_EQ(log, (std::vector<std::string>{"immediate on outer"}));
}

}  // namespace

namespace {

TEST(LoopExceptions, TimerThatClearsTheRestOfItsListThenThrows) {
  vow::Loop loop;
  std::vector<std::string> log;
  vow::Timeout b;
  vow::setTimeout(
      [&] {
        log.push_back("a");
        vow::clearTimeout(b);  // empties (and detaches) the 1 ms list while it is walked
        throw std::runtime_error("a threw");
      },
      1);
  b = vow::setTimeout([&] { log.push_back("b"); }, 1);
  EXPECT_THROW(loop.run(), std::runtime_error);
  vow::setTimeout([&] { log.push_back("c"); }, 1);  // a new 1 ms list
  loop.run();
  EXPECT_EQ(log, (std::vector<std::string>{"a", "c"}));
}

// Runs the loop to its end as a Node process with an 'uncaughtException' handler would:
// each exception leaving run() is logged as "caught <what>" and the loop goes on.
void runCatching(vow::Loop& loop, Log& log) {
  for (int i = 0; i < 100; ++i) {
    try {
      loop.run();
      return;
    } catch (const std::exception& e) {
      log.push_back(std::string("caught ") + e.what());
    }
  }
  FAIL() << "the loop threw 100 times";
}

// The expected sequences of the LoopExceptions tests below were printed by node v20 running the
// JavaScript in each comment, with process.on('uncaughtException', e => log('caught', e.message)).

//   setTimeout(() => log('timer1'), 0); setTimeout(() => log('timer2'), 0);
//   process.nextTick(() => { throw new Error('x'); }); process.nextTick(() => log('tick2'));
//   Promise.resolve().then(() => log('micro'));
TEST(LoopExceptions, NextTickExceptionLetsTheNextCallbackRunBeforeTheRemainingTicks) {
  vow::Loop loop;
  Log log;
  vow::setTimeout([&] { log.push_back("timer1"); }, 0);
  vow::setTimeout([&] { log.push_back("timer2"); }, 0);
  vow::nextTick([] { throw std::runtime_error("x"); });
  vow::nextTick([&] { log.push_back("tick2"); });
  vow::Promise<void>::resolve().then([&] { log.push_back("micro"); });
  ::usleep(2000);  // the timers are due at the first timers phase, as after Node's main module
  runCatching(loop, log);
  EXPECT_EQ(log, (Log{"caught x", "timer1", "tick2", "micro", "timer2"}));
}

//   process.nextTick(() => { throw new Error('x'); }); process.nextTick(() => log('tick2'));
//   Promise.resolve().then(() => log('micro'));
TEST(LoopExceptions, NextTickExceptionWithNothingElseQueuedStillRunsTheRest) {
  vow::Loop loop;
  Log log;
  vow::nextTick([] { throw std::runtime_error("x"); });
  vow::nextTick([&] { log.push_back("tick2"); });
  vow::Promise<void>::resolve().then([&] { log.push_back("micro"); });
  runCatching(loop, log);
  EXPECT_EQ(log, (Log{"caught x", "tick2", "micro"}));
}

//   setTimeout(() => log('timer'), 0);
//   queueMicrotask(() => { throw new Error('m'); }); queueMicrotask(() => log('m2'));
//   process.nextTick(() => log('t1'));
//   Promise.resolve().then(() => process.nextTick(() => log('t2')));
TEST(LoopExceptions, MicrotaskExceptionLetsTheDrainGoOn) {
  vow::Loop loop;
  Log log;
  vow::setTimeout([&] { log.push_back("timer"); }, 0);
  vow::queueMicrotask([] { throw std::runtime_error("m"); });
  vow::queueMicrotask([&] { log.push_back("m2"); });
  vow::nextTick([&] { log.push_back("t1"); });
  vow::Promise<void>::resolve().then([&] { vow::nextTick([&] { log.push_back("t2"); }); });
  runCatching(loop, log);
  EXPECT_EQ(log, (Log{"t1", "caught m", "m2", "t2", "timer"}));
}

//   setTimeout(() => { process.nextTick(() => log('tickA'));
//     Promise.resolve().then(() => log('microA')); throw new Error('t1'); }, 0);
//   setTimeout(() => log('timer2'), 0); setTimeout(() => log('timer3'), 1);
//   setImmediate(() => { process.nextTick(() => log('tickI')); throw new Error('i1'); });
//   setImmediate(() => log('imm2'));
TEST(LoopExceptions, TimerAndImmediateExceptionsGoOnWithTheirPhase) {
  vow::Loop loop;
  Log log;
  vow::setTimeout(
      [&] {
        vow::nextTick([&] { log.push_back("tickA"); });
        vow::Promise<void>::resolve().then([&] { log.push_back("microA"); });
        throw std::runtime_error("t1");
      },
      0);
  vow::setTimeout([&] { log.push_back("timer2"); }, 0);
  vow::setTimeout([&] { log.push_back("timer3"); }, 1);
  vow::setImmediate([&] {
    vow::nextTick([&] { log.push_back("tickI"); });
    throw std::runtime_error("i1");
  });
  vow::setImmediate([&] { log.push_back("imm2"); });
  // Node's order depends on whether 1 ms passed before the first timers phase; make it so.
  ::usleep(2000);
  runCatching(loop, log);
  EXPECT_EQ(
      log, (Log{"caught t1", "timer2", "tickA", "microA", "timer3", "caught i1", "imm2", "tickI"}));
}

//   fs.stat('/', () => { setImmediate(() => { process.nextTick(() => log('tickI'));
//     Promise.resolve().then(() => log('microI')); throw new Error('i1'); });
//     setTimeout(() => log('timer'), 0); });
// The last immediate of its batch threw: Node takes the next batch (the noop immediate its
// handler queued) in the same check phase, so the ticks run before the timer.
TEST(LoopExceptions, LastImmediateExceptionRunsTheTicksBeforeTheTimers) {
  vow::Loop loop;
  Log log;
  loop.post([&] {  // runs in the poll phase, as the fs callback does
    vow::setImmediate([&] {
      vow::nextTick([&] { log.push_back("tickI"); });
      vow::Promise<void>::resolve().then([&] { log.push_back("microI"); });
      throw std::runtime_error("i1");
    });
    vow::setTimeout([&] { log.push_back("timer"); }, 0);
  });
  runCatching(loop, log);
  EXPECT_EQ(log, (Log{"caught i1", "tickI", "microI", "timer"}));
}

//   fs.stat('/', () => { process.nextTick(() => log('tickS')); throw new Error('s'); });
//   fs.stat('/', () => log('B'));
//   const t = Date.now(); while (Date.now() - t < 50);  // both stats complete first
//   setImmediate(() => log('imm'));
// The rest of the poll phase runs first (B), then the ticks, then the check phase.
TEST(LoopExceptions, PollCallbackExceptionLetsThePollPhaseGoOn) {
  vow::Loop loop;
  Log log;
  Pipe a, b;
  ASSERT_EQ(::write(a[1], "x", 1), 1);
  ASSERT_EQ(::write(b[1], "x", 1), 1);
  vow::IoWatcher wa, wb;
  wa = loop.watch(a[0], vow::kReadable, [&](std::uint32_t) {
    wa.stop();
    vow::nextTick([&] { log.push_back("tickS"); });
    throw std::runtime_error("s");
  });
  wb = loop.watch(b[0], vow::kReadable, [&](std::uint32_t) {
    wb.stop();
    log.push_back("B");
  });
  vow::setImmediate([&] { log.push_back("imm"); });
  runCatching(loop, log);
  EXPECT_EQ(log, (Log{"caught s", "B", "tickS", "imm"}));
}

//   fs.stat('/', () => { process.nextTick(() => log('tickS')); throw new Error('s'); });
//   const t = Date.now(); while (Date.now() - t < 50);
//   setImmediate(() => log('imm'));
// Node's check phase opens with a callback scope (its native immediates) whose checkpoint runs
// what the exception left queued, before the first immediate.
TEST(LoopExceptions, TicksLeftByAPollExceptionRunBeforeTheFirstImmediate) {
  vow::Loop loop;
  Log log;
  loop.post([&] {
    vow::nextTick([&] { log.push_back("tickS"); });
    throw std::runtime_error("s");
  });
  vow::setImmediate([&] { log.push_back("imm"); });
  runCatching(loop, log);
  EXPECT_EQ(log, (Log{"caught s", "tickS", "imm"}));
}

TEST(LoopQueueWork, WorkThatThrowsLeavesRunOnTheLoopThreadWithoutCallingAfter) {
  vow::Loop loop;
  Log log;
  std::thread::id thrower;
  loop.queueWork(
      [&] {
        thrower = std::this_thread::get_id();
        throw std::runtime_error("work failed");
      },
      [&] { log.push_back("after 1"); });
  loop.queueWork([] {}, [&] { log.push_back("after 2"); });
  try {
    loop.run();
    ADD_FAILURE() << "run() returned normally";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "work failed");
  }
  EXPECT_NE(thrower, std::this_thread::get_id());  // it ran on the pool, and got here
  loop.run();                                      // the other job is still delivered
  EXPECT_EQ(log, (Log{"after 2"}));
  EXPECT_FALSE(loop.alive());
}

}  // namespace
