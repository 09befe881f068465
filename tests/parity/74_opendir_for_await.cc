// clang-format off
// C++ twin of 74_opendir_for_await.js:
//
//   // for await over an fs.Dir (its entries() async generator, bufferSize 2): entries taken from
//   // the Dir's buffer come a few ticks apart (interleaving with a promise chain), the others wait
//   // for a read on the thread pool; when the loop ends the generator closes the Dir, and a break
//   // closes it too (a later close() rejects with ERR_DIR_CLOSED). Names are sorted before
//   // printing: the directory's order is the file system's.
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '74_opendir_for_await');
//
//   async function main() {
//     fs.rmSync(dir, { recursive: true, force: true });
//     fs.mkdirSync(dir, { recursive: true });
//     for (const name of ['e', 'd', 'c', 'b', 'a']) fs.writeFileSync(path.join(dir, name), name);
//
//     const d = await fs.promises.opendir(dir, { bufferSize: 2 });
//     let t = 0;
//     const tick = () => {
//       console.log('  tick ' + ++t);
//       if (t < 12) Promise.resolve().then(tick);
//     };
//     const names = [];
//     let n = 0;
//     for await (const entry of d) {
//       console.log('entry ' + ++n);
//       names.push(entry.name);
//       if (n === 1) Promise.resolve().then(tick);
//     }
//     console.log('loop done: ' + names.sort().join(' '));
//     await d.close().catch((e) => console.log('close after the loop: ' + e.code));
//
//     const d2 = await fs.promises.opendir(dir);
//     for await (const entry of d2) {
//       console.log('first entry is a file: ' + entry.isFile());
//       break;
//     }
//     await d2.close().catch((e) => console.log('close after break: ' + e.code));
//
//     const d3 = await fs.promises.opendir(dir);
//     try {
//       for await (const entry of d3) {
//         throw new Error('thrown in the loop body (' + entry.isFile() + ')');
//       }
//     } catch (e) {
//       console.log('caught: ' + e.message);
//     }
//     await d3.close().catch((e) => console.log('close after throw: ' + e.code));
//     fs.rmSync(dir, { recursive: true, force: true });
//     console.log('done');
//   }
//   main();
// clang-format on
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

namespace fs = vow::fs;
using vow::Error;

const std::string dir = parity::tmpdir() + "/parity-tmp/74_opendir_for_await";

void tick(std::shared_ptr<int> t) {
  std::printf("  tick %d\n", ++*t);
  if (*t < 12) vow::Promise<void>::resolve().then([t] { tick(t); });
}

vow::Promise<void> mainAsync() {
  fs::rmSync(dir, {.recursive = true, .force = true});
  fs::mkdirSync(dir, {.recursive = true});
  for (const char* name : {"e", "d", "c", "b", "a"}) fs::writeFileSync(dir + "/" + name, name);

  fs::Dir d = co_await fs::promises::opendir(dir, {.bufferSize = 2});
  auto t = std::make_shared<int>(0);
  std::vector<std::string> names;
  int n = 0;
  {
    auto it = vow::forAwait(d);
    while (std::optional<fs::Dirent> entry = co_await it.next()) {
      std::printf("entry %d\n", ++n);
      names.push_back(entry->name);
      if (n == 1) vow::Promise<void>::resolve().then([t] { tick(t); });
    }
    co_await it.close();
  }
  std::sort(names.begin(), names.end());
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : " ") + name;
  std::printf("loop done: %s\n", joined.c_str());
  auto closed = d.close().catch_(
      [](const Error& e) { std::printf("close after the loop: %s\n", e.code().c_str()); });
  co_await closed;

  fs::Dir d2 = co_await fs::promises::opendir(dir);
  {
    auto it = vow::forAwait(d2);
    while (std::optional<fs::Dirent> entry = co_await it.next()) {
      std::printf("first entry is a file: %s\n", entry->isFile() ? "true" : "false");
      break;
    }
    co_await it.close();
  }
  auto closed2 = d2.close().catch_(
      [](const Error& e) { std::printf("close after break: %s\n", e.code().c_str()); });
  co_await closed2;

  fs::Dir d3 = co_await fs::promises::opendir(dir);
  {
    // JS: an exception leaving a for await closes the iterator (awaited) and then goes on.
    auto it = vow::forAwait(d3);
    Error failed;
    try {
      while (std::optional<fs::Dirent> entry = co_await it.next()) {
        throw std::runtime_error(std::string("thrown in the loop body (") +
                                 (entry->isFile() ? "true" : "false") + ")");
      }
    } catch (...) {
      failed = Error::current();
    }
    co_await it.close();
    if (failed) std::printf("caught: %s\n", failed.message().c_str());
  }
  auto closed3 = d3.close().catch_(
      [](const Error& e) { std::printf("close after throw: %s\n", e.code().c_str()); });
  co_await closed3;
  fs::rmSync(dir, {.recursive = true, .force = true});
  std::puts("done");
}

int main() {
  mainAsync();
  vow::run();
}
