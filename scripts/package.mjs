// Packages a built page (dist/ by default) as one HTML file, digit-lab.html beside it: the
// app's and the worker's JavaScript inlined, both wasm binaries gzipped and base64-encoded in
// data blocks (a third of their size: a file for e-mail and upload limits), the stylesheet
// inlined; web/single-file-loader.js starts it all. The data
// set is inside the worker's wasm already. Nothing is loaded from anywhere.
//
// Its Content-Security-Policy stays as strict as the hosted page's: the one inline script
// and the one inline stylesheet are allowed by their SHA-256 hashes (no 'unsafe-inline'),
// wasm by 'wasm-unsafe-eval' (no 'unsafe-eval'), workers by blob: (only this page makes its
// blob: URLs), the wasm fetches by data: (the binaries are in the file; a data: URL sends
// nothing anywhere), and nothing else at all (default-src 'none', base-uri 'none').
//
// Every edit of Trunk's index.html must match exactly once, so a change of Trunk's output
// fails here instead of writing a broken file. Usage: node scripts/package.mjs [DIST].
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = resolve(process.argv[2] ?? 'dist');
const OUTPUT = join(DIST, 'digit-lab.html');
const LOADER = new URL('../web/single-file-loader.js', import.meta.url);

const read = (name) => readFileSync(join(DIST, name));
const text = (name) => read(name).toString('utf8');
const sha256 = (source) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/** Text for a raw-text element (<script>, <style>): it must not end it early. */
function rawText(source, tag) {
  if (source.toLowerCase().includes(`</${tag}`) || source.includes('<!--')) {
    throw new Error(`cannot inline: the text contains </${tag} or <!--`);
  }
  return source;
}

/** The one match of `pattern` in `html`'s groups. */
function groupsOnce(html, pattern) {
  const found = html.match(new RegExp(pattern.source, 'g')) ?? [];
  if (found.length !== 1) throw new Error(`index.html: ${pattern} matches ${found.length} times, not once`);
  return html.match(pattern).slice(1);
}

/**
 * `html` with the one match of `pattern` replaced by `replace()` (a function, so a `$` in
 * inlined code stays as it is).
 */
function editOnce(html, pattern, replace) {
  groupsOnce(html, pattern);
  return html.replace(pattern, replace);
}

/** A wasm binary as the single file holds it: gzipped, in base64. */
const packed = (name) => gzipSync(read(name), { level: 9 }).toString('base64');

/** A data block: text the page reads and never runs. */
const dataBlock = (id, type, content) => `<script type="${type}" id="${id}">${content}</script>`;

let html = text('index.html');
const LOADER_TAG = /<script src="\.\/app-loader\.js" data-js="\.\/([^"]+)" data-wasm="\.\/([^"]+)" defer><\/script>/;
const STYLESHEET = /<link rel="stylesheet" href="\.\/([^"]+\.css)"[^>]*>/;
const [appJsName, appWasmName] = groupsOnce(html, LOADER_TAG);
const appJs = text(appJsName);
if (!/\b__wbg_init as default\b/.test(appJs)) throw new Error(`${appJsName} has no __wbg_init`);
const script = rawText(`${appJs}\n${readFileSync(LOADER, 'utf8')}`, 'script');
const style = rawText(text(groupsOnce(html, STYLESHEET)[0]), 'style');
const policy = [
  "default-src 'none'",
  `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
  `style-src ${sha256(style)}`,
  'img-src data: blob:',
  'connect-src data:',
  'worker-src blob:',
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const blocks = [
  dataBlock('digitlab-app-wasm', 'application/octet-stream', packed(appWasmName)),
  dataBlock('digitlab-worker-wasm', 'application/octet-stream', packed('worker_bg.wasm')),
  dataBlock('digitlab-worker-js', 'text/plain', rawText(`${text('worker.js')}\n${text('worker-loader.js')}`, 'script')),
].join('\n');

const edits = [
  // What only a hosted page uses: the preloads, the manifest and its icon.
  [/<link rel="modulepreload"[^>]*><link rel="preload"[^>]*>/, ''],
  [/<link rel="manifest"[^>]*>\n?/, ''],
  [/<link rel="apple-touch-icon"[^>]*>\n?/, ''],
  [/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${policy}">`],
  // The inlined files last, so no pattern looks inside them.
  [/<\/body>/, `${blocks}\n</body>`],
  [STYLESHEET, `<style>${style}</style>`],
  [LOADER_TAG, `<script type="module">${script}</script>`],
];
for (const [pattern, replacement] of edits) html = editOnce(html, pattern, () => replacement);

writeFileSync(OUTPUT, html);
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const raw = Buffer.byteLength(html);
const gzipped = gzipSync(html, { level: 9 }).length;
console.log(`package: ${OUTPUT}: ${raw} bytes (${mib(raw)}), ${gzipped} bytes gzipped (${mib(gzipped)})`);
