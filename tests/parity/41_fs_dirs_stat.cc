// clang-format off
// C++ twin of 41_fs_dirs_stat.js:
//
//   // Pins directory ops: mkdir recursive resolves to the first directory it created (undefined if none),
//   // readdir lists names only (printed sorted), and stat reports isFile/isDirectory/size.
//   const fsp = require('fs').promises;
//   const os = require('os');
//   const path = require('path');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '41_fs_dirs_stat');
//
//   async function main() {
//     await fsp.rm(dir, { recursive: true, force: true });
//     await fsp.mkdir(dir, { recursive: true });
//     const created = await fsp.mkdir(path.join(dir, 'sub', 'deeper'), { recursive: true });
//     console.log('mkdir recursive returned ' + created.replaceAll(os.tmpdir(), '<tmp>'));
//     const again = await fsp.mkdir(path.join(dir, 'sub', 'deeper'), { recursive: true });
//     console.log('mkdir recursive again returned undefined: ' + (again === undefined));
//     await fsp.writeFile(path.join(dir, 'zeta.txt'), '12345');
//     await fsp.writeFile(path.join(dir, 'alpha.txt'), '');
//     await fsp.writeFile(path.join(dir, 'mid.txt'), 'abc');
//     const names = await fsp.readdir(dir);
//     names.sort();
//     console.log('readdir sorted: ' + JSON.stringify(names));
//     for (const name of names) {
//       const st = await fsp.stat(path.join(dir, name));
//       console.log(name + ': isFile=' + st.isFile() + ' isDirectory=' + st.isDirectory() + (st.isFile() ? ' size=' + st.size : ''));
//     }
//     console.log('sub contains ' + JSON.stringify(await fsp.readdir(path.join(dir, 'sub'))));
//     await fsp.rm(dir, { recursive: true, force: true });
//     console.log('done');
//   }
//   main();
//
// `created === undefined` is an empty std::optional.
// clang-format on
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

using parity::replaceAll;
using parity::tmpdir;

namespace fsp = vow::fs::promises;
using vow::Promise;

// JSON.stringify of an array of strings (the names here need no escaping).
std::string json(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ",\"" : "\"") + v[i] + "\"";
  return out + "]";
}
const char* boolText(bool b) { return b ? "true" : "false"; }

const std::string dir = tmpdir() + "/parity-tmp/41_fs_dirs_stat";

Promise<void> mainAsync() {
  co_await fsp::rm(dir, {.recursive = true, .force = true});
  co_await fsp::mkdir(dir, {.recursive = true});
  auto created = co_await fsp::mkdir(dir + "/sub/deeper", {.recursive = true});
  std::printf("mkdir recursive returned %s\n", replaceAll(*created, tmpdir(), "<tmp>").c_str());
  auto again = co_await fsp::mkdir(dir + "/sub/deeper", {.recursive = true});
  std::printf("mkdir recursive again returned undefined: %s\n", boolText(!again.has_value()));
  co_await fsp::writeFile(dir + "/zeta.txt", "12345");
  co_await fsp::writeFile(dir + "/alpha.txt", "");
  co_await fsp::writeFile(dir + "/mid.txt", "abc");
  auto names = co_await fsp::readdir(dir);
  std::sort(names.begin(), names.end());
  std::printf("readdir sorted: %s\n", json(names).c_str());
  for (const auto& name : names) {
    auto st = co_await fsp::stat(dir + "/" + name);
    std::printf("%s: isFile=%s isDirectory=%s%s\n", name.c_str(), boolText(st.isFile()),
                boolText(st.isDirectory()),
                st.isFile() ? (" size=" + std::to_string(st.size)).c_str() : "");
  }
  std::printf("sub contains %s\n", json(co_await fsp::readdir(dir + "/sub")).c_str());
  co_await fsp::rm(dir, {.recursive = true, .force = true});
  std::puts("done");
}

int main() {
  mainAsync();
  vow::run();
}
