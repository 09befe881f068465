// clang-format off
// C++ twin of 37_fs_callback_api.js:
//
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '37_fs_callback_api');
//   const file = path.join(dir, 'a.txt');
//
//   fs.rm(dir, { recursive: true, force: true }, () => {
//     fs.mkdir(dir, { recursive: true }, (err) => {
//       console.log('mkdir err=' + err);
//       fs.writeFile(file, 'hello', (err) => {
//         console.log('writeFile err=' + err);
//         fs.appendFile(file, ' world', (err) => {
//           console.log('appendFile err=' + err);
//           fs.readFile(file, 'utf8', (err, data) => {
//             console.log('readFile utf8 err=' + err + ' data=' + data);
//             fs.writeFile(file, 'new', (err) => {
//               fs.readFile(file, (err, buf) => {
//                 console.log('after overwrite: length=' + buf.length + ' bytes=' + JSON.stringify([buf[0], buf[1], buf[2]]) + ' text=' + buf.toString());
//                 fs.readFile(path.join(dir, 'missing.txt'), 'utf8', (err, data) => {
//                   console.log('missing: data is undefined: ' + (data === undefined) + ' code=' + err.code + ' syscall=' + err.syscall + ' errno=' + err.errno);
//                   console.log('missing: message=' + err.message.replaceAll(os.tmpdir(), '<tmp>'));
//                   fs.rm(dir, { recursive: true, force: true }, (err) => console.log('cleanup err=' + err));
//                 });
//               });
//             });
//           });
//         });
//       });
//       console.log('after writeFile call (callback not yet run)');
//     });
//   });
//
// 'utf8' is "utf8" (the callback takes a std::string), no encoding gives a vow::Buffer;
// `data === undefined` on an error is the empty value the callback receives with the error.
// clang-format on
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

using parity::replaceAll;
using parity::tmpdir;

namespace fs = vow::fs;
using vow::Error;

const char* show(const Error& err) { return err ? "error" : "null"; }

const std::string dir = tmpdir() + "/parity-tmp/37_fs_callback_api";
const std::string file = dir + "/a.txt";

int main() {
  fs::rm(dir, {.recursive = true, .force = true}, [](Error) {
    fs::mkdir(dir, {.recursive = true}, [](Error err, std::optional<std::string>) {
      std::printf("mkdir err=%s\n", show(err));
      fs::writeFile(file, "hello", [](Error err) {
        std::printf("writeFile err=%s\n", show(err));
        fs::appendFile(file, " world", [](Error err) {
          std::printf("appendFile err=%s\n", show(err));
          fs::readFile(file, "utf8", [](Error err, std::string data) {
            std::printf("readFile utf8 err=%s data=%s\n", show(err), data.c_str());
            fs::writeFile(file, "new", [](Error) {
              fs::readFile(file, [](Error, vow::Buffer buf) {
                std::printf("after overwrite: length=%zu bytes=[%d,%d,%d] text=%s\n", buf.size(),
                            buf[0], buf[1], buf[2], buf.toString().c_str());
                fs::readFile(dir + "/missing.txt", "utf8", [](Error err, std::string data) {
                  const auto* e = err.as<vow::SystemError>();
                  std::printf("missing: data is undefined: %s code=%s syscall=%s errno=%d\n",
                              data.empty() ? "true" : "false", e->code().c_str(),
                              e->syscall().c_str(), e->errnum());
                  std::printf("missing: message=%s\n",
                              replaceAll(e->message(), tmpdir(), "<tmp>").c_str());
                  fs::rm(dir, {.recursive = true, .force = true},
                         [](Error err) { std::printf("cleanup err=%s\n", show(err)); });
                });
              });
            });
          });
        });
      });
      std::puts("after writeFile call (callback not yet run)");
    });
  });
  vow::run();
}
