// clang-format off
// C++ twin of 56_timers_promises_signal.js:
//
// // Pins timers/promises setTimeout and setImmediate given {signal}: an aborted signal rejects the
// // promise at once (it is rejected already: its handlers run before a microtask queued after) and
// // starts no timer; aborting a pending one clears its timer or immediate and rejects with an
// // AbortError (code ABORT_ERR, cause = the signal's reason); aborting after it settled does
// // nothing; and with {ref: false} the timer or immediate runs only if something else keeps the
// // process alive (the last timers phase ends the loop before an unref'd immediate's check phase).
// const { setTimeout: sleep, setImmediate: immediate } = require('timers/promises');
//
// function describe(err) {
//   return err.name + ' code=' + err.code + ' "' + err.message + '" cause: ' + err.cause.name +
//          ' "' + err.cause.message + '"';
// }
//
// async function main() {
//   // A started timer would keep the process alive for 100 s.
//   const rejected = sleep(100000, 'never', { signal: AbortSignal.abort() });
//   rejected.catch((err) => console.log('aborted before start: ' + describe(err)));
//   queueMicrotask(() => console.log('microtask queued after'));
//   await null;
//   await null;
//   const rejectedImmediate = immediate('never', { signal: AbortSignal.abort(new Error('no')) });
//   try {
//     await rejectedImmediate;
//   } catch (err) {
//     console.log('immediate aborted before start: ' + describe(err));
//   }
//
//   const during = new AbortController();
//   setTimeout(() => {
//     console.log('aborting the sleep');
//     during.abort(new Error('stop'));
//     console.log('abort returned');
//   }, 10);
//   try {
//     await sleep(100000, 'never', { signal: during.signal });
//   } catch (err) {
//     console.log('aborted while pending: ' + describe(err));
//   }
//
//   const imm = new AbortController();
//   const pending = immediate('never', { signal: imm.signal });
//   setImmediate(() => console.log('a setImmediate queued after the aborted one'));
//   imm.abort();
//   try {
//     await pending;
//   } catch (err) {
//     console.log('immediate aborted while pending: ' + describe(err));
//   }
//   await new Promise((resolve) => setImmediate(resolve));
//
//   const after = new AbortController();
//   const value = await sleep(5, 'slept', { signal: after.signal });
//   after.abort();
//   console.log('resolved with ' + value + ', then aborted: no effect');
//   const value2 = await immediate(42, { signal: after.signal }).catch((err) => err.name);
//   console.log('the same signal, now aborted, rejects the next one: ' + value2);
//
//   sleep(10, 'unref', { ref: false }).then((v) => console.log('ref: false timer fired: ' + v));
//   await sleep(20);
//   console.log('kept alive by a 20 ms timer');
//   sleep(1000, 'unref', { ref: false }).then(() => console.log('not printed: nothing keeps the process alive'));
//   immediate('unref', { ref: false }).then(() => console.log('not printed: the loop ends after its timers'));
//   console.log('end of main');
// }
// main();
// clang-format on
#include <cstdio>
#include <string>

#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"
#include "vow/promise/promise.h"

namespace {

namespace tp = vow::timers::promises;

std::string describe(const vow::Error& err) {
  const vow::Error& cause = err.as<vow::AbortError>()->cause();
  return err.name() + " code=" + err.code() + " \"" + err.message() + "\" cause: " + cause.name() +
         " \"" + cause.message() + "\"";
}

vow::Promise<void> main_() {
  // A started timer would keep the process alive for 100 s.
  const auto rejected =
      tp::setTimeout(100000, std::string("never"), {.signal = vow::AbortSignal::abort()});
  rejected.then([](const std::string&) {},
                [](const vow::Error& err) {
                  std::printf("aborted before start: %s\n", describe(err).c_str());
                });
  vow::queueMicrotask([] { std::puts("microtask queued after"); });
  co_await vow::Promise<void>::resolve();
  co_await vow::Promise<void>::resolve();
  const auto rejectedImmediate = tp::setImmediate(
      std::string("never"), {.signal = vow::AbortSignal::abort(vow::Exception("no"))});
  try {
    co_await rejectedImmediate;
  } catch (...) {
    std::printf("immediate aborted before start: %s\n", describe(vow::Error::current()).c_str());
  }

  vow::AbortController during;
  vow::setTimeout(
      [&] {
        std::puts("aborting the sleep");
        during.abort(vow::Exception("stop"));
        std::puts("abort returned");
      },
      10);
  // Options named, not braced in the co_await: GCC 12 destroys such a temporary twice.
  const tp::TimerOptions duringOptions{.signal = during.signal()};
  try {
    co_await tp::setTimeout(100000, std::string("never"), duringOptions);
  } catch (...) {
    std::printf("aborted while pending: %s\n", describe(vow::Error::current()).c_str());
  }

  vow::AbortController imm;
  const auto pending = tp::setImmediate(std::string("never"), {.signal = imm.signal()});
  vow::setImmediate([] { std::puts("a setImmediate queued after the aborted one"); });
  imm.abort();
  try {
    co_await pending;
  } catch (...) {
    std::printf("immediate aborted while pending: %s\n", describe(vow::Error::current()).c_str());
  }
  co_await vow::Promise<void>([](auto resolve, auto) { vow::setImmediate(resolve); });

  vow::AbortController after;
  const tp::TimerOptions afterOptions{.signal = after.signal()};
  const std::string value = co_await tp::setTimeout(5, std::string("slept"), afterOptions);
  after.abort();
  std::printf("resolved with %s, then aborted: no effect\n", value.c_str());
  const std::string value2 = co_await tp::setImmediate(42, afterOptions)
                                 .then([](int v) { return std::to_string(v); },
                                       [](const vow::Error& err) { return err.name(); });
  std::printf("the same signal, now aborted, rejects the next one: %s\n", value2.c_str());

  tp::setTimeout(10, std::string("unref"), {.ref = false}).then([](const std::string& v) {
    std::printf("ref: false timer fired: %s\n", v.c_str());
  });
  co_await tp::setTimeout(20);
  std::puts("kept alive by a 20 ms timer");
  tp::setTimeout(1000, std::string("unref"), {.ref = false}).then([](const std::string&) {
    std::puts("not printed: nothing keeps the process alive");
  });
  tp::setImmediate(std::string("unref"), {.ref = false}).then([](const std::string&) {
    std::puts("not printed: the loop ends after its timers");
  });
  std::puts("end of main");
}

}  // namespace

int main() {
  main_();
  vow::run();
}
