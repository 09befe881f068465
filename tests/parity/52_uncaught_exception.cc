// clang-format off
// C++ twin of 52_uncaught_exception.js:
//
// // Pins where the loop goes on after an uncaught exception, once an 'uncaughtException' handler
// // has run (vow: catching around run() and calling it again): a throwing callback's checkpoint is
// // skipped and its phase goes on with the next callback; ticks left behind wait for the next
// // checkpoint; a throwing microtask does not stop the drain; a rejection with a non-error reason
// // arrives wrapped (ERR_UNHANDLED_REJECTION).
// process.on('uncaughtException', (err) => {
//   console.log('caught: ' + (err.code === 'ERR_UNHANDLED_REJECTION' ? err.name + ' ' + err.code : err.message));
// });
// process.nextTick(() => { throw new Error('tick 1'); });
// process.nextTick(() => console.log('tick 2'));
// queueMicrotask(() => { throw new Error('microtask 1'); });
// queueMicrotask(() => console.log('microtask 2'));
// setImmediate(() => {
//   console.log('immediate 1');
//   setTimeout(() => {
//     console.log('timeout 1');
//     process.nextTick(() => console.log('tick in timeout 1'));
//     Promise.reject(42);
//     throw new Error('timeout 1');
//   }, 0);
//   setTimeout(() => console.log('timeout 2'), 0);
//   const start = Date.now();
//   while (Date.now() - start < 3);  // both timeouts are due when the timers phase comes
//   process.nextTick(() => { throw new Error('tick in immediate 1'); });
//   process.nextTick(() => console.log('tick 2 in immediate 1'));
// });
// setImmediate(() => {
//   console.log('immediate 2');
//   throw new Error('immediate 2');
// });
// setImmediate(() => console.log('immediate 3'));
// console.log('sync');
// clang-format on
//
// Node's process.on('uncaughtException', h) is a catch around run() that calls run() again.
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  auto handler = [](const std::exception& err) {
    const auto* e = dynamic_cast<const vow::Exception*>(&err);
    if (e != nullptr && e->code() == "ERR_UNHANDLED_REJECTION") {
      std::printf("caught: %s %s\n", e->name(), e->code().c_str());
    } else {
      std::printf("caught: %s\n", err.what());
    }
  };
  vow::nextTick([] { throw vow::Exception("tick 1"); });
  vow::nextTick([] { std::puts("tick 2"); });
  vow::queueMicrotask([] { throw vow::Exception("microtask 1"); });
  vow::queueMicrotask([] { std::puts("microtask 2"); });
  vow::setImmediate([] {
    std::puts("immediate 1");
    vow::setTimeout(
        [] {
          std::puts("timeout 1");
          vow::nextTick([] { std::puts("tick in timeout 1"); });
          (void)vow::Promise<void>::reject(std::make_exception_ptr(42));
          throw vow::Exception("timeout 1");
        },
        0);
    vow::setTimeout([] { std::puts("timeout 2"); }, 0);
    auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(3)) {
    }
    vow::nextTick([] { throw vow::Exception("tick in immediate 1"); });
    vow::nextTick([] { std::puts("tick 2 in immediate 1"); });
  });
  vow::setImmediate([] {
    std::puts("immediate 2");
    throw vow::Exception("immediate 2");
  });
  vow::setImmediate([] { std::puts("immediate 3"); });
  std::puts("sync");
  for (;;) {
    try {
      vow::run();
      return 0;
    } catch (const std::exception& err) {
      handler(err);
    }
  }
}
