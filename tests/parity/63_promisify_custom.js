// Pins util.promisify.custom: promisify returns fn[util.promisify.custom] itself (called
// untouched: its promise reaches the caller with no extra tick), the callback form still works,
// and promisify of a promisified function returns it.
const util = require('util');
function legacySum(a, b, cb) {
  setImmediate(() => cb(null, a + b));
}
legacySum[util.promisify.custom] = (a, b) => {
  console.log('custom form called with', a, b);
  return Promise.resolve(a + b);
};
const sum = util.promisify(legacySum);
console.log('promisify gave the custom form:', sum === legacySum[util.promisify.custom]);
legacySum(1, 2, (err, v) => console.log('callback form:', err, v));
sum(2, 3).then((v) => console.log('custom form:', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'));
const timesTen = util.promisify((a, cb) => cb(null, a * 10));
console.log('promisify of promisified is itself:', util.promisify(timesTen) === timesTen);
timesTen(4).then((v) => console.log('plain promisify:', v));
console.log('sync');
