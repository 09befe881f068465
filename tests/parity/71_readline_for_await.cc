// clang-format off
// C++ twin of 71_readline_for_await.js:
//
//   // for await over readline.createInterface: every line of a file in order, one tick per line
//   // (next() is already resolved when a line is queued), so a promise chain started in the loop
//   // interleaves with the lines tick for tick; 'close' comes before the loop ends. A break calls
//   // the iterator's return(): it stops listening but does not close the interface (Node v20). An
//   // input error rejects the loop's next await.
//   const fs = require('fs');
//   const os = require('os');
//   const path = require('path');
//   const readline = require('readline');
//   const dir = path.join(os.tmpdir(), 'parity-tmp', '71_readline_for_await');
//   const file = path.join(dir, 'lines.txt');
//
//   async function main() {
//     fs.rmSync(dir, { recursive: true, force: true });
//     fs.mkdirSync(dir, { recursive: true });
//     fs.writeFileSync(file, 'one\ntwo\r\nthree\nfour\nfive');
//
//     const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
//     rl.on('close', () => console.log('close'));
//     for await (const line of rl) {
//       console.log('line ' + line);
//       if (line === 'one') {
//         let t = 0;
//         const tick = () => {
//           console.log('  tick ' + ++t);
//           if (t < 4) Promise.resolve().then(tick);
//         };
//         Promise.resolve().then(tick);
//       }
//     }
//     console.log('loop done, closed: ' + rl.closed);
//
//     const rl2 = readline.createInterface({ input: fs.createReadStream(file) });
//     rl2.on('close', () => console.log('rl2 close'));
//     for await (const line of rl2) {
//       console.log('rl2 ' + line);
//       if (line === 'two') break;
//     }
//     console.log('after break: closed ' + (rl2.closed === true) + ', line listeners ' +
//                 rl2.listenerCount('line'));
//     rl2.close();
//
//     const rl3 = readline.createInterface({ input: fs.createReadStream(path.join(dir, 'missing')) });
//     try {
//       for await (const line of rl3) console.log('never ' + line);
//     } catch (e) {
//       console.log('rl3 rejected: ' + e.code + ' (closed: ' + (rl3.closed === true) + ')');
//     }
//     fs.rmSync(dir, { recursive: true, force: true });
//     console.log('done');
//   }
//   main();
// clang-format on
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/readline/readline.h"
#include "vow/vow.h"

namespace fs = vow::fs;
namespace readline = vow::readline;

const std::string dir = parity::tmpdir() + "/parity-tmp/71_readline_for_await";
const std::string file = dir + "/lines.txt";

// The ticker: logs a tick and queues the next, four times.
void tick(std::shared_ptr<int> t) {
  std::printf("  tick %d\n", ++*t);
  if (*t < 4) vow::Promise<void>::resolve().then([t] { tick(t); });
}

vow::Promise<void> mainAsync() {
  fs::rmSync(dir, {.recursive = true, .force = true});
  fs::mkdirSync(dir, {.recursive = true});
  fs::writeFileSync(file, "one\ntwo\r\nthree\nfour\nfive");

  auto rl = readline::createInterface(
      {.input = fs::createReadStream(file), .crlfDelay = readline::kInfinity});
  rl->on("close", [] { std::puts("close"); });
  {
    auto it = vow::forAwait(rl);
    while (std::optional<std::string> line = co_await it.next()) {
      std::printf("line %s\n", line->c_str());
      if (*line == "one") {
        auto t = std::make_shared<int>(0);
        vow::Promise<void>::resolve().then([t] { tick(t); });
      }
    }
    co_await it.close();
  }
  std::printf("loop done, closed: %s\n", rl->closed() ? "true" : "false");

  auto rl2 = readline::createInterface({.input = fs::createReadStream(file)});
  rl2->on("close", [] { std::puts("rl2 close"); });
  {
    auto it = vow::forAwait(rl2);
    while (std::optional<std::string> line = co_await it.next()) {
      std::printf("rl2 %s\n", line->c_str());
      if (*line == "two") break;
    }
    co_await it.close();  // what leaving a for await early does: the iterator's return()
  }
  std::printf("after break: closed %s, line listeners %zu\n", rl2->closed() ? "true" : "false",
              rl2->listenerCount("line"));
  rl2->close();

  auto rl3 = readline::createInterface({.input = fs::createReadStream(dir + "/missing")});
  vow::Error error;
  try {
    auto it = vow::forAwait(rl3);
    while (std::optional<std::string> line = co_await it.next()) {
      std::printf("never %s\n", line->c_str());
    }
    co_await it.close();
  } catch (...) {
    error = vow::Error::current();
  }
  if (error) {
    std::printf("rl3 rejected: %s (closed: %s)\n", error.code().c_str(),
                rl3->closed() ? "true" : "false");
  }
  fs::rmSync(dir, {.recursive = true, .force = true});
  std::puts("done");
}

int main() {
  mainAsync();
  vow::run();
}
