// clang-format off
// C++ twin of 67_stream_pipeline_error.js:
//
//   // Pins pipeline's error path: a Transform fails on its second chunk; every stream is destroyed
//   // ('error' then 'close' on each, in pipeline order after the failing one), the callback runs
//   // once, last; then the stream/promises form rejects once when the source fails.
//   const { Readable, Transform, Writable, PassThrough, pipeline } = require('stream');
//   const promises = require('stream/promises');
//
//   function watch(name, s) {
//     s.on('error', (e) => console.log(`${name} error: ${e.message}`));
//     s.on('close', () => console.log(`${name} close (destroyed ${s.destroyed})`));
//   }
//
//   let n = 0;
//   const source = new Readable({
//     read() {
//       n += 1;
//       this.push(n <= 5 ? `c${n}` : null);
//     },
//   });
//   const check = new Transform({
//     transform(chunk, encoding, callback) {
//       console.log(`transform ${chunk}`);
//       if (chunk.toString() === 'c2') callback(new Error('bad chunk c2'));
//       else callback(null, chunk);
//     },
//   });
//   const sink = new Writable({
//     write(chunk, encoding, callback) {
//       console.log(`write ${chunk}`);
//       setImmediate(callback);
//     },
//   });
//   watch('source', source);
//   watch('check', check);
//   watch('sink', sink);
//   let calls = 0;
//   pipeline(source, check, sink, (err) => {
//     calls += 1;
//     console.log(`pipeline callback #${calls}: ${err ? err.message : 'ok'}`);
//     second();
//   });
//
//   function second() {
//     const failing = new Readable({ read() { this.destroy(new Error('source failed')); } });
//     const middle = new PassThrough();
//     const end = new Writable({ write(chunk, encoding, callback) { callback(); } });
//     watch('failing', failing);
//     watch('middle', middle);
//     watch('end', end);
//     promises.pipeline(failing, middle, end).then(
//       () => console.log('resolved'),
//       (e) => console.log(`rejected: ${e.message}`));
//   }
// clang-format on
#include <cstdio>
#include <memory>
#include <string>

#include "vow/vow.h"

namespace stream = vow::stream;
using vow::Error;

void watch(const std::string& name, stream::Stream& s) {
  s.EventEmitter::on("error", [name](const Error& e) {
    std::printf("%s error: %s\n", name.c_str(), e.message().c_str());
  });
  s.EventEmitter::on("close", [name, &s] {
    std::printf("%s close (destroyed %s)\n", name.c_str(), s.destroyed() ? "true" : "false");
  });
}

void second() {
  auto failing = stream::Readable::create({.read = [](stream::Readable& self, std::size_t) {
    self.destroy(vow::Exception("source failed"));
  }});
  auto middle = stream::PassThrough::create();
  auto end =
      stream::Writable::create({.write = [](stream::Writable&, vow::Buffer,
                                            stream::Callback callback) { callback(nullptr); }});
  watch("failing", *failing);
  watch("middle", *middle);
  watch("end", *end);
  stream::promises::pipeline(failing, middle, end)
      .then([] { std::puts("resolved"); },
            [](const Error& e) { std::printf("rejected: %s\n", e.message().c_str()); });
}

int main() {
  int n = 0;
  auto source = stream::Readable::create({.read = [&n](stream::Readable& self, std::size_t) {
    n += 1;
    if (n <= 5) {
      self.push("c" + std::to_string(n));
    } else {
      self.push(std::nullopt);
    }
  }});
  auto check = stream::Transform::create(
      {.transform = [](stream::Transform&, vow::Buffer chunk, stream::TransformCallback callback) {
        std::printf("transform %s\n", chunk.toString().c_str());
        if (chunk.toString() == "c2") {
          callback(vow::Exception("bad chunk c2"), std::nullopt);
        } else {
          callback(nullptr, std::move(chunk));
        }
      }});
  auto sink = stream::Writable::create(
      {.write = [](stream::Writable&, vow::Buffer chunk, stream::Callback callback) {
        std::printf("write %s\n", chunk.toString().c_str());
        vow::setImmediate([callback = std::move(callback)]() mutable { callback(nullptr); });
      }});
  watch("source", *source);
  watch("check", *check);
  watch("sink", *sink);
  int calls = 0;
  stream::pipeline(source, check, sink, [&calls](Error err) {
    calls += 1;
    std::printf("pipeline callback #%d: %s\n", calls, err ? err.message().c_str() : "ok");
    second();
  });
  vow::run();
}
