// What the file-reading examples share: a scratch directory with the files they read.
const fs = require('fs');
const os = require('os');
const path = require('path');

// Makes <tmp>/vow-examples/<name>/ afresh (tmp: os.tmpdir(), i.e. $TMPDIR or /tmp), writes
// `files` ({name: contents}) into it and makes it the working directory, so the example names
// its files by relative paths and prints the same lines wherever <tmp> is. The directory is
// removed again when the process exits.
function enterScratchDir(name, files) {
  const dir = path.join(os.tmpdir(), 'vow-examples', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, contents] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), contents);
  }
  process.chdir(dir);
  process.on('exit', () => {
    process.chdir(os.tmpdir());
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

module.exports = { enterScratchDir };
