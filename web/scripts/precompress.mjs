// Writes `<file>.gz` (gzip -9) beside every *.js, *.css and *.html file under
// the given directory, for `roster serve` to send with Content-Encoding: gzip.
// Usage: node scripts/precompress.mjs <dir>
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { constants, gzipSync } from 'node:zlib';

const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/precompress.mjs <dir>');
  process.exit(2);
}

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (/\.(js|css|html)$/.test(entry.name)) yield full;
  }
}

let count = 0;
let raw = 0;
let packed = 0;
for await (const file of files(root)) {
  const body = await readFile(file);
  const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
  await writeFile(`${file}.gz`, gz);
  count += 1;
  raw += body.length;
  packed += gz.length;
}
console.log(`precompressed ${count} files: ${(raw / 1024).toFixed(1)} KiB -> ${(packed / 1024).toFixed(1)} KiB gzip`);
