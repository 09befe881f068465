// Cancellation: give up on slow work after a timeout, and cancel a whole batch with one
// AbortController. Whatever takes `{ signal }` stops when the signal aborts and rejects with an
// AbortError whose `cause` says why (a TimeoutError from AbortSignal.timeout, or the reason given
// to controller.abort()); the timer, file or stream it held is released.
const fs = require('fs');
const fsp = require('fs/promises');
const { setTimeout: sleep } = require('timers/promises');
const { enterScratchDir } = require('./support');

enterScratchDir('cancellation', { 'big.bin': 'x'.repeat(64 * 1024 * 50), 'small.txt': 'hello, world' });

// A slow reader: a stream of 64 KiB chunks that waits 20 ms after each one (a slow peer), so
// the 50 chunks of big.bin take at least a second.
function slowRead(path, signal) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const stream = fs.createReadStream(path, { signal });
    stream.on('data', (chunk) => {
      bytes += chunk.length;
      stream.pause();
      setTimeout(() => stream.resume(), 20);
    });
    stream.on('end', () => resolve(bytes));
    stream.on('error', reject);
  });
}

// A download stand-in: `ms` milliseconds of waiting, then its name.
async function download(name, ms, signal) {
  await sleep(ms, undefined, { signal });
  return `${name} downloaded`;
}

const why = (err) => `${err.name}, cause ${err.cause.name}: ${err.cause.message}`;

async function main() {
  console.log('-- 1. a deadline');
  try {
    await slowRead('big.bin', AbortSignal.timeout(100));
    console.log('slow read finished (not expected)');
  } catch (err) {
    console.log(`slow read given up: ${why(err)}`);
  }
  const text = await fsp.readFile('small.txt', { encoding: 'utf8', signal: AbortSignal.timeout(5000) });
  console.log(`quick read within its deadline: ${text}`);

  console.log('-- 2. one controller for a batch');
  const controller = new AbortController();
  const { signal } = controller;
  const batch = [
    download('a', 10, signal),
    download('b', 40, signal),
    download('c', 5000, signal),
    slowRead('big.bin', signal),
  ];
  await batch[1];
  console.log('b is in: cancelling the rest');
  controller.abort(new Error('no longer needed'));
  const results = await Promise.allSettled(batch);
  results.forEach((r, i) => {
    console.log(`  job ${i}: ${r.status === 'fulfilled' ? r.value : why(r.reason)}`);
  });
  controller.abort(new Error('again'));
  console.log(`aborting again changes nothing: ${signal.reason.message}`);
}

main();
process.on('exit', () => console.log('exit: nothing was left running'));
