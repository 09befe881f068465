// AsyncLocalStorage, several storages and the class's helpers: each storage has its own store
// in one context; run() puts back only its own storage's store when it ends (another
// storage's enterWith() inside it outlives it) and exit() puts back nothing (its own
// enterWith() outlives it); disable(); AsyncLocalStorage.bind and snapshot.
const { AsyncLocalStorage } = require('async_hooks');
const a = new AsyncLocalStorage();
const b = new AsyncLocalStorage();
const log = (label) => console.log(label + ' ' + a.getStore() + ' ' + b.getStore());

a.run('A', () => {
  b.run('B', () => {
    setImmediate(() => log('immediate in both'));
    b.exit(() => setImmediate(() => log('immediate in b.exit')));
  });
  b.enterWith('B2');
  log('after b.enterWith');
});
log('after run A');
a.run('A1', () => {
  a.enterWith('A2');
  log('a.enterWith inside a.run');
});
log('after a.run');
a.exit(() => {
  a.enterWith('X');
  log('a.enterWith inside a.exit');
});
log('after a.exit');
a.disable();
log('after a.disable');
a.run('A3', () => log('a.run after disable'));
b.exit(() => {
  log('b.exit');
  a.run('A4', () => log('a.run in b.exit'));
});
const snapshot = a.run('S', () => b.run('T', () => AsyncLocalStorage.snapshot()));
const bound = a.run('BA', () => AsyncLocalStorage.bind((x) => { log('bound ' + x); return x * 2; }));
snapshot(() => log('in snapshot'));
console.log('bound returned ' + bound(21));
a.run('R', () => setTimeout(() => snapshot(() => log('snapshot in timeout')), 20));
