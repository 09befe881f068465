'use strict';
// fs_small_10k_sequential: 10,000 files of 4 KiB read one after another with
// `await fs.promises.readFile`. Twin of bench/fs_bench.cc.
const fsp = require('fs/promises');
const { bench, smallFiles } = require('./common');
const files = smallFiles();

bench('fs_small_10k_sequential', async () => {
  let bytes = 0;
  const t0 = performance.now();
  for (const f of files) bytes += (await fsp.readFile(f)).length;
  const ms = performance.now() - t0;
  if (bytes !== files.length * 4096) throw new Error('short read');
  return { ms, files_per_s: files.length / (ms / 1e3) };
});
