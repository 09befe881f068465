// clang-format off
// C++ twin of 85_pipeline_generator_ticks.js:
//
//   // Pins when a pipeline's async-generator stage sees each chunk of a Readable, tick for tick:
//   // the stage iterates the Readable itself (Node v20 hands a Readable to the function as it is;
//   // only legacy streams go through an extra `yield*` wrapper), and what it yields is written by
//   // pumpToNode. A ticker of chained microtasks shows each step's position.
//   const { Readable, Writable } = require('stream');
//   const { pipeline } = require('stream/promises');
//
//   const log = [];
//   function ticker(n) {
//     let i = 0;
//     const step = () => {
//       i += 1;
//       log.push(`t${i}`);
//       if (i < n) Promise.resolve().then(step);
//     };
//     Promise.resolve().then(step);
//   }
//
//   let reads = 0;
//   const src = new Readable({
//     read() {
//       reads += 1;
//       log.push(`read ${reads}`);
//       this.push(reads <= 3 ? `c${reads}` : null);
//     },
//   });
//   const dst = new Writable({
//     write(chunk, encoding, callback) {
//       log.push(`write ${chunk}`);
//       callback();
//     },
//   });
//   src.on('end', () => log.push('src end'));
//   dst.on('finish', () => log.push('dst finish'));
//
//   ticker(40);
//   pipeline(src, async function* upper(source) {
//     for await (const chunk of source) {
//       log.push(`gen ${chunk}`);
//       yield String(chunk).toUpperCase();
//     }
//     log.push('gen done');
//   }, dst).then(() => {
//     log.push('resolved');
//     console.log(log.join('\n'));
//     log.length = 0;
//     second();
//   });
//
//   // The same with a source that pushes from setImmediate, so that each chunk is read on its own.
//   function second() {
//     let n = 0;
//     const slow = new Readable({
//       read() {
//         n += 1;
//         const k = n;
//         setImmediate(() => {
//           log.push(`push ${k}`);
//           ticker(6);
//           this.push(k <= 2 ? `s${k}` : null);
//         });
//       },
//     });
//     const sink = new Writable({
//       write(chunk, encoding, callback) {
//         log.push(`write ${chunk}`);
//         callback();
//       },
//     });
//     pipeline(slow, async function* (source) {
//       for await (const chunk of source) {
//         log.push(`gen ${chunk}`);
//         yield chunk;
//       }
//     }, sink).then(() => {
//       log.push('second resolved');
//       console.log(log.join('\n'));
//     });
//   }
// clang-format on
#include <cctype>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vow/vow.h"

namespace stream = vow::stream;

std::vector<std::string> logged;

void ticker(int n) {
  auto i = std::make_shared<int>(0);
  auto step = std::make_shared<std::function<void()>>();
  *step = [i, n, step] {
    *i += 1;
    logged.push_back("t" + std::to_string(*i));
    if (*i < n) {
      vow::Promise<void>::resolve().then([step] { (*step)(); });
    } else {
      *step = nullptr;  // the last step breaks the cycle step -> closure -> step
    }
  };
  vow::Promise<void>::resolve().then([step] { (*step)(); });
}

std::string toUpperCase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The same with a source that pushes from setImmediate, so that each chunk is read on its own.
void second() {
  auto n = std::make_shared<int>(0);
  auto slow = stream::Readable::create({.read = [n](stream::Readable& self, std::size_t) {
    *n += 1;
    const int k = *n;
    vow::setImmediate([&self, k] {
      logged.push_back("push " + std::to_string(k));
      ticker(6);
      if (k <= 2) {
        self.push("s" + std::to_string(k));
      } else {
        self.push(std::nullopt);
      }
    });
  }});
  auto sink = stream::Writable::create(
      {.write = [](stream::Writable&, vow::Buffer chunk, stream::Callback callback) {
        logged.push_back("write " + chunk.toString());
        callback(nullptr);
      }});
  auto pass = [](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
    auto it = vow::forAwait(source);
    while (auto chunk = co_await it.next()) {
      logged.push_back("gen " + chunk->toString());
      co_yield *chunk;
    }
  };
  stream::promises::pipeline(slow, pass, sink).then([] {
    logged.push_back("second resolved");
    for (const std::string& line : logged) std::puts(line.c_str());
  });
}

int main() {
  int reads = 0;
  auto src = stream::Readable::create({.read = [&reads](stream::Readable& self, std::size_t) {
    reads += 1;
    logged.push_back("read " + std::to_string(reads));
    if (reads <= 3) {
      self.push("c" + std::to_string(reads));
    } else {
      self.push(std::nullopt);
    }
  }});
  auto dst = stream::Writable::create(
      {.write = [](stream::Writable&, vow::Buffer chunk, stream::Callback callback) {
        logged.push_back("write " + chunk.toString());
        callback(nullptr);
      }});
  src->on("end", [] { logged.push_back("src end"); });
  dst->on("finish", [] { logged.push_back("dst finish"); });

  ticker(40);
  auto upper = [](vow::AsyncGenerator<vow::Buffer> source) -> vow::AsyncGenerator<vow::Buffer> {
    auto it = vow::forAwait(source);
    while (auto chunk = co_await it.next()) {
      logged.push_back("gen " + chunk->toString());
      co_yield vow::Buffer::from(toUpperCase(chunk->toString()));
    }
    logged.push_back("gen done");
  };
  stream::promises::pipeline(src, upper, dst).then([] {
    logged.push_back("resolved");
    for (const std::string& line : logged) std::puts(line.c_str());
    logged.clear();
    second();
  });
  vow::run();
}
