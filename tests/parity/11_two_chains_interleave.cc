// C++ twin of 11_two_chains_interleave.js:
//
//   Promise.resolve()
//     .then(() => console.log('a1'))
//     .then(() => console.log('a2'))
//     .then(() => console.log('a3'));
//   Promise.resolve()
//     .then(() => console.log('b1'))
//     .then(() => console.log('b2'))
//     .then(() => console.log('b3'));
//   Promise.resolve(0)
//     .then((v) => { console.log('c1 got ' + v); return v + 1; })
//     .then((v) => { console.log('c2 got ' + v); return v + 1; })
//     .then((v) => console.log('c3 got ' + v));
//   console.log('sync');
#include <cstdio>

#include "vow/promise/promise.h"

using vow::Promise;

int main() {
  Promise<void>::resolve().then([] { std::puts("a1"); }).then([] { std::puts("a2"); }).then([] {
    std::puts("a3");
  });
  Promise<void>::resolve().then([] { std::puts("b1"); }).then([] { std::puts("b2"); }).then([] {
    std::puts("b3");
  });
  Promise<int>::resolve(0)
      .then([](int v) {
        std::printf("c1 got %d\n", v);
        return v + 1;
      })
      .then([](int v) {
        std::printf("c2 got %d\n", v);
        return v + 1;
      })
      .then([](int v) { std::printf("c3 got %d\n", v); });
  std::puts("sync");
  vow::runMicrotasks();  // what Node does after the main module: drain the microtasks
}
