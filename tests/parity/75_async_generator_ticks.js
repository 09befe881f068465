// Async generators: yield, await and for-await interleaved with a chain of microtasks.
const log = (s) => console.log(s);
function ticks(n) {
  let p = Promise.resolve();
  for (let i = 1; i <= n; i++) p = p.then(() => log('tick ' + i));
}
async function* numbers() {
  log('body start');
  yield 1;
  log('after yield 1');
  await null;
  log('after await');
  yield 2;
  log('body end');
}
async function consume() {
  log('consume start');
  for await (const x of numbers()) log('got ' + x);
  log('loop done');
}
consume();
ticks(12);
log('sync end');
