// Pins AbortController and AbortSignal basics: abort() sets aborted and reason, then calls the
// 'abort' listeners synchronously, before it returns, in the order they were added (onabort keeps
// the place it was first set at, a once listener runs once, a removed one not at all); the
// default reason is a DOMException AbortError (code 20); any value can be the reason; a second
// abort() changes nothing; throwIfAborted() throws the reason itself; AbortSignal.abort() makes
// a signal aborted already, and listeners added to an aborted signal never run.
const ac = new AbortController();
const signal = ac.signal;
console.log('aborted=' + signal.aborted + ' reason=' + signal.reason);
signal.throwIfAborted();
console.log('throwIfAborted did not throw');
signal.addEventListener('abort', (event) => {
  console.log('listener 1: type=' + event.type + ' target is signal=' + (event.target === signal) +
              ' aborted=' + signal.aborted + ' reason=' + signal.reason.name);
});
signal.onabort = () => console.log('onabort (first handler)');
signal.addEventListener('abort', () => console.log('once listener'), { once: true });
const removed = () => console.log('removed listener (not printed)');
signal.addEventListener('abort', removed);
signal.removeEventListener('abort', removed);
signal.onabort = () => console.log('onabort (second handler, in the first one\'s place)');
signal.addEventListener('abort', () => console.log('listener 4'));
process.nextTick(() => console.log('nextTick'));
queueMicrotask(() => console.log('microtask'));
console.log('calling abort()');
ac.abort();
console.log('abort() returned');
const reason = signal.reason;
console.log('reason: ' + reason.name + ' "' + reason.message + '" code=' + reason.code +
            ' instanceof DOMException=' + (reason instanceof DOMException));
ac.abort(new Error('second'));
console.log('after a second abort: reason unchanged=' + (signal.reason === reason));
try {
  signal.throwIfAborted();
} catch (err) {
  console.log('throwIfAborted threw the reason itself: ' + (err === reason));
}
signal.addEventListener('abort', () => console.log('added after abort (not printed)'));

const custom = new AbortController();
custom.signal.onabort = () => {
  const r = custom.signal.reason;
  console.log('custom reason: ' + r.name + ' "' + r.message + '"');
};
custom.abort(new TypeError('bad input'));

const text = new AbortController();
text.abort('why');
console.log('string reason: ' + text.signal.reason + ' (' + typeof text.signal.reason + ')');
try {
  text.signal.throwIfAborted();
} catch (err) {
  console.log('throwIfAborted threw: ' + err);
}

const pre = AbortSignal.abort();
pre.addEventListener('abort', () => console.log('AbortSignal.abort() listener (not printed)'));
console.log('AbortSignal.abort(): aborted=' + pre.aborted + ' ' + pre.reason.name + ' "' +
            pre.reason.message + '" code=' + pre.reason.code);
const given = AbortSignal.abort(new RangeError('given'));
console.log('AbortSignal.abort(reason): ' + given.reason.name + ' "' + given.reason.message + '"');
console.log('end of script');
