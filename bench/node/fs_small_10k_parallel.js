'use strict';
// fs_small_10k_parallel: 10,000 files of 4 KiB read at once with fs.promises.readFile.
// Twin of bench/fs_bench.cc; bench/ref/blocking_fs.c is the physical limit.
const fsp = require('fs/promises');
const { bench, smallFiles } = require('./common');
const files = smallFiles();

bench('fs_small_10k_parallel', async () => {
  const t0 = performance.now();
  const all = await Promise.all(files.map((f) => fsp.readFile(f)));
  const ms = performance.now() - t0;
  let bytes = 0;
  for (const b of all) bytes += b.length;
  if (bytes !== files.length * 4096) throw new Error('short read');
  return { ms, files_per_s: files.length / (ms / 1e3) };
});
