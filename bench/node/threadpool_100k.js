'use strict';
// threadpool_100k: 100,000 concurrent fs.stat (callback form) of one file, on libuv's pool
// (4 threads, as vow's). Twin of bench/loop_bench.cc and bench/ref/uv_bench.c.
const fs = require('fs');
const path = require('path');
const { bench, dataDir } = require('./common');
const N = 100_000;

bench('threadpool_100k', () => new Promise((done) => {
  const file = path.join(dataDir(), 'small', '00000');
  let n = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    fs.stat(file, (err) => {
      if (err) throw err;
      if (++n === N) {
        const ms = performance.now() - t0;
        done({ ms, ns_per_call: (ms * 1e6) / N });
      }
    });
  }
}));
