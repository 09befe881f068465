'use strict';
// fs_large_256m: one 256 MiB file read with fs.promises.readFile. Twin of bench/fs_bench.cc;
// bench/ref/blocking_fs.c (a plain read loop) is the physical limit.
const fsp = require('fs/promises');
const path = require('path');
const { bench, dataDir } = require('./common');
const file = path.join(dataDir(), 'large');

bench('fs_large_256m', async () => {
  const t0 = performance.now();
  const data = await fsp.readFile(file);
  const ms = performance.now() - t0;
  if (data.length !== 256 * 1024 * 1024) throw new Error('short read');
  return { ms, mib_per_s: 256 / (ms / 1e3) };
});
