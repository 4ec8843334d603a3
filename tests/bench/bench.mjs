// Digit Lab's benchmark: prints figures, never fails on timing. Run through
// `bash scripts/bench.sh` (which builds what is needed), or by hand after a build:
//   node tests/bench/bench.mjs
// Environment:
//   DIST_DIR       the built page (default dist/)
//   BENCH_EPOCHS   epochs of the browser run on the digits data (default 100, the notebook's)
//   BENCH_BIG_EPOCHS  epochs of the runs on the 5,620-row data (default 10)
//   BENCH_DATA     the 5,620-row CSV (default ../shared/data/optdigits-uci.csv; skipped if absent)
//   BENCH_BACKEND  also time this backend in the browser, e.g. ndarray (default: none)
//   BENCH_READ_MS  the page-default run is also timed with Start pressed this long after the
//                  page is ready, as a reader would (default 3000; 0 skips that run)
//   DIGITS_BIN     the native CLI (default target/release/digits); BENCH_NATIVE=0 skips it
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { basename, join, resolve } from 'node:path';
import { DIST, ROOT, gotoReady, launchBrowser, openPage } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 100);
const BIG_EPOCHS = Number(process.env.BENCH_BIG_EPOCHS ?? 10);
const BIG_DATA = resolve(process.env.BENCH_DATA ?? join(ROOT, '..', 'shared', 'data', 'optdigits-uci.csv'));
const DIGITS = resolve(process.env.DIGITS_BIN ?? join(ROOT, 'target', 'release', 'digits'));
const EXTRA_BACKEND = process.env.BENCH_BACKEND ?? '';
const READ_MS = Number(process.env.BENCH_READ_MS ?? 3000);
const RUN_TIMEOUT = 30 * 60_000;

const rows = []; // [name, value]
const out = (name, value) => {
  rows.push([name, value]);
  console.log(`  ${name}: ${value}`);
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
const s3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

/** Records #status changes (state and epoch) with their times, from the first script on. */
const STATUS_LOGGER = () => {
  window.__statusLog = [];
  const seen = (el) =>
    window.__statusLog.push({
      state: el.getAttribute('data-state'),
      epoch: Number(el.getAttribute('data-epoch')),
      t: performance.now(),
    });
  new MutationObserver((mutations) => {
    for (const m of mutations) if (m.target.id === 'status') seen(m.target);
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state', 'data-epoch'] });
  // The worker's own per-epoch reports: its time in training steps and evaluation.
  window.__reports = [];
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const report = e.data?.Epoch?.report;
        if (report) window.__reports.push(report);
      });
    }
  };
};

/** The wasm memory (bytes) of each of the page's workers that has wasm-bindgen loaded. */
async function workerMemory(page) {
  const sizes = [];
  for (const w of page.workers()) {
    const bytes = await w
      .evaluate(async () => {
        // wasm-bindgen's no-modules bundle declares `wasm_bindgen` with `let`: a global
        // binding, not a property of globalThis. Once loaded, calling it returns the exports.
        // eslint-disable-next-line no-undef
        if (typeof wasm_bindgen !== 'function') return null;
        // eslint-disable-next-line no-undef
        const exports = await wasm_bindgen();
        return exports?.memory?.buffer?.byteLength ?? null;
      })
      .catch(() => null);
    if (bytes !== null) sizes.push(bytes);
  }
  return sizes;
}

/**
 * One training run in a fresh page: `query` sets it up, `csv` (optional) is loaded through
 * #csv-file first. Returns timings from the #status log, the test accuracy and peak memory.
 */
async function browserRun(browser, url, { query, csv, epochs, wait = 0 }) {
  const { context, page } = await openPage(browser, { initScript: STATUS_LOGGER });
  try {
    await gotoReady(page, url, query);
    if (csv) {
      await page.setInputFiles('#csv-file', csv);
      await page.waitForFunction(
        (name) => document.querySelector('#data-source')?.textContent?.includes(name),
        basename(csv),
        { timeout: 60_000 },
      );
    }
    // A reader's pause before Start (the worker warms its code up meanwhile).
    if (wait > 0) await page.waitForTimeout(wait);
    await page.evaluate(() => (window.__statusLog.length = 0));
    await page.click('#train-start');
    let peak = 0;
    const deadline = Date.now() + RUN_TIMEOUT;
    for (;;) {
      const state = await page.getAttribute('#status', 'data-state');
      const sizes = await workerMemory(page);
      peak = Math.max(peak, ...sizes, 0);
      if (state === 'done') break;
      if (state === 'error') throw new Error(`the run failed: ${await page.textContent('#status')}`);
      if (Date.now() > deadline) throw new Error('the run timed out');
      await page.waitForTimeout(500);
    }
    const log = await page.evaluate(() => window.__statusLog);
    const reports = await page.evaluate(() => window.__reports);
    const accuracy = Number(await page.getAttribute('#test-accuracy', 'data-value'));
    const rowsTrain = Number(await page.getAttribute('#split-info', 'data-train'));
    const start = log.find((e) => e.state === 'training')?.t;
    const done = log.find((e) => e.state === 'done')?.t;
    // The time each epoch's report reached the page (first change to that epoch).
    const at = new Map();
    for (const e of log) if (e.epoch > 0 && !at.has(e.epoch)) at.set(e.epoch, e.t);
    const gaps = [];
    for (let k = 2; k <= epochs; k++) if (at.has(k) && at.has(k - 1)) gaps.push((at.get(k) - at.get(k - 1)) / 1000);
    // Mean seconds per epoch over ranges of epochs: shows the wasm engine's warm-up.
    const phases = [];
    for (const [a, b] of [[1, 5], [6, 20], [21, epochs]]) {
      if (b > epochs || a > b || !at.has(a) || !at.has(b)) continue;
      const from = a === 1 ? start : at.get(a - 1);
      phases.push(`${a}-${b}: ${((at.get(b) - from) / 1000 / (b - a + 1)).toFixed(3)}`);
    }
    // The trainer's own clock: steps and per-epoch evaluation, without messaging or maps.
    const last = reports[reports.length - 1];
    const stepSeconds = reports.reduce((sum, r) => sum + rowsTrain / r.samples_per_second, 0);
    return {
      trainer: last ? { total: last.elapsed_seconds, steps: stepSeconds } : null,
      phases: phases.join(', '),
      total: (done - start) / 1000,
      firstEpoch: (at.get(1) - start) / 1000,
      perEpoch: median(gaps),
      accuracy,
      rowsTrain,
      peak,
    };
  } finally {
    await context.close();
  }
}

function nativeRun(args) {
  const time = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-v'] : [];
  const cmd = [...time, DIGITS, 'train', ...args, '--quiet', '--json'];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
  const json = JSON.parse(r.stdout.trim().split('\n').pop());
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return { json, rssKb: rss ? Number(rss[1]) : null, cmd: cmd.slice(time.length).join(' ') };
}

// ---------------------------------------------------------------------------------------
console.log(`# Digit Lab benchmark (${new Date().toISOString()}, ${process.platform}, ${
  (await import('node:os')).cpus().length} cores)`);
console.log(`dist: ${DIST}`);

// Wasm sizes.
console.log('\n## wasm downloaded by the page');
let rawTotal = 0;
let gzTotal = 0;
for (const f of readdirSync(DIST).filter((f) => f.endsWith('.wasm')).sort()) {
  const bytes = readFileSync(join(DIST, f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  rawTotal += bytes.length;
  gzTotal += gz;
  out(f, `${bytes.length} bytes raw, ${gz} gzipped (${mb(bytes.length)} / ${mb(gz)})`);
}
out('all wasm', `${rawTotal} bytes raw, ${gzTotal} gzipped (${mb(rawTotal)} / ${mb(gzTotal)})`);

// Browser.
const server = await startServer(DIST);
const browser = await launchBrowser();
try {
  console.log(`\n## headless Chromium ${browser.version()}`);
  const readies = [];
  for (let i = 0; i < 5; i++) {
    const { context, page } = await openPage(browser);
    try {
      readies.push(await gotoReady(page, server.url));
    } finally {
      await context.close();
    }
  }
  out('page ready (navigation to data drawn), median of 5', `${(median(readies) / 1000).toFixed(3)} s`);

  const report = (label, r) => {
    out(
      `${label}: s/epoch (median)`,
      `${s3(r.perEpoch)}; ${r.total.toFixed(2)} s in all (first epoch ${r.firstEpoch.toFixed(3)} s); ` +
        `test accuracy ${r.accuracy.toFixed(4)}; ${r.rowsTrain} training rows; peak worker wasm memory ${mb(r.peak)}`,
    );
    if (r.phases) out(`${label}: mean s/epoch over epochs`, r.phases);
    if (r.trainer) {
      out(`${label}: where the time went`,
        `training steps ${r.trainer.steps.toFixed(2)} s, per-epoch evaluation ${(r.trainer.total - r.trainer.steps).toFixed(2)} s, ` +
          `the rest (feature maps, messages, scheduling) ${(r.total - r.trainer.total).toFixed(2)} s`);
    }
  };
  // The quick runs train on the `digits` data (the page's default is `uci` since issue 12),
  // so their figures stay comparable with the README's table.
  report(`page, data=digits, ${EPOCHS} epochs, Start at once`, await browserRun(browser, server.url, { query: `?data=digits&epochs=${EPOCHS}`, epochs: EPOCHS }));
  if (READ_MS > 0) {
    report(`page, data=digits, ${EPOCHS} epochs, Start ${READ_MS / 1000} s after ready`,
      await browserRun(browser, server.url, { query: `?data=digits&epochs=${EPOCHS}`, epochs: EPOCHS, wait: READ_MS }));
  }
  if (EXTRA_BACKEND) {
    const e = Math.min(EPOCHS, 5);
    report(`backend ${EXTRA_BACKEND}, ${e} epochs`,
      await browserRun(browser, server.url, { query: `?data=digits&epochs=${e}&backend=${EXTRA_BACKEND}`, epochs: e }));
  }
  if (existsSync(BIG_DATA)) {
    report(`${basename(BIG_DATA)}, ${BIG_EPOCHS} epochs`,
      await browserRun(browser, server.url, { query: `?epochs=${BIG_EPOCHS}`, csv: BIG_DATA, epochs: BIG_EPOCHS }));
  } else {
    out('5,620-row data', `skipped: ${BIG_DATA} not found`);
  }
} finally {
  await browser.close();
  await server.close();
}

// Native.
console.log('\n## native CLI');
if (process.env.BENCH_NATIVE === '0') {
  out('native', 'skipped (BENCH_NATIVE=0)');
} else if (!existsSync(DIGITS)) {
  out('native', `skipped: ${DIGITS} not built`);
} else {
  const native = (label, args) => {
    const r = nativeRun(args);
    out(`${label}: s/epoch`,
      `${s3(r.json.seconds_per_epoch)}; test accuracy ${r.json.test_accuracy.toFixed(4)}; ` +
        `${r.json.train_rows} training rows; max RSS ${r.rssKb === null ? 'n/a' : mb(r.rssKb * 1024)}  [${r.cmd}]`);
  };
  native(`--data digits, ${EPOCHS} epochs`, ['--data', 'digits', '--epochs', String(EPOCHS)]);
  if (existsSync(BIG_DATA)) {
    native(`${basename(BIG_DATA)}, ${BIG_EPOCHS} epochs`, ['--data', BIG_DATA, '--epochs', String(BIG_EPOCHS)]);
  }
}
console.log('\n(figures only: nothing here is asserted)');
