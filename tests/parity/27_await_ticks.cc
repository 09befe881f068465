// C++ twin of 27_await_ticks.js:
//
//   async function awaitsValue() {
//     await 42;
//     console.log('resumed after await 42');
//   }
//   async function awaitsPromise() {
//     await Promise.resolve(1);
//     console.log('resumed after await Promise.resolve(1)');
//   }
//   async function inner() { return 'inner'; }
//   async function awaitsAsyncCall() {
//     const v = await inner();
//     console.log('resumed after await inner() = ' + v);
//   }
//   async function twoAwaits() {
//     await null;
//     console.log('twoAwaits: after 1st await');
//     await null;
//     console.log('twoAwaits: after 2nd await');
//   }
//   awaitsValue();
//   awaitsPromise();
//   awaitsAsyncCall();
//   twoAwaits();
//   Promise.resolve()
//     .then(() => console.log('tick 1'))
//     .then(() => console.log('tick 2'))
//     .then(() => console.log('tick 3'));
//   console.log('sync end');
//
// `await 42` on a plain value is `co_await Promise<int>::resolve(42)` in C++: the same one tick.
#include <cstdio>
#include <string>

#include "vow/promise/promise.h"

using vow::Promise;

Promise<void> awaitsValue() {
  co_await Promise<int>::resolve(42);
  std::puts("resumed after await 42");
}
Promise<void> awaitsPromise() {
  co_await Promise<int>::resolve(1);
  std::puts("resumed after await Promise.resolve(1)");
}
Promise<std::string> inner() { co_return "inner"; }
Promise<void> awaitsAsyncCall() {
  std::string v = co_await inner();
  std::printf("resumed after await inner() = %s\n", v.c_str());
}
Promise<void> twoAwaits() {
  co_await Promise<void>::resolve();
  std::puts("twoAwaits: after 1st await");
  co_await Promise<void>::resolve();
  std::puts("twoAwaits: after 2nd await");
}

int main() {
  awaitsValue();
  awaitsPromise();
  awaitsAsyncCall();
  twoAwaits();
  Promise<void>::resolve()
      .then([] { std::puts("tick 1"); })
      .then([] { std::puts("tick 2"); })
      .then([] { std::puts("tick 3"); });
  std::puts("sync end");
  vow::runMicrotasks();
}
