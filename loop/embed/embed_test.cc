// A vow::Loop embedded in two real host loops, libuv and standalone Asio, on one thread: the
// hosts' timers and I/O interleave with vow's, vow's order inside is the order run() gives,
// exceptions resume as after run(), and other threads wake the host through backendFd().
// No test depends on timing: each step is caused by the one before it.
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "vow/loop/embed/asio_host.h"
#include "vow/loop/embed/uv_host.h"
#include "vow/loop/loop.h"
#include "vow/loop/testing/pipe.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"

namespace {

using vow::test::Log;

using vow::test::Pipe;

// A libuv loop owned by one test: closes what is left open and the loop at the end.
struct UvLoop {
  uv_loop_t uv;
  UvLoop() { uv_loop_init(&uv); }
  ~UvLoop() {
    uv_walk(
        &uv,
        [](uv_handle_t* h, void*) {
          if (!uv_is_closing(h)) uv_close(h, nullptr);
        },
        nullptr);
    uv_run(&uv, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&uv), 0);
  }
  UvLoop(const UvLoop&) = delete;
  UvLoop& operator=(const UvLoop&) = delete;
};

// A vow program started by an I/O callback, with ticks, promise jobs, immediates and timers
// queued from each phase. Its order is fixed by Node's rules alone.
struct Scenario {
  Pipe pipe;
  vow::IoWatcher watcher;

  Scenario(vow::Loop& loop, Log& log) {
    pipe.write();
    watcher = loop.watch(pipe.fd[0], vow::kReadable, [this, &log](std::uint32_t) {
      pipe.read();
      watcher.close();
      log.push_back("io");
      vow::setTimeout(
          [&log] {
            log.push_back("timeout");
            vow::setTimeout([&log] { log.push_back("timeout from timeout"); }, 0);
            vow::setImmediate([&log] { log.push_back("immediate from timeout"); });
            vow::nextTick([&log] { log.push_back("tick from timeout"); });
          },
          0);
      vow::setImmediate([&log] {
        log.push_back("immediate");
        vow::Promise<void>::resolve().then([&log] { log.push_back("then from immediate"); });
        vow::nextTick([&log] { log.push_back("tick from immediate"); });
      });
      vow::Promise<void>::resolve().then([&log] { log.push_back("then"); });
      vow::nextTick([&log] { log.push_back("tick"); });
    });
  }
};

const Log kScenarioOrder = {"io",
                            "tick",
                            "then",
                            "immediate",
                            "tick from immediate",
                            "then from immediate",
                            "timeout",
                            "tick from timeout",
                            "immediate from timeout",
                            "timeout from timeout"};

Log scenarioUnderRun() {
  Log log;
  vow::Loop loop;
  Scenario scenario(loop, log);
  loop.run();
  return log;
}

// Step 4 of the interleaving tests: vow's I/O callback for what the host wrote to `from_host`
// queues every kind of vow work; the vow timeout calls `start_host_timer`.
std::unique_ptr<vow::IoWatcher> watchFromHost(vow::Loop& loop, const Pipe& from_host, Log& log,
                                              std::function<void()> start_host_timer) {
  auto watcher = std::make_unique<vow::IoWatcher>();
  *watcher =
      loop.watch(from_host[0], vow::kReadable,
                 [w = watcher.get(), &from_host, &log, start_host_timer](std::uint32_t) {
                   from_host.read();
                   w->close();
                   log.push_back("vow: io");
                   vow::setTimeout(
                       [&log, start_host_timer] {
                         log.push_back("vow: timeout");
                         start_host_timer();
                       },
                       0);
                   vow::setImmediate([&log] { log.push_back("vow: immediate"); });
                   vow::Promise<void>::resolve().then([&log] { log.push_back("vow: then"); });
                   vow::nextTick([&log] { log.push_back("vow: tick"); });
                 });
  return watcher;
}

// Two immediates, the first of which throws; after the exception the rest of the check phase
// runs (docs/event_loop.md, "Exceptions").
void queueImmediatesTheFirstThrowing(Log& log) {
  vow::setImmediate([&log] {
    log.push_back("immediate 1");
    throw std::runtime_error("boom");
  });
  vow::setImmediate([&log] { log.push_back("immediate 2"); });
}

// Runs the host loop, notes the exception that leaves it, and runs it again.
template <class Run>
void runTwiceNotingAnException(Log& log, Run run) {
  try {
    run();
    log.push_back("no exception");
  } catch (const std::runtime_error& e) {
    log.push_back(std::string("caught ") + e.what());
  }
  run();
}

const Log kAfterAnException = {"immediate 1", "caught boom", "immediate 2"};

// --- libuv ---------------------------------------------------------------------------------

TEST(LoopEmbed, UvHostRunsVowInTheOrderRunGives) {
  Log reference = scenarioUnderRun();
  EXPECT_EQ(reference, kScenarioOrder);
  Log log;
  UvLoop uv;
  vow::Loop loop;
  Scenario scenario(loop, log);
  vow::embed::UvHost host(&uv.uv, loop);
  host.run();
  EXPECT_EQ(log, reference);
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, UvHostInterleavesBothLoopsTimersAndIo) {
  Log log;
  uv_timer_t uv_timer, uv_timer2;  // before `uv`, which closes them
  uv_poll_t uv_io;
  UvLoop uv;
  vow::Loop loop;
  Pipe to_uv;   // vow writes, libuv reads
  Pipe to_vow;  // libuv writes, vow reads
  uv_timer_init(&uv.uv, &uv_timer);
  uv_timer_init(&uv.uv, &uv_timer2);
  uv_poll_init(&uv.uv, &uv_io, to_uv.fd[0]);
  struct Context {
    Log& log;
    Pipe& to_uv;
    Pipe& to_vow;
    uv_timer_t* uv_timer2;
  } context{log, to_uv, to_vow, &uv_timer2};
  uv_timer.data = uv_timer2.data = uv_io.data = &context;

  // 1. A libuv timer sets a vow timer (re-armed by the host's prepare handle: the poll below
  //    keeps libuv alive).
  uv_timer_start(
      &uv_timer,
      [](uv_timer_t* h) {
        auto& c = *static_cast<Context*>(h->data);
        c.log.push_back("uv: timer");
        // 2. The vow timer writes to libuv's pipe.
        vow::setTimeout(
            [&c] {
              c.log.push_back("vow: timer");
              c.to_uv.write();
            },
            1);
      },
      1, 0);
  // 3. libuv's I/O callback writes to vow's pipe.
  uv_poll_start(&uv_io, UV_READABLE, [](uv_poll_t* h, int, int) {
    auto& c = *static_cast<Context*>(h->data);
    c.to_uv.read();
    uv_poll_stop(h);
    c.log.push_back("uv: io");
    c.to_vow.write();
  });
  // 4. vow's I/O callback queues every kind of vow work; the vow timeout starts a libuv timer.
  auto watcher = watchFromHost(loop, to_vow, log, [&] {
    uv_timer_start(
        &uv_timer2,
        [](uv_timer_t* h) { static_cast<Context*>(h->data)->log.push_back("uv: timer 2"); }, 0, 0);
  });

  vow::embed::UvHost host(&uv.uv, loop);
  host.run();
  EXPECT_EQ(log, (Log{"uv: timer", "vow: timer", "uv: io", "vow: io", "vow: tick", "vow: then",
                      "vow: immediate", "vow: timeout", "uv: timer 2"}));
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, UvHostRethrowsAVowExceptionAndResumesWhereVowStopped) {
  Log log;
  UvLoop uv;
  vow::Loop loop;
  queueImmediatesTheFirstThrowing(log);
  vow::embed::UvHost host(&uv.uv, loop);
  runTwiceNotingAnException(log, [&] { host.run(); });
  EXPECT_EQ(log, kAfterAnException);
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, UvHostWakesForAThreadSafeResolverSettledOnAnotherThread) {
  Log log;
  uv_timer_t timer;  // before `uv`, which closes it
  UvLoop uv;
  vow::Loop loop;
  auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();
  promise.then([&](int v) { log.push_back("vow: resolved " + std::to_string(v)); });
  std::thread worker;
  uv_timer_init(&uv.uv, &timer);
  struct Context {
    Log& log;
    std::thread& worker;
    vow::ThreadSafeResolver<int> resolver;
  } context{log, worker, resolver};
  timer.data = &context;
  // Nothing but backendFd() can wake libuv for the settlement: vow has no timer.
  uv_timer_start(
      &timer,
      [](uv_timer_t* h) {
        auto& c = *static_cast<Context*>(h->data);
        c.log.push_back("uv: timer");
        c.worker = std::thread([resolver = c.resolver] { resolver.resolve(42); });
      },
      1, 0);
  vow::embed::UvHost host(&uv.uv, loop);
  host.run();
  worker.join();
  EXPECT_EQ(log, (Log{"uv: timer", "vow: resolved 42"}));
}

// --- Asio ----------------------------------------------------------------------------------

TEST(LoopEmbed, AsioHostRunsVowInTheOrderRunGives) {
  Log reference = scenarioUnderRun();
  EXPECT_EQ(reference, kScenarioOrder);
  Log log;
  asio::io_context io;
  vow::Loop loop;
  Scenario scenario(loop, log);
  vow::embed::AsioHost host(io, loop);
  io.run();
  EXPECT_EQ(log, reference);
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, AsioHostInterleavesBothLoopsTimersAndIo) {
  Log log;
  asio::io_context io;
  vow::Loop loop;
  Pipe to_asio;  // vow writes, Asio reads
  Pipe to_vow;   // Asio writes, vow reads
  vow::embed::AsioHost host(io, loop);
  asio::steady_timer asio_timer(io, std::chrono::milliseconds(1));
  asio::steady_timer asio_timer2(io);
  asio::posix::stream_descriptor asio_io(io, ::dup(to_asio.fd[0]));

  // 1. An Asio timer sets a vow timer (Asio has no hook before it blocks: schedule()).
  asio_timer.async_wait([&](const asio::error_code&) {
    log.push_back("asio: timer");
    // 2. The vow timer writes to Asio's pipe.
    vow::setTimeout(
        [&] {
          log.push_back("vow: timer");
          to_asio.write();
        },
        1);
    host.schedule();
  });
  // 3. Asio's I/O handler writes to vow's pipe.
  asio_io.async_wait(asio::posix::stream_descriptor::wait_read, [&](const asio::error_code&) {
    to_asio.read();
    log.push_back("asio: io");
    to_vow.write();
  });
  // 4. vow's I/O callback queues every kind of vow work; the vow timeout starts an Asio timer.
  auto watcher = watchFromHost(loop, to_vow, log, [&] {
    asio_timer2.expires_after(std::chrono::milliseconds(0));
    asio_timer2.async_wait([&](const asio::error_code&) { log.push_back("asio: timer 2"); });
  });
  host.schedule();  // the watcher made vow alive after the host was made

  io.run();
  EXPECT_EQ(log, (Log{"asio: timer", "vow: timer", "asio: io", "vow: io", "vow: tick", "vow: then",
                      "vow: immediate", "vow: timeout", "asio: timer 2"}));
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, AsioHostLetsAVowExceptionLeaveRunAndResumesWhereVowStopped) {
  Log log;
  asio::io_context io;
  vow::Loop loop;
  queueImmediatesTheFirstThrowing(log);
  vow::embed::AsioHost host(io, loop);
  runTwiceNotingAnException(log, [&] { io.run(); });
  EXPECT_EQ(log, kAfterAnException);
  EXPECT_FALSE(loop.alive());
}

TEST(LoopEmbed, AsioHostWakesForAThreadSafeResolverSettledOnAnotherThread) {
  Log log;
  asio::io_context io;
  vow::Loop loop;
  auto [promise, resolver] = vow::ThreadSafeResolvers<int>::make();
  promise.then([&](int v) { log.push_back("vow: resolved " + std::to_string(v)); });
  vow::embed::AsioHost host(io, loop);
  std::thread worker;
  // Nothing but backendFd() can wake Asio for the settlement: vow has no timer.
  asio::steady_timer timer(io, std::chrono::milliseconds(1));
  timer.async_wait([&, resolver = resolver](const asio::error_code&) {
    log.push_back("asio: timer");
    worker = std::thread([resolver] { resolver.resolve(42); });
  });
  io.run();
  worker.join();
  EXPECT_EQ(log, (Log{"asio: timer", "vow: resolved 42"}));
}

}  // namespace
