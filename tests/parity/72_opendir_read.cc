// clang-format off
// C++ twin of 72_opendir_read.js:
//
//   // fs.promises.opendir and fs.Dir: entries (sorted here: their order is the file system's) with
//   // their types and path, null at the end, close; a closed Dir throws ERR_DIR_CLOSED from read()
//   // and rejects close(); ENOENT / ENOTDIR name the path, opendirSync's message does not. An entry
//   // left in the Dir's buffer resolves read() at once (before a promise job queued after it),
//   // while read(callback) delivers it on the next tick.
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const tmp = os.tmpdir();
//   const dir = path.join(tmp, 'parity-tmp', '72_opendir_read');
//   const show = (s) => s.split(tmp).join('<tmp>');
//
//   async function main() {
//     fs.rmSync(dir, { recursive: true, force: true });
//     fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
//     fs.writeFileSync(path.join(dir, 'a.txt'), 'a');
//     fs.writeFileSync(path.join(dir, 'b.txt'), 'b');
//     fs.symlinkSync('a.txt', path.join(dir, 'link'));
//
//     const d = await fs.promises.opendir(dir, { bufferSize: 2 });
//     console.log('path ' + show(d.path));
//     const names = [];
//     let e;
//     while ((e = await d.read()) !== null) {
//       const kind = e.isFile() ? 'file' : e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'link' : '?';
//       names.push(e.name + ' ' + kind + ' ' + (e.path === dir));
//     }
//     console.log(JSON.stringify(names.sort()));
//     console.log('after the end: ' + (await d.read()));
//     await d.close();
//     console.log('closed');
//     try {
//       d.read();
//     } catch (err) {
//       console.log('read: ' + err.code + ' ' + err.message);
//     }
//     await d.close().catch((err) => console.log('close: ' + err.code));
//
//     for (const p of [path.join(dir, 'missing'), path.join(dir, 'a.txt')]) {
//       await fs.promises.opendir(p).catch((err) => console.log(show(err.message)));
//     }
//     try {
//       fs.opendirSync(path.join(dir, 'missing'));
//     } catch (err) {
//       console.log('sync: ' + err.message);
//     }
//
//     const d2 = await fs.promises.opendir(dir);
//     await d2.read();
//     d2.read().then(() => console.log('buffered read resolved'));
//     Promise.resolve().then(() => console.log('promise job')).then(() => console.log('promise job 2'));
//     d2.read((err, ent) => console.log('callback read: ' + (err === null) + ' ' + (ent !== null)));
//     process.nextTick(() => console.log('nextTick'));
//     await new Promise((resolve) => setImmediate(resolve));
//     fs.opendir(dir, (err, d3) => {
//       console.log('callback opendir: ' + err + ' ' + show(d3.path));
//       d3.closeSync();
//       d2.close(() => {
//         fs.rmSync(dir, { recursive: true, force: true });
//         console.log('done');
//       });
//     });
//   }
//   main();
// clang-format on
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

namespace fs = vow::fs;
using vow::Error;

const std::string tmp = parity::tmpdir();
const std::string dir = tmp + "/parity-tmp/72_opendir_read";
std::string show(const std::string& s) { return parity::replaceAll(s, tmp, "<tmp>"); }

vow::Promise<void> mainAsync() {
  fs::rmSync(dir, {.recursive = true, .force = true});
  fs::mkdirSync(dir + "/sub", {.recursive = true});
  fs::writeFileSync(dir + "/a.txt", "a");
  fs::writeFileSync(dir + "/b.txt", "b");
  fs::symlinkSync("a.txt", dir + "/link");

  fs::Dir d = co_await fs::promises::opendir(dir, {.bufferSize = 2});
  std::printf("path %s\n", show(d.path()).c_str());
  std::vector<std::string> names;
  while (std::optional<fs::Dirent> e = co_await d.read()) {
    const char* kind = e->isFile()           ? "file"
                       : e->isDirectory()    ? "dir"
                       : e->isSymbolicLink() ? "link"
                                             : "?";
    names.push_back(e->name + " " + kind + " " + (e->path == dir ? "true" : "false"));
  }
  std::sort(names.begin(), names.end());
  std::string json = "[";
  for (const auto& n : names) json += (json.size() > 1 ? ",\"" : "\"") + n + "\"";
  std::printf("%s]\n", json.c_str());
  std::optional<fs::Dirent> after = co_await d.read();
  std::printf("after the end: %s\n", after ? "an entry" : "null");
  co_await d.close();
  std::puts("closed");
  try {
    (void)d.read();
  } catch (const vow::Exception& err) {
    std::printf("read: %s %s\n", err.code().c_str(), err.what());
  }
  auto closed_again =
      d.close().catch_([](const Error& err) { std::printf("close: %s\n", err.code().c_str()); });
  co_await closed_again;

  for (const std::string p : {dir + "/missing", dir + "/a.txt"}) {
    auto opened = fs::promises::opendir(p).then(
        [](const fs::Dir&) {}, [](const Error& err) { std::puts(show(err.message()).c_str()); });
    co_await opened;
  }
  try {
    fs::opendirSync(dir + "/missing");
  } catch (const vow::SystemError& err) {
    std::printf("sync: %s\n", err.what());
  }

  fs::Dir d2 = co_await fs::promises::opendir(dir);
  co_await d2.read();
  d2.read().then([](std::optional<fs::Dirent>) { std::puts("buffered read resolved"); });
  vow::Promise<void>::resolve().then([] { std::puts("promise job"); }).then([] {
    std::puts("promise job 2");
  });
  d2.read([](Error err, std::optional<fs::Dirent> ent) {
    std::printf("callback read: %s %s\n", !err ? "true" : "false", ent ? "true" : "false");
  });
  vow::nextTick([] { std::puts("nextTick"); });
  co_await vow::timers::promises::setImmediate();
  fs::opendir(dir, [d2](Error err, fs::Dir d3) {
    std::printf("callback opendir: %s %s\n", err ? err.message().c_str() : "null",
                show(d3.path()).c_str());
    d3.closeSync();
    d2.close([](Error) {
      fs::rmSync(dir, {.recursive = true, .force = true});
      std::puts("done");
    });
  });
}

int main() {
  mainAsync();
  vow::run();
}
