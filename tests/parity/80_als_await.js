// AsyncLocalStorage and async functions: after an await the function goes on in the context
// of the await (an enterWith() before it carries over); the synchronous part of an async
// function runs in its caller's context, so an enterWith() there reaches the caller; a
// promise made inside run() and awaited outside; async generators with for await.
const { AsyncLocalStorage } = require('async_hooks');
const als = new AsyncLocalStorage();
const log = (label) => console.log(label + ' ' + als.getStore());

async function body() {
  log('body start');
  await null;
  log('after await 1');
  als.enterWith('E');
  await new Promise((resolve) => setTimeout(resolve, 5));
  log('after await 2');
  await als.run('R', () => Promise.resolve());
  log('after await 3');
}

async function* gen() {
  log('gen start');
  await null;
  log('gen after await');
  yield 1;
  log('gen after yield');
  yield 2;
}

async function consume() {
  for await (const v of gen()) log('loop body ' + v);
  log('loop done');
}

async function setsCaller() {
  als.enterWith('F');
  await null;
  log('setsCaller after await');
}

als.run('A', () => body());
als.run('G', () => consume());
const made = als.run('P', () => (async () => { await null; return 1; })());
(async () => {
  await made;
  log('awaited outside');
})();
als.exit(() => {
  setsCaller();
  log('caller after setsCaller');
});
log('top');
