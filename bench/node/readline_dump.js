'use strict';
// readline_dump.js FILE HIGH_WATER_MARK: every line readline gives for FILE, each followed by
// "\n" (twin of bench/readline_dump.cc; bench/readline_check compares the two).
const fs = require('fs');
const readline = require('readline');

async function main() {
  const [file, hwm] = process.argv.slice(2);
  const rl = readline.createInterface({
    input: fs.createReadStream(file, { highWaterMark: Number(hwm) }),
    crlfDelay: Infinity,
  });
  let out = [];
  let size = 0;
  for await (const line of rl) {
    out.push(line);
    size += line.length;
    if (size > (1 << 20)) {
      fs.writeSync(1, out.join('\n') + '\n');
      out = [];
      size = 0;
    }
  }
  if (out.length) fs.writeSync(1, out.join('\n') + '\n');
}
main();
