// clang-format off
// C++ twin of 59_abort_listener_throws.js:
//
// // Pins an 'abort' listener that throws: the other listeners (onabort among them) and the signals
// // that AbortSignal.any() made from this one still run, and abort() returns normally; each error
// // is thrown from a nextTick queued when it was caught, so it reaches 'uncaughtException' after
// // the ticks queued before it, and what was queued after it waits for the next checkpoint (here:
// // after the next immediate), as in 52_uncaught_exception. The same in the timers phase, for a
// // timeout signal's listener. (Nothing is left queued when a phase ends: Node would run it after
// // whichever callback comes next, which may be one of its own.)
// const { setTimeout: sleep } = require('timers/promises');
// process.on('uncaughtException', (err) => console.log('uncaught: ' + err.message));
//
// setImmediate(() => {
//   console.log('immediate 1');
//   const ac = new AbortController();
//   const dependant = AbortSignal.any([ac.signal]);
//   dependant.onabort = () => console.log('dependant aborted');
//   process.nextTick(() => console.log('tick queued before abort'));
//   queueMicrotask(() => console.log('microtask queued before abort'));
//   ac.signal.addEventListener('abort', () => {
//     console.log('listener 1 throws');
//     throw new Error('listener 1');
//   });
//   ac.signal.onabort = () => {
//     console.log('onabort throws');
//     throw new Error('onabort');
//   };
//   sleep(100000, 'never', { signal: ac.signal }).catch((err) => {
//     console.log('sleep rejected: ' + err.name + ', cause: ' + err.cause.name);
//   });
//   ac.signal.addEventListener('abort', () => {
//     console.log('listener 4');
//     process.nextTick(() => console.log('tick from listener 4'));
//   });
//   console.log('abort');
//   ac.abort();
//   console.log('abort returned');
// });
// setImmediate(() => console.log('immediate 2'));
// setImmediate(() => console.log('immediate 3'));
// setImmediate(() => {
//   console.log('immediate 4');
//   const signal = AbortSignal.timeout(10);
//   signal.addEventListener('abort', () => {
//     console.log('timeout listener throws');
//     throw new Error('timeout listener');
//   });
//   signal.addEventListener('abort', () => console.log('second timeout listener'));
//   setTimeout(() => console.log('timer 10, set after the signal'), 10);
//   setTimeout(() => console.log('timer 20'), 20);
// });
// console.log('end of script');
// clang-format on
//
// Node's process.on('uncaughtException', h) is a catch around run() that calls run() again.
#include <cstdio>
#include <exception>
#include <string>

#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

int main() {
  auto handler = [](const std::exception& err) { std::printf("uncaught: %s\n", err.what()); };

  vow::setImmediate([] {
    std::puts("immediate 1");
    vow::AbortController ac;
    const vow::AbortSignal dependant = vow::AbortSignal::any({ac.signal()});
    dependant.onabort([] { std::puts("dependant aborted"); });
    vow::nextTick([] { std::puts("tick queued before abort"); });
    vow::queueMicrotask([] { std::puts("microtask queued before abort"); });
    ac.signal().addEventListener("abort", [] {
      std::puts("listener 1 throws");
      throw vow::Exception("listener 1");
    });
    ac.signal().onabort([] {
      std::puts("onabort throws");
      throw vow::Exception("onabort");
    });
    vow::timers::promises::setTimeout(100000, std::string("never"), {.signal = ac.signal()})
        .then([](const std::string&) {},
              [](const vow::Error& err) {
                std::printf("sleep rejected: %s, cause: %s\n", err.name().c_str(),
                            err.as<vow::AbortError>()->cause().name().c_str());
              });
    ac.signal().addEventListener("abort", [] {
      std::puts("listener 4");
      vow::nextTick([] { std::puts("tick from listener 4"); });
    });
    std::puts("abort");
    ac.abort();
    std::puts("abort returned");
  });
  vow::setImmediate([] { std::puts("immediate 2"); });
  vow::setImmediate([] { std::puts("immediate 3"); });
  vow::setImmediate([] {
    std::puts("immediate 4");
    const vow::AbortSignal signal = vow::AbortSignal::timeout(10);
    signal.addEventListener("abort", [] {
      std::puts("timeout listener throws");
      throw vow::Exception("timeout listener");
    });
    signal.addEventListener("abort", [] { std::puts("second timeout listener"); });
    vow::setTimeout([] { std::puts("timer 10, set after the signal"); }, 10);
    vow::setTimeout([] { std::puts("timer 20"); }, 20);
  });
  std::puts("end of script");
  for (;;) {
    try {
      vow::run();
      return 0;
    } catch (const std::exception& err) {
      handler(err);
    }
  }
}
