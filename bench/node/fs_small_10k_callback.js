'use strict';
// fs_small_10k_callback: 10,000 files of 4 KiB read at once with the callback fs.readFile.
// Twin of bench/fs_bench.cc.
const fs = require('fs');
const { bench, smallFiles } = require('./common');
const files = smallFiles();

bench('fs_small_10k_callback', () => new Promise((done) => {
  let n = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const f of files) {
    fs.readFile(f, (err, data) => {
      if (err) throw err;
      bytes += data.length;
      if (++n === files.length) {
        const ms = performance.now() - t0;
        if (bytes !== files.length * 4096) throw new Error('short read');
        done({ ms, files_per_s: files.length / (ms / 1e3) });
      }
    });
  }
}));
