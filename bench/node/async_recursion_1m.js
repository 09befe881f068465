'use strict';
// async_recursion_1m: async f(n) { if (n) await f(n - 1) } with n = 1,000,000: time and peak
// RSS of the process. The synchronous descent needs a huge stack; bench/compare runs
//   ulimit -s unlimited; node --stack-size=1000000 async_recursion_1m.js 1
// (--stack-size is in KiB; values above about 2^31 bytes make V8 fail at once). One run per
// process, so that the peak RSS is this run's. Twin of bench/async_recursion_bench.cc.
const N = Number(process.env.ASYNC_DEPTH || 1_000_000);

async function f(n) {
  if (n) await f(n - 1);
}

const c0 = process.cpuUsage();
const t0 = performance.now();
f(N).then(() => {
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const peak = process.resourceUsage().maxRSS;  // KiB
  console.log(JSON.stringify({ workload: 'async_recursion_1m', impl: 'node', ms,
                               cpu_ms: (c.user + c.system) / 1e3, depth: N, peak_rss_kib: peak }));
});
