// A blocking vs a non-blocking server. Both answer every HTTP request with a file they read for
// it, from a slow disk where every read takes READ_MS (simulated: a timer for the promise read,
// a sleep for the sync one). The non-blocking server reads with fs.promises: while one request
// waits for its read, the loop accepts and starts the others, so N concurrent requests take
// about one read's time. The blocking server reads with readFileSync: the whole thread stops
// in each read, so the requests are served one after another, in about N reads' time.
const http = require('http');
const fs = require('fs');
const { setTimeout: delay } = require('timers/promises');
const { enterScratchDir } = require('./support');

const READ_MS = 500;
const REQUESTS = 4;

enterScratchDir('blocking_vs_nonblocking_server', { 'page.txt': 'hello from page.txt' });

async function slowRead(path) {
  await delay(READ_MS);  // the slow disk: the loop goes on meanwhile
  return fs.promises.readFile(path, 'utf8');
}

function slowReadSync(path) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, READ_MS);  // the thread stops
  return fs.readFileSync(path, 'utf8');
}

// http.get with the body collected into a promise; a request taking over 5 s fails.
function get(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.setTimeout(5000, () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
  });
}

// Starts a server with `handler` on 127.0.0.1, sends it REQUESTS requests at once and reports
// how many read times they took in all.
async function measure(name, handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/page.txt`;
  const start = performance.now();
  const requests = [];
  for (let i = 0; i < REQUESTS; i++) requests.push(get(url));
  const bodies = await Promise.all(requests);
  const reads = Math.round((performance.now() - start) / READ_MS);
  server.close();
  const times = `${reads} read time${reads === 1 ? '' : 's'}`;
  const same = bodies.every((body) => body === bodies[0]);
  const answers = same ? `each answered "${bodies[0]}"` : 'with different answers';
  console.log(`${name}: ${REQUESTS} requests took about ${times}, ${answers}`);
}

async function main() {
  console.log(`${REQUESTS} concurrent requests; a read of the file takes ${READ_MS} ms`);
  await measure('non-blocking server (fs.promises)', async (req, res) => {
    res.end(await slowRead('.' + req.url));
  });
  await measure('blocking server (readFileSync)', (req, res) => {
    res.end(slowReadSync('.' + req.url));
  });
}

main();
