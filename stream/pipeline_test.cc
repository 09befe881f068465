// pipe, finished and pipeline against node v20: each expected sequence is what the same program
// (quoted above each test) printed under node.
#include "vow/stream/pipeline.h"

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/async_generator.h"
#include "vow/promise/for_await.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"
#include "vow/stream/finished.h"
#include "vow/stream/readable.h"
#include "vow/stream/transform.h"
#include "vow/stream/writable.h"

namespace {

using vow::Error;
using vow::stream::Callback;
using vow::stream::PassThrough;
using vow::stream::Readable;
using vow::stream::Stream;
using vow::stream::Transform;
using vow::stream::TransformCallback;
using vow::stream::Writable;
using vow::test::Log;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string str(const Error& e) { return e ? e.message() : "undefined"; }

// A readable of the given chunks, pushed one per _read (Node: read() { this.push(src.shift()
// ?? null) }).
std::shared_ptr<Readable> chunksOf(std::deque<std::string> chunks, std::size_t hwm = 16384,
                                   Log* log = nullptr) {
  auto list = std::make_shared<std::deque<std::string>>(std::move(chunks));
  return Readable::create({.highWaterMark = hwm, .read = [list, log](Readable& self, std::size_t) {
                             if (list->empty()) {
                               if (log) (*log)("_read null");
                               self.push(std::nullopt);
                               return;
                             }
                             std::string c = std::move(list->front());
                             list->pop_front();
                             if (log) (*log)("_read " + c);
                             self.push(std::move(c));
                           }});
}

// r (hwm 2) of a1 b2 c3 d4 piped into w (hwm 3, each write completes in an immediate).
TEST(StreamPipe, BackpressurePausesUntilDrainAndEndsTheDestination) {
  vow::Loop loop;
  Log log;
  auto r = chunksOf({"a1", "b2", "c3", "d4"}, 2, &log);
  auto w = Writable::create(
      {.highWaterMark = 3, .write = [&](Writable&, vow::Buffer chunk, Callback cb) {
         log("_write " + chunk.toString());
         vow::setImmediate([cb = std::move(cb)]() mutable { cb(Error()); });
       }});
  r->on("pause", [&] { log("pause"); });
  r->on("resume", [&] { log("resume"); });
  w->on("drain", [&] { log("drain"); });
  r->on("end", [&] { log("r end"); });
  r->on("close", [&] { log("r close"); });
  w->on("finish", [&] { log("w finish"); });
  w->on("close", [&] { log("w close"); });
  log(std::string("ret ") + (r->pipe(w) == w ? "true" : "false"));
  loop.run();
  EXPECT_EQ(log,
            (Log{"ret true", "_read a1", "resume", "_read b2", "_write a1", "_read c3", "pause",
                 "_write b2", "drain", "resume", "_read d4", "_write c3", "_read null", "pause",
                 "r end", "r close", "_write d4", "w finish", "w close"}));
}

void watch(Log& log, const std::string& name, Stream& s) {
  s.EventEmitter::on("close", [&log, name] { log(name + " close"); });
  s.EventEmitter::on("end", [&log, name] { log(name + " end"); });
  s.EventEmitter::on("finish", [&log, name] { log(name + " finish"); });
}

// pipeline(r, t, w, cb): r of 'ab' 'cd', t uppercases, w writes synchronously.
TEST(StreamPipeline, CopiesThroughATransformThenCallsBackOnce) {
  vow::Loop loop;
  Log log;
  auto r = chunksOf({"ab", "cd"});
  auto t = Transform::create({.transform = [&](Transform&, vow::Buffer c, TransformCallback cb) {
    log("t " + c.toString());
    cb(Error(), upper(c.toString()));
  }});
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer c, Callback cb) {
    log("w " + c.toString());
    cb(Error());
  }});
  watch(log, "r", *r);
  watch(log, "t", *t);
  watch(log, "w", *w);
  vow::stream::pipeline(r, t, w, [&](Error err) { log("cb " + str(err)); });
  vow::nextTick([&] { log("tick"); });
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  loop.run();
  EXPECT_EQ(log, (Log{"t ab", "w AB", "t cd", "w CD", "tick", "r end", "t end", "t finish",
                      "r close", "w finish", "t close", "w close", "cb undefined", "micro"}));
}

// The transform fails on its second chunk: every stream is destroyed with that error, the
// callback runs once, last.
TEST(StreamPipeline, ErrorInTransformDestroysEveryStream) {
  vow::Loop loop;
  Log log;
  int n = 0;
  auto r = Readable::create({.read = [&](Readable& self, std::size_t) {
    ++n;
    if (n < 10) {
      self.push("c" + std::to_string(n));
    } else {
      self.push(std::nullopt);
    }
  }});
  auto t = Transform::create({.transform = [&](Transform&, vow::Buffer c, TransformCallback cb) {
    log("t " + c.toString());
    if (c == "c2") {
      cb(vow::Exception("bad chunk"), std::nullopt);
    } else {
      cb(Error(), std::move(c));
    }
  }});
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer c, Callback cb) {
    log("w " + c.toString());
    vow::setImmediate([cb = std::move(cb)]() mutable { cb(Error()); });
  }});
  for (auto [name, s] :
       {std::pair<std::string, Stream*>{"r", r.get()}, {"t", t.get()}, {"w", w.get()}}) {
    s->EventEmitter::on("close", [&log, name = name, s = s] {
      log(name + " close " + (s->destroyed() ? "true" : "false"));
    });
    s->EventEmitter::on(
        "error", [&log, name = name](const Error& e) { log(name + " error " + e.message()); });
  }
  int calls = 0;
  vow::stream::pipeline(r, t, w, [&](Error err) {
    ++calls;
    log("cb " + str(err));
  });
  loop.run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(log,
            (Log{"t c1", "w c1", "t c2", "t error bad chunk", "t close true", "r error bad chunk",
                 "r close true", "w error bad chunk", "w close true", "cb bad chunk"}));
}

// stream/promises pipeline(r, passThrough, w) where r's _read destroys it: rejects once.
TEST(StreamPipeline, PromiseRejectsOnceWhenTheSourceFails) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create(
      {.read = [](Readable& self, std::size_t) { self.destroy(vow::Exception("src fail")); }});
  auto t = PassThrough::create();
  auto w = Writable::create({.write = [](Writable&, vow::Buffer, Callback cb) { cb(Error()); }});
  for (auto [name, s] :
       {std::pair<std::string, Stream*>{"r", r.get()}, {"t", t.get()}, {"w", w.get()}}) {
    s->EventEmitter::on("close", [&log, name = name] { log(name + " close"); });
    s->EventEmitter::on("error", [&log, name = name](const Error& e) {
      log(name + " error " + e.message() + " " + (e.code().empty() ? "undefined" : e.code()));
    });
  }
  vow::stream::promises::pipeline(r, t, w).then(
      [&] { log("resolved"); }, [&](const Error& e) { log("rejected " + e.message()); });
  loop.run();
  EXPECT_EQ(log, (Log{"r error src fail undefined", "r close", "t error src fail undefined",
                      "t close", "w error src fail undefined", "w close", "rejected src fail"}));
}

// finished(): after 'close'; ERR_STREAM_PREMATURE_CLOSE for a stream destroyed before its end;
// on the next tick for a stream already closed; the promise form for a writable.
TEST(StreamFinished, CallsBackAtCloseOrWithPrematureClose) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create({.read = [](Readable&, std::size_t) {}});
  vow::stream::finished(r, [&](Error err) { log("fin r " + str(err)); });
  r->push("x");
  r->push(std::nullopt);
  r->resume();
  auto r2 = Readable::create({.read = [](Readable&, std::size_t) {}});
  vow::stream::finished(r2, [&](Error err) { log("fin r2 " + err.code()); });
  r2->destroy();
  auto w = Writable::create({.write = [](Writable&, vow::Buffer, Callback cb) { cb(Error()); }});
  vow::stream::promises::finished(w).then([&] { log("fin w"); });
  w->end("z");
  std::weak_ptr<Readable> weak = r;
  r->on("close", [&, weak] {
    vow::stream::finished(weak.lock(), [&](Error err) { log("fin after close " + str(err)); });
  });
  loop.run();
  EXPECT_EQ(log, (Log{"fin r2 ERR_STREAM_PREMATURE_CLOSE", "fin r undefined",
                      "fin after close undefined", "fin w"}));
}

// pipeline(r, w, {signal}) aborted from inside w's first write.
TEST(StreamPipeline, SignalAbortDestroysEveryStreamWithAnAbortError) {
  vow::Loop loop;
  Log log;
  vow::AbortController ac;
  auto r = Readable::create({.read = [](Readable& self, std::size_t) {
    vow::setTimeout([&self, keep = self.shared_from_this()] { self.push("x"); }, 5);
  }});
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer c, Callback cb) {
    log("w " + c.toString());
    cb(Error());
    if (c == "x") ac.abort();
  }});
  for (auto [name, s] : {std::pair<std::string, Stream*>{"r", r.get()}, {"w", w.get()}}) {
    s->EventEmitter::on("close", [&log, name = name] { log(name + " close"); });
    s->EventEmitter::on("error",
                        [&log, name = name](const Error& e) { log(name + " error " + e.name()); });
  }
  vow::stream::promises::pipeline(r, w, vow::stream::PipelineOptions{.signal = ac.signal()})
      .then([&] { log("resolved"); },
            [&](const Error& e) { log("rejected " + e.name() + " " + e.code()); });
  loop.run();
  EXPECT_EQ(log, (Log{"w x", "r error AbortError", "r close", "w error AbortError", "w close",
                      "rejected AbortError ABORT_ERR"}));
}

// pipeline(r, async function* (source) { for await (const c of source) { L('gen ' + c);
//   yield c.toString().toUpperCase(); } L('gen done'); }, w, cb)
TEST(StreamPipeline, AsyncGeneratorTransformUppercases) {
  vow::Loop loop;
  Log log;
  auto r = chunksOf({"ab", "cd"});
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer c, Callback cb) {
    log("w " + c.toString());
    cb(Error());
  }});
  r->on("close", [&] { log("r close"); });
  w->on("finish", [&] { log("w finish"); });
  w->on("close", [&] { log("w close"); });
  Log* lp = &log;
  auto gen = [lp](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
    auto it = vow::forAwait(source);
    while (auto c = co_await it.next()) {
      (*lp)("gen " + c->toString());
      co_yield vow::Buffer::from(upper(c->toString()));
    }
    co_await it.close();
    (*lp)("gen done");
  };
  vow::stream::pipeline(r, gen, w, [&](Error err) { log("cb " + str(err)); });
  loop.run();
  EXPECT_EQ(log, (Log{"gen ab", "w AB", "gen cd", "w CD", "r close", "gen done", "w finish",
                      "w close", "cb undefined"}));
}

// The generator throws on the chunk holding 'c3': its finally runs, the source is destroyed
// (AbortError: the iterator was closed early), the destination with the error, and the
// promise rejects once.
TEST(StreamPipeline, ErrorInAsyncGeneratorDestroysEveryStream) {
  vow::Loop loop;
  Log log;
  int n = 0;
  auto r = Readable::create({.read = [&](Readable& self, std::size_t) {
    ++n;
    if (n < 50) {
      self.push("c" + std::to_string(n));
    } else {
      self.push(std::nullopt);
    }
  }});
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer c, Callback cb) {
    log("w " + c.toString());
    cb(Error());
  }});
  r->on("close", [&, raw = r.get()] {
    log(std::string("r close ") + (raw->destroyed() ? "true" : "false"));
  });
  r->on("error", [&](const Error& e) { log("r error " + e.message()); });
  w->on("close", [&] { log("w close"); });
  w->on("error", [&](const Error& e) { log("w error " + e.message()); });
  Log* lp = &log;
  auto gen = [lp](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
    auto it = vow::forAwait(source);
    vow::Error failed;
    try {
      while (auto c = co_await it.next()) {
        (*lp)("gen " + c->toString());
        if (c->toString().find("c3") != std::string::npos) throw vow::Exception("gen fail");
        co_yield *c;
      }
    } catch (const vow::GeneratorReturn&) {
      (*lp)("gen finally");
      throw;
    } catch (...) {
      failed = vow::Error::current();
    }
    co_await it.close();
    (*lp)("gen finally");
    if (failed) failed.rethrow();
  };
  vow::stream::promises::pipeline(r, gen, w).then(
      [&] { log("ok"); }, [&](const Error& e) { log("rejected " + e.message()); });
  loop.run();
  std::string c2on;
  for (int i = 2; i < 50; ++i) c2on += "c" + std::to_string(i);
  EXPECT_EQ(
      log, (Log{"gen c1", "w c1", "gen " + c2on, "gen finally", "r error The operation was aborted",
                "r close true", "w error gen fail", "w close", "rejected gen fail"}));
}

}  // namespace
