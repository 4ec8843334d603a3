// Writes the build's service worker: `service-worker.js` = `const BUILD = { version, files };`
// + web/service-worker.js, where `files` lists every file of the build (and `./`, the page's
// own URL) and `version` is a hash of their names and contents.
//
// Trunk runs it after each build (a post_build hook in Trunk.toml, which names the staged
// build in TRUNK_STAGING_DIR); `node scripts/precache.mjs DIR` runs it on a built DIR.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const OUTPUT = 'service-worker.js';
const SOURCE = new URL('../web/service-worker.js', import.meta.url);

/** Every file under `dir`, as sorted URL paths relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => path !== OUTPUT)
    .sort();
}

/** A short hash of the files' names and contents: the cache's version. */
function versionOf(dir, files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(dir, file)));
  return hash.digest('hex').slice(0, 16);
}

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error('usage: node scripts/precache.mjs DIR (Trunk sets TRUNK_STAGING_DIR)');
  process.exit(2);
}
const files = filesUnder(dir);
const build = { version: versionOf(dir, files), files: ['./', ...files] };
writeFileSync(join(dir, OUTPUT), `const BUILD = ${JSON.stringify(build)};\n${readFileSync(SOURCE, 'utf8')}`);
console.log(`precache: ${OUTPUT} lists ${files.length} files, version ${build.version}`);
