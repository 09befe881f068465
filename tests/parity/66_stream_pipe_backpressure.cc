// clang-format off
// C++ twin of 66_stream_pipe_backpressure.js:
//
//   // Pins readable.pipe(writable) with backpressure: write() returning false pauses the source,
//   // 'drain' resumes it, the source's 'end' ends the destination, then 'finish' and 'close'.
//   const { Readable, Writable } = require('stream');
//
//   const chunks = ['a1', 'b2', 'c3', 'd4', 'e5'];
//   const source = new Readable({
//     highWaterMark: 2,
//     read() {
//       const c = chunks.shift();
//       console.log(`_read -> ${c === undefined ? 'null' : c}`);
//       this.push(c === undefined ? null : c);
//     },
//   });
//   const sink = new Writable({
//     highWaterMark: 3,
//     write(chunk, encoding, callback) {
//       console.log(`_write ${chunk} (buffered ${this.writableLength})`);
//       setImmediate(callback);
//     },
//   });
//   source.on('pause', () => console.log('source pause'));
//   source.on('resume', () => console.log('source resume'));
//   source.on('end', () => console.log('source end'));
//   source.on('close', () => console.log('source close'));
//   sink.on('drain', () => console.log('sink drain'));
//   sink.on('finish', () => console.log('sink finish'));
//   sink.on('close', () => console.log('sink close'));
//   console.log(`pipe returns the destination: ${source.pipe(sink) === sink}`);
// clang-format on
#include <cstdio>
#include <deque>
#include <optional>
#include <string>

#include "vow/vow.h"

namespace stream = vow::stream;

int main() {
  std::deque<std::string> chunks{"a1", "b2", "c3", "d4", "e5"};
  auto source = stream::Readable::create(
      {.highWaterMark = 2, .read = [&](stream::Readable& self, std::size_t) {
         std::optional<std::string> c;
         if (!chunks.empty()) {
           c = chunks.front();
           chunks.pop_front();
         }
         std::printf("_read -> %s\n", c ? c->c_str() : "null");
         if (c) {
           self.push(*c);
         } else {
           self.push(std::nullopt);
         }
       }});
  auto sink = stream::Writable::create(
      {.highWaterMark = 3,
       .write = [](stream::Writable& self, vow::Buffer chunk, stream::Callback callback) {
         std::printf("_write %s (buffered %zu)\n", chunk.toString().c_str(), self.writableLength());
         vow::setImmediate([callback = std::move(callback)]() mutable { callback(nullptr); });
       }});
  source->on("pause", [] { std::puts("source pause"); });
  source->on("resume", [] { std::puts("source resume"); });
  source->on("end", [] { std::puts("source end"); });
  source->on("close", [] { std::puts("source close"); });
  sink->on("drain", [] { std::puts("sink drain"); });
  sink->on("finish", [] { std::puts("sink finish"); });
  sink->on("close", [] { std::puts("sink close"); });
  std::printf("pipe returns the destination: %s\n", source->pipe(sink) == sink ? "true" : "false");
  vow::run();
}
