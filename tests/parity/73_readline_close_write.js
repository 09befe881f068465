// readline over a hand-made input (an EventEmitter with pause() and resume(), which is all a
// readline input needs): close() inside a 'line' listener pauses the input and emits 'pause'
// then 'close', yet the rest of the chunk's lines are still emitted; the unfinished line stays,
// and rl.write() resumes and completes it. An AbortSignal closes an interface; one already
// aborted closes it on the next tick.
const EventEmitter = require('events');
const readline = require('readline');

function makeInput(name) {
  const input = new EventEmitter();
  input.pause = () => console.log(name + ': input.pause()');
  input.resume = () => console.log(name + ': input.resume()');
  return input;
}
function watch(rl, name) {
  rl.on('line', (line) => console.log(name + ': line ' + JSON.stringify(line)));
  rl.on('pause', () => console.log(name + ': pause'));
  rl.on('resume', () => console.log(name + ': resume'));
  rl.on('close', () => console.log(name + ': close'));
}

const input = makeInput('rl');
const rl = readline.createInterface({ input });
watch(rl, 'rl');
rl.on('line', (line) => {
  if (line === 'stop') rl.close();
});
input.emit('data', 'one\nstop\nafter stop\nunfinished');
input.emit('data', 'ignored: no longer listened to\n');
console.log('closed: ' + rl.closed + ', data listeners: ' + input.listenerCount('data'));
rl.write(' line\n');

const controller = new AbortController();
const rl2 = readline.createInterface({ input: makeInput('rl2'), signal: controller.signal });
watch(rl2, 'rl2');
controller.abort();

const rl3 = readline.createInterface({ input: makeInput('rl3'), signal: AbortSignal.abort() });
watch(rl3, 'rl3');
process.nextTick(() => console.log('a nextTick queued after rl3 was made'));
console.log('sync end');
