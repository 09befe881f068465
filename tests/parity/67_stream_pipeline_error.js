// Pins pipeline's error path: a Transform fails on its second chunk; every stream is destroyed
// ('error' then 'close' on each, in pipeline order after the failing one), the callback runs
// once, last; then the stream/promises form rejects once when the source fails.
const { Readable, Transform, Writable, PassThrough, pipeline } = require('stream');
const promises = require('stream/promises');

function watch(name, s) {
  s.on('error', (e) => console.log(`${name} error: ${e.message}`));
  s.on('close', () => console.log(`${name} close (destroyed ${s.destroyed})`));
}

let n = 0;
const source = new Readable({
  read() {
    n += 1;
    this.push(n <= 5 ? `c${n}` : null);
  },
});
const check = new Transform({
  transform(chunk, encoding, callback) {
    console.log(`transform ${chunk}`);
    if (chunk.toString() === 'c2') callback(new Error('bad chunk c2'));
    else callback(null, chunk);
  },
});
const sink = new Writable({
  write(chunk, encoding, callback) {
    console.log(`write ${chunk}`);
    setImmediate(callback);
  },
});
watch('source', source);
watch('check', check);
watch('sink', sink);
let calls = 0;
pipeline(source, check, sink, (err) => {
  calls += 1;
  console.log(`pipeline callback #${calls}: ${err ? err.message : 'ok'}`);
  second();
});

function second() {
  const failing = new Readable({ read() { this.destroy(new Error('source failed')); } });
  const middle = new PassThrough();
  const end = new Writable({ write(chunk, encoding, callback) { callback(); } });
  watch('failing', failing);
  watch('middle', middle);
  watch('end', end);
  promises.pipeline(failing, middle, end).then(
    () => console.log('resolved'),
    (e) => console.log(`rejected: ${e.message}`));
}
