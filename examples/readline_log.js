const fs = require('fs');
const readline = require('readline');
const { enterScratchDir } = require('./support');

// A log of 5,000 lines: a level, a request id and some text; a few Windows line ends.
const levels = ['INFO', 'INFO', 'DEBUG', 'WARN', 'INFO', 'ERROR', 'INFO'];
let log = '';
for (let i = 1; i <= 5000; i++) {
  const level = levels[(i * 3 + (i >> 3)) % levels.length];
  const end = i % 13 === 0 ? '\r\n' : '\n';
  const time = `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}`;
  log += `${time} ${level} req=${i} ${'x'.repeat(i % 40)}${end}`;
}
enterScratchDir('readline_log', { 'app.log': log });

async function summarize(file) {
  const counts = {};
  const firstErrors = [];
  let lines = 0;
  let longest = 0;
  const input = fs.createReadStream(file);
  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    lines += 1;
    longest = Math.max(longest, line.length);
    const level = line.split(' ')[1];
    counts[level] = (counts[level] || 0) + 1;
    if (level === 'ERROR' && firstErrors.length < 3) firstErrors.push(line.split(' ')[2]);
  }
  return { lines, longest, counts, firstErrors };
}

summarize('app.log').then(({ lines, longest, counts, firstErrors }) => {
  console.log(`${lines} lines, the longest ${longest} characters`);
  for (const level of Object.keys(counts).sort()) console.log(`${level}: ${counts[level]}`);
  console.log(`first errors: ${firstErrors.join(', ')}`);
});
console.log('reading app.log line by line');
