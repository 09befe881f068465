// Pins AbortSignal.timeout(ms): the signal aborts in the timers phase, in deadline order among the
// other timers, with a DOMException TimeoutError "The operation was aborted due to timeout"
// (code 23), and the ticks its listeners queue run before the next timer; a timers/promises timer
// given such a signal (held by nothing else) rejects with an AbortError whose cause is the
// TimeoutError; and a timeout signal never keeps the process alive: when it is the only thing
// left, even with a listener, the process exits without it firing.
const { setTimeout: sleep } = require('timers/promises');

setTimeout(() => console.log('timer 5: signal aborted=' + signal.aborted), 5);
const signal = AbortSignal.timeout(10);
signal.addEventListener('abort', (event) => {
  const r = signal.reason;
  console.log('signal aborted: ' + r.name + ' "' + r.message + '" code=' + r.code +
              ' target is signal=' + (event.target === signal));
  process.nextTick(() => console.log('tick from the abort listener'));
});
setTimeout(() => console.log('timer 10, set after the signal: signal aborted=' + signal.aborted), 10);
setTimeout(() => console.log('timer 20: signal aborted=' + signal.aborted), 20);
sleep(100000, 'value', { signal: AbortSignal.timeout(30) }).then(
  () => console.log('not reached'),
  (err) => {
    console.log('sleep rejected: ' + err.name + ' code=' + err.code + ' "' + err.message + '"');
    console.log('cause: ' + err.cause.name + ' "' + err.cause.message + '"');
    const last = AbortSignal.timeout(1000);
    last.onabort = () => console.log('last signal aborted (not printed: the process has exited)');
    console.log('only a timeout signal left');
  });
console.log('end of script');
