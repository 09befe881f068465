// C++ twin of 28_async_return_ticks.js:
//
//   async function returnsValue() { return 'value'; }
//   async function returnsPromise() { return Promise.resolve('promise'); }
//   async function returnsAwaited() { return await Promise.resolve('awaited'); }
//   async function throwsSync() { throw new Error('thrown'); }
//
//   returnsValue().then((v) => console.log('got ' + v));
//   returnsPromise().then((v) => console.log('got ' + v));
//   returnsAwaited().then((v) => console.log('got ' + v));
//   throwsSync().catch((e) => console.log('caught ' + e.message));
//   Promise.resolve()
//     .then(() => console.log('tick 1'))
//     .then(() => console.log('tick 2'))
//     .then(() => console.log('tick 3'))
//     .then(() => console.log('tick 4'));
//   console.log('sync end');
#include <cstdio>
#include <string>

#include "vow/promise/promise.h"

using vow::Promise;

Promise<std::string> returnsValue() { co_return "value"; }
Promise<std::string> returnsPromise() { co_return Promise<std::string>::resolve("promise"); }
Promise<std::string> returnsAwaited() {
  co_return co_await Promise<std::string>::resolve("awaited");
}
Promise<void> throwsSync() {
  throw vow::Exception("thrown");
  co_return;
}

int main() {
  auto got = [](const std::string& v) { std::printf("got %s\n", v.c_str()); };
  returnsValue().then(got);
  returnsPromise().then(got);
  returnsAwaited().then(got);
  throwsSync().catch_([](const vow::Error& e) { std::printf("caught %s\n", e.message().c_str()); });
  Promise<void>::resolve()
      .then([] { std::puts("tick 1"); })
      .then([] { std::puts("tick 2"); })
      .then([] { std::puts("tick 3"); })
      .then([] { std::puts("tick 4"); });
  std::puts("sync end");
  vow::runMicrotasks();
}
