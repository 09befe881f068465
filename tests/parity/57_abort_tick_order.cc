// clang-format off
// C++ twin of 57_abort_tick_order.js:
//
// // Pins where an abort's effects land among ticks and microtasks. abort() runs the 'abort'
// // listeners synchronously in the order they were added, a timers/promises timer's own listener in
// // its place; that listener rejects the timer's inner promise, and what the caller holds is Node's
// // `ret.finally(remove the listener)`, so its handlers run some microtask turns later (an await
// // later still), after the nextTicks queued before and during abort(). Run at the end of the
// // script and again from a timer callback, where the checkpoint after the callback runs the same.
// const { setTimeout: sleep } = require('timers/promises');
//
// function round(name) {
//   const ac = new AbortController();
//   const { signal } = ac;
//   signal.addEventListener('abort', () => console.log(name + ': listener added before the sleep'));
//   const p = sleep(100000, 'never', { signal });
//   p.then(() => console.log('not reached'), (err) => console.log(name + ': p rejected (then) ' + err.name));
//   (async () => {
//     try {
//       await p;
//     } catch (err) {
//       console.log(name + ': await p threw ' + err.name);
//     }
//   })();
//   signal.addEventListener('abort', () => {
//     console.log(name + ': listener added after the sleep');
//     process.nextTick(() => console.log(name + ': tick from the listener'));
//     queueMicrotask(() => console.log(name + ': microtask from the listener'));
//   });
//   const plain = new Promise((resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
//   plain.catch(() => console.log(name + ': plain promise rejected by a listener'));
//   process.nextTick(() => console.log(name + ': tick queued before abort'));
//   Promise.resolve()
//     .then(() => console.log(name + ': micro 1'))
//     .then(() => console.log(name + ': micro 2'))
//     .then(() => console.log(name + ': micro 3'))
//     .then(() => console.log(name + ': micro 4'))
//     .then(() => console.log(name + ': micro 5'))
//     .then(() => console.log(name + ': micro 6'))
//     .then(() => console.log(name + ': micro 7'))
//     .then(() => console.log(name + ': micro 8'));
//   console.log(name + ': abort');
//   ac.abort();
//   console.log(name + ': abort returned');
//   p.catch(() => console.log(name + ': p rejected (catch added after abort)'));
// }
//
// round('script');
// setTimeout(() => round('timer'), 5);
// setTimeout(() => console.log('next timer'), 5);
// clang-format on
#include <cstdio>
#include <string>

#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace {

// JS: (async () => { try { await p; } catch (err) { ... } })();
vow::Promise<void> awaitP(vow::Promise<std::string> p, std::string name) {
  try {
    co_await p;
  } catch (...) {
    std::printf("%s: await p threw %s\n", name.c_str(), vow::Error::current().name().c_str());
  }
}

void round(const std::string& name) {
  vow::AbortController ac;
  const vow::AbortSignal& signal = ac.signal();
  signal.addEventListener(
      "abort", [name] { std::printf("%s: listener added before the sleep\n", name.c_str()); });
  const auto p =
      vow::timers::promises::setTimeout(100000, std::string("never"), {.signal = signal});
  p.then([](const std::string&) { std::puts("not reached"); },
         [name](const vow::Error& err) {
           std::printf("%s: p rejected (then) %s\n", name.c_str(), err.name().c_str());
         });
  awaitP(p, name);
  signal.addEventListener("abort", [name] {
    std::printf("%s: listener added after the sleep\n", name.c_str());
    vow::nextTick([name] { std::printf("%s: tick from the listener\n", name.c_str()); });
    vow::queueMicrotask([name] { std::printf("%s: microtask from the listener\n", name.c_str()); });
  });
  const vow::Promise<void> plain([&](auto, auto reject) {
    signal.addEventListener(
        "abort", [reject](const vow::AbortEvent& event) { reject(event.target.reason()); });
  });
  plain.catch_([name] { std::printf("%s: plain promise rejected by a listener\n", name.c_str()); });
  vow::nextTick([name] { std::printf("%s: tick queued before abort\n", name.c_str()); });
  vow::Promise<void>::resolve()
      .then([name] { std::printf("%s: micro 1\n", name.c_str()); })
      .then([name] { std::printf("%s: micro 2\n", name.c_str()); })
      .then([name] { std::printf("%s: micro 3\n", name.c_str()); })
      .then([name] { std::printf("%s: micro 4\n", name.c_str()); })
      .then([name] { std::printf("%s: micro 5\n", name.c_str()); })
      .then([name] { std::printf("%s: micro 6\n", name.c_str()); })
      .then([name] { std::printf("%s: micro 7\n", name.c_str()); })
      .then([name] { std::printf("%s: micro 8\n", name.c_str()); });
  std::printf("%s: abort\n", name.c_str());
  ac.abort();
  std::printf("%s: abort returned\n", name.c_str());
  p.then([](const std::string&) {},
         [name](const vow::Error&) {
           std::printf("%s: p rejected (catch added after abort)\n", name.c_str());
         });
}

}  // namespace

int main() {
  round("script");
  vow::setTimeout([] { round("timer"); }, 5);
  vow::setTimeout([] { std::puts("next timer"); }, 5);
  vow::run();
}
