// promisify: turns a function that takes an error-first callback into one that returns a
// promise, so callback-era code joins promise chains and async/await without a rewrite.
const fs = require('fs');
const util = require('util');
const { enterScratchDir } = require('./support');

enterScratchDir('promisify', { 'poem.txt': 'roses are red\nviolets are blue\n' });

// A callback-style function, as older libraries are written: the callback comes last and
// takes the error first, then the result.
function countLines(file, callback) {
  fs.readFile(file, 'utf8', (err, text) => {
    if (err) return callback(err);
    callback(null, [...text].filter((c) => c === '\n').length);
  });
}

// Same arguments without the callback; returns a promise of the result.
const countLinesAsync = util.promisify(countLines);
// Library functions promisify the same way.
const readFileAsync = util.promisify(fs.readFile);

async function main() {
  console.log(`promise:  poem.txt has ${await countLinesAsync('poem.txt')} lines`);
  try {
    await countLinesAsync('missing.txt');
  } catch (err) {
    // The callback's error becomes the rejection, so try/catch sees it.
    console.log(`promise:  ${err.code} from ${err.syscall}, caught by try/catch`);
  }
  const text = await readFileAsync('poem.txt', 'utf8');
  console.log(`readFile: the poem starts with "${text.split('\n')[0]}"`);
}

// The callback way still works, of course.
countLines('poem.txt', (err, lines) => {
  console.log(`callback: poem.txt has ${lines} lines`);
  main();
});
