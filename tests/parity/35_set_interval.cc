// C++ twin of 35_set_interval.js:
//
// // Pins setInterval: it repeats until clearInterval (here after 3 runs, from inside its own
// // callback), microtasks drain after every run, and nothing runs after it is cleared.
// let count = 0;
// const id = setInterval(() => {
//   count++;
//   console.log('interval run ' + count);
//   Promise.resolve().then(() => console.log('  microtask after run ' + count));
//   if (count === 3) {
//     clearInterval(id);
//     console.log('cleared after 3 runs');
//     setTimeout(() => console.log('30ms after clearing: count is still ' + count), 30);
//   }
// }, 10);
// console.log('sync');
#include <cstdio>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  static int count = 0;
  static vow::Timeout id;
  id = vow::setInterval(
      [] {
        count++;
        std::printf("interval run %d\n", count);
        vow::Promise<void>::resolve().then(
            [] { std::printf("  microtask after run %d\n", count); });
        if (count == 3) {
          vow::clearInterval(id);
          std::puts("cleared after 3 runs");
          vow::setTimeout([] { std::printf("30ms after clearing: count is still %d\n", count); },
                          30);
        }
      },
      10);
  std::puts("sync");
  vow::run();
}
