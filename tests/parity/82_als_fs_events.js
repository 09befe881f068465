// AsyncLocalStorage, fs and EventEmitter: a callback fs call calls back in the context of the
// call (Node's FSReqCallback is its async resource); an awaited fs.promises call goes on in
// the context of the await; EventEmitter listeners run in the context of emit(), not of on().
const { AsyncLocalStorage } = require('async_hooks');
const EventEmitter = require('events');
const fs = require('fs');
const os = require('os');
const path = require('path');
const als = new AsyncLocalStorage();
const log = (label) => console.log(label + ' ' + als.getStore());

const dir = path.join(os.tmpdir(), 'parity-tmp', '82_als_fs_events');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'a.txt');

const emitter = new EventEmitter();
als.run('ON', () => emitter.on('data', (what) => log('listener ' + what)));

als.run('W', () => {
  fs.writeFile(file, 'hello', (err) => {
    log('writeFile callback err=' + err);
    emitter.emit('data', 'from writeFile callback');
    als.run('R', () => {
      fs.readFile(file, 'utf8', (err, data) => {
        log('readFile callback ' + data);
        fs.stat(path.join(dir, 'missing'), (err) => {
          log('stat callback ' + err.code);
          als.run('P', () => promises());
        });
      });
    });
  });
});
emitter.emit('data', 'from main');
als.run('E', () => emitter.emit('data', 'inside run E'));

async function promises() {
  const data = await fs.promises.readFile(file, 'utf8');
  log('fs.promises.readFile ' + data);
  als.enterWith('Q');
  try {
    await fs.promises.readFile(path.join(dir, 'missing'));
  } catch (err) {
    log('fs.promises rejection ' + err.code);
  }
  await fs.promises.rm(dir, { recursive: true, force: true });
  log('removed');
}
