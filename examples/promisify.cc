// Example 5: promisify. bazel run //examples:promisify
//
// vow::promisify turns a function that takes an error-first callback into one that returns a
// promise, so callback-era code joins promise chains and co_await without a rewrite. The value
// type is read from the callback's signature; for a function whose callback parameter is a
// template (like vow::fs::readFile, which takes any callable), name it: promisify<T>. That is
// how vow::fs::promises is built from the callback API.
//
// The Node program it ports (examples/promisify.js):
//
//   const fs = require('fs');
//   const util = require('util');
//   const { enterScratchDir } = require('./support');
//
//   enterScratchDir('promisify', { 'poem.txt': 'roses are red\nviolets are blue\n' });
//
//   function countLines(file, callback) {
//     fs.readFile(file, 'utf8', (err, text) => {
//       if (err) return callback(err);
//       callback(null, [...text].filter((c) => c === '\n').length);
//     });
//   }
//
//   const countLinesAsync = util.promisify(countLines);
//   const readFileAsync = util.promisify(fs.readFile);
//
//   async function main() {
//     console.log(`promise:  poem.txt has ${await countLinesAsync('poem.txt')} lines`);
//     try {
//       await countLinesAsync('missing.txt');
//     } catch (err) {
//       console.log(`promise:  ${err.code} from ${err.syscall}, caught by try/catch`);
//     }
//     const text = await readFileAsync('poem.txt', 'utf8');
//     console.log(`readFile: the poem starts with "${text.split('\n')[0]}"`);
//   }
//
//   countLines('poem.txt', (err, lines) => {
//     console.log(`callback: poem.txt has ${lines} lines`);
//     main();
//   });
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>

#include "examples/support.h"
#include "vow/vow.h"

// A callback-style function, as older libraries are written: the callback comes last and
// takes the error first, then the result.
void countLines(const std::string& file, std::function<void(vow::Error, int)> callback) {
  vow::fs::readFile(file, "utf8", [callback](vow::Error err, std::string text) {
    if (err) return callback(err, 0);
    callback({}, static_cast<int>(std::ranges::count(text, '\n')));
  });
}

// Same arguments without the callback; returns a vow::Promise<int>.
auto countLinesAsync = vow::promisify(countLines);
// Library functions promisify the same way; a template callback needs the value type named.
auto readFileAsync = vow::promisify<std::string>([](const std::string& path, auto callback) {
  vow::fs::readFile(path, "utf8", std::move(callback));
});

vow::Promise<void> mainAsync() {
  std::printf("promise:  poem.txt has %d lines\n", co_await countLinesAsync("poem.txt"));
  try {
    co_await countLinesAsync("missing.txt");
  } catch (const vow::SystemError& err) {
    // The callback's error becomes the rejection, so try/catch sees it, with its type.
    std::printf("promise:  %s from %s, caught by try/catch\n", err.code().c_str(),
                err.syscall().c_str());
  }
  std::string text = co_await readFileAsync("poem.txt");
  std::printf("readFile: the poem starts with \"%s\"\n", text.substr(0, text.find('\n')).c_str());
}

int main() {
  examples::ScratchDir scratch("promisify", {{"poem.txt", "roses are red\nviolets are blue\n"}});

  // The callback way still works, of course.
  countLines("poem.txt", [](vow::Error err, int lines) {
    std::printf("callback: poem.txt has %d lines\n", lines);
    mainAsync();
  });

  vow::run();
}
