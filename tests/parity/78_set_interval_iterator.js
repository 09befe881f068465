// timers/promises setInterval: an async generator; break clears the interval (the process can
// end), abort rejects the waiting next() with an AbortError; a generator nobody started starts
// no timer (it starts at the first next()).
const { setInterval } = require('timers/promises');
const log = (s) => console.log(s);

(async () => {
  let n = 0;
  for await (const v of setInterval(5, 'tick')) {
    log(v + ' ' + ++n);
    if (n === 3) break;
  }
  log('loop done');

  const ac = new AbortController();
  let m = 0;
  try {
    for await (const v of setInterval(5, undefined, { signal: ac.signal })) {
      log('value ' + v);
      if (++m === 2) ac.abort('stop');
    }
  } catch (e) {
    log(e.name + ' ' + e.code + ' cause=' + e.cause + ' ticks=' + m);
  }

  const waiting = new AbortController();
  setTimeout(() => waiting.abort('while waiting'), 5);
  try {
    for await (const v of setInterval(1000, 'never', { signal: waiting.signal })) log(v);
  } catch (e) {
    log(e.name + ' cause=' + e.cause);
  }

  const gen = setInterval(1000);
  log('made, not started');
  const r = await gen.return();
  log('return ' + JSON.stringify(r));

  try {
    const pre = setInterval(5, 'x', { signal: AbortSignal.abort() });
    await pre.next();
  } catch (e) {
    log('pre-aborted: ' + e.name);
  }
})();
