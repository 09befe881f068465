// Example 16: an async generator that pages through a directory. bazel run //examples:dir_pages
//
// fs.promises.opendir reads a directory a few entries at a time (bufferSize per thread-pool
// job), and `for await (const entry of dir)` goes through them, closing the directory at the end
// or when the loop is left early. Wrapped in an async generator (`async function*`,
// vow::AsyncGenerator in C++), the listing becomes pages that a consumer pulls one at a time:
// no page is read before it is asked for, and a consumer that stops early (break) ends the
// generator, whose cleanup closes the directory.
//
// C++ has no `for await` and no `finally` that can await: vow::forAwait(x) starts the loop,
// `co_await it.close()` after it is JS's implicit return() on an early exit, and the
// `try { ... } finally { ... }` is a catch (...) that keeps the exception, the cleanup, and a
// rethrow (the consumer's break arrives inside the generator as a vow::GeneratorReturn thrown
// at its co_yield).
//
// The Node program it ports (examples/dir_pages.js):
//
//   const fsp = require('fs/promises');
//   const { enterScratchDir } = require('./support');
//
//   // 23 photos and a folder of thumbnails.
//   const files = {};
//   for (let i = 1; i <= 23; i++) {
//     files[`photo-${String(i).padStart(2, '0')}.jpg`] = 'x'.repeat(i * 100);
//   }
//   enterScratchDir('dir_pages', files);
//   require('fs').mkdirSync('thumbnails');
//
//   // An async generator: the directory's files in pages of `size`, read from an fs.Dir a few
//   // entries at a time (never the whole listing at once). The Dir closes itself when the loop
//   // over it ends, and when the consumer stops early.
//   async function* pages(path, size) {
//     const dir = await fsp.opendir(path, { bufferSize: size });
//     let page = [];
//     try {
//       for await (const entry of dir) {
//         if (!entry.isFile()) continue;
//         page.push(entry.name);
//         if (page.length === size) {
//           yield page;
//           page = [];
//         }
//       }
//       if (page.length > 0) yield page;
//     } finally {
//       console.log(`  (pages: done with ${path}, the directory is closed)`);
//     }
//   }
//
//   async function main() {
//     let count = 0;
//     const seen = [];
//     for await (const page of pages('.', 5)) {
//       count += 1;
//       seen.push(...page);
//       console.log(`page ${count}: ${page.length} files`);
//     }
//     seen.sort();
//     console.log(`${seen.length} files, from ${seen[0]} to ${seen[seen.length - 1]}`);
//
//     // Only the first page: leaving the loop early ends the generator, which closes the
//     // directory.
//     for await (const page of pages('.', 10)) {
//       console.log(`first page only: ${page.length} files`);
//       break;
//     }
//     console.log('done');
//   }
//   main();
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "examples/support.h"
#include "vow/vow.h"

using Page = std::vector<std::string>;

vow::AsyncGenerator<Page> pages(std::string path, std::uint32_t size) {
  vow::fs::Dir dir = co_await vow::fs::promises::opendir(path, {.bufferSize = size});
  Page page;
  vow::Error exit;  // try { ... } finally { ... }
  try {
    auto it = vow::forAwait(dir);
    vow::Error failed;
    try {
      while (std::optional<vow::fs::Dirent> entry = co_await it.next()) {
        if (!entry->isFile()) continue;
        page.push_back(entry->name);
        if (page.size() == size) {
          co_yield std::exchange(page, Page());
        }
      }
    } catch (...) {
      failed = vow::Error::current();
    }
    co_await it.close();  // leaving `for await (... of dir)` early closes the directory
    if (failed) failed.rethrow();
    if (!page.empty()) co_yield std::move(page);
  } catch (...) {
    exit = vow::Error::current();
  }
  std::printf("  (pages: done with %s, the directory is closed)\n", path.c_str());
  if (exit) exit.rethrow();
}

vow::Promise<void> mainAsync() {
  int count = 0;
  std::vector<std::string> seen;
  {
    auto it = vow::forAwait(pages(".", 5));
    while (std::optional<Page> page = co_await it.next()) {
      count += 1;
      seen.insert(seen.end(), page->begin(), page->end());
      std::printf("page %d: %zu files\n", count, page->size());
    }
    co_await it.close();
  }
  std::sort(seen.begin(), seen.end());
  std::printf("%zu files, from %s to %s\n", seen.size(), seen.front().c_str(), seen.back().c_str());

  // Only the first page: leaving the loop early ends the generator, which closes the
  // directory.
  {
    auto it = vow::forAwait(pages(".", 10));
    while (std::optional<Page> page = co_await it.next()) {
      std::printf("first page only: %zu files\n", page->size());
      break;
    }
    co_await it.close();
  }
  std::puts("done");
}

int main() {
  // 23 photos and a folder of thumbnails.
  std::map<std::string, std::string> files;
  char name[32];
  for (int i = 1; i <= 23; ++i) {
    std::snprintf(name, sizeof name, "photo-%02d.jpg", i);
    files[name] = std::string(static_cast<std::size_t>(i) * 100, 'x');
  }
  examples::ScratchDir scratch("dir_pages", files);
  vow::fs::mkdirSync("thumbnails");

  mainAsync();
  vow::run();
}
