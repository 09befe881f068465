'use strict';
// readline_100mb: every line of a 100 MB text file ($BENCH_DATA/lines_100mb) with
// `for await (const line of rl)` over fs.createReadStream. Twin of bench/readline_bench.cc.
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { bench, dataDir } = require('./common');
const file = path.join(dataDir(), 'lines_100mb');

bench('readline_100mb', async () => {
  const t0 = performance.now();
  let lines = 0;
  let chars = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    lines++;
    chars += line.length;
  }
  const ms = performance.now() - t0;
  if (lines === 0) throw new Error('no lines');
  return { ms, lines, lines_per_s: lines / (ms / 1e3) };
});
