'use strict';
// immediate_1m: 1,000,000 chained setImmediate (each callback sets the next).
// Twin of bench/loop_bench.cc and bench/ref/uv_bench.c.
const { bench } = require('./common');
const N = 1_000_000;

bench('immediate_1m', () => new Promise((done) => {
  let n = 0;
  let t0;
  function hop() {
    if (++n < N) {
      setImmediate(hop);
    } else {
      const ms = performance.now() - t0;
      done({ ms, ns_per_hop: (ms * 1e6) / N });
    }
  }
  t0 = performance.now();
  setImmediate(hop);
}));
