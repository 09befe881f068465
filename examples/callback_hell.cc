// Example 2: callback hell. bazel run //examples:callback_hell
//
// Three files read one after another with error-first callbacks. Each read starts inside the
// callback of the one before, so every step nests one level deeper, every level checks its own
// error and passes it on by hand, and (the C++ twist) every level's capture list grows by what
// the deeper levels still need. Examples 3 and 4 print the same lines from flat code.
//
// The Node program it ports (examples/callback_hell.js; 'utf8' makes Node hand over strings,
// vow::fs always hands over the bytes in a std::string):
//
//   const fs = require('fs');
//   const { enterScratchDir } = require('./support');
//
//   enterScratchDir('callback_hell', { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });
//
//   function readThree([first, second, third], done) {
//     fs.readFile(first, 'utf8', (err, a) => {
//       if (err) return done(err);
//       console.log(`  ${first}: ${a}`);
//       fs.readFile(second, 'utf8', (err, b) => {
//         if (err) return done(err);
//         console.log(`  ${second}: ${b}`);
//         fs.readFile(third, 'utf8', (err, c) => {
//           if (err) return done(err);
//           console.log(`  ${third}: ${c}`);
//           done(null, [a, b, c]);
//         });
//       });
//     });
//   }
//
//   function show(names, next) {
//     console.log(`reading ${names.join(', ')}`);
//     readThree(names, (err, texts) => {
//       if (err) {
//         console.log(`error: ${err.message}`);
//       } else {
//         console.log(`done: ${texts.join(' ')}`);
//       }
//       next();
//     });
//   }
//
//   show(['a.txt', 'b.txt', 'c.txt'], () => {
//     show(['a.txt', 'missing.txt', 'c.txt'], () => {});
//   });
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "examples/support.h"
#include "vow/vow.h"

using Names = std::vector<std::string>;
// An error-first callback: (err) on failure, (no error, texts) on success.
using Done = std::function<void(vow::Error, std::vector<std::string>)>;

void readThree(Names names, Done done) {
  vow::fs::readFile(names[0], "utf8", [names, done](vow::Error err, std::string a) {
    if (err) return done(err, {});
    std::printf("  %s: %s\n", names[0].c_str(), a.c_str());
    vow::fs::readFile(names[1], "utf8", [names, done, a](vow::Error err, std::string b) {
      if (err) return done(err, {});
      std::printf("  %s: %s\n", names[1].c_str(), b.c_str());
      vow::fs::readFile(names[2], "utf8", [names, done, a, b](vow::Error err, std::string c) {
        if (err) return done(err, {});
        std::printf("  %s: %s\n", names[2].c_str(), c.c_str());
        done({}, {a, b, c});
      });
    });
  });
}

void show(const Names& names, std::function<void()> next) {
  std::printf("reading %s\n", examples::join(names, ", ").c_str());
  readThree(names, [next](vow::Error err, std::vector<std::string> texts) {
    if (err) {
      std::printf("error: %s\n", err.message().c_str());
    } else {
      std::printf("done: %s\n", examples::join(texts, " ").c_str());
    }
    next();
  });
}

int main() {
  examples::ScratchDir scratch("callback_hell",
                               {{"a.txt", "alpha"}, {"b.txt", "beta"}, {"c.txt", "gamma"}});

  // Even running two jobs in a row nests: the second starts in the callback of the first.
  show({"a.txt", "b.txt", "c.txt"}, [] { show({"a.txt", "missing.txt", "c.txt"}, [] {}); });

  vow::run();
}
