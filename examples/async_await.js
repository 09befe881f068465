// The same three reads with async/await: code that reads like the synchronous version, with
// one try/catch for every step. `await` suspends this function only; the event loop goes on.
const fsp = require('fs').promises;
const { enterScratchDir } = require('./support');

enterScratchDir('async_await', { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });

async function readThree([first, second, third]) {
  const a = await fsp.readFile(first, 'utf8');
  console.log(`  ${first}: ${a}`);
  const b = await fsp.readFile(second, 'utf8');
  console.log(`  ${second}: ${b}`);
  const c = await fsp.readFile(third, 'utf8');
  console.log(`  ${third}: ${c}`);
  return [a, b, c];
}

async function show(names) {
  console.log(`reading ${names.join(', ')}`);
  try {
    const texts = await readThree(names);
    console.log(`done: ${texts.join(' ')}`);
  } catch (err) {
    console.log(`error: ${err.message}`);
  }
}

async function main() {
  await show(['a.txt', 'b.txt', 'c.txt']);
  await show(['a.txt', 'missing.txt', 'c.txt']);
}

main();
