'use strict';
// all_1m: 1,000,000 resolved promises into Promise.all: creating them, all(), and the result.
// Twin of bench/promise_bench.cc.
const { bench } = require('./common');
const N = 1_000_000;

bench('all_1m', () => new Promise((done) => {
  const t0 = performance.now();
  const promises = new Array(N);
  for (let i = 0; i < N; i++) promises[i] = Promise.resolve(i);
  Promise.all(promises).then((v) => {
    const ms = performance.now() - t0;
    if (v.length !== N) throw new Error('all_1m: wrong length');
    done({ ms });
  });
}));
