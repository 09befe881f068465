// Pins timers/promises setTimeout and setImmediate given {signal}: an aborted signal rejects the
// promise at once (it is rejected already: its handlers run before a microtask queued after) and
// starts no timer; aborting a pending one clears its timer or immediate and rejects with an
// AbortError (code ABORT_ERR, cause = the signal's reason); aborting after it settled does
// nothing; and with {ref: false} the timer or immediate runs only if something else keeps the
// process alive (the last timers phase ends the loop before an unref'd immediate's check phase).
const { setTimeout: sleep, setImmediate: immediate } = require('timers/promises');

function describe(err) {
  return err.name + ' code=' + err.code + ' "' + err.message + '" cause: ' + err.cause.name +
         ' "' + err.cause.message + '"';
}

async function main() {
  // A started timer would keep the process alive for 100 s.
  const rejected = sleep(100000, 'never', { signal: AbortSignal.abort() });
  rejected.catch((err) => console.log('aborted before start: ' + describe(err)));
  queueMicrotask(() => console.log('microtask queued after'));
  await null;
  await null;
  const rejectedImmediate = immediate('never', { signal: AbortSignal.abort(new Error('no')) });
  try {
    await rejectedImmediate;
  } catch (err) {
    console.log('immediate aborted before start: ' + describe(err));
  }

  const during = new AbortController();
  setTimeout(() => {
    console.log('aborting the sleep');
    during.abort(new Error('stop'));
    console.log('abort returned');
  }, 10);
  try {
    await sleep(100000, 'never', { signal: during.signal });
  } catch (err) {
    console.log('aborted while pending: ' + describe(err));
  }

  const imm = new AbortController();
  const pending = immediate('never', { signal: imm.signal });
  setImmediate(() => console.log('a setImmediate queued after the aborted one'));
  imm.abort();
  try {
    await pending;
  } catch (err) {
    console.log('immediate aborted while pending: ' + describe(err));
  }
  await new Promise((resolve) => setImmediate(resolve));

  const after = new AbortController();
  const value = await sleep(5, 'slept', { signal: after.signal });
  after.abort();
  console.log('resolved with ' + value + ', then aborted: no effect');
  const value2 = await immediate(42, { signal: after.signal }).catch((err) => err.name);
  console.log('the same signal, now aborted, rejects the next one: ' + value2);

  sleep(10, 'unref', { ref: false }).then((v) => console.log('ref: false timer fired: ' + v));
  await sleep(20);
  console.log('kept alive by a 20 ms timer');
  sleep(1000, 'unref', { ref: false }).then(() => console.log('not printed: nothing keeps the process alive'));
  immediate('unref', { ref: false }).then(() => console.log('not printed: the loop ends after its timers'));
  console.log('end of main');
}
main();
