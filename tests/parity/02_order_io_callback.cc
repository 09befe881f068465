// C++ twin of 02_order_io_callback.js:
//
//   const fs = require('fs');
//   const os = require('os');
//
//   console.log('main');
//   fs.stat(os.tmpdir(), (err, st) => {
//     console.log('stat callback: err=' + err + ' isDirectory=' + st.isDirectory());
//     setTimeout(() => console.log('timeout 0'), 0);
//     setImmediate(() => {
//       console.log('immediate 1');
//       process.nextTick(() => console.log('immediate 1 -> nextTick'));
//     });
//     setImmediate(() => console.log('immediate 2'));
//     Promise.resolve().then(() => console.log('then'));
//     process.nextTick(() => console.log('nextTick'));
//     console.log('end of stat callback');
//   });
//   console.log('main end');
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/parity/parity_support.h"
#include "vow/vow.h"

using parity::tmpdir;

// Node's os.tmpdir(): $TMPDIR without a trailing slash, else /tmp.

int main() {
  std::puts("main");
  vow::fs::stat(tmpdir(), [](vow::Error err, vow::fs::Stats st) {
    std::printf("stat callback: err=%s isDirectory=%s\n", err ? err.message().c_str() : "null",
                st.isDirectory() ? "true" : "false");
    vow::setTimeout([] { std::puts("timeout 0"); }, 0);
    vow::setImmediate([] {
      std::puts("immediate 1");
      vow::nextTick([] { std::puts("immediate 1 -> nextTick"); });
    });
    vow::setImmediate([] { std::puts("immediate 2"); });
    vow::Promise<void>::resolve().then([] { std::puts("then"); });
    vow::nextTick([] { std::puts("nextTick"); });
    std::puts("end of stat callback");
  });
  std::puts("main end");
  vow::run();
}
