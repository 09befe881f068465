// clang-format off
// C++ twin of 43_fs_read_stream.js:
//
//   // Pins createReadStream with highWaterMark 4 on a 10-byte file: chunks of 4, 4, 2 bytes, then 'end',
//   // then 'close'; a stream on a missing file emits 'error' (ENOENT) and then 'close', never 'end'.
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '43_fs_read_stream');
//   const file = path.join(dir, 'letters.txt');
//
//   function missingStream() {
//     const s = fs.createReadStream(path.join(dir, 'missing.txt'));
//     s.on('data', () => console.log('missing: data (never)'));
//     s.on('end', () => console.log('missing: end (never)'));
//     s.on('error', (e) => console.log('missing: error ' + e.code + ' ' + e.syscall));
//     s.on('close', () => {
//       console.log('missing: close');
//       fs.rm(dir, { recursive: true, force: true }, () => console.log('cleaned up'));
//     });
//   }
//   fs.mkdir(dir, { recursive: true }, () => {
//     fs.writeFile(file, 'abcdefghij', () => {
//       const s = fs.createReadStream(file, { highWaterMark: 4 });
//       let n = 0;
//       s.on('data', (chunk) => {
//         n++;
//         console.log('chunk ' + n + ': ' + chunk.toString() + ' (' + chunk.length + ' bytes)');
//       });
//       s.on('end', () => console.log('end after ' + n + ' chunks'));
//       s.on('close', () => {
//         console.log('close');
//         missingStream();
//       });
//     });
//   });
// clang-format on
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

using parity::tmpdir;

namespace fs = vow::fs;
using vow::Error;

const std::string dir = tmpdir() + "/parity-tmp/43_fs_read_stream";
const std::string file = dir + "/letters.txt";

void missingStream() {
  auto s = fs::createReadStream(dir + "/missing.txt");
  s->on("data", [](const vow::Buffer&) { std::puts("missing: data (never)"); });
  s->on("end", [] { std::puts("missing: end (never)"); });
  s->on("error", [](const Error& e) {
    std::printf("missing: error %s %s\n", e.code().c_str(),
                e.as<vow::SystemError>()->syscall().c_str());
  });
  s->on("close", [] {
    std::puts("missing: close");
    fs::rm(dir, {.recursive = true, .force = true}, [](Error) { std::puts("cleaned up"); });
  });
}

int main() {
  fs::mkdir(dir, {.recursive = true}, [](Error, std::optional<std::string>) {
    fs::writeFile(file, "abcdefghij", [](Error) {
      auto s = fs::createReadStream(file, {.highWaterMark = 4});
      auto n = std::make_shared<int>(0);
      s->on("data", [n](const vow::Buffer& chunk) {
        ++*n;
        std::printf("chunk %d: %s (%zu bytes)\n", *n, chunk.toString().c_str(), chunk.length());
      });
      s->on("end", [n] { std::printf("end after %d chunks\n", *n); });
      s->on("close", [] {
        std::puts("close");
        missingStream();
      });
    });
  });
  vow::run();
}
