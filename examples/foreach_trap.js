// The forEach trap: forEach calls an async callback and throws away the promise it returns,
// so nothing waits for it. Fix it with for...of (one at a time) or map + Promise.all (all at
// once).
const { setTimeout: delay } = require('timers/promises');

// Pretend this saves a record; record `id` takes id * 50 ms.
async function save(id) {
  await delay(id * 50);
  console.log(`  saved ${id}`);
}

const ids = [3, 1, 2];

async function trap() {
  console.log('the trap: forEach with an async callback');
  ids.forEach(async (id) => {
    await save(id);
  });
  console.log('  "all saved!" (no: forEach did not wait for a single save)');
}

async function fixOneAtATime() {
  console.log('fix 1: for...of awaits each save before the next');
  for (const id of ids) {
    await save(id);
  }
  console.log('  all saved, in the order of the list');
}

async function fixAllAtOnce() {
  console.log('fix 2: map to promises, then await Promise.all');
  await Promise.all(ids.map((id) => save(id)));
  console.log('  all saved, fastest first');
}

async function main() {
  await trap();
  await delay(300);  // the trap's saves finish in the background meanwhile
  await fixOneAtATime();
  await fixAllAtOnce();
}

main();
