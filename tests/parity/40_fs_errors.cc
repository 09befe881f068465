// clang-format off
// C++ twin of 40_fs_errors.js:
//
//   // Pins SystemError fields (code, syscall, errno, message) for common failures: ENOENT on open/stat/
//   // unlink/rename, EISDIR reading a directory (no path in message), EEXIST, ENOTDIR, ENOTEMPTY.
//   const fsp = require('fs').promises;
//   const os = require('os');
//   const path = require('path');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '40_fs_errors');
//   const file = path.join(dir, 'f.txt');
//   const missing = path.join(dir, 'missing.txt');
//
//   function show(label, e) {
//     console.log(label + ': code=' + e.code + ' syscall=' + e.syscall + ' errno=' + e.errno);
//     console.log('  message=' + e.message.replaceAll(os.tmpdir(), '<tmp>'));
//   }
//   async function attempt(label, op) {
//     try {
//       await op();
//       console.log(label + ': no error');
//     } catch (e) {
//       show(label, e);
//     }
//   }
//   async function main() {
//     await fsp.rm(dir, { recursive: true, force: true });
//     await fsp.mkdir(dir, { recursive: true });
//     await fsp.writeFile(file, 'x');
//     await attempt('readFile missing', () => fsp.readFile(missing));
//     await attempt('stat missing', () => fsp.stat(missing));
//     await attempt('unlink missing', () => fsp.unlink(missing));
//     await attempt('rename missing', () => fsp.rename(missing, path.join(dir, 'other.txt')));
//     await attempt('readFile directory', () => fsp.readFile(dir));
//     await attempt('mkdir existing', () => fsp.mkdir(dir));
//     await attempt('mkdir existing recursive', () => fsp.mkdir(dir, { recursive: true }));
//     await attempt('readdir on a file', () => fsp.readdir(file));
//     await attempt('rmdir non-empty', () => fsp.rmdir(dir));
//     await fsp.rm(dir, { recursive: true, force: true });
//     console.log('done');
//   }
//   main();
//
// `() => fsp.readFile(missing)` becomes a lambda returning the promise; `attempt` awaits it.
// clang-format on
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

using parity::replaceAll;
using parity::tmpdir;

namespace fsp = vow::fs::promises;
using vow::Promise;

const std::string dir = tmpdir() + "/parity-tmp/40_fs_errors";
const std::string file = dir + "/f.txt";
const std::string missing = dir + "/missing.txt";

void show(const std::string& label, const vow::SystemError& e) {
  std::printf("%s: code=%s syscall=%s errno=%d\n", label.c_str(), e.code().c_str(),
              e.syscall().c_str(), e.errnum());
  std::printf("  message=%s\n", replaceAll(e.message(), tmpdir(), "<tmp>").c_str());
}

template <class Op>
Promise<void> attempt(std::string label, Op op) {
  try {
    co_await op();
    std::printf("%s: no error\n", label.c_str());
  } catch (const vow::SystemError& e) {
    show(label, e);
  }
}

Promise<void> mainAsync() {
  co_await fsp::rm(dir, {.recursive = true, .force = true});
  co_await fsp::mkdir(dir, {.recursive = true});
  co_await fsp::writeFile(file, "x");
  co_await attempt("readFile missing", [] { return fsp::readFile(missing); });
  co_await attempt("stat missing", [] { return fsp::stat(missing); });
  co_await attempt("unlink missing", [] { return fsp::unlink(missing); });
  co_await attempt("rename missing", [] { return fsp::rename(missing, dir + "/other.txt"); });
  co_await attempt("readFile directory", [] { return fsp::readFile(dir); });
  co_await attempt("mkdir existing", [] { return fsp::mkdir(dir); });
  co_await attempt("mkdir existing recursive", [] { return fsp::mkdir(dir, {.recursive = true}); });
  co_await attempt("readdir on a file", [] { return fsp::readdir(file); });
  co_await attempt("rmdir non-empty", [] { return fsp::rmdir(dir); });
  co_await fsp::rm(dir, {.recursive = true, .force = true});
  std::puts("done");
}

int main() {
  mainAsync();
  vow::run();
}
