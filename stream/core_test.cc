// The core classes against node v20: each expected sequence is what the same program printed
// under node (the JS is in each test's comment).
#include <cctype>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "vow/buffer/buffer.h"
#include "vow/loop/loop.h"
#include "vow/loop/timers.h"
#include "vow/promise/promise.h"
#include "vow/promise/testing/test_support.h"
#include "vow/stream/readable.h"
#include "vow/stream/transform.h"
#include "vow/stream/writable.h"

namespace {

using vow::Error;
using vow::stream::Callback;
using vow::stream::Readable;
using vow::stream::Transform;
using vow::stream::TransformCallback;
using vow::stream::Writable;
using vow::test::Log;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// const r = new Readable({ highWaterMark: 4, read() { L('_read'); const c = chunks.shift();
//   this.push(c === undefined ? null : c); } });
// r.on('readable', () => { L('readable'); let c; while ((c = r.read()) !== null) L('read ' + c);
// }); r.on('end'...); r.on('close'...); nextTick(L('tick')); Promise.resolve().then(L('micro'))
TEST(StreamReadable, PausedModeReadableEventAndRead) {
  vow::Loop loop;
  Log log;
  std::deque<std::string> chunks{"ab", "cd", "ef"};
  auto r = Readable::create({.highWaterMark = 4, .read = [&](Readable& self, std::size_t) {
                               log("_read");
                               if (chunks.empty()) {
                                 self.push(std::nullopt);
                               } else {
                                 self.push(chunks.front());
                                 chunks.pop_front();
                               }
                             }});
  r->on("readable", [&, raw = r.get()] {
    log("readable");
    while (auto c = raw->read()) log("read " + c->toString());
  });
  r->on("end", [&] { log("end"); });
  r->on("close", [&] { log("close"); });
  vow::nextTick([&] { log("tick"); });
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  loop.run();
  EXPECT_EQ(log, (Log{"_read", "tick", "readable", "_read", "read abcd", "_read", "read ef",
                      "_read", "readable", "readable", "readable", "end", "close", "micro"}));
}

// const r = new Readable({ read() {} }); r.push('a'); r.push('b'); r.on('data', ...);
// nextTick(() => { L('tick'); r.push('c'); r.push(null); }); L('sync');
TEST(StreamReadable, FlowingModeDataEndClose) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create({.read = [](Readable&, std::size_t) {}});
  r->push("a");
  r->push("b");
  r->on("data", [&](const vow::Buffer& c) { log("data " + c.toString()); });
  r->on("end", [&] { log("end"); });
  r->on("close", [&] { log("close"); });
  vow::nextTick([&, raw = r.get()] {
    log("tick");
    raw->push("c");
    raw->push(std::nullopt);
  });
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  log("sync");
  loop.run();
  EXPECT_EQ(log, (Log{"sync", "data a", "data b", "tick", "data c", "end", "close", "micro"}));
}

// r.push('abcdef'); r.push('gh'); read(3), read(10), readableLength, push(null), read(10), read()
TEST(StreamReadable, ReadNBytes) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create({.read = [](Readable&, std::size_t) {}});
  r->push("abcdef");
  r->push("gh");
  auto show = [](const std::optional<vow::Buffer>& s) {
    return s ? s->toString() : std::string("null");
  };
  log("r3 " + show(r->read(3)));
  log("r10 " + show(r->read(10)));
  log("len " + std::to_string(r->readableLength()));
  r->push(std::nullopt);
  log("r10b " + show(r->read(10)));
  log("r " + show(r->read()));
  r->on("end", [&] { log("end"); });
  r->on("close", [&] { log("close"); });
  loop.run();
  EXPECT_EQ(log, (Log{"r3 abc", "r10 null", "len 5", "r10b defgh", "r null", "end", "close"}));
}

// new Readable({ read() { this.push('x'); this.destroy(new Error('boom')); } })
TEST(StreamReadable, DestroyWithErrorEmitsErrorThenClose) {
  vow::Loop loop;
  Log log;
  auto r = Readable::create({.read = [](Readable& self, std::size_t) {
    self.push("x");
    self.destroy(vow::Exception("boom"));
  }});
  r->on("data", [&](const vow::Buffer& c) { log("data " + c.toString()); });
  r->on("error", [&](const Error& e) { log("error " + e.message()); });
  r->on("close", [&] { log("close"); });
  loop.run();
  EXPECT_EQ(log, (Log{"data x", "error boom", "close"}));
}

// new Writable({ highWaterMark: 3, write(chunk, enc, cb) { L('_write ' + chunk);
//   setImmediate(cb); } }); w.write('ab'), w.write('cd', cb2), w.write('e');
// on('drain', () => w.end('z', endcb))
TEST(StreamWritable, BackpressureDrainEndFinishClose) {
  vow::Loop loop;
  Log log;
  auto w = Writable::create(
      {.highWaterMark = 3, .write = [&](Writable&, vow::Buffer chunk, Callback cb) {
         log("_write " + chunk.toString());
         vow::setImmediate([cb = std::move(cb)]() mutable { cb(Error()); });
       }});
  log(std::string("w1 ") + (w->write("ab") ? "true" : "false"));
  log(std::string("w2 ") + (w->write("cd", [&](Error) { log("cb2"); }) ? "true" : "false"));
  log(std::string("w3 ") + (w->write("e") ? "true" : "false"));
  w->on("drain", [&, raw = w.get()] {
    log("drain");
    raw->end("z", [&](Error) { log("endcb"); });
  });
  w->on("finish", [&] { log("finish"); });
  w->on("close", [&] { log("close"); });
  loop.run();
  EXPECT_EQ(log, (Log{"_write ab", "w1 true", "w2 false", "w3 false", "_write cd", "_write e",
                      "cb2", "drain", "_write z", "endcb", "finish", "close"}));
}

// new Writable({ write(chunk, enc, cb) { L('_write ' + chunk); cb(); } });
// w.write('a', cb a); w.write('b', cb b); w.end();
TEST(StreamWritable, SynchronousWritesCallBackOnTheNextTick) {
  vow::Loop loop;
  Log log;
  auto w = Writable::create({.write = [&](Writable&, vow::Buffer chunk, Callback cb) {
    log("_write " + chunk.toString());
    cb(Error());
  }});
  w->write("a", [&](Error) { log("cb a"); });
  w->write("b", [&](Error) { log("cb b"); });
  w->on("finish", [&] { log("finish"); });
  w->on("close", [&] { log("close"); });
  w->end();
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  loop.run();
  EXPECT_EQ(log, (Log{"_write a", "_write b", "cb a", "cb b", "finish", "close", "micro"}));
}

// w.end('a'); L('w ' + w.write('b', (e) => L('cb ' + e.code)));
TEST(StreamWritable, WriteAfterEndFailsTheCallbackThenErrorThenClose) {
  vow::Loop loop;
  Log log;
  auto w = Writable::create({.write = [](Writable&, vow::Buffer, Callback cb) { cb(Error()); }});
  w->on("error", [&](const Error& e) { log("error " + e.code()); });
  w->on("close", [&] { log("close"); });
  w->end("a");
  log(std::string("w ") +
      (w->write("b", [&](Error e) { log("cb " + e.code()); }) ? "true" : "false"));
  loop.run();
  EXPECT_EQ(log, (Log{"w false", "cb ERR_STREAM_WRITE_AFTER_END",
                      "error ERR_STREAM_WRITE_AFTER_END", "close"}));
}

// new Transform({ transform(chunk, enc, cb) { cb(null, chunk.toString().toUpperCase()); } });
// t.write('ab'); t.write('cd'); t.end(); L('sync')
TEST(StreamTransform, UppercasesThenEndFinishClose) {
  vow::Loop loop;
  Log log;
  auto t = Transform::create({.transform = [](Transform&, vow::Buffer chunk, TransformCallback cb) {
    cb(Error(), upper(chunk.toString()));
  }});
  t->on("data", [&](const vow::Buffer& c) { log("data " + c.toString()); });
  t->on("end", [&] { log("end"); });
  t->on("finish", [&] { log("finish"); });
  t->on("close", [&] { log("close"); });
  t->write("ab");
  t->write("cd");
  t->end();
  vow::Promise<void>::resolve().then([&] { log("micro"); });
  log("sync");
  loop.run();
  EXPECT_EQ(log, (Log{"data AB", "data CD", "sync", "end", "finish", "close", "micro"}));
}

}  // namespace
