// fs.promises.opendir and fs.Dir: entries (sorted here: their order is the file system's) with
// their types and path, null at the end, close; a closed Dir throws ERR_DIR_CLOSED from read()
// and rejects close(); ENOENT / ENOTDIR name the path, opendirSync's message does not. An entry
// left in the Dir's buffer resolves read() at once (before a promise job queued after it),
// while read(callback) delivers it on the next tick.
const fs = require('fs');
const os = require('os');
const path = require('path');
const tmp = os.tmpdir();
const dir = path.join(tmp, 'parity-tmp', '72_opendir_read');
const show = (s) => s.split(tmp).join('<tmp>');

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.txt'), 'a');
  fs.writeFileSync(path.join(dir, 'b.txt'), 'b');
  fs.symlinkSync('a.txt', path.join(dir, 'link'));

  const d = await fs.promises.opendir(dir, { bufferSize: 2 });
  console.log('path ' + show(d.path));
  const names = [];
  let e;
  while ((e = await d.read()) !== null) {
    const kind = e.isFile() ? 'file' : e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'link' : '?';
    names.push(e.name + ' ' + kind + ' ' + (e.path === dir));
  }
  console.log(JSON.stringify(names.sort()));
  console.log('after the end: ' + (await d.read()));
  await d.close();
  console.log('closed');
  try {
    d.read();
  } catch (err) {
    console.log('read: ' + err.code + ' ' + err.message);
  }
  await d.close().catch((err) => console.log('close: ' + err.code));

  for (const p of [path.join(dir, 'missing'), path.join(dir, 'a.txt')]) {
    await fs.promises.opendir(p).catch((err) => console.log(show(err.message)));
  }
  try {
    fs.opendirSync(path.join(dir, 'missing'));
  } catch (err) {
    console.log('sync: ' + err.message);
  }

  const d2 = await fs.promises.opendir(dir);
  await d2.read();
  d2.read().then(() => console.log('buffered read resolved'));
  Promise.resolve().then(() => console.log('promise job')).then(() => console.log('promise job 2'));
  d2.read((err, ent) => console.log('callback read: ' + (err === null) + ' ' + (ent !== null)));
  process.nextTick(() => console.log('nextTick'));
  await new Promise((resolve) => setImmediate(resolve));
  fs.opendir(dir, (err, d3) => {
    console.log('callback opendir: ' + err + ' ' + show(d3.path));
    d3.closeSync();
    d2.close(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      console.log('done');
    });
  });
}
main();
