'use strict';
// Shared by the Node twins of the vow benchmarks. Each script runs its workload `reps` times in
// this process (argv[2], default 3) and prints one machine-readable JSON line per run:
//   {"workload":"chain_1m","impl":"node","ms":12.3,"cpu_ms":12.1, ...extra fields}
// ms is wall-clock time of the workload; cpu_ms the process's CPU time (all threads, user +
// system) over the same run, measured here unless the workload reports its own.
// bench/compare parses these lines; the median over runs and processes is what it reports.
const path = require('path');

const reps = Number(process.argv[2] || 3);

// `fn` runs the workload once and returns (or resolves to) {ms, ...extra}.
async function bench(workload, fn) {
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const r = await fn();
    if (r.cpu_ms === undefined) {
      const c = process.cpuUsage(c0);
      r.cpu_ms = (c.user + c.system) / 1e3;
    }
    console.log(JSON.stringify({ workload, impl: 'node', ...r }));
  }
}

// The data files bench/compare prepares: $BENCH_DATA/small/00000 .. 09999 (4 KiB each) and
// $BENCH_DATA/large (256 MiB).
function dataDir() {
  const d = process.env.BENCH_DATA;
  if (!d) throw new Error('set BENCH_DATA to the directory bench/compare prepared');
  return d;
}
function smallFiles(count = 10000) {
  const files = new Array(count);
  for (let i = 0; i < count; i++) {
    files[i] = path.join(dataDir(), 'small', String(i).padStart(5, '0'));
  }
  return files;
}

module.exports = { bench, dataDir, smallFiles };
