// Example 3: the same three reads as a flat promise chain. bazel run //examples:promise_chain
//
// Each `then` returns the next read's promise, and the chain waits for it (adopts it) before
// going on; an error anywhere skips the remaining `then`s and lands in the one `catch_` at the
// end. The code no longer nests, and errors are handled once. The C++ twist: the handlers run
// after readThree has returned, so what they share lives in a shared_ptr (JS's closures keep
// `texts` alive by themselves).
//
// The Node program it ports (examples/promise_chain.js):
//
//   const fsp = require('fs').promises;
//   const { enterScratchDir } = require('./support');
//
//   enterScratchDir('promise_chain', { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });
//
//   function readThree([first, second, third]) {
//     const texts = [];
//     return fsp.readFile(first, 'utf8')
//       .then((a) => {
//         console.log(`  ${first}: ${a}`);
//         texts.push(a);
//         return fsp.readFile(second, 'utf8');
//       })
//       .then((b) => {
//         console.log(`  ${second}: ${b}`);
//         texts.push(b);
//         return fsp.readFile(third, 'utf8');
//       })
//       .then((c) => {
//         console.log(`  ${third}: ${c}`);
//         texts.push(c);
//         return texts;
//       });
//   }
//
//   function show(names) {
//     console.log(`reading ${names.join(', ')}`);
//     return readThree(names)
//       .then((texts) => console.log(`done: ${texts.join(' ')}`))
//       .catch((err) => console.log(`error: ${err.message}`));
//   }
//
//   show(['a.txt', 'b.txt', 'c.txt'])
//     .then(() => show(['a.txt', 'missing.txt', 'c.txt']));
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "examples/support.h"
#include "vow/vow.h"

namespace fsp = vow::fs::promises;
using Names = std::vector<std::string>;

vow::Promise<std::vector<std::string>> readThree(const Names& names) {
  auto texts = std::make_shared<std::vector<std::string>>();
  return fsp::readFile(names[0], "utf8")
      .then([names, texts](const std::string& a) {
        std::printf("  %s: %s\n", names[0].c_str(), a.c_str());
        texts->push_back(a);
        return fsp::readFile(names[1], "utf8");
      })
      .then([names, texts](const std::string& b) {
        std::printf("  %s: %s\n", names[1].c_str(), b.c_str());
        texts->push_back(b);
        return fsp::readFile(names[2], "utf8");
      })
      .then([names, texts](const std::string& c) {
        std::printf("  %s: %s\n", names[2].c_str(), c.c_str());
        texts->push_back(c);
        return *texts;
      });
}

vow::Promise<void> show(const Names& names) {
  std::printf("reading %s\n", examples::join(names, ", ").c_str());
  return readThree(names)
      .then([](const std::vector<std::string>& texts) {
        std::printf("done: %s\n", examples::join(texts, " ").c_str());
      })
      .catch_([](const vow::Error& err) { std::printf("error: %s\n", err.message().c_str()); });
}

int main() {
  examples::ScratchDir scratch("promise_chain",
                               {{"a.txt", "alpha"}, {"b.txt", "beta"}, {"c.txt", "gamma"}});

  // Two jobs in a row: still flat.
  show({"a.txt", "b.txt", "c.txt"}).then([] { return show({"a.txt", "missing.txt", "c.txt"}); });

  vow::run();
}
