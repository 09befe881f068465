// Pins readable.pipe(writable) with backpressure: write() returning false pauses the source,
// 'drain' resumes it, the source's 'end' ends the destination, then 'finish' and 'close'.
const { Readable, Writable } = require('stream');

const chunks = ['a1', 'b2', 'c3', 'd4', 'e5'];
const source = new Readable({
  highWaterMark: 2,
  read() {
    const c = chunks.shift();
    console.log(`_read -> ${c === undefined ? 'null' : c}`);
    this.push(c === undefined ? null : c);
  },
});
const sink = new Writable({
  highWaterMark: 3,
  write(chunk, encoding, callback) {
    console.log(`_write ${chunk} (buffered ${this.writableLength})`);
    setImmediate(callback);
  },
});
source.on('pause', () => console.log('source pause'));
source.on('resume', () => console.log('source resume'));
source.on('end', () => console.log('source end'));
source.on('close', () => console.log('source close'));
sink.on('drain', () => console.log('sink drain'));
sink.on('finish', () => console.log('sink finish'));
sink.on('close', () => console.log('sink close'));
console.log(`pipe returns the destination: ${source.pipe(sink) === sink}`);
