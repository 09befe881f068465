// The event-loop quiz: in what order do these lines print? Guess, then run it.
//
// Round 1 runs from the main script; round 2 runs inside a timer callback. Between two
// callbacks Node drains the nextTick queue, then the promise (microtask) queue. Timers run in
// the timers phase, setImmediate callbacks in the check phase that follows the poll phase.
console.log('round 1: the main script');
console.log('  sync: the script runs to its end before anything else');

setTimeout(() => {
  console.log('round 2: inside a timer callback');
  setTimeout(() => console.log('  timeout 0: the timers phase of the NEXT iteration'), 0);
  setImmediate(() => console.log('  immediate: the check phase of THIS iteration'));
  Promise.resolve().then(() => console.log('  promise: microtasks follow the nextTicks'));
  process.nextTick(() => console.log('  nextTick: first, as soon as the callback returns'));
  console.log('  sync: the callback runs to its end first');
}, 0);

Promise.resolve().then(() => console.log('  promise: then, the microtask queue'));
queueMicrotask(() => console.log('  queueMicrotask: same queue, so in order with promises'));
process.nextTick(() => console.log('  nextTick: runs before every promise job'));
console.log('  sync: last line of the script');
