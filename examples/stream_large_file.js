// Streams: read a large file in chunks instead of all at once, so the memory used stays at one
// chunk whatever the file's size. Each chunk arrives in a 'data' event (64 KiB: the default
// highWaterMark of fs streams), 'end' says there is no more, 'close' that the file is closed.
// The stream is an EventEmitter: the callbacks are listeners of named events.
const fs = require('fs');
const { enterScratchDir } = require('./support');

// 100,000 numbered lines of 12 bytes each: 1,200,000 bytes.
let big = '';
for (let i = 1; i <= 100000; i++) big += `line ${String(i).padStart(6, '0')}\n`;
enterScratchDir('stream_large_file', { 'big.txt': big });

let chunks = 0;
let bytes = 0;
let lines = 0;
let largest = 0;

const stream = fs.createReadStream('big.txt');
stream.on('data', (chunk) => {
  chunks += 1;
  bytes += chunk.length;
  largest = Math.max(largest, chunk.length);
  for (const byte of chunk) if (byte === 0x0a) lines += 1;  // a line may span two chunks
  console.log(`data: chunk ${chunks}, ${chunk.length} bytes`);
});
stream.on('end', () => {
  console.log(`end: ${bytes} bytes, ${lines} lines, in ${chunks} chunks`);
  console.log(`at most ${largest} bytes of the file were in memory at once`);
});
stream.on('close', () => console.log('close: the file is closed'));
console.log('reading big.txt as a stream');
