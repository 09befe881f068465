// clang-format off
// C++ twin of 70_readline_lines.js:
//
//   // readline over a file read in 8-byte chunks: 'line' events split on \n, \r\n (also across a
//   // chunk boundary, with crlfDelay: Infinity) and a lone \r; the last line without a break comes
//   // at 'end', then 'pause' and 'close'. Promise jobs and nextTicks queued by a 'line' listener run
//   // after the whole chunk's lines (they are emitted synchronously from one 'data' event).
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const readline = require('readline');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '70_readline_lines');
//   const file = path.join(dir, 'lines.txt');
//
//   fs.mkdirSync(dir, { recursive: true });
//   // The third chunk ends in "\r" and the fourth starts with "\n": one line break.
//   fs.writeFileSync(file, 'alpha\nbeta\r\ngamma-12345\r\ndelta\repsilon\n\nlast');
//   const input = fs.createReadStream(file, { highWaterMark: 8 });
//   const rl = readline.createInterface({ input, crlfDelay: Infinity });
//   let n = 0;
//   input.on('data', (chunk) => console.log('data ' + JSON.stringify(chunk.toString())));
//   rl.on('line', (line) => {
//     const i = ++n;
//     console.log('line ' + i + ' ' + JSON.stringify(line));
//     process.nextTick(() => console.log('  nextTick after line ' + i));
//     Promise.resolve().then(() => console.log('  promise after line ' + i));
//   });
//   rl.on('pause', () => console.log('pause (' + (rl.closed ? 'closed' : 'open') + ')'));
//   input.on('end', () => console.log('input end'));
//   rl.on('close', () => {
//     console.log('close after ' + n + ' lines');
//     setImmediate(() => {
//       console.log('input listeners left: ' + input.listenerCount('data') + ' ' + input.listenerCount('end'));
//       fs.rmSync(dir, { recursive: true, force: true });
//     });
//   });
//   input.on('close', () => console.log('input close'));
//   console.log('sync end');
// clang-format on
#include <cstdio>
#include <memory>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/readline/readline.h"
#include "vow/vow.h"

namespace fs = vow::fs;
namespace readline = vow::readline;

// JS: JSON.stringify(s) for the characters these lines hold.
std::string json(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

int main() {
  const std::string dir = parity::tmpdir() + "/parity-tmp/70_readline_lines";
  const std::string file = dir + "/lines.txt";
  fs::mkdirSync(dir, {.recursive = true});
  // The third chunk ends in "\r" and the fourth starts with "\n": one line break.
  fs::writeFileSync(file, "alpha\nbeta\r\ngamma-12345\r\ndelta\repsilon\n\nlast");
  auto input = fs::createReadStream(file, {.highWaterMark = 8});
  auto rl = readline::createInterface({.input = input, .crlfDelay = readline::kInfinity});
  auto n = std::make_shared<int>(0);
  input->on("data", [](const vow::Buffer& chunk) {
    std::printf("data %s\n", json(chunk.toString()).c_str());
  });
  rl->on("line", [n](const std::string& line) {
    const int i = ++*n;
    std::printf("line %d %s\n", i, json(line).c_str());
    vow::nextTick([i] { std::printf("  nextTick after line %d\n", i); });
    vow::Promise<void>::resolve().then([i] { std::printf("  promise after line %d\n", i); });
  });
  std::weak_ptr<readline::Interface> weak = rl;
  rl->on("pause",
         [weak] { std::printf("pause (%s)\n", weak.lock()->closed() ? "closed" : "open"); });
  input->on("end", [] { std::puts("input end"); });
  std::weak_ptr<fs::ReadStream> weak_input = input;
  rl->on("close", [n, weak_input, dir] {
    std::printf("close after %d lines\n", *n);
    vow::setImmediate([weak_input, dir] {
      auto in = weak_input.lock();
      std::printf("input listeners left: %zu %zu\n", in->listenerCount("data"),
                  in->listenerCount("end"));
      fs::rmSync(dir, {.recursive = true, .force = true});
    });
  });
  input->on("close", [] { std::puts("input close"); });
  std::puts("sync end");
  vow::run();
}
