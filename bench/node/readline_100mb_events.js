'use strict';
// readline_100mb_events: the same lines as readline_100mb with rl.on('line') instead of
// for await. Twin of bench/readline_bench.cc.
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { bench, dataDir } = require('./common');
const file = path.join(dataDir(), 'lines_100mb');

bench('readline_100mb_events', () => new Promise((resolve) => {
  const t0 = performance.now();
  let lines = 0;
  let chars = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  rl.on('line', (line) => {
    lines++;
    chars += line.length;
  });
  rl.on('close', () => {
    const ms = performance.now() - t0;
    resolve({ ms, lines, lines_per_s: lines / (ms / 1e3) });
  });
}));
