// C++ twin of 13_multiple_thens_one_promise.js:
//
// // Pins that several thens on one pending promise fire in registration order when it resolves,
// // that each branch is independent, and that branch continuations interleave afterwards.
// let resolveIt;
// const p = new Promise((resolve) => { resolveIt = resolve; });
// p.then((v) => { console.log('first ' + v); return v * 10; })
//   .then((v) => console.log('first.next ' + v));
// p.then((v) => { console.log('second ' + v); throw new Error('boom in second'); })
//   .catch((e) => console.log('second.catch ' + e.message));
// p.then((v) => console.log('third ' + v));
// setTimeout(() => {
//   console.log('resolving');
//   resolveIt(5);
//   console.log('resolve returned (reactions not run yet)');
//   p.then((v) => console.log('fourth (registered after resolve) ' + v));
// }, 10);
#include <cstdio>
#include <optional>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  std::optional<vow::ResolveFn<int>> resolveIt;
  const vow::Promise<int> p([&](auto resolve, auto) { resolveIt.emplace(resolve); });
  p.then([](int v) {
     std::printf("first %d\n", v);
     return v * 10;
   }).then([](int v) { std::printf("first.next %d\n", v); });
  p.then([](int v) {
     std::printf("second %d\n", v);
     throw vow::Exception("boom in second");
   }).catch_([](const vow::Error& e) { std::printf("second.catch %s\n", e.message().c_str()); });
  p.then([](int v) { std::printf("third %d\n", v); });
  vow::setTimeout(
      [&] {
        std::puts("resolving");
        (*resolveIt)(5);
        std::puts("resolve returned (reactions not run yet)");
        p.then([](int v) { std::printf("fourth (registered after resolve) %d\n", v); });
      },
      10);
  vow::run();
}
