// Example 1: the event-loop quiz. bazel run //examples:event_loop_quiz
//
// In what order do these lines print? Guess, then run it. Round 1 runs from the main program,
// round 2 inside a timer callback. After every callback (and after main's own code) the loop
// drains the nextTick queue, then the microtask queue (promise jobs and queueMicrotask, one
// FIFO). Timers run in the timers phase; setImmediate callbacks in the check phase, which comes
// after the poll phase of the same iteration, so inside a timer `setImmediate` beats
// `setTimeout(f, 0)`. (From the main script, Node leaves timeout-vs-immediate to chance, so the
// quiz does not ask.)
//
// The Node program it ports (examples/event_loop_quiz.js):
//
//   console.log('round 1: the main script');
//   console.log('  sync: the script runs to its end before anything else');
//
//   setTimeout(() => {
//     console.log('round 2: inside a timer callback');
//     setTimeout(() => console.log('  timeout 0: the timers phase of the NEXT iteration'), 0);
//     setImmediate(() => console.log('  immediate: the check phase of THIS iteration'));
//     Promise.resolve().then(() => console.log('  promise: microtasks follow the nextTicks'));
//     process.nextTick(() => console.log('  nextTick: first, as soon as the callback returns'));
//     console.log('  sync: the callback runs to its end first');
//   }, 0);
//
//   Promise.resolve().then(() => console.log('  promise: then, the microtask queue'));
//   queueMicrotask(() => console.log('  queueMicrotask: same queue, so in order with promises'));
//   process.nextTick(() => console.log('  nextTick: runs before every promise job'));
//   console.log('  sync: last line of the script');
#include <cstdio>

#include "vow/vow.h"

int main() {
  std::puts("round 1: the main script");
  std::puts("  sync: the script runs to its end before anything else");

  vow::setTimeout(
      [] {
        std::puts("round 2: inside a timer callback");
        vow::setTimeout([] { std::puts("  timeout 0: the timers phase of the NEXT iteration"); },
                        0);
        vow::setImmediate([] { std::puts("  immediate: the check phase of THIS iteration"); });
        vow::Promise<void>::resolve().then(
            [] { std::puts("  promise: microtasks follow the nextTicks"); });
        vow::nextTick([] { std::puts("  nextTick: first, as soon as the callback returns"); });
        std::puts("  sync: the callback runs to its end first");
      },
      0);

  vow::Promise<void>::resolve().then([] { std::puts("  promise: then, the microtask queue"); });
  vow::queueMicrotask([] { std::puts("  queueMicrotask: same queue, so in order with promises"); });
  vow::nextTick([] { std::puts("  nextTick: runs before every promise job"); });
  std::puts("  sync: last line of the script");

  vow::run();  // Node runs the loop after the script; C++ says so.
}
