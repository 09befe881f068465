// for await over an fs.Dir (its entries() async generator, bufferSize 2): entries taken from
// the Dir's buffer come a few ticks apart (interleaving with a promise chain), the others wait
// for a read on the thread pool; when the loop ends the generator closes the Dir, and a break
// closes it too (a later close() rejects with ERR_DIR_CLOSED). Names are sorted before
// printing: the directory's order is the file system's.
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = path.join(os.tmpdir(), 'parity-tmp', '74_opendir_for_await');

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['e', 'd', 'c', 'b', 'a']) fs.writeFileSync(path.join(dir, name), name);

  const d = await fs.promises.opendir(dir, { bufferSize: 2 });
  let t = 0;
  const tick = () => {
    console.log('  tick ' + ++t);
    if (t < 12) Promise.resolve().then(tick);
  };
  const names = [];
  let n = 0;
  for await (const entry of d) {
    console.log('entry ' + ++n);
    names.push(entry.name);
    if (n === 1) Promise.resolve().then(tick);
  }
  console.log('loop done: ' + names.sort().join(' '));
  await d.close().catch((e) => console.log('close after the loop: ' + e.code));

  const d2 = await fs.promises.opendir(dir);
  for await (const entry of d2) {
    console.log('first entry is a file: ' + entry.isFile());
    break;
  }
  await d2.close().catch((e) => console.log('close after break: ' + e.code));

  const d3 = await fs.promises.opendir(dir);
  try {
    for await (const entry of d3) {
      throw new Error('thrown in the loop body (' + entry.isFile() + ')');
    }
  } catch (e) {
    console.log('caught: ' + e.message);
  }
  await d3.close().catch((e) => console.log('close after throw: ' + e.code));
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('done');
}
main();
