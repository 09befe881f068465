// C++ twin of 08_nexttick_vs_promise.js:
//
// // Pins that the nextTick queue always runs before promise jobs regardless of registration order,
// // and that each queue is FIFO in registration order.
// Promise.resolve().then(() => console.log('then 1'));
// process.nextTick(() => console.log('nextTick 1'));
// Promise.resolve().then(() => console.log('then 2'));
// process.nextTick(() => console.log('nextTick 2'));
// queueMicrotask(() => console.log('queueMicrotask 1'));
// process.nextTick(() => console.log('nextTick 3'));
// Promise.reject(new Error('r')).catch((e) => console.log('catch ' + e.message));
// console.log('sync');
#include <cstdio>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  vow::Promise<void>::resolve().then([] { std::puts("then 1"); });
  vow::nextTick([] { std::puts("nextTick 1"); });
  vow::Promise<void>::resolve().then([] { std::puts("then 2"); });
  vow::nextTick([] { std::puts("nextTick 2"); });
  vow::queueMicrotask([] { std::puts("queueMicrotask 1"); });
  vow::nextTick([] { std::puts("nextTick 3"); });
  vow::Promise<void>::reject(vow::Exception("r")).catch_([](const vow::Error& e) {
    std::printf("catch %s\n", e.message().c_str());
  });
  std::puts("sync");
  vow::run();
}
