// clang-format off
// C++ twin of 54_abort_signal_timeout.js:
//
// // Pins AbortSignal.timeout(ms): the signal aborts in the timers phase, in deadline order among the
// // other timers, with a DOMException TimeoutError "The operation was aborted due to timeout"
// // (code 23), and the ticks its listeners queue run before the next timer; a timers/promises timer
// // given such a signal (held by nothing else) rejects with an AbortError whose cause is the
// // TimeoutError; and a timeout signal never keeps the process alive: when it is the only thing
// // left, even with a listener, the process exits without it firing.
// const { setTimeout: sleep } = require('timers/promises');
//
// setTimeout(() => console.log('timer 5: signal aborted=' + signal.aborted), 5);
// const signal = AbortSignal.timeout(10);
// signal.addEventListener('abort', (event) => {
//   const r = signal.reason;
//   console.log('signal aborted: ' + r.name + ' "' + r.message + '" code=' + r.code +
//               ' target is signal=' + (event.target === signal));
//   process.nextTick(() => console.log('tick from the abort listener'));
// });
// setTimeout(() => console.log('timer 10, set after the signal: signal aborted=' + signal.aborted), 10);
// setTimeout(() => console.log('timer 20: signal aborted=' + signal.aborted), 20);
// sleep(100000, 'value', { signal: AbortSignal.timeout(30) }).then(
//   () => console.log('not reached'),
//   (err) => {
//     console.log('sleep rejected: ' + err.name + ' code=' + err.code + ' "' + err.message + '"');
//     console.log('cause: ' + err.cause.name + ' "' + err.cause.message + '"');
//     const last = AbortSignal.timeout(1000);
//     last.onabort = () => console.log('last signal aborted (not printed: the process has exited)');
//     console.log('only a timeout signal left');
//   });
// console.log('end of script');
// clang-format on
#include <cstdio>
#include <string>

#include "vow/loop/abort_controller.h"
#include "vow/loop/loop.h"
#include "vow/promise/error.h"

namespace {

const char* boolText(bool b) { return b ? "true" : "false"; }

}  // namespace

int main() {
  using vow::timers::promises::setTimeout;  // JS: const { setTimeout: sleep } = ...
  vow::AbortSignal signal;
  vow::setTimeout([&] { std::printf("timer 5: signal aborted=%s\n", boolText(signal.aborted())); },
                  5);
  signal = vow::AbortSignal::timeout(10);
  signal.addEventListener("abort", [&](const vow::AbortEvent& event) {
    const vow::Error& r = signal.reason();
    std::printf("signal aborted: %s \"%s\" code=%s target is signal=%s\n", r.name().c_str(),
                r.message().c_str(), r.code().c_str(), boolText(event.target == signal));
    vow::nextTick([] { std::puts("tick from the abort listener"); });
  });
  vow::setTimeout(
      [&] {
        std::printf("timer 10, set after the signal: signal aborted=%s\n",
                    boolText(signal.aborted()));
      },
      10);
  vow::setTimeout([&] { std::printf("timer 20: signal aborted=%s\n", boolText(signal.aborted())); },
                  20);
  setTimeout(100000, std::string("value"), {.signal = vow::AbortSignal::timeout(30)})
      .then([](const std::string&) { std::puts("not reached"); },
            [](const vow::Error& err) {
              std::printf("sleep rejected: %s code=%s \"%s\"\n", err.name().c_str(),
                          err.code().c_str(), err.message().c_str());
              const vow::Error& cause = err.as<vow::AbortError>()->cause();
              std::printf("cause: %s \"%s\"\n", cause.name().c_str(), cause.message().c_str());
              const vow::AbortSignal last = vow::AbortSignal::timeout(1000);
              last.onabort(
                  [] { std::puts("last signal aborted (not printed: the process has exited)"); });
              std::puts("only a timeout signal left");
            });
  std::puts("end of script");
  vow::run();
}
