'use strict';
// chain_1m: a resolved promise, then 1,000,000 sequential then(x + 1). Twin of
// bench/promise_bench.cc; the clock covers building the chain and running it to the end.
const { bench } = require('./common');
const N = 1_000_000;

bench('chain_1m', () => new Promise((done) => {
  const t0 = performance.now();
  let p = Promise.resolve(0);
  for (let i = 0; i < N; i++) p = p.then((x) => x + 1);
  p.then((v) => {
    const ms = performance.now() - t0;
    if (v !== N) throw new Error('chain_1m: wrong result ' + v);
    done({ ms, ns_per_hop: (ms * 1e6) / N });
  });
}));
