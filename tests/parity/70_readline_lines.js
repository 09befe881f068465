// readline over a file read in 8-byte chunks: 'line' events split on \n, \r\n (also across a
// chunk boundary, with crlfDelay: Infinity) and a lone \r; the last line without a break comes
// at 'end', then 'pause' and 'close'. Promise jobs and nextTicks queued by a 'line' listener run
// after the whole chunk's lines (they are emitted synchronously from one 'data' event).
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const dir = path.join(os.tmpdir(), 'parity-tmp', '70_readline_lines');
const file = path.join(dir, 'lines.txt');

fs.mkdirSync(dir, { recursive: true });
// The third chunk ends in "\r" and the fourth starts with "\n": one line break.
fs.writeFileSync(file, 'alpha\nbeta\r\ngamma-12345\r\ndelta\repsilon\n\nlast');
const input = fs.createReadStream(file, { highWaterMark: 8 });
const rl = readline.createInterface({ input, crlfDelay: Infinity });
let n = 0;
input.on('data', (chunk) => console.log('data ' + JSON.stringify(chunk.toString())));
rl.on('line', (line) => {
  const i = ++n;
  console.log('line ' + i + ' ' + JSON.stringify(line));
  process.nextTick(() => console.log('  nextTick after line ' + i));
  Promise.resolve().then(() => console.log('  promise after line ' + i));
});
rl.on('pause', () => console.log('pause (' + (rl.closed ? 'closed' : 'open') + ')'));
input.on('end', () => console.log('input end'));
rl.on('close', () => {
  console.log('close after ' + n + ' lines');
  setImmediate(() => {
    console.log('input listeners left: ' + input.listenerCount('data') + ' ' + input.listenerCount('end'));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
input.on('close', () => console.log('input close'));
console.log('sync end');
