// The page's timed runs in headless Chromium, and how their figures are summed up: shared by
// the benchmark (bench.mjs) and the A/B comparison of two builds (ab.mjs).
import { gotoReady, openPage } from '../e2e/browser.mjs';

/** The longest one timed run may take. */
export const RUN_TIMEOUT = 30 * 60_000;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
export const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
export const s3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

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
 * Steady s/epoch (median over epochs 2..N), samples/s, and the mean s/epoch of epochs 1-5
 * against that of epochs 6..N, from each epoch's seconds.
 */
export function summarise(epochSeconds, rowsTrain) {
  const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const steady = median(epochSeconds.slice(1));
  const first5 = epochSeconds.length > 5 ? mean(epochSeconds.slice(0, 5)) : NaN;
  const rest = epochSeconds.length > 5 ? mean(epochSeconds.slice(5)) : NaN;
  return { steady, samples: rowsTrain / steady, first5, rest, total: epochSeconds.reduce((a, b) => a + b, 0) };
}

/** One line of a side's figures. */
export function describe(r) {
  const parts = [`${s3(r.steady)} s/epoch`, `${Math.round(r.samples)} samples/s`];
  if (Number.isFinite(r.first5)) {
    parts.push(`epochs 1-5 ${s3(r.first5)} s/epoch vs 6+ ${s3(r.rest)} (${((r.first5 / r.rest - 1) * 100).toFixed(0)}% slower)`);
  }
  parts.push(`${r.total.toFixed(2)} s in all`);
  if (Number.isFinite(r.accuracy)) parts.push(`test accuracy ${r.accuracy.toFixed(4)}`);
  parts.push(`${r.rowsTrain} training rows`);
  return parts.join('; ');
}

/**
 * One training run in a fresh page with `query`. Returns its per-epoch figures (summarise),
 * the test accuracy, the trainer's own clock and the workers' peak wasm memory.
 */
export async function browserRun(browser, url, { query, epochs, wait = 0 }) {
  const { context, page } = await openPage(browser, { initScript: STATUS_LOGGER });
  try {
    await gotoReady(page, url, query);
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
    const at = new Map([[0, start]]);
    for (const e of log) if (e.epoch > 0 && !at.has(e.epoch)) at.set(e.epoch, e.t);
    const epochSeconds = [];
    for (let k = 1; k <= epochs && at.has(k); k++) epochSeconds.push((at.get(k) - at.get(k - 1)) / 1000);
    // The trainer's own clock: steps and per-epoch evaluation, without messaging or maps.
    const last = reports[reports.length - 1];
    const stepSeconds = reports.reduce((sum, r) => sum + rowsTrain / r.samples_per_second, 0);
    return {
      ...summarise(epochSeconds, rowsTrain),
      total: (done - start) / 1000,
      trainer: last ? { total: last.elapsed_seconds, steps: stepSeconds } : null,
      accuracy,
      rowsTrain,
      peak,
    };
  } finally {
    await context.close();
  }
}

/** Milliseconds from navigation to the page ready (its data drawn), in a fresh context. */
export async function pageReady(browser, url, query = '') {
  const { context, page } = await openPage(browser);
  try {
    return await gotoReady(page, url, query);
  } finally {
    await context.close();
  }
}

/** The page's cross-validation of `query`, Start at once: seconds to its mean, and the mean. */
export async function crossValidationRun(browser, url, query) {
  const { context, page } = await openPage(browser);
  try {
    await gotoReady(page, url, query);
    const started = Date.now();
    await page.click('#kfold-start');
    await page.waitForFunction(() => document.querySelector('#cv-mean')?.getAttribute('data-value'), null, {
      timeout: RUN_TIMEOUT,
    });
    const seconds = (Date.now() - started) / 1000;
    return { seconds, mean: Number(await page.getAttribute('#cv-mean', 'data-value')) };
  } finally {
    await context.close();
  }
}
