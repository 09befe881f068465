// clang-format off
// C++ twin of 65_stream_paused_mode.js:
//
//   // Pins a Readable in paused mode: the 'readable' event, read() and read(n) returning buffered
//   // data or null, _read calls as the buffer drains below highWaterMark, 'end' and 'close', and
//   // where nextTick callbacks and promise jobs fall between them.
//   const { Readable } = require('stream');
//
//   const chunks = ['abc', 'def', 'ghij'];
//   const r = new Readable({
//     highWaterMark: 4,
//     read(size) {
//       const c = chunks.shift();
//       console.log(`_read(${size}) -> ${c === undefined ? 'null' : c}`);
//       this.push(c === undefined ? null : c);
//     },
//   });
//   let round = 0;
//   r.on('readable', () => {
//     round += 1;
//     console.log(`readable #${round}, length ${r.readableLength}`);
//     const two = r.read(2);
//     console.log(`read(2): ${two === null ? 'null' : two.toString()}`);
//     let c;
//     while ((c = r.read()) !== null) console.log(`read(): ${c.toString()}`);
//     console.log('read(): null');
//   });
//   r.on('end', () => console.log('end'));
//   r.on('close', () => console.log('close'));
//   process.nextTick(() => console.log('nextTick'));
//   Promise.resolve().then(() => console.log('promise job'));
//   console.log(`sync: flowing=${r.readableFlowing}`);
// clang-format on
#include <cstdio>
#include <deque>
#include <optional>
#include <string>

#include "vow/vow.h"

namespace stream = vow::stream;

int main() {
  std::deque<std::string> chunks{"abc", "def", "ghij"};
  auto r = stream::Readable::create(
      {.highWaterMark = 4, .read = [&](stream::Readable& self, std::size_t size) {
         std::optional<std::string> c;
         if (!chunks.empty()) {
           c = chunks.front();
           chunks.pop_front();
         }
         std::printf("_read(%zu) -> %s\n", size, c ? c->c_str() : "null");
         if (c) {
           self.push(*c);
         } else {
           self.push(std::nullopt);
         }
       }});
  int round = 0;
  stream::Readable* raw = r.get();
  r->on("readable", [&round, raw] {
    round += 1;
    std::printf("readable #%d, length %zu\n", round, raw->readableLength());
    auto two = raw->read(2);
    std::printf("read(2): %s\n", two ? two->toString().c_str() : "null");
    while (auto c = raw->read()) std::printf("read(): %s\n", c->toString().c_str());
    std::puts("read(): null");
  });
  r->on("end", [] { std::puts("end"); });
  r->on("close", [] { std::puts("close"); });
  vow::nextTick([] { std::puts("nextTick"); });
  vow::Promise<void>::resolve().then([] { std::puts("promise job"); });
  auto flowing = r->readableFlowing();
  std::printf("sync: flowing=%s\n", !flowing ? "null" : *flowing ? "true" : "false");
  vow::run();
}
