// clang-format off
// C++ twin of 17_finally.js:
//
// // Pins finally: it passes the fulfillment value or rejection reason through unchanged, ignores its
// // own return value but waits for a returned promise, and a throw (or rejected return) replaces the outcome.
// Promise.resolve(1)
//   .finally(() => { console.log('finally A (fulfilled)'); return 99; })
//   .then((v) => console.log('A after finally: value ' + v));
// Promise.reject(new Error('orig'))
//   .finally(() => console.log('finally B (rejected)'))
//   .catch((e) => console.log('B after finally: reason ' + e.message));
// Promise.resolve(2)
//   .finally(() => { throw new Error('thrown in finally'); })
//   .then((v) => console.log('C value ' + v), (e) => console.log('C reason ' + e.message));
// Promise.reject(new Error('orig D'))
//   .finally(() => Promise.reject(new Error('rejected promise from finally')))
//   .catch((e) => console.log('D reason ' + e.message));
// Promise.resolve(3)
//   .finally(() => new Promise((r) => setTimeout(() => { console.log('E finally waited for timer'); r(100); }, 10)))
//   .then((v) => console.log('E value ' + v));
// clang-format on
#include <cstdio>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  vow::Promise<int>::resolve(1)
      .finally([] {
        std::puts("finally A (fulfilled)");
        return 99;
      })
      .then([](int v) { std::printf("A after finally: value %d\n", v); });
  vow::Promise<void>::reject(vow::Exception("orig"))
      .finally([] { std::puts("finally B (rejected)"); })
      .catch_([](const vow::Error& e) {
        std::printf("B after finally: reason %s\n", e.message().c_str());
      });
  vow::Promise<int>::resolve(2)
      .finally([]() -> int { throw vow::Exception("thrown in finally"); })
      .then([](int v) { std::printf("C value %d\n", v); },
            [](const vow::Error& e) { std::printf("C reason %s\n", e.message().c_str()); });
  vow::Promise<void>::reject(vow::Exception("orig D"))
      .finally([] {
        return vow::Promise<void>::reject(vow::Exception("rejected promise from finally"));
      })
      .catch_([](const vow::Error& e) { std::printf("D reason %s\n", e.message().c_str()); });
  vow::Promise<int>::resolve(3)
      .finally([] {
        return vow::Promise<int>([](auto r, auto) {
          vow::setTimeout(
              [r] {
                std::puts("E finally waited for timer");
                r(100);
              },
              10);
        });
      })
      .then([](int v) { std::printf("E value %d\n", v); });
  vow::run();
}
