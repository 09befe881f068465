// events.on: emissions queue until the for-await asks; 'end' (options.close) ends the loop; an
// 'error' emission rejects; break and abort remove the listeners.
const { EventEmitter, on } = require('events');
const log = (s) => console.log(s);
function ticks(n) {
  let p = Promise.resolve();
  for (let i = 1; i <= n; i++) p = p.then(() => log('tick ' + i));
}
const counts = (e, ...names) => names.map((n) => e.listenerCount(n)).join(' ');

const e = new EventEmitter();
const it = on(e, 'data', { close: ['end'] });
e.emit('data', 1, 'a');
e.emit('data', 2, 'b');
log('listeners: ' + counts(e, 'data', 'error', 'end'));
(async () => {
  for await (const [n, s] of it) {
    log('got ' + n + s);
    if (n === 2) {
      setTimeout(() => {
        e.emit('data', 3, 'c');
        e.emit('end');
        log('emitted end');
      }, 1);
    }
  }
  log('loop done; listeners: ' + counts(e, 'data', 'error', 'end'));

  const e2 = new EventEmitter();
  setTimeout(() => {
    e2.emit('x', 1);
    e2.emit('error', new Error('bad'));
  }, 1);
  try {
    for await (const [v] of on(e2, 'x')) log('x ' + v);
  } catch (err) {
    log('caught ' + err.message + '; listeners: ' + counts(e2, 'x', 'error'));
  }

  const e3 = new EventEmitter();
  setTimeout(() => {
    e3.emit('y', 'first');
    e3.emit('y', 'second');
  }, 1);
  for await (const [v] of on(e3, 'y')) {
    log('y ' + v);
    break;
  }
  log('after break; listeners: ' + counts(e3, 'y', 'error'));

  const ac = new AbortController();
  const e4 = new EventEmitter();
  setTimeout(() => ac.abort(), 1);
  try {
    for await (const [v] of on(e4, 'z', { signal: ac.signal })) log('z ' + v);
  } catch (err) {
    log(err.name + ' ' + err.code + '; listeners: ' + counts(e4, 'z', 'error'));
  }
  try {
    on(e4, 'z', { signal: ac.signal });
  } catch (err) {
    log('already aborted: ' + err.name + ' ' + err.message);
  }
})();
ticks(6);
