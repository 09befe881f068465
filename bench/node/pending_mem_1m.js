'use strict';
// pending_mem_1m: 1,000,000 pending promises, each with one then() handler, their resolve
// functions kept in an array. Memory: process.memoryUsage().heapUsed growth after gc() (run
// with node --expose-gc), per promise. Time: resolving them all and running the handlers.
// Twin of bench/promise_bench.cc (which counts live operator-new bytes the same way).
const { bench } = require('./common');
const N = 1_000_000;

if (typeof gc !== 'function') throw new Error('run with node --expose-gc');

bench('pending_mem_1m', () => new Promise((done) => {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const resolvers = new Array(N);
  for (let i = 0; i < N; i++) {
    new Promise((resolve) => { resolvers[i] = resolve; }).then((x) => x + 1);
  }
  gc();
  const bytes = (process.memoryUsage().heapUsed - heap0) / N;

  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) resolvers[i](i);
  // Queued behind the 1,000,000 reactions the loop above queued: runs after all of them.
  queueMicrotask(() => {
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    done({ ms, cpu_ms: (c.user + c.system) / 1e3, bytes_per_promise: bytes });
  });
}));
