// Promise.allSettled vs Promise.all when one of several reads fails. all rejects as soon as one
// input rejects (fail fast: the other results are lost); allSettled waits for every input and
// reports each outcome, so the reads that worked are still usable.
const fsp = require('fs').promises;
const { enterScratchDir } = require('./support');

enterScratchDir('allsettled_vs_all', { 'a.txt': 'alpha', 'c.txt': 'gamma' });

const names = ['a.txt', 'missing.txt', 'c.txt'];

async function main() {
  console.log(`Promise.all of ${names.join(', ')}`);
  try {
    const texts = await Promise.all(names.map((name) => fsp.readFile(name, 'utf8')));
    console.log(`  all read: ${texts.join(' ')}`);
  } catch (err) {
    console.log(`  rejected with the first error: ${err.message}`);
  }

  console.log(`Promise.allSettled of ${names.join(', ')}`);
  const results = await Promise.allSettled(names.map((name) => fsp.readFile(name, 'utf8')));
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') {
      console.log(`  ${names[i]}: ${result.status}, ${result.value}`);
    } else {
      console.log(`  ${names[i]}: ${result.status}, ${result.reason.code}`);
    }
  });
  const texts = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  console.log(`  carry on with what was read: ${texts.join(' ')}`);
}

main();
