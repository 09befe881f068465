'use strict';
// timers_1m: 1,000,000 setTimeout(f, 1) scheduled, then run until the last one fired.
// Twin of bench/loop_bench.cc and bench/ref/uv_bench.c.
const { bench } = require('./common');
const N = 1_000_000;

bench('timers_1m', () => new Promise((done) => {
  let n = 0;
  let t0;
  function fired() {
    if (++n === N) {
      const ms = performance.now() - t0;
      done({ ms, ns_per_timer: (ms * 1e6) / N });
    }
  }
  t0 = performance.now();
  for (let i = 0; i < N; i++) setTimeout(fired, 1);
}));
