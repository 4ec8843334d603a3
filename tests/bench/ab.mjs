// Compares two builds of the page in alternating runs (A B, B A, ...), in one browser, so
// that a busy machine's drift falls on both alike. Prints each run and the medians; asserts
// nothing.
//   node tests/bench/ab.mjs DIST_A DIST_B [train|cv|ready] [pairs] [query]
//   train (default): a training run, Start at once: steady s/epoch, epochs 1-5 apart
//   cv: a 5-fold cross-validation, Start at once: seconds to its mean
//   ready: the page's loading, as bench.sh times it: navigation to its data drawn
//   pairs: default 3; query: the page's URL parameters (default ?data=digits&epochs=20, for
//   cv ?data=digits&epochs=5, for ready none)
// e.g. node tests/bench/ab.mjs target/bench-dist-before target/bench-dist cv 3
import { launchBrowser } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';
import { browserRun, crossValidationRun, describe, median, pageReady, s3 } from './page-runs.mjs';

const [distA, distB, kind = 'train', pairs = '3', given] = process.argv.slice(2);
const KINDS = { train: 's/epoch', cv: 's to the mean', ready: 's to ready' };
if (!distA || !distB || !(kind in KINDS)) {
  console.error('usage: node tests/bench/ab.mjs DIST_A DIST_B [train|cv|ready] [pairs] [query]');
  process.exit(2);
}
const query = given ?? { train: '?data=digits&epochs=20', cv: '?data=digits&epochs=5', ready: '' }[kind];
const epochs = Number(new URLSearchParams(query).get('epochs') ?? 100);

const servers = { A: await startServer(distA), B: await startServer(distB) };
const browser = await launchBrowser();
const seconds = { A: [], B: [] };
try {
  console.log(`# A = ${distA}, B = ${distB}; ${kind} ${query}; ${pairs} pairs, alternated`);
  for (let i = 0; i < Number(pairs); i++) {
    for (const build of i % 2 ? ['B', 'A'] : ['A', 'B']) {
      const url = servers[build].url;
      if (kind === 'ready') {
        const ms = await pageReady(browser, url, query);
        seconds[build].push(ms / 1000);
        console.log(`  ${build}: ready in ${s3(ms / 1000)} s`);
      } else if (kind === 'cv') {
        const r = await crossValidationRun(browser, url, query);
        seconds[build].push(r.seconds);
        console.log(`  ${build}: ${r.seconds.toFixed(2)} s to the mean; mean accuracy ${r.mean.toFixed(4)}`);
      } else {
        const r = await browserRun(browser, url, { query, epochs });
        seconds[build].push(r.steady);
        console.log(`  ${build}: ${describe(r)}`);
      }
    }
  }
  console.log(`median ${KINDS[kind]}: A ${s3(median(seconds.A))}, B ${s3(median(seconds.B))} (B/A ${(median(seconds.B) / median(seconds.A)).toFixed(3)})`);
} finally {
  await browser.close();
  await servers.A.close();
  await servers.B.close();
}
