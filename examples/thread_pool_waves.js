// The thread pool: Node runs blocking calls (fs, dns.lookup) and CPU-heavy work (crypto, zlib)
// on libuv's pool of UV_THREADPOOL_SIZE threads, 4 by default. A blocking call holds its thread
// until the kernel answers, so 4 run at once and the others wait in the pool's queue.
// The blocking call here: opening a named pipe (a FIFO) for reading, which waits until a writer
// opens the other end. Each job opens its own pipe. Every 100 ms the main thread knocks on the
// pipes (opens them for writing, without waiting): a job waiting in open() goes through; a job
// still in the queue is not there to answer. 8 jobs go through in two waves, on any number of
// cores. Try UV_THREADPOOL_SIZE=8 (one wave) or UV_THREADPOOL_SIZE=2 (four waves).

// Must happen before the pool's first use: libuv reads it once, when the pool starts.
process.env.UV_THREADPOOL_SIZE ??= '4';
const poolSize = process.env.UV_THREADPOOL_SIZE;
const fs = require('fs');
const { execFileSync } = require('child_process');
const { enterScratchDir } = require('./support');

const JOBS = 8;
enterScratchDir('thread_pool_waves', {});
const pipeOf = (job) => `pipe${job}`;
for (let job = 1; job <= JOBS; job++) {
  execFileSync('mkfifo', [pipeOf(job)]);  // Node has no mkfifo of its own
}

let done = 0;
for (let job = 1; job <= JOBS; job++) {
  // On a pool thread: blocks in open() until a writer comes.
  fs.open(pipeOf(job), 'r', (err, fd) => {
    if (err) throw err;
    fs.closeSync(fd);
    if (++done === JOBS) console.log('a job waits in the queue until a pool thread is free');
  });
}
console.log(`${JOBS} blocking jobs queued on a pool of ${poolSize} threads`);

// The writer. O_NONBLOCK: with no reader waiting, open fails (ENXIO) instead of waiting.
const { O_WRONLY, O_NONBLOCK } = fs.constants;
let waves = 0;
let through = 0;
const knocked = new Set();
const writer = setInterval(() => {
  const wave = [];
  // Newest job first: a job let through frees its thread for the next job in the queue, which
  // must not be counted in this wave.
  for (let job = JOBS; job >= 1; job--) {
    if (knocked.has(job)) continue;
    try {
      fs.closeSync(fs.openSync(pipeOf(job), O_WRONLY | O_NONBLOCK));
      knocked.add(job);
      wave.unshift(job);
    } catch (err) {
      if (err.code !== 'ENXIO') throw err;  // ENXIO: job not in open() yet
    }
  }
  if (wave.length > 0) {
    console.log(`wave ${++waves}: jobs ${wave.join(' ')} went through together`);
  }
  through += wave.length;
  if (through === JOBS) clearInterval(writer);
}, 100);
