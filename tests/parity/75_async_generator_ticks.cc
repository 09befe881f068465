// C++ twin of 75_async_generator_ticks.js:
//
//   async function* numbers() {
//     log('body start');
//     yield 1;
//     log('after yield 1');
//     await null;
//     log('after await');
//     yield 2;
//     log('body end');
//   }
//   async function consume() {
//     log('consume start');
//     for await (const x of numbers()) log('got ' + x);
//     log('loop done');
//   }
//   consume();
//   ticks(12);
//   log('sync end');
//
// `async function*` is vow::AsyncGenerator<T>; `for await` is vow::forAwait's while loop.
#include <cstdio>
#include <string>

#include "vow/promise/async_generator.h"
#include "vow/promise/for_await.h"
#include "vow/promise/microtask.h"
#include "vow/promise/promise.h"

using vow::AsyncGenerator;
using vow::Promise;

namespace {

void log(const std::string& s) { std::puts(s.c_str()); }

void ticks(int n) {
  Promise<void> p = Promise<void>::resolve();
  for (int i = 1; i <= n; i++) p = p.then([i] { log("tick " + std::to_string(i)); });
}

AsyncGenerator<int> numbers() {
  log("body start");
  co_yield 1;
  log("after yield 1");
  co_await Promise<void>::resolve();
  log("after await");
  co_yield 2;
  log("body end");
}

Promise<void> consume() {
  log("consume start");
  auto it = vow::forAwait(numbers());
  while (auto x = co_await it.next()) log("got " + std::to_string(*x));
  co_await it.close();
  log("loop done");
}

}  // namespace

int main() {
  consume();
  ticks(12);
  log("sync end");
  vow::runMicrotasks();
}
