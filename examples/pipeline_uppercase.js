const fs = require('fs');
const { Transform } = require('stream');
const { pipeline } = require('stream/promises');
const { enterScratchDir } = require('./support');

let text = '';
for (let i = 1; i <= 20000; i++) {
  text += `line ${i}: the quick brown fox jumps over the lazy dog\n`;
}
enterScratchDir('pipeline_uppercase', { 'in.txt': text });

async function main() {
  // 1. A Transform stream between a file read stream and a file write stream.
  let chunks = 0;
  const upper = new Transform({
    transform(chunk, encoding, callback) {
      chunks += 1;
      callback(null, chunk.toString().toUpperCase());
    },
  });
  await pipeline(fs.createReadStream('in.txt'), upper, fs.createWriteStream('out.txt'));
  const out = fs.readFileSync('out.txt', 'utf8');
  console.log(`transform: copied ${out.length} bytes in ${chunks} chunks`);
  console.log(`first line: ${out.slice(0, out.indexOf('\n'))}`);
  console.log(`same as text.toUpperCase(): ${out === text.toUpperCase()}`);

  // 2. The same copy with an async generator function as the transform.
  await pipeline(
    fs.createReadStream('in.txt'),
    async function* (source) {
      for await (const chunk of source) yield chunk.toString().toUpperCase();
    },
    fs.createWriteStream('out2.txt'));
  console.log(`generator: same output: ${fs.readFileSync('out2.txt', 'utf8') === out}`);

  // 3. An error anywhere destroys every stream and rejects the pipeline once.
  const output = fs.createWriteStream('out3.txt');
  output.on('close', () => console.log('the output stream was closed too'));
  try {
    await pipeline(fs.createReadStream('missing.txt'), new Transform({
      transform(chunk, encoding, callback) { callback(null, chunk); },
    }), output);
  } catch (err) {
    console.log(`pipeline failed: ${err.code}`);
  }
}

main();
