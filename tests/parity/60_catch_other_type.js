// Pins catch handlers that return another type than the chain's value, as Node code writes
// them: .catch(() => null), .catch(e => e), .catch(err => console.log(...)) (undefined),
// .catch(() => false), .catch(() => 0.5), a catch returning a promise of another type, and a
// second catch after the first; with the ticks each costs (a tick chain runs beside them).
const fail = (message) => Promise.reject(new Error(message));
const show = (label) => (v) =>
  console.log(label, v instanceof Error ? 'Error: ' + v.message : v === undefined ? 'undefined' : JSON.stringify(v));

Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'))
  .then(() => console.log('tick 5'));

fail('a').catch(() => null).then(show('null:'));
Promise.resolve(7).catch(() => null).then(show('fulfilled passes:'));
fail('b').catch((e) => e).then(show('error as value:'));
Promise.reject(new Error('c')).then((v) => v * 2).catch((e) => console.log('logged', e.message)).then(show('after logging:'));
fail('d').catch(() => false).then(show('false:'));
fail('e').catch(() => 0.5).then(show('half:'));
fail('f').catch(() => Promise.resolve('late')).then(show('adopted:'));
fail('g').catch((e) => e).catch(() => 'never').then(show('caught once:'));
Promise.resolve(3).then((v) => { if (v === 3) throw new Error('three'); return v; })
  .catch((e) => e.message).then(show('message:'));
console.log('sync');
