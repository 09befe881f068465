// Sequential vs parallel: three independent jobs awaited one after another take the sum of
// their times; started together and awaited with Promise.all they take the longest one's.
// (The classic story has three 1 s requests: 3 s vs 1 s. Here they take 300 ms each.)
const { setTimeout: delay } = require('timers/promises');

const REQUEST_MS = 300;

// Pretend this is a request that takes 300 ms.
function fetchUser(name) {
  return delay(REQUEST_MS, `user ${name}`);
}

// Elapsed time rounded to whole request times, so the output is the same on a busy machine.
function aboutMs(start) {
  return Math.round((performance.now() - start) / REQUEST_MS) * REQUEST_MS;
}

async function sequential() {
  const start = performance.now();
  const a = await fetchUser('ada');  // the next request starts only when this one is done
  const b = await fetchUser('bob');
  const c = await fetchUser('cyd');
  console.log(`sequential: ${a}, ${b}, ${c} in about ${aboutMs(start)} ms`);
}

async function parallel() {
  const start = performance.now();
  // All three requests start now; Promise.all waits for all of them.
  const [a, b, c] = await Promise.all([fetchUser('ada'), fetchUser('bob'), fetchUser('cyd')]);
  console.log(`parallel:   ${a}, ${b}, ${c} in about ${aboutMs(start)} ms`);
}

async function main() {
  await sequential();
  await parallel();
}

main();
