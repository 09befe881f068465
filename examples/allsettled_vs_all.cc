// Example 8: allSettled vs all when one of several reads fails.
// bazel run //examples:allsettled_vs_all
//
// vow::all rejects as soon as one input rejects (fail fast: the other results are lost);
// vow::allSettled waits for every input and reports each outcome as a vow::Settled<T>, so the
// reads that worked are still usable. Both take a range of promises (here a view: JS's
// names.map(...)) and keep the input order.
//
// The Node program it ports (examples/allsettled_vs_all.js):
//
//   const fsp = require('fs').promises;
//   const { enterScratchDir } = require('./support');
//
//   enterScratchDir('allsettled_vs_all', { 'a.txt': 'alpha', 'c.txt': 'gamma' });
//
//   const names = ['a.txt', 'missing.txt', 'c.txt'];
//
//   async function main() {
//     console.log(`Promise.all of ${names.join(', ')}`);
//     try {
//       const texts = await Promise.all(names.map((name) => fsp.readFile(name, 'utf8')));
//       console.log(`  all read: ${texts.join(' ')}`);
//     } catch (err) {
//       console.log(`  rejected with the first error: ${err.message}`);
//     }
//
//     console.log(`Promise.allSettled of ${names.join(', ')}`);
//     const results = await Promise.allSettled(names.map((name) => fsp.readFile(name, 'utf8')));
//     results.forEach((result, i) => {
//       if (result.status === 'fulfilled') {
//         console.log(`  ${names[i]}: ${result.status}, ${result.value}`);
//       } else {
//         console.log(`  ${names[i]}: ${result.status}, ${result.reason.code}`);
//       }
//     });
//     const texts = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
//     console.log(`  carry on with what was read: ${texts.join(' ')}`);
//   }
//
//   main();
#include <cstddef>
#include <cstdio>
#include <exception>
#include <ranges>
#include <string>
#include <vector>

#include "examples/support.h"
#include "vow/vow.h"

namespace fsp = vow::fs::promises;

const std::vector<std::string> names = {"a.txt", "missing.txt", "c.txt"};

// JS: (name) => fsp.readFile(name, 'utf8')
vow::Promise<std::string> readOne(const std::string& name) { return fsp::readFile(name, "utf8"); }

vow::Promise<void> mainAsync() {
  std::printf("Promise.all of %s\n", examples::join(names, ", ").c_str());
  try {
    std::vector<std::string> texts = co_await vow::all(names | std::views::transform(readOne));
    std::printf("  all read: %s\n", examples::join(texts, " ").c_str());
  } catch (const std::exception& err) {
    std::printf("  rejected with the first error: %s\n", err.what());
  }

  std::printf("Promise.allSettled of %s\n", examples::join(names, ", ").c_str());
  std::vector<vow::Settled<std::string>> results =
      co_await vow::allSettled(names | std::views::transform(readOne));
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    if (result.status() == "fulfilled") {
      std::printf("  %s: fulfilled, %s\n", names[i].c_str(), result.value().c_str());
    } else {
      std::printf("  %s: rejected, %s\n", names[i].c_str(), result.reason().code().c_str());
    }
  }
  std::vector<std::string> texts;
  for (const auto& result : results) {
    if (result.isFulfilled()) texts.push_back(result.value());
  }
  std::printf("  carry on with what was read: %s\n", examples::join(texts, " ").c_str());
}

int main() {
  examples::ScratchDir scratch("allsettled_vs_all", {{"a.txt", "alpha"}, {"c.txt", "gamma"}});
  mainAsync();
  vow::run();
}
