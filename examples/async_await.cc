// Example 4: the same three reads with co_await. bazel run //examples:async_await
//
// Code that reads like the synchronous version, with one try/catch for every step: a rejected
// promise makes co_await throw its reason, here a vow::SystemError. co_await suspends this
// coroutine only; the event loop goes on running everything else meanwhile. A coroutine that
// returns vow::Promise<T> is JS's async function: calling it runs it up to its first co_await
// and hands back the promise of its result.
//
// The Node program it ports (examples/async_await.js):
//
//   const fsp = require('fs').promises;
//   const { enterScratchDir } = require('./support');
//
//   enterScratchDir('async_await', { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });
//
//   async function readThree([first, second, third]) {
//     const a = await fsp.readFile(first, 'utf8');
//     console.log(`  ${first}: ${a}`);
//     const b = await fsp.readFile(second, 'utf8');
//     console.log(`  ${second}: ${b}`);
//     const c = await fsp.readFile(third, 'utf8');
//     console.log(`  ${third}: ${c}`);
//     return [a, b, c];
//   }
//
//   async function show(names) {
//     console.log(`reading ${names.join(', ')}`);
//     try {
//       const texts = await readThree(names);
//       console.log(`done: ${texts.join(' ')}`);
//     } catch (err) {
//       console.log(`error: ${err.message}`);
//     }
//   }
//
//   async function main() {
//     await show(['a.txt', 'b.txt', 'c.txt']);
//     await show(['a.txt', 'missing.txt', 'c.txt']);
//   }
//
//   main();
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "examples/support.h"
#include "vow/vow.h"

namespace fsp = vow::fs::promises;
using Names = std::vector<std::string>;

// Coroutine parameters are copied into the coroutine frame: take them by value, since a
// reference could dangle once the coroutine is suspended.
vow::Promise<std::vector<std::string>> readThree(Names names) {
  std::string a = co_await fsp::readFile(names[0], "utf8");
  std::printf("  %s: %s\n", names[0].c_str(), a.c_str());
  std::string b = co_await fsp::readFile(names[1], "utf8");
  std::printf("  %s: %s\n", names[1].c_str(), b.c_str());
  std::string c = co_await fsp::readFile(names[2], "utf8");
  std::printf("  %s: %s\n", names[2].c_str(), c.c_str());
  co_return std::vector<std::string>{a, b, c};
}

vow::Promise<void> show(Names names) {
  std::printf("reading %s\n", examples::join(names, ", ").c_str());
  try {
    std::vector<std::string> texts = co_await readThree(names);
    std::printf("done: %s\n", examples::join(texts, " ").c_str());
  } catch (const std::exception& err) {
    std::printf("error: %s\n", err.what());
  }
}

vow::Promise<void> mainAsync() {
  // Named, not braced in the call: GCC 12 cannot keep a braced list alive across a co_await.
  Names all_there = {"a.txt", "b.txt", "c.txt"};
  Names one_missing = {"a.txt", "missing.txt", "c.txt"};
  co_await show(all_there);
  co_await show(one_missing);
}

int main() {
  examples::ScratchDir scratch("async_await",
                               {{"a.txt", "alpha"}, {"b.txt", "beta"}, {"c.txt", "gamma"}});
  mainAsync();
  vow::run();
}
