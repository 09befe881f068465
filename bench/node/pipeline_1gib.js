'use strict';
// pipeline_1gib: copy $BENCH_DATA/pipeline_1g (1 GiB) to $BENCH_DATA/pipeline_1g.out through a
// Transform that uppercases ASCII letters byte by byte, with stream/promises pipeline and the
// default highWaterMarks. Twin of bench/pipeline_bench.cc; bench/ref/blocking_pipeline.c (a
// read/transform/write loop) is the physical limit. The first run checks the output byte for
// byte.
const fs = require('fs');
const path = require('path');
const { Transform } = require('stream');
const { pipeline } = require('stream/promises');
const { bench, dataDir } = require('./common');

const input = path.join(dataDir(), 'pipeline_1g');
const output = input + '.out';
const SIZE = 1024 * 1024 * 1024;

function upper(b) {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 97 && c <= 122) b[i] = c - 32;
  }
  return b;
}

function verify() {
  const a = fs.openSync(input, 'r');
  const b = fs.openSync(output, 'r');
  const x = Buffer.alloc(1 << 20);
  const y = Buffer.alloc(1 << 20);
  let total = 0;
  for (;;) {
    const n = fs.readSync(a, x, 0, x.length, null);
    const m = fs.readSync(b, y, 0, y.length, null);
    if (n !== m) throw new Error('sizes differ');
    if (n === 0) break;
    if (!upper(x.subarray(0, n)).equals(y.subarray(0, m))) throw new Error('bytes differ');
    total += n;
  }
  fs.closeSync(a);
  fs.closeSync(b);
  if (total !== SIZE) throw new Error('short copy');
}

let checked = false;
bench('pipeline_1gib', async () => {
  const t0 = performance.now();
  await pipeline(
    fs.createReadStream(input),
    new Transform({ transform(chunk, enc, cb) { cb(null, upper(chunk)); } }),
    fs.createWriteStream(output));
  const ms = performance.now() - t0;
  if (!checked) {
    verify();
    checked = true;
  }
  return { ms, mib_per_s: 1024 / (ms / 1e3) };
});
