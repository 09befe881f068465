// C++ twin of 04_then_inside_timeout.js:
//
// // Pins that the nextTick and microtask queues are fully drained after EACH timer callback,
// // before the next expired timer runs (Node >= 11 semantics).
// setTimeout(() => {
//   console.log('timeout 1');
//   Promise.resolve().then(() => console.log('timeout 1 -> then'));
//   process.nextTick(() => console.log('timeout 1 -> nextTick'));
// }, 0);
// setTimeout(() => {
//   console.log('timeout 2');
//   Promise.resolve()
//     .then(() => console.log('timeout 2 -> then a'))
//     .then(() => console.log('timeout 2 -> then b'));
// }, 0);
// setTimeout(() => console.log('timeout 3'), 0);
// console.log('sync');
#include <cstdio>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  vow::setTimeout(
      [] {
        std::puts("timeout 1");
        vow::Promise<void>::resolve().then([] { std::puts("timeout 1 -> then"); });
        vow::nextTick([] { std::puts("timeout 1 -> nextTick"); });
      },
      0);
  vow::setTimeout(
      [] {
        std::puts("timeout 2");
        vow::Promise<void>::resolve().then([] { std::puts("timeout 2 -> then a"); }).then([] {
          std::puts("timeout 2 -> then b");
        });
      },
      0);
  vow::setTimeout([] { std::puts("timeout 3"); }, 0);
  std::puts("sync");
  vow::run();
}
