// Pins `for await (const chunk of readable)` tick for tick (a promise-job counter runs beside
// it): the chunks read in paused mode, 'end' and 'close' before the loop ends; then a loop left
// with `break` destroys the stream (AbortError) after the loop's next statement.
const { Readable } = require('stream');

let n = 0;
function spin(limit) {
  if (n < limit) {
    console.log(`job ${n++}`);
    Promise.resolve().then(() => spin(limit));
  }
}

async function first() {
  const chunks = ['ab', 'cd', 'ef'];
  const r = new Readable({
    highWaterMark: 2,
    read() {
      const c = chunks.shift();
      this.push(c === undefined ? null : c);
    },
  });
  r.on('end', () => console.log('end'));
  r.on('close', () => console.log('close'));
  Promise.resolve().then(() => spin(12));
  for await (const chunk of r) console.log(`chunk ${chunk}`);
  console.log('loop done');
}

async function second() {
  n = 0;
  const r = new Readable({ read() { this.push('x'); } });
  r.on('error', (e) => console.log(`error ${e.name}`));
  r.on('close', () => console.log('close'));
  Promise.resolve().then(() => spin(8));
  for await (const chunk of r) {
    console.log(`chunk ${chunk}`);
    break;
  }
  console.log(`after break: destroyed=${r.destroyed}`);
}

first().then(() => setImmediate(second));
