// The thread pool: Node runs blocking and CPU-heavy work (fs, dns.lookup, crypto, zlib) on
// libuv's pool of UV_THREADPOOL_SIZE threads, 4 by default. Queue 8 equal CPU-bound jobs and
// they finish in two waves: 4 run at once, and the other 4 wait for a free thread.
// Try UV_THREADPOOL_SIZE=8 (one wave) or UV_THREADPOOL_SIZE=2 (four waves).

// Must happen before the pool's first use: libuv reads it once, when the pool starts.
process.env.UV_THREADPOOL_SIZE ??= '4';
const poolSize = process.env.UV_THREADPOOL_SIZE;
const crypto = require('crypto');

const JOBS = 8;
const start = performance.now();
const finished = [];  // {job, ms}, in the order the jobs finish

for (let job = 1; job <= JOBS; job++) {
  // CPU-bound work on a pool thread: hashing a password 50,000 times.
  crypto.pbkdf2('secret', 'salt', 50000, 64, 'sha512', () => {
    finished.push({ job, ms: performance.now() - start });
    if (finished.length === JOBS) report();
  });
}
console.log(`${JOBS} equal CPU-bound jobs queued on a pool of ${poolSize} threads`);

// Jobs that run together finish together. Times vary from machine to machine, so print waves,
// not times: a new wave starts where the gap to the previous finish is more than half of the
// time the first job took.
function report() {
  const waves = [];
  let previous = -Infinity;
  for (const { job, ms } of finished) {
    if (ms - previous > finished[0].ms / 2) waves.push([]);
    waves[waves.length - 1].push(job);
    previous = ms;
  }
  waves.forEach((jobs, i) => {
    jobs.sort((a, b) => a - b);
    console.log(`wave ${i + 1}: jobs ${jobs.join(' ')} finished together`);
  });
  console.log('a job waits in the queue until a pool thread is free');
}
