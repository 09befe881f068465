// Pins where an abort's effects land among ticks and microtasks. abort() runs the 'abort'
// listeners synchronously in the order they were added, a timers/promises timer's own listener in
// its place; that listener rejects the timer's inner promise, and what the caller holds is Node's
// `ret.finally(remove the listener)`, so its handlers run some microtask turns later (an await
// later still), after the nextTicks queued before and during abort(). Run at the end of the
// script and again from a timer callback, where the checkpoint after the callback runs the same.
const { setTimeout: sleep } = require('timers/promises');

function round(name) {
  const ac = new AbortController();
  const { signal } = ac;
  signal.addEventListener('abort', () => console.log(name + ': listener added before the sleep'));
  const p = sleep(100000, 'never', { signal });
  p.then(() => console.log('not reached'), (err) => console.log(name + ': p rejected (then) ' + err.name));
  (async () => {
    try {
      await p;
    } catch (err) {
      console.log(name + ': await p threw ' + err.name);
    }
  })();
  signal.addEventListener('abort', () => {
    console.log(name + ': listener added after the sleep');
    process.nextTick(() => console.log(name + ': tick from the listener'));
    queueMicrotask(() => console.log(name + ': microtask from the listener'));
  });
  const plain = new Promise((resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  plain.catch(() => console.log(name + ': plain promise rejected by a listener'));
  process.nextTick(() => console.log(name + ': tick queued before abort'));
  Promise.resolve()
    .then(() => console.log(name + ': micro 1'))
    .then(() => console.log(name + ': micro 2'))
    .then(() => console.log(name + ': micro 3'))
    .then(() => console.log(name + ': micro 4'))
    .then(() => console.log(name + ': micro 5'))
    .then(() => console.log(name + ': micro 6'))
    .then(() => console.log(name + ': micro 7'))
    .then(() => console.log(name + ': micro 8'));
  console.log(name + ': abort');
  ac.abort();
  console.log(name + ': abort returned');
  p.catch(() => console.log(name + ': p rejected (catch added after abort)'));
}

round('script');
setTimeout(() => round('timer'), 5);
setTimeout(() => console.log('next timer'), 5);
