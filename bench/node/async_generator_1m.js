'use strict';
// async_generator_1m: an async generator yielding 0..999,999, consumed by for-await summing
// them. Twin of async_generator_1m in bench/promise_bench.cc; the clock covers all of it.
const { bench } = require('./common');
const N = 1_000_000;

async function* count(n) {
  for (let i = 0; i < n; i++) yield i;
}

bench('async_generator_1m', async () => {
  const t0 = performance.now();
  let sum = 0;
  for await (const x of count(N)) sum += x;
  const ms = performance.now() - t0;
  if (sum !== (N * (N - 1)) / 2) throw new Error('async_generator_1m: wrong result ' + sum);
  return { ms, ns_per_value: (ms * 1e6) / N };
});
