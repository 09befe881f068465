// clang-format off
// C++ twin of 44_unhandled_rejection.js:
//
// // Pins 'unhandledRejection' timing: it fires only after the nextTick and microtask queues drain (before
// // timers); a rejection handled later within the same drain never fires it; a then() without a handler
// // makes its derived promise unhandled too.
// process.on('unhandledRejection', (reason) => {
//   console.log('unhandledRejection: ' + reason.message);
// });
// Promise.reject(new Error('nobody handles me'));
// const handledLater = Promise.reject(new Error('handled 3 microtasks later'));
// Promise.resolve()
//   .then(() => console.log('microtask 1'))
//   .then(() => console.log('microtask 2'))
//   .then(() => handledLater.catch((e) => console.log('caught: ' + e.message)));
// const base = Promise.reject(new Error('derived from then without handler'));
// base.then(() => console.log('never'));
// process.nextTick(() => console.log('nextTick'));
// setTimeout(() => {
//   console.log('timeout');
//   Promise.reject(new Error('rejected inside timer'));
//   Promise.resolve().then(() => console.log('microtask in timer'));
// }, 0);
// setTimeout(() => console.log('second timeout'), 0);
// console.log('sync');
// clang-format on
#include <cstdio>

#include "vow/loop/loop.h"
#include "vow/promise/promise.h"

int main() {
  vow::process().on("unhandledRejection", [](const vow::Error& reason, const vow::AnyPromise&) {
    std::printf("unhandledRejection: %s\n", reason.message().c_str());
  });
  (void)vow::Promise<void>::reject(vow::Exception("nobody handles me"));
  const auto handledLater =
      vow::Promise<void>::reject(vow::Exception("handled 3 microtasks later"));
  vow::Promise<void>::resolve()
      .then([] { std::puts("microtask 1"); })
      .then([] { std::puts("microtask 2"); })
      .then([handledLater] {
        return handledLater.catch_(
            [](const vow::Error& e) { std::printf("caught: %s\n", e.message().c_str()); });
      });
  const auto base = vow::Promise<void>::reject(vow::Exception("derived from then without handler"));
  base.then([] { std::puts("never"); });
  vow::nextTick([] { std::puts("nextTick"); });
  vow::setTimeout(
      [] {
        std::puts("timeout");
        (void)vow::Promise<void>::reject(vow::Exception("rejected inside timer"));
        vow::Promise<void>::resolve().then([] { std::puts("microtask in timer"); });
      },
      0);
  vow::setTimeout([] { std::puts("second timeout"); }, 0);
  std::puts("sync");
  vow::run();
}
