'use strict';
// microtask_10m: 10,000,000 chained queueMicrotask (each job queues the next).
// Twin of bench/promise_bench.cc.
const { bench } = require('./common');
const N = 10_000_000;

bench('microtask_10m', () => new Promise((done) => {
  let n = 0;
  let t0;
  function hop() {
    if (++n < N) {
      queueMicrotask(hop);
    } else {
      const ms = performance.now() - t0;
      done({ ms, ns_per_hop: (ms * 1e6) / N });
    }
  }
  t0 = performance.now();
  queueMicrotask(hop);
}));
