// clang-format off
// C++ twin of 68_stream_async_iterator.js:
//
//   // Pins `for await (const chunk of readable)` tick for tick (a promise-job counter runs beside
//   // it): the chunks read in paused mode, 'end' and 'close' before the loop ends; then a loop left
//   // with `break` destroys the stream (AbortError) after the loop's next statement.
//   const { Readable } = require('stream');
//
//   let n = 0;
//   function spin(limit) {
//     if (n < limit) {
//       console.log(`job ${n++}`);
//       Promise.resolve().then(() => spin(limit));
//     }
//   }
//
//   async function first() {
//     const chunks = ['ab', 'cd', 'ef'];
//     const r = new Readable({
//       highWaterMark: 2,
//       read() {
//         const c = chunks.shift();
//         this.push(c === undefined ? null : c);
//       },
//     });
//     r.on('end', () => console.log('end'));
//     r.on('close', () => console.log('close'));
//     Promise.resolve().then(() => spin(12));
//     for await (const chunk of r) console.log(`chunk ${chunk}`);
//     console.log('loop done');
//   }
//
//   async function second() {
//     n = 0;
//     const r = new Readable({ read() { this.push('x'); } });
//     r.on('error', (e) => console.log(`error ${e.name}`));
//     r.on('close', () => console.log('close'));
//     Promise.resolve().then(() => spin(8));
//     for await (const chunk of r) {
//       console.log(`chunk ${chunk}`);
//       break;
//     }
//     console.log(`after break: destroyed=${r.destroyed}`);
//   }
//
//   first().then(() => setImmediate(second));
// clang-format on
#include <cstdio>
#include <deque>
#include <memory>
#include <string>

#include "vow/vow.h"

namespace stream = vow::stream;
using vow::Error;

int n = 0;
void spin(int limit) {
  if (n < limit) {
    std::printf("job %d\n", n++);
    vow::Promise<void>::resolve().then([limit] { spin(limit); });
  }
}

vow::Promise<void> first() {
  auto chunks =
      std::make_shared<std::deque<std::string>>(std::deque<std::string>{"ab", "cd", "ef"});
  auto r = stream::Readable::create(
      {.highWaterMark = 2, .read = [chunks](stream::Readable& self, std::size_t) {
         if (chunks->empty()) {
           self.push(std::nullopt);
         } else {
           self.push(chunks->front());
           chunks->pop_front();
         }
       }});
  r->on("end", [] { std::puts("end"); });
  r->on("close", [] { std::puts("close"); });
  vow::Promise<void>::resolve().then([] { spin(12); });
  auto it = vow::forAwait(r);
  while (auto chunk = co_await it.next()) std::printf("chunk %s\n", chunk->toString().c_str());
  co_await it.close();
  std::puts("loop done");
}

vow::Promise<void> second() {
  n = 0;
  auto r = stream::Readable::create(
      {.read = [](stream::Readable& self, std::size_t) { self.push("x"); }});
  r->on("error", [](const Error& e) { std::printf("error %s\n", e.name().c_str()); });
  r->on("close", [] { std::puts("close"); });
  vow::Promise<void>::resolve().then([] { spin(8); });
  auto it = vow::forAwait(r);
  while (auto chunk = co_await it.next()) {
    std::printf("chunk %s\n", chunk->toString().c_str());
    break;
  }
  co_await it.close();
  std::printf("after break: destroyed=%s\n", r->destroyed() ? "true" : "false");
}

int main() {
  first().then([] { vow::setImmediate([] { second(); }); });
  vow::run();
}
