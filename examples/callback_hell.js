// Callback hell: three files read one after another with error-first callbacks. Each read
// starts inside the callback of the one before, so every step nests one level deeper, and
// every level must check its own error and pass it on by hand.
const fs = require('fs');
const { enterScratchDir } = require('./support');

enterScratchDir('callback_hell', { 'a.txt': 'alpha', 'b.txt': 'beta', 'c.txt': 'gamma' });

function readThree([first, second, third], done) {
  fs.readFile(first, 'utf8', (err, a) => {
    if (err) return done(err);
    console.log(`  ${first}: ${a}`);
    fs.readFile(second, 'utf8', (err, b) => {
      if (err) return done(err);
      console.log(`  ${second}: ${b}`);
      fs.readFile(third, 'utf8', (err, c) => {
        if (err) return done(err);
        console.log(`  ${third}: ${c}`);
        done(null, [a, b, c]);
      });
    });
  });
}

function show(names, next) {
  console.log(`reading ${names.join(', ')}`);
  readThree(names, (err, texts) => {
    if (err) {
      console.log(`error: ${err.message}`);
    } else {
      console.log(`done: ${texts.join(' ')}`);
    }
    next();
  });
}

// Even running two jobs in a row nests: the second starts in the callback of the first.
show(['a.txt', 'b.txt', 'c.txt'], () => {
  show(['a.txt', 'missing.txt', 'c.txt'], () => {});
});
