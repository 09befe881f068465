// C++ twin of 06_immediate_inside_immediate.js:
//
// // Pins that setImmediate callbacks queued during the check phase run in the NEXT iteration
// // (after the already-queued ones), and that microtasks/nextTicks drain between immediates.
// setImmediate(() => {
//   console.log('immediate A');
//   setImmediate(() => {
//     console.log('immediate C (queued by A)');
//     setImmediate(() => console.log('immediate E (queued by C)'));
//   });
//   process.nextTick(() => console.log('A -> nextTick'));
//   Promise.resolve().then(() => console.log('A -> then'));
// });
// setImmediate(() => {
//   console.log('immediate B');
//   setImmediate(() => console.log('immediate D (queued by B)'));
// });
// console.log('sync');
#include <cstdio>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  vow::setImmediate([] {
    std::puts("immediate A");
    vow::setImmediate([] {
      std::puts("immediate C (queued by A)");
      vow::setImmediate([] { std::puts("immediate E (queued by C)"); });
    });
    vow::nextTick([] { std::puts("A -> nextTick"); });
    vow::Promise<void>::resolve().then([] { std::puts("A -> then"); });
  });
  vow::setImmediate([] {
    std::puts("immediate B");
    vow::setImmediate([] { std::puts("immediate D (queued by B)"); });
  });
  std::puts("sync");
  vow::run();
}
