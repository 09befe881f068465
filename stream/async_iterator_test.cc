// readable.asyncIterator() (for await over a stream) against node v20, tick for tick: a
// microtask counter (m0, m1, ...) runs beside each loop, so an extra or a missing tick shows.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"
#include "vow/stream/readable.h"

namespace {

using vow::Error;
using vow::stream::Readable;
using vow::test::Log;

// let n = 0; function spin() { if (n < limit) { L('m' + n++); Promise.resolve().then(spin); } }
// Promise.resolve().then(spin);
struct Spinner {
  Log& log;
  int limit;
  int n = 0;
  void start() {
    vow::Promise<void>::resolve().then([this] { spin(); });
  }
  void spin() {
    if (n < limit) {
      log("m" + std::to_string(n++));
      vow::Promise<void>::resolve().then([this] { spin(); });
    }
  }
};

// const r = new Readable({ highWaterMark: 2, read() { push(src.shift() ?? null) } });
// (async () => { for await (const c of r) L('chunk ' + c); L('done'); })(); L('sync');
TEST(StreamAsyncIterator, ForAwaitReadsEveryChunkWithNodesTicks) {
  vow::Loop loop;
  Log log;
  std::deque<std::string> src{"ab", "cd", "ef"};
  auto r = Readable::create({.highWaterMark = 2, .read = [&](Readable& self, std::size_t) {
                               if (src.empty()) {
                                 self.push(std::nullopt);
                               } else {
                                 self.push(src.front());
                                 src.pop_front();
                               }
                             }});
  Spinner spinner{log, 25};
  spinner.start();
  r->on("end", [&] { log("end"); });
  r->on("close", [&] { log("close"); });
  auto body = [&]() -> vow::Promise<void> {
    auto it = vow::forAwait(r);
    while (auto c = co_await it.next()) log("chunk " + c->toString());
    co_await it.close();
    log("done");
  };
  auto done = body();
  log("sync");
  loop.run();
  EXPECT_EQ(log, (Log{"sync", "m0",  "m1",  "chunk ab", "m2",  "m3",    "chunk cdef", "m4",
                      "m5",   "m6",  "m7",  "m8",       "m9",  "m10",   "m11",        "m12",
                      "m13",  "m14", "m15", "m16",      "m17", "m18",   "m19",        "m20",
                      "m21",  "m22", "m23", "m24",      "end", "close", "done"}));
}

// for await (const c of r) { L('chunk ' + c); break; }: the stream is destroyed (AbortError,
// which the iterator's own listener absorbs; here a listener logs it too).
TEST(StreamAsyncIterator, BreakDestroysTheStream) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create({.read = [](Readable& self, std::size_t) { self.push("x"); }});
  r->on("error", [&](const Error& e) { log("error " + e.name()); });
  r->on("close", [&] { log("close"); });
  Spinner spinner{log, 12};
  spinner.start();
  auto body = [&]() -> vow::Promise<void> {
    auto it = vow::forAwait(r);
    while (auto c = co_await it.next()) {
      log("chunk " + c->toString());
      break;
    }
    co_await it.close();
    log(std::string("after loop destroyed=") + (r->destroyed() ? "true" : "false"));
  };
  auto done = body();
  loop.run();
  EXPECT_EQ(log, (Log{"m0", "m1", "chunk x", "m2", "m3", "after loop destroyed=true", "m4", "m5",
                      "m6", "m7", "m8", "m9", "m10", "m11", "error AbortError", "close"}));
}

// The stream is destroyed with an error while the loop waits: the loop throws it.
TEST(StreamAsyncIterator, TheStreamsErrorIsThrownByTheLoop) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create({.read = [](Readable&, std::size_t) {}});
  r->push("a");
  vow::setTimeout([raw = r.get()] { raw->destroy(vow::Exception("kaput")); }, 1);
  auto body = [&]() -> vow::Promise<void> {
    try {
      auto it = vow::forAwait(r);
      while (auto c = co_await it.next()) log("chunk " + c->toString());
    } catch (const vow::Exception& e) {
      log(std::string("caught ") + e.what());
    }
    log(std::string("destroyed=") + (r->destroyed() ? "true" : "false"));
  };
  auto done = body();
  r->on("close", [&] { log("close"); });
  loop.run();
  EXPECT_EQ(log, (Log{"chunk a", "close", "caught kaput", "destroyed=true"}));
}

// r.iterator({destroyOnReturn: false}): leaving early leaves the stream usable.
TEST(StreamAsyncIterator, IteratorWithoutDestroyOnReturnLeavesTheStreamAlone) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create({.read = [](Readable&, std::size_t) {}});
  r->push("a");
  r->push("b");
  r->on("close", [&] { log("close"); });
  auto body = [&]() -> vow::Promise<void> {
    auto it = vow::forAwait(r->iterator({.destroyOnReturn = false}));
    while (auto c = co_await it.next()) {
      log("chunk " + c->toString());
      break;
    }
    co_await it.close();
    log(std::string("destroyed=") + (r->destroyed() ? "true" : "false") +
        " len=" + std::to_string(r->readableLength()));
    r->on("data", [&](const vow::Buffer& c) { log("data " + c.toString()); });
    r->push(std::nullopt);
  };
  auto done = body();
  loop.run();
  EXPECT_EQ(log, (Log{"chunk ab", "destroyed=false len=0", "close"}));
}

}  // namespace
