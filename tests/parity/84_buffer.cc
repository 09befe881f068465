// clang-format off
// C++ twin of 84_buffer.js:
//
//   // Pins Buffer (issue 17): console.log of a Buffer (50 bytes, then "... N more bytes"), utf8
//   // decoding of invalid bytes, the encodings, subarray sharing memory with Node's clamping,
//   // concat, compare, Node's error for an unknown encoding, and readFile with and without one.
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '84_buffer');
//
//   const hello = Buffer.from('hello');
//   console.log(hello, hello.length, hello[0]);
//   console.log(Buffer.alloc(3), Buffer.alloc(52, 7));
//   const b = Buffer.from([0xff, 0x61, 0xe2, 0x82, 0x61, 0xf0, 0x9f, 0x98, 0x80, 0xc0, 0xaf]);
//   console.log(b.toString() === '\ufffda\ufffda\u{1f600}\ufffd\ufffd', b.toString('hex'), b.toString('base64'));
//   console.log(Buffer.from('68656c6c6fzz', 'hex').toString(), Buffer.from('aGVs bG8', 'base64').toString(), Buffer.from('héllo', 'latin1'));
//   const view = hello.subarray(1, -1);
//   view[0] = 0x61;
//   console.log(view.toString(), hello.toString(), hello.subarray(-2).toString(), hello.subarray(4, 2).length);
//   console.log(Buffer.concat([hello, Buffer.from('!')]).toString(), Buffer.compare(Buffer.from('a'), Buffer.from('b')), hello.equals(Buffer.from('hallo')));
//   try {
//     hello.toString('nope');
//   } catch (e) {
//     console.log(e.name, e.code, e.message);
//   }
//   fs.rmSync(dir, { recursive: true, force: true });
//   fs.mkdirSync(dir, { recursive: true });
//   const file = path.join(dir, 'data.bin');
//   fs.writeFileSync(file, b);
//   fs.readFile(file, (err, data) => {
//     console.log('readFile', err, data);
//     fs.readFile(file, 'hex', (err, text) => {
//       console.log('readFile hex', err, text);
//       fs.promises.readFile(file, 'utf8').then((text) => {
//         console.log('promises utf8', Buffer.from(text).toString('hex'));
//         try {
//           fs.readFile(file, 'nope', () => {});
//         } catch (e) {
//           console.log(e.name, e.code, e.message);
//         }
//         fs.rmSync(dir, { recursive: true, force: true });
//       });
//     });
//   });
//
// console.log(a, b) prints its arguments with spaces: operator<< of a vow::Buffer prints as
// console.log does.
// clang-format on
#include <cstdio>
#include <iostream>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

namespace fs = vow::fs;
using parity::tmpdir;
using vow::Buffer;
using vow::Error;

const std::string dir = tmpdir() + "/parity-tmp/84_buffer";

const char* show(const Error& err) { return err ? err.message().c_str() : "null"; }

int main() {
  Buffer hello = Buffer::from("hello");
  std::cout << hello << " " << hello.length() << " " << int{hello[0]} << "\n";
  std::cout << Buffer::alloc(3) << " " << Buffer::alloc(52, 7) << "\n";
  Buffer b = Buffer::from({0xff, 0x61, 0xe2, 0x82, 0x61, 0xf0, 0x9f, 0x98, 0x80, 0xc0, 0xaf});
  std::cout << (b.toString() == "\uFFFDa\uFFFDa\U0001F600\uFFFD\uFFFD" ? "true" : "false") << " "
            << b.toString("hex") << " " << b.toString("base64") << "\n";
  std::cout << Buffer::from("68656c6c6fzz", "hex").toString() << " "
            << Buffer::from("aGVs bG8", "base64").toString() << " "
            << Buffer::from("h\u00e9llo", "latin1") << "\n";
  Buffer view = hello.subarray(1, -1);
  view[0] = 0x61;
  std::cout << view.toString() << " " << hello.toString() << " " << hello.subarray(-2).toString()
            << " " << hello.subarray(4, 2).length() << "\n";
  std::cout << Buffer::concat({hello, Buffer::from("!")}).toString() << " "
            << Buffer::compare(Buffer::from("a"), Buffer::from("b")) << " "
            << (hello.equals(Buffer::from("hallo")) ? "true" : "false") << "\n";
  try {
    (void)hello.toString("nope");
  } catch (const vow::TypeError& e) {
    std::cout << e.name() << " " << e.code() << " " << e.message() << "\n";
  }
  fs::rmSync(dir, {.recursive = true, .force = true});
  fs::mkdirSync(dir, {.recursive = true});
  const std::string file = dir + "/data.bin";
  fs::writeFileSync(file, b);
  fs::readFile(file, [file](Error err, Buffer data) {
    std::cout << "readFile " << show(err) << " " << data << "\n";
    fs::readFile(file, "hex", [file](Error err, std::string text) {
      std::cout << "readFile hex " << show(err) << " " << text << "\n";
      fs::promises::readFile(file, "utf8").then([file](const std::string& text) {
        std::cout << "promises utf8 " << Buffer::from(text).toString("hex") << "\n";
        try {
          fs::readFile(file, "nope", [](Error, std::string) {});
        } catch (const vow::TypeError& e) {
          std::cout << e.name() << " " << e.code() << " " << e.message() << "\n";
        }
        fs::rmSync(dir, {.recursive = true, .force = true});
      });
    });
  });
  vow::run();
  std::cout.flush();
}
