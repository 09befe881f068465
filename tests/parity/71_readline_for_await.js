// for await over readline.createInterface: every line of a file in order, one tick per line
// (next() is already resolved when a line is queued), so a promise chain started in the loop
// interleaves with the lines tick for tick; 'close' comes before the loop ends. A break calls
// the iterator's return(): it stops listening but does not close the interface (Node v20). An
// input error rejects the loop's next await.
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const dir = path.join(os.tmpdir(), 'parity-tmp', '71_readline_for_await');
const file = path.join(dir, 'lines.txt');

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, 'one\ntwo\r\nthree\nfour\nfive');

  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  rl.on('close', () => console.log('close'));
  for await (const line of rl) {
    console.log('line ' + line);
    if (line === 'one') {
      let t = 0;
      const tick = () => {
        console.log('  tick ' + ++t);
        if (t < 4) Promise.resolve().then(tick);
      };
      Promise.resolve().then(tick);
    }
  }
  console.log('loop done, closed: ' + rl.closed);

  const rl2 = readline.createInterface({ input: fs.createReadStream(file) });
  rl2.on('close', () => console.log('rl2 close'));
  for await (const line of rl2) {
    console.log('rl2 ' + line);
    if (line === 'two') break;
  }
  console.log('after break: closed ' + (rl2.closed === true) + ', line listeners ' +
              rl2.listenerCount('line'));
  rl2.close();

  const rl3 = readline.createInterface({ input: fs.createReadStream(path.join(dir, 'missing')) });
  try {
    for await (const line of rl3) console.log('never ' + line);
  } catch (e) {
    console.log('rl3 rejected: ' + e.code + ' (closed: ' + (rl3.closed === true) + ')');
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('done');
}
main();
