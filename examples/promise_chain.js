// The same three reads as a flat promise chain. Each `then` returns the next read's promise,
// and the chain waits for it before going on; an error anywhere skips the remaining `then`s
// and lands in the one `catch` at the end.
const fsp = require('fs').promises;
const { enterScratchDir } = require('./support');

enterScratchDir('promise_chain', { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });

function readThree([first, second, third]) {
  const texts = [];
  return fsp.readFile(first, 'utf8')
    .then((a) => {
      console.log(`  ${first}: ${a}`);
      texts.push(a);
      return fsp.readFile(second, 'utf8');
    })
    .then((b) => {
      console.log(`  ${second}: ${b}`);
      texts.push(b);
      return fsp.readFile(third, 'utf8');
    })
    .then((c) => {
      console.log(`  ${third}: ${c}`);
      texts.push(c);
      return texts;
    });
}

function show(names) {
  console.log(`reading ${names.join(', ')}`);
  return readThree(names)
    .then((texts) => console.log(`done: ${texts.join(' ')}`))
    .catch((err) => console.log(`error: ${err.message}`));
}

// Two jobs in a row: still flat.
show(['a.txt', 'b.txt', 'c.txt'])
  .then(() => show(['a.txt', 'missing.txt', 'c.txt']));
