// Pins `await` inside catch and finally blocks (which C++ coroutines forbid: the twin captures
// the error, awaits after the handler block, then rethrows or returns): the ticks of each await,
// a catch that recovers, a catch that rethrows the same error after awaiting, a finally that
// awaits after `return await`, and a finally whose own error replaces the original one; a tick
// chain runs beside them.
const log = (s) => console.log(s);
async function report(e) {
  await null;
  log('reported ' + e.message);
}
async function cleanup(name) {
  await null;
  log('cleanup ' + name);
}
let fatal;

async function recovers() {
  try {
    await Promise.reject(new Error('load failed'));
    log('never');
  } catch (e) {
    await report(e);
    log('after report');
    return 'fallback';
  } finally {
    await cleanup('A');
  }
}
async function rethrows() {
  try {
    fatal = new Error('fatal');
    await Promise.reject(fatal);
  } catch (e) {
    await report(e);
    throw e;
  } finally {
    await cleanup('B');
  }
}
async function returnsThroughFinally() {
  try {
    return await Promise.resolve('value');
  } finally {
    await cleanup('C');
  }
}
async function finallyThrows() {
  try {
    throw new Error('original');
  } finally {
    await cleanup('D');
    // eslint-disable-next-line no-unsafe-finally
    throw new Error('from finally');
  }
}

Promise.resolve()
  .then(() => log('t1'))
  .then(() => log('t2'))
  .then(() => log('t3'))
  .then(() => log('t4'))
  .then(() => log('t5'))
  .then(() => log('t6'))
  .then(() => log('t7'));
recovers().then((v) => log('recovers: ' + v));
rethrows().catch((e) => log('rethrows: ' + e.message + ', the same error: ' + (e === fatal)));
returnsThroughFinally().then((v) => log('returnsThroughFinally: ' + v));
finallyThrows().catch((e) => log('finallyThrows: ' + e.message));
log('sync');
