// Pins when a pipeline's async-generator stage sees each chunk of a Readable, tick for tick:
// the stage iterates the Readable itself (Node v20 hands a Readable to the function as it is;
// only legacy streams go through an extra `yield*` wrapper), and what it yields is written by
// pumpToNode. A ticker of chained microtasks shows each step's position.
const { Readable, Writable } = require('stream');
const { pipeline } = require('stream/promises');

const log = [];
function ticker(n) {
  let i = 0;
  const step = () => {
    i += 1;
    log.push(`t${i}`);
    if (i < n) Promise.resolve().then(step);
  };
  Promise.resolve().then(step);
}

let reads = 0;
const src = new Readable({
  read() {
    reads += 1;
    log.push(`read ${reads}`);
    this.push(reads <= 3 ? `c${reads}` : null);
  },
});
const dst = new Writable({
  write(chunk, encoding, callback) {
    log.push(`write ${chunk}`);
    callback();
  },
});
src.on('end', () => log.push('src end'));
dst.on('finish', () => log.push('dst finish'));

ticker(40);
pipeline(src, async function* upper(source) {
  for await (const chunk of source) {
    log.push(`gen ${chunk}`);
    yield String(chunk).toUpperCase();
  }
  log.push('gen done');
}, dst).then(() => {
  log.push('resolved');
  console.log(log.join('\n'));
  log.length = 0;
  second();
});

// The same with a source that pushes from setImmediate, so that each chunk is read on its own.
function second() {
  let n = 0;
  const slow = new Readable({
    read() {
      n += 1;
      const k = n;
      setImmediate(() => {
        log.push(`push ${k}`);
        ticker(6);
        this.push(k <= 2 ? `s${k}` : null);
      });
    },
  });
  const sink = new Writable({
    write(chunk, encoding, callback) {
      log.push(`write ${chunk}`);
      callback();
    },
  });
  pipeline(slow, async function* (source) {
    for await (const chunk of source) {
      log.push(`gen ${chunk}`);
      yield chunk;
    }
  }, sink).then(() => {
    log.push('second resolved');
    console.log(log.join('\n'));
  });
}
