// Pins Buffer (issue 17): console.log of a Buffer (50 bytes, then "... N more bytes"), utf8
// decoding of invalid bytes, the encodings, subarray sharing memory with Node's clamping,
// concat, compare, Node's error for an unknown encoding, and readFile with and without one.
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = path.join(os.tmpdir(), 'parity-tmp', '84_buffer');

const hello = Buffer.from('hello');
console.log(hello, hello.length, hello[0]);
console.log(Buffer.alloc(3), Buffer.alloc(52, 7));
const b = Buffer.from([0xff, 0x61, 0xe2, 0x82, 0x61, 0xf0, 0x9f, 0x98, 0x80, 0xc0, 0xaf]);
console.log(b.toString() === '\ufffda\ufffda\u{1f600}\ufffd\ufffd', b.toString('hex'), b.toString('base64'));
console.log(Buffer.from('68656c6c6fzz', 'hex').toString(), Buffer.from('aGVs bG8', 'base64').toString(), Buffer.from('héllo', 'latin1'));
const view = hello.subarray(1, -1);
view[0] = 0x61;
console.log(view.toString(), hello.toString(), hello.subarray(-2).toString(), hello.subarray(4, 2).length);
console.log(Buffer.concat([hello, Buffer.from('!')]).toString(), Buffer.compare(Buffer.from('a'), Buffer.from('b')), hello.equals(Buffer.from('hallo')));
try {
  hello.toString('nope');
} catch (e) {
  console.log(e.name, e.code, e.message);
}
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'data.bin');
fs.writeFileSync(file, b);
fs.readFile(file, (err, data) => {
  console.log('readFile', err, data);
  fs.readFile(file, 'hex', (err, text) => {
    console.log('readFile hex', err, text);
    fs.promises.readFile(file, 'utf8').then((text) => {
      console.log('promises utf8', Buffer.from(text).toString('hex'));
      try {
        fs.readFile(file, 'nope', () => {});
      } catch (e) {
        console.log(e.name, e.code, e.message);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});
