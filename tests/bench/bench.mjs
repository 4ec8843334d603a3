// Digit Lab's benchmark: prints figures, never fails on timing. Run through
// `bash scripts/bench.sh` (which builds what is needed and sets Keras up), or by hand after
// a build: `node tests/bench/bench.mjs`. In one run, on the same machine and data:
//   - the page (headless Chromium), Start pressed at once, on `uci` (the default, 4,496
//     training rows) and on `digits` (1,437): s/epoch, samples/s, epochs 1-5 apart;
//   - TensorFlow.js 4.22's wasm backend, the same network, split sizes and batch, in the same
//     browser (tests/bench/tfjs/, served from node_modules);
//   - Keras on TensorFlow's CPU (tests/bench/keras_bench.py), when KERAS_PYTHON has it;
//   - the native CLI with 1 and 2 workers;
//   - the ratios page / Keras, page / TensorFlow.js, page / CLI (speed over speed: above 1
//     the page is faster), page-ready time, wasm bytes raw and gzipped, peak memory.
// Steady s/epoch is the median over epochs 2..N (the CLI's: its mean, it has no warm-up).
// Environment:
//   DIST_DIR          the built page (default dist/)
//   BENCH_EPOCHS      epochs of the runs on `digits` (default 100, the notebook's)
//   BENCH_BIG_EPOCHS  epochs of the runs on `uci` (default 20)
//   BENCH_TFJS_EPOCHS epochs of TensorFlow.js' runs (default 6: about 1 s/epoch on digits);
//                     BENCH_TFJS=0 skips them
//   BENCH_THREADS     the workers / threads of every side (default 2)
//   KERAS_PYTHON      a Python with tensorflow (bench.sh makes target/keras-venv); unset or
//                     BENCH_KERAS=0 skips Keras
//   BENCH_CV_EPOCHS   epochs of each fold of the page's 5-fold cross-validation on `digits`
//                     (default 10; 0 skips it)
//   BENCH_BACKEND     also time this backend in the browser, e.g. ndarray (default: none)
//   BENCH_READ_MS     also time the digits run with Start pressed this long after the page
//                     is ready, as a reader would (default 0: skipped)
//   DIGITS_BIN        the native CLI (default target/release/digits); BENCH_NATIVE=0 skips it
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { DIST, ROOT, launchBrowser, openPage } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';
import { RUN_TIMEOUT, browserRun, crossValidationRun, describe, mb, median, pageReady, s3, summarise } from './page-runs.mjs';

const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 100);
const BIG_EPOCHS = Number(process.env.BENCH_BIG_EPOCHS ?? 20);
const TFJS_EPOCHS = Number(process.env.BENCH_TFJS_EPOCHS ?? 6);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const DIGITS = resolve(process.env.DIGITS_BIN ?? join(ROOT, 'target', 'release', 'digits'));
const KERAS_PYTHON = process.env.KERAS_PYTHON ?? '';
const CV_EPOCHS = Number(process.env.BENCH_CV_EPOCHS ?? 10);
const CV_FOLDS = 5;
const EXTRA_BACKEND = process.env.BENCH_BACKEND ?? '';
const READ_MS = Number(process.env.BENCH_READ_MS ?? 0);
/** The two data sets every side trains on: the page's name, its epochs. */
const DATA = [
  { name: 'uci', epochs: BIG_EPOCHS, file: 'optdigits-uci.csv' },
  { name: 'digits', epochs: EPOCHS, file: 'digits.csv' },
];

const rows = []; // [name, value]
const out = (name, value) => {
  rows.push([name, value]);
  console.log(`  ${name}: ${value}`);
};
/** TensorFlow.js' run (tests/bench/tfjs/) on `data` in a fresh page of `browser`. */
async function tfjsRun(browser, url, data, epochs) {
  const { context, page } = await openPage(browser);
  try {
    await page.goto(`${url}/tests/bench/tfjs/index.html?data=${data}&epochs=${epochs}&threads=${THREADS}`);
    await page.waitForFunction(() => window.__result || window.__error, null, { timeout: RUN_TIMEOUT });
    const { result, error } = await page.evaluate(() => ({ result: window.__result, error: window.__error }));
    if (error) throw new Error(error);
    return {
      ...summarise(result.epochSeconds, result.trainRows),
      accuracy: result.testAccuracy,
      rowsTrain: result.trainRows,
      about: `wasm backend, ${result.multithread ? 'threaded ' : ''}${result.simd ? 'SIMD' : 'no SIMD'} binary, ` +
        `${THREADS} threads asked, ${result.threads} reported by XNNPACK; ` +
        `Conv2DBackpropFilter composed from Conv3DBackpropFilterV2: max |difference| from the cpu backend ${result.gradientCheck}`,
    };
  } finally {
    await context.close();
  }
}

/** Keras' run (tests/bench/keras_bench.py) on `file` with the network `digits export-keras` writes. */
function kerasRun(file, epochs) {
  const dir = join(ROOT, 'target', 'bench-keras');
  mkdirSync(dir, { recursive: true });
  const model = join(dir, 'model.py');
  execFileSync(DIGITS, ['export-keras', '-o', model]);
  const csv = join(ROOT, 'crates', 'digits-cnn', 'data', file);
  const r = spawnSync(KERAS_PYTHON, [join(ROOT, 'tests', 'bench', 'keras_bench.py'), model, csv, String(epochs), String(THREADS)], {
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`keras_bench.py failed: ${r.stderr.slice(-2000)}`);
  const json = JSON.parse(r.stdout.trim().split('\n').pop());
  return {
    ...summarise(json.epoch_seconds, json.train_rows),
    accuracy: json.test_accuracy,
    rowsTrain: json.train_rows,
    about: `Keras ${json.keras}, TensorFlow ${json.tensorflow} CPU, ${json.threads} threads`,
  };
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

// Wasm sizes. A browser fetches the app and one of the two worker builds (web/worker-loader.js):
// Chromium, which has relaxed SIMD, the worker-relaxed-simd one.
console.log('\n## wasm built for the page');
let rawTotal = 0;
let gzTotal = 0;
for (const f of readdirSync(DIST).filter((f) => f.endsWith('.wasm')).sort()) {
  const bytes = readFileSync(join(DIST, f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (f !== 'worker_bg.wasm') {
    rawTotal += bytes.length;
    gzTotal += gz;
  }
  out(f, `${bytes.length} bytes raw, ${gz} gzipped (${mb(bytes.length)} / ${mb(gz)})`);
}
out('downloaded by Chromium', `${rawTotal} bytes raw, ${gzTotal} gzipped (${mb(rawTotal)} / ${mb(gzTotal)})`);

// Each side's figures by data set: results[side][data] = summarise(...) and more.
const results = { page: {}, tfjs: {}, keras: {}, cli1: {}, cli2: {} };
const attempt = (label, run) => {
  try {
    return run();
  } catch (e) {
    out(label, `failed: ${String(e.message ?? e).split('\n')[0]}`);
    return null;
  }
};

// Browser: the page, then TensorFlow.js (served from the repository's root, cross-origin
// isolated so that its threaded wasm can run).
const server = await startServer(DIST);
const peer = await startServer(ROOT, 0, {
  headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
});
const browser = await launchBrowser();
try {
  console.log(`\n## headless Chromium ${browser.version()}`);
  const readies = [];
  for (let i = 0; i < 5; i++) readies.push(await pageReady(browser, server.url));
  out('page ready (navigation to data drawn), median of 5', `${(median(readies) / 1000).toFixed(3)} s`);

  const report = (label, r) => {
    out(`${label}`, `${describe(r)}; peak worker wasm memory ${mb(r.peak)}`);
    if (r.trainer) {
      out(`${label}: where the time went`,
        `training steps ${r.trainer.steps.toFixed(2)} s, per-epoch evaluation ${(r.trainer.total - r.trainer.steps).toFixed(2)} s, ` +
          `the rest (feature maps, messages, scheduling) ${(r.total - r.trainer.total).toFixed(2)} s`);
    }
  };
  for (const { name, epochs } of DATA) {
    const label = `page, data=${name}, ${epochs} epochs, Start at once`;
    results.page[name] = await browserRun(browser, server.url, { query: `?data=${name}&epochs=${epochs}`, epochs });
    report(label, results.page[name]);
  }
  if (CV_EPOCHS > 0) {
    const r = await crossValidationRun(browser, server.url, `?data=digits&folds=${CV_FOLDS}&epochs=${CV_EPOCHS}`);
    out(`page, data=digits, ${CV_FOLDS}-fold cross-validation, ${CV_EPOCHS} epochs a fold`,
      `${r.seconds.toFixed(2)} s to the mean (${s3(r.seconds / (CV_FOLDS * CV_EPOCHS))} s a fold-epoch); mean accuracy ${r.mean.toFixed(4)}`);
  }
  if (READ_MS > 0) {
    report(`page, data=digits, ${EPOCHS} epochs, Start ${READ_MS / 1000} s after ready`,
      await browserRun(browser, server.url, { query: `?data=digits&epochs=${EPOCHS}`, epochs: EPOCHS, wait: READ_MS }));
  }
  if (EXTRA_BACKEND) {
    const e = Math.min(EPOCHS, 5);
    report(`backend ${EXTRA_BACKEND}, data=digits, ${e} epochs`,
      await browserRun(browser, server.url, { query: `?data=digits&epochs=${e}&backend=${EXTRA_BACKEND}`, epochs: e }));
  }

  console.log('\n## TensorFlow.js 4.22, the same browser');
  if (process.env.BENCH_TFJS === '0') {
    out('TensorFlow.js', 'skipped (BENCH_TFJS=0)');
  } else {
    for (const { name } of DATA) {
      try {
        const r = await tfjsRun(browser, peer.url, name, TFJS_EPOCHS);
        results.tfjs[name] = r;
        out(`TensorFlow.js, data=${name}, ${TFJS_EPOCHS} epochs`, describe(r));
        if (name === 'uci') out('TensorFlow.js', r.about);
      } catch (e) {
        out(`TensorFlow.js, data=${name}`, `failed: ${String(e.message ?? e).split('\n')[0]}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
  await peer.close();
}

// Keras.
console.log('\n## Keras on TensorFlow CPU');
if (process.env.BENCH_KERAS === '0') {
  out('Keras', 'skipped (BENCH_KERAS=0)');
} else if (!KERAS_PYTHON) {
  out('Keras', 'skipped (no KERAS_PYTHON: bash scripts/bench.sh sets one up)');
} else if (!existsSync(DIGITS)) {
  out('Keras', `skipped: ${DIGITS} (which writes the Keras file) not built`);
} else {
  for (const { name, epochs, file } of DATA) {
    const r = attempt(`Keras, data=${name}`, () => kerasRun(file, epochs));
    if (!r) continue;
    results.keras[name] = r;
    out(`Keras, data=${name}, ${epochs} epochs`, describe(r));
    if (name === 'uci') out('Keras', r.about);
  }
}

// Native.
console.log('\n## native CLI');
if (process.env.BENCH_NATIVE === '0') {
  out('native', 'skipped (BENCH_NATIVE=0)');
} else if (!existsSync(DIGITS)) {
  out('native', `skipped: ${DIGITS} not built`);
} else {
  for (const { name, epochs } of DATA) {
    for (const [side, workers] of [['cli1', 1], ['cli2', THREADS]]) {
      const r = attempt(`CLI, data=${name}, --workers ${workers}`, () =>
        nativeRun(['--data', name, '--epochs', String(epochs), '--workers', String(workers)]));
      if (!r) continue;
      const steady = r.json.seconds_per_epoch;
      results[side][name] = { steady, samples: r.json.samples_per_second };
      out(`CLI, data=${name}, ${epochs} epochs, --workers ${workers}`,
        `${s3(steady)} s/epoch; ${Math.round(r.json.samples_per_second)} samples/s; test accuracy ${r.json.test_accuracy.toFixed(4)}; ` +
          `${r.json.train_rows} training rows; max RSS ${r.rssKb === null ? 'n/a' : mb(r.rssKb * 1024)}  [${r.cmd}]`);
    }
  }
}

// The headline: the page's speed over each other side's, on the same data.
console.log('\n## ratios: page speed / other speed (steady s/epoch; above 1 the page is faster)');
for (const { name } of DATA) {
  const page = results.page[name];
  for (const [side, label] of [['keras', 'Keras'], ['tfjs', 'TensorFlow.js'], ['cli1', 'CLI, 1 worker'], ['cli2', `CLI, --workers ${THREADS}`]]) {
    const other = results[side][name];
    out(`data=${name}, page / ${label}`, page && other ? `${(other.steady / page.steady).toFixed(2)}×` : 'n/a');
  }
}
console.log('\n(figures only: nothing here is asserted)');
