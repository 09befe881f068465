// C++ twin of 01_order_basic.js:
//
// // Pins the basic phase order from the main module: all synchronous code first, then the
// // process.nextTick queue, then promise jobs and queueMicrotask (one FIFO queue), then timers.
// console.log('sync 1');
// setTimeout(() => console.log('timeout 0'), 0);
// Promise.resolve().then(() => console.log('then'));
// queueMicrotask(() => console.log('queueMicrotask'));
// process.nextTick(() => console.log('nextTick'));
// new Promise((resolve) => {
//   console.log('executor (sync)');
//   resolve();
// }).then(() => console.log('then of new Promise'));
// console.log('sync 2');
#include <cstdio>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  std::puts("sync 1");
  vow::setTimeout([] { std::puts("timeout 0"); }, 0);
  vow::Promise<void>::resolve().then([] { std::puts("then"); });
  vow::queueMicrotask([] { std::puts("queueMicrotask"); });
  vow::nextTick([] { std::puts("nextTick"); });
  vow::Promise<void>([](auto resolve, auto) {
    std::puts("executor (sync)");
    resolve();
  }).then([] { std::puts("then of new Promise"); });
  std::puts("sync 2");
  vow::run();
}
