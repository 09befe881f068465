// Pins events.once(emitter, name, {signal}): an aborted signal rejects it at once (an async
// function throwing) and adds no listener; aborting while it waits removes its listeners from the
// emitter at once and rejects with an AbortError (cause = the reason), which the caller sees a
// microtask turn after a promise that an 'abort' listener rejects (the async function's promise
// follows the inner one); an emission
// first resolves it and removes its 'abort' listener, so a later abort changes nothing; so does
// an 'error' emission, which rejects it with the error.
const { once, EventEmitter } = require('events');
const e = new EventEmitter();

function counts() {
  return 'ready=' + e.listenerCount('ready') + ' error=' + e.listenerCount('error');
}

async function main() {
  const pre = once(e, 'ready', { signal: AbortSignal.abort() });
  pre.catch((err) => console.log('aborted before: ' + err.name + ' ' + err.code + ' cause: ' + err.cause.name));
  queueMicrotask(() => console.log('microtask queued after'));
  console.log('aborted before: listeners ' + counts());
  await pre.catch(() => {});

  const during = new AbortController();
  const p = once(e, 'ready', { signal: during.signal });
  console.log('waiting: listeners ' + counts());
  setTimeout(() => {
    const plain = new Promise((resolve, reject) => {
      during.signal.addEventListener('abort', () => reject(during.signal.reason));
    });
    plain.catch(() => console.log('plain promise rejected by a listener'));
    Promise.resolve()
      .then(() => console.log('micro 1'))
      .then(() => console.log('micro 2'))
      .then(() => console.log('micro 3'))
      .then(() => console.log('micro 4'));
    during.abort(new Error('gave up'));
    console.log('aborted: listeners ' + counts());
    console.log('emit after abort returned ' + e.emit('ready', 'late', 0));
  }, 5);
  try {
    await p;
  } catch (err) {
    console.log('aborted while waiting: ' + err.name + ' "' + err.message + '" cause: ' + err.cause.message);
  }

  const after = new AbortController();
  setTimeout(() => {
    e.emit('ready', 'x', 1);
    after.abort();
    console.log('emitted then aborted: listeners ' + counts());
  }, 5);
  const args = await once(e, 'ready', { signal: after.signal });
  console.log('resolved with ' + JSON.stringify(args) + ' signal aborted=' + after.signal.aborted);

  const failed = new AbortController();
  setTimeout(() => {
    e.emit('error', new Error('emitter failed'));
    failed.abort();
  }, 5);
  try {
    await once(e, 'ready', { signal: failed.signal });
  } catch (err) {
    console.log('error first: ' + err.name + ' "' + err.message + '" listeners ' + counts());
  }
}
main().then(() => console.log('main done'));
console.log('end of script');
