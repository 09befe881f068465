// Pins stream/promises pipeline over fs streams with a Transform and with an async generator
// transform: the bytes copied, the streams' 'close' events, and a missing source rejecting the
// pipeline with ENOENT while the destination is closed too.
// Both streams are closed before the pipeline settles, but which closes first is a race: the
// two close() calls go to the thread pool in the same tick and either thread may finish first
// (Node printed 'dst close' first in 1 run of 150 with two busy cores), so the order is not pinned.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Transform } = require('stream');
const { pipeline } = require('stream/promises');

const dir = path.join(os.tmpdir(), 'parity-tmp', '69_stream_pipeline_files');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const input = path.join(dir, 'in.txt');
let text = '';
for (let i = 0; i < 5000; i++) text += `row ${i} abcdefghijklmnopqrstuvwxyz\n`;
fs.writeFileSync(input, text);

async function main() {
  let chunks = 0;
  const upper = new Transform({
    transform(chunk, encoding, callback) {
      chunks += 1;
      callback(null, chunk.toString().toUpperCase());
    },
  });
  const src = fs.createReadStream(input, { highWaterMark: 16384 });
  const dst = fs.createWriteStream(path.join(dir, 'out1.txt'));
  const closed = [];
  src.on('close', () => closed.push('src'));
  dst.on('close', () => closed.push('dst'));
  await pipeline(src, upper, dst);
  console.log(`closed before the pipeline settled: ${closed.sort().join(' ')}`);
  const out1 = fs.readFileSync(path.join(dir, 'out1.txt'), 'utf8');
  console.log(`transform: ${chunks} chunks, ${out1.length} bytes, upper ${out1 === text.toUpperCase()}`);

  let seen = 0;
  await pipeline(
    fs.createReadStream(input, { highWaterMark: 16384 }),
    async function* (source) {
      for await (const chunk of source) {
        seen += chunk.length;
        yield chunk.toString().replace(/row/g, 'ROW');
      }
    },
    fs.createWriteStream(path.join(dir, 'out2.txt')));
  const out2 = fs.readFileSync(path.join(dir, 'out2.txt'), 'utf8');
  console.log(`generator: ${seen} bytes seen, ${out2.length} written, ok ${out2 === text.replace(/row/g, 'ROW')}`);

  const out3 = fs.createWriteStream(path.join(dir, 'out3.txt'));
  out3.on('close', () => console.log('out3 close'));
  try {
    await pipeline(fs.createReadStream(path.join(dir, 'missing.txt')), out3);
  } catch (e) {
    console.log(`rejected: ${e.code} ${e.syscall}`);
  }
  // The destination's open may still be on the thread pool when the pipeline rejects: wait for
  // its 'close', or the file it creates may appear after rmSync listed the directory (ENOTEMPTY).
  if (!out3.closed) await new Promise((resolve) => out3.on('close', resolve));
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('cleaned up');
}
main();
