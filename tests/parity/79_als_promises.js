// AsyncLocalStorage and promise handlers: a then/catch/finally handler runs in the context
// current when it was attached, not where its promise was made or settled; a nested run()
// and exit() last for their call; an enterWith() in a handler ends with that handler; a
// handler returning a promise (adoption) and an unhandledRejection listener.
const { AsyncLocalStorage } = require('async_hooks');
const als = new AsyncLocalStorage();
const log = (label) => console.log(label + ' ' + als.getStore());

process.on('unhandledRejection', (err) => log('unhandledRejection ' + err.message));

let made;
let resolveLater;
const later = new Promise((resolve) => { resolveLater = resolve; });
als.run('A', () => {
  made = Promise.resolve(1);
  made.then(() => log('then inside'));
  later.then(() => log('later.then inside'));
  als.run('B', () => log('nested'));
  log('after nested');
  als.exit(() => log('exit'));
  Promise.reject(new Error('inside')).catch(() => log('catch inside'));
  Promise.resolve().finally(() => log('finally inside'));
  Promise.reject(new Error('unhandled in A'));
});
made.then(() => log('then outside'));
als.run('R', () => resolveLater());
log('top');
Promise.resolve().then(() => {
  als.enterWith('X');
  log('enterWith in handler');
  return als.run('Y', () => Promise.resolve(2));
}).then(() => log('after adoption'));
Promise.resolve().then(() => log('next handler'));
als.run('C', () => {
  Promise.resolve()
    .then(() => { throw new Error('thrown'); })
    .catch((e) => { log('caught ' + e.message); return als.run('D', () => Promise.reject(new Error('again'))); })
    .catch((e) => log('caught ' + e.message));
});
