// C++ twin of 14_return_promise_from_then.js:
//
//   Promise.resolve()
//     .then(() => { console.log('A: return promise'); return Promise.resolve('x'); })
//     .then((v) => console.log('A: got ' + v));
//   Promise.resolve()
//     .then(() => { console.log('C: return value'); return 'y'; })
//     .then((v) => console.log('C: got ' + v));
//   Promise.resolve()
//     .then(() => console.log('B: 1'))
//     .then(() => console.log('B: 2'))
//     .then(() => console.log('B: 3'))
//     .then(() => console.log('B: 4'))
//     .then(() => console.log('B: 5'));
#include <cstdio>
#include <string>

#include "vow/promise/promise.h"

using vow::Promise;

int main() {
  Promise<void>::resolve()
      .then([] {
        std::puts("A: return promise");
        return Promise<std::string>::resolve("x");
      })
      .then([](const std::string& v) { std::printf("A: got %s\n", v.c_str()); });
  Promise<void>::resolve()
      .then([] {
        std::puts("C: return value");
        return std::string("y");
      })
      .then([](const std::string& v) { std::printf("C: got %s\n", v.c_str()); });
  Promise<void>::resolve()
      .then([] { std::puts("B: 1"); })
      .then([] { std::puts("B: 2"); })
      .then([] { std::puts("B: 3"); })
      .then([] { std::puts("B: 4"); })
      .then([] { std::puts("B: 5"); });
  vow::runMicrotasks();
}
