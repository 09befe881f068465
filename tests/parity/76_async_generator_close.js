// Leaving a for-await early closes the async generator: its finally runs (and may await)
// before the code after the loop, tick for tick; return(), throw() and next() on a finished
// generator; a body that throws rejects next().
const log = (s) => console.log(s);
function ticks(n) {
  let p = Promise.resolve();
  for (let i = 1; i <= n; i++) p = p.then(() => log('tick ' + i));
}
async function* resource(name) {
  log(name + ': open');
  try {
    for (let i = 1; ; i++) yield i;
  } finally {
    log(name + ': cleanup starts');
    await null;
    log(name + ': closed');
  }
}
async function* failing() {
  yield 'a';
  throw new Error('generator failed');
}
async function main() {
  for await (const x of resource('r1')) {
    log('r1 got ' + x);
    if (x === 2) break;
  }
  log('after break');

  const g = resource('r2');
  log('next: ' + JSON.stringify(await g.next()));
  log('return: ' + JSON.stringify(await g.return()));
  log('next after return: ' + JSON.stringify(await g.next()));

  const h = resource('r3');
  try {
    await h.throw(new Error('thrown before start'));
  } catch (e) {
    log('throw before start: ' + e.message);
  }
  log('next after throw: ' + JSON.stringify(await h.next()));

  try {
    for await (const x of failing()) log('failing got ' + x);
  } catch (e) {
    log('caught: ' + e.message);
  }

  const k = resource('r4');
  const p1 = k.next(), p2 = k.next(), p3 = k.return(), p4 = k.next();
  for (const p of [p1, p2, p3, p4]) log('queued: ' + JSON.stringify(await p));
}
main().then(() => log('main done'));
ticks(30);
