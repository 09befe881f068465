const fsp = require('fs/promises');
const { enterScratchDir } = require('./support');

// 23 photos and a folder of thumbnails.
const files = {};
for (let i = 1; i <= 23; i++) {
  files[`photo-${String(i).padStart(2, '0')}.jpg`] = 'x'.repeat(i * 100);
}
enterScratchDir('dir_pages', files);
require('fs').mkdirSync('thumbnails');

// An async generator: the directory's files in pages of `size`, read from an fs.Dir a few
// entries at a time (never the whole listing at once). The Dir closes itself when the loop
// over it ends, and when the consumer stops early.
async function* pages(path, size) {
  const dir = await fsp.opendir(path, { bufferSize: size });
  let page = [];
  try {
    for await (const entry of dir) {
      if (!entry.isFile()) continue;
      page.push(entry.name);
      if (page.length === size) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  } finally {
    console.log(`  (pages: done with ${path}, the directory is closed)`);
  }
}

async function main() {
  let count = 0;
  const seen = [];
  for await (const page of pages('.', 5)) {
    count += 1;
    seen.push(...page);
    console.log(`page ${count}: ${page.length} files`);
  }
  seen.sort();
  console.log(`${seen.length} files, from ${seen[0]} to ${seen[seen.length - 1]}`);

  // Only the first page: leaving the loop early ends the generator, which closes the
  // directory.
  for await (const page of pages('.', 10)) {
    console.log(`first page only: ${page.length} files`);
    break;
  }
  console.log('done');
}
main();
