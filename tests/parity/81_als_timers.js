// AsyncLocalStorage and the loop's queues: process.nextTick, queueMicrotask, setTimeout,
// setImmediate and timers/promises run in the context of their call; an enterWith() in one
// callback does not reach the next; an interval keeps what an enterWith() in its callback
// set (Node's Timeout is one async resource for every repetition); an enterWith() in the
// main program reaches what it starts afterwards, not what it started before.
const { AsyncLocalStorage } = require('async_hooks');
const timersPromises = require('timers/promises');
const als = new AsyncLocalStorage();
const log = (label) => console.log(label + ' ' + als.getStore());

setTimeout(() => log('timeout made before enterWith'), 600);
als.run('A', () => {
  process.nextTick(() => {
    log('tick');
    als.enterWith('T1');
  });
  process.nextTick(() => log('tick 2'));
  queueMicrotask(() => log('microtask'));
  setImmediate(() => {
    log('immediate');
    als.enterWith('I1');
    setImmediate(() => log('immediate from immediate'));
  });
  setImmediate(() => {
    // Timers made here, once the loop runs: their order does not depend on startup time.
    log('immediate 2');
    setTimeout(() => {
      log('timeout');
      als.enterWith('T2');
    }, 300);
    let n = 0;
    const interval = setInterval(() => {
      log('interval ' + n);
      if (n === 0) als.enterWith('IV');
      if (++n === 3) clearInterval(interval);
    }, 40);
    als.run('B', () => setTimeout(() => log('timeout B'), 300));
    timersPromises.setTimeout(300).then(() => log('promises setTimeout'));
  });
  timersPromises.setImmediate().then(() => log('promises setImmediate'));
});
als.enterWith('M');
setTimeout(() => log('timeout made after enterWith'), 600);
process.nextTick(() => log('tick made after enterWith'));
log('main');
