// Pins where the loop goes on after an uncaught exception, once an 'uncaughtException' handler
// has run (vow: catching around run() and calling it again): a throwing callback's checkpoint is
// skipped and its phase goes on with the next callback; ticks left behind wait for the next
// checkpoint; a throwing microtask does not stop the drain; a rejection with a non-error reason
// arrives wrapped (ERR_UNHANDLED_REJECTION).
process.on('uncaughtException', (err) => {
  console.log('caught: ' + (err.code === 'ERR_UNHANDLED_REJECTION' ? err.name + ' ' + err.code : err.message));
});
process.nextTick(() => { throw new Error('tick 1'); });
process.nextTick(() => console.log('tick 2'));
queueMicrotask(() => { throw new Error('microtask 1'); });
queueMicrotask(() => console.log('microtask 2'));
setImmediate(() => {
  console.log('immediate 1');
  setTimeout(() => {
    console.log('timeout 1');
    process.nextTick(() => console.log('tick in timeout 1'));
    Promise.reject(42);
    throw new Error('timeout 1');
  }, 0);
  setTimeout(() => console.log('timeout 2'), 0);
  const start = Date.now();
  while (Date.now() - start < 3);  // both timeouts are due when the timers phase comes
  process.nextTick(() => { throw new Error('tick in immediate 1'); });
  process.nextTick(() => console.log('tick 2 in immediate 1'));
});
setImmediate(() => {
  console.log('immediate 2');
  throw new Error('immediate 2');
});
setImmediate(() => console.log('immediate 3'));
console.log('sync');
