// Pins a Readable in paused mode: the 'readable' event, read() and read(n) returning buffered
// data or null, _read calls as the buffer drains below highWaterMark, 'end' and 'close', and
// where nextTick callbacks and promise jobs fall between them.
const { Readable } = require('stream');

const chunks = ['abc', 'def', 'ghij'];
const r = new Readable({
  highWaterMark: 4,
  read(size) {
    const c = chunks.shift();
    console.log(`_read(${size}) -> ${c === undefined ? 'null' : c}`);
    this.push(c === undefined ? null : c);
  },
});
let round = 0;
r.on('readable', () => {
  round += 1;
  console.log(`readable #${round}, length ${r.readableLength}`);
  const two = r.read(2);
  console.log(`read(2): ${two === null ? 'null' : two.toString()}`);
  let c;
  while ((c = r.read()) !== null) console.log(`read(): ${c.toString()}`);
  console.log('read(): null');
});
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
process.nextTick(() => console.log('nextTick'));
Promise.resolve().then(() => console.log('promise job'));
console.log(`sync: flowing=${r.readableFlowing}`);
