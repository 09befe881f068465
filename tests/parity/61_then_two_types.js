// Pins then(onFulfilled, onRejected) whose two handlers return different types, on fulfilled
// and rejected sources: number | null, string | Error, undefined | string, a promise of another
// type on either side (two extra ticks, as any adopted promise), boolean | number; with a tick
// chain beside them.
const show = (label) => (v) =>
  console.log(label, v instanceof Error ? 'Error: ' + v.message : v === undefined ? 'undefined' : JSON.stringify(v));
const ok = Promise.resolve(4);
const bad = Promise.reject(new Error('bad'));

Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));

ok.then((v) => v * 2, () => null).then(show('ok number|null:'));
bad.then((v) => v * 2, () => null).then(show('bad number|null:'));
ok.then((v) => String(v), (e) => e).then(show('ok string|Error:'));
bad.then((v) => String(v), (e) => e).then(show('bad string|Error:'));
ok.then(() => {}, (e) => e.message).then(show('ok undefined|string:'));
bad.then(() => {}, (e) => e.message).then(show('bad undefined|string:'));
bad.then((v) => v, () => Promise.resolve('fallback')).then(show('bad adopts string:'));
ok.then((v) => Promise.resolve('v' + v), () => 0).then(show('ok adopts string:'));
ok.then((v) => v > 3, () => 0).then(show('ok boolean|number:'));
console.log('sync');
