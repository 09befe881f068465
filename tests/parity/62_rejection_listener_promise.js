// Pins what a handler attached to the promise an 'unhandledRejection' listener receives does:
// catch makes it handled (Node then emits 'rejectionHandled' for it, after the microtasks the
// listener queued); finally's derived promise rejects again and is reported in turn;
// then(onFulfilled, onRejected) handles it; the ticks of each beside a nextTick and a
// microtask chain queued in the listener.
let n = 0;
process.on('unhandledRejection', (reason, p) => {
  n++;
  console.log('unhandledRejection', n, reason.message);
  if (n === 1) {
    p.catch((e) => {
      console.log('catch', e.message);
      return 'recovered';
    }).then((v) => console.log('then', v));
    p.finally(() => console.log('finally'));
    Promise.resolve()
      .then(() => console.log('m1'))
      .then(() => console.log('m2'))
      .then(() => console.log('m3'));
    process.nextTick(() => console.log('tick in listener'));
  } else if (n === 2) {
    p.then(() => console.log('never'), (e) => console.log('onRejected', e.message));
  } else if (n === 3) {
    p.catch(() => {}).finally(() => console.log('finally after catch'));
  }
});
process.on('rejectionHandled', () => console.log('rejectionHandled', n));
Promise.reject(new Error('first'));
setTimeout(() => {
  console.log('timeout');
  Promise.reject(new Error('second'));
}, 0);
setTimeout(() => console.log('second timeout'), 0);
