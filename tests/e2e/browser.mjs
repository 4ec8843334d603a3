// The browser side of every end-to-end test: launching Chromium, opening pages that record
// their requests and console, waiting on the page's contract (ready, #status), pixel checks
// on canvases, and the common steps (train to done, download, no stray requests or errors).
import assert from 'node:assert/strict';
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const DIST = resolve(process.env.DIST_DIR ?? join(ROOT, 'dist'));
export const ARTIFACTS = join(HERE, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Generous limits: CI has 2 cores, and the wasm model trains in a Web Worker.
export const LOAD_TIMEOUT = 120_000;
export const TRAIN_TIMEOUT = 15 * 60_000;

/**
 * The workers the page trains on with `cores` logical cores: one per core, at most 4 in all
 * (the training worker and its helpers; web/worker-loader.js's rule, stated here for tests).
 */
export const workersFor = (cores) => Math.min(Math.max(cores, 1), 4);

/** Chromium flags for a closed network: no background traffic, no first-run work. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Headless Chromium with CHROMIUM_ARGS. */
export function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: run 'bash scripts/setup.sh --test' first`);
  }
  // A plain launch gets a fresh temporary user-data-dir, removed on close.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: LOAD_TIMEOUT,
  });
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/**
 * Whether a URL stays on this machine: the test server, a file (the single file opens from
 * file://), or no network at all.
 */
export function isLocalUrl(url) {
  if (url.startsWith('blob:') || url.startsWith('data:') || url.startsWith('about:')) return true;
  try {
    const u = new URL(url);
    return u.protocol === 'file:' || u.hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

/** Whether a URL is a real network request (blob: and data: are not). */
export function isNetworkUrl(url) {
  return !(url.startsWith('blob:') || url.startsWith('data:') || url.startsWith('about:'));
}

/** Each page's record (see openPage), so gotoReady can mark when the page was ready. */
const RECORDS = new WeakMap();

/**
 * Records Content-Security-Policy violations (`securitypolicyviolation` events) of every
 * frame in `window.__cspViolations`; openPage installs it in every page.
 */
export const CSP_RECORDER = () => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
  });
};

/** The CSP violations seen so far in every frame of `page`. */
export async function cspViolations(page) {
  const all = [];
  for (const frame of page.frames()) {
    all.push(...((await frame.evaluate(() => window.__cspViolations ?? []).catch(() => [])) ?? []));
  }
  return all;
}

/**
 * Network requests (not blob: or data:) made after the page was last ready (gotoReady):
 * the page must make none. Empty before gotoReady.
 */
export function lateRequests(rec) {
  return rec.readyAt == null ? [] : rec.requests.filter((r) => r.time > rec.readyAt && isNetworkUrl(r.url));
}

/**
 * A fresh browser context and page that record console errors, page errors, failed
 * requests and every request (page and workers alike, `serviceWorker` set on those a
 * service worker makes itself), each with its time, and CSP
 * violations (CSP_RECORDER). `rec.readyAt` is set by gotoReady (see lateRequests).
 * Service workers are blocked, so a test sees the page's own requests, unless
 * `serviceWorkers: 'allow'` (offline.test.mjs). `device` overrides the desktop's 1280×900
 * window with a phone's or tablet's context options (viewport, hasTouch, deviceScaleFactor).
 */
export async function openPage(browser, { initScript, serviceWorkers = 'block', device = {} } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    // The page speaks the browser's language when the URL names none: English here, whatever
    // the machine's locale, since the tests read English messages (languages.test.mjs sets
    // other languages).
    locale: 'en-US',
    serviceWorkers,
    ...device,
  });
  const rec = { consoleErrors: [], pageErrors: [], requests: [], failed: [], console: [], readyAt: null };
  context.on('request', (req) =>
    rec.requests.push({ time: Date.now(), url: req.url(), serviceWorker: Boolean(req.serviceWorker()) }),
  );
  context.on('requestfailed', (req) =>
    rec.failed.push({ url: req.url(), error: req.failure()?.errorText }),
  );
  // Never let anything leave the machine, even if the page tried.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    return isLocalUrl(url) ? route.continue() : route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  // Console messages from the page's Web Workers arrive here too (msg.worker() is set).
  page.on('console', (msg) => {
    const where = msg.worker() ? 'worker' : 'page';
    const text = `[${where}] ${msg.type()}: ${msg.text()}`;
    rec.console.push(text);
    if (msg.type() === 'error') rec.consoleErrors.push(text);
  });
  page.on('pageerror', (err) => rec.pageErrors.push(String(err?.stack ?? err)));
  page.setDefaultTimeout(LOAD_TIMEOUT);
  RECORDS.set(page, rec);
  await page.addInitScript(CSP_RECORDER);
  if (initScript) await page.addInitScript(initScript);
  return { context, page, rec };
}

/** Records every change of #status's data-epoch with its time, from the first script on. */
export const EPOCH_LOGGER = () => {
  window.__epochLog = [];
  window.__longTasks = [];
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.target.id === 'status' && m.attributeName === 'data-epoch') {
        window.__epochLog.push({
          epoch: Number(m.target.getAttribute('data-epoch')),
          state: m.target.getAttribute('data-state'),
          t: performance.now(),
        });
      }
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-epoch'] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // longtask timing is not available everywhere
  }
};

/**
 * Opens the page at `query` and waits until it is ready: the data set is loaded
 * (`#data-rows[data-value]`) and `#status` has a state. Returns the milliseconds from
 * navigation to ready.
 */
export async function gotoReady(page, baseUrl, query = '') {
  const started = Date.now();
  await page.goto(`${baseUrl}/${query}`, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
  await page.waitForSelector('#status[data-state]', { state: 'attached', timeout: LOAD_TIMEOUT });
  await page.waitForFunction(
    () => {
      const rows = document.querySelector('#data-rows')?.getAttribute('data-value');
      return rows !== null && rows !== undefined && rows !== '' && Number(rows) > 0;
    },
    null,
    { timeout: LOAD_TIMEOUT },
  );
  const rec = RECORDS.get(page);
  if (rec) rec.readyAt = Date.now();
  return Date.now() - started;
}

export async function statusOf(page) {
  return page.evaluate(() => {
    const s = document.querySelector('#status');
    return { state: s?.getAttribute('data-state'), epoch: Number(s?.getAttribute('data-epoch') ?? NaN) };
  });
}

/** Waits until `#status` satisfies `predicate({state, epoch})`; throws on the error state. */
export async function waitForStatus(page, description, predicate, timeout = TRAIN_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await statusOf(page);
    if (predicate(last)) return last;
    if (last.state === 'error') {
      const text = await page.textContent('#status').catch(() => '');
      throw new Error(`#status went to 'error' while waiting for ${description}: ${text}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${description}; last #status ${JSON.stringify(last)}`);
    }
    await page.waitForTimeout(200);
  }
}

/**
 * Counts the pixels of a canvas that differ from its most common colour (its background).
 * Reads a 2D canvas directly and any other canvas through a copy.
 */
export async function canvasInk(page, selector, index = 0) {
  return page.evaluate(([sel, nth]) => {
    const canvas = document.querySelectorAll(sel)[nth];
    if (!canvas) return { error: `no element ${sel} (#${nth})` };
    if (!(canvas instanceof HTMLCanvasElement)) return { error: `${sel} is not a canvas` };
    const { width, height } = canvas;
    if (!width || !height) return { width, height, ink: 0, total: 0 };
    let ctx = null;
    try {
      ctx = canvas.getContext('2d', { willReadFrequently: true });
    } catch {
      ctx = null;
    }
    if (!ctx) {
      const copy = document.createElement('canvas');
      copy.width = width;
      copy.height = height;
      ctx = copy.getContext('2d');
      ctx.drawImage(canvas, 0, 0);
    }
    const data = ctx.getImageData(0, 0, width, height).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let background = 0;
    let most = -1;
    for (const [key, n] of counts) if (n > most) [background, most] = [key, n];
    const total = width * height;
    return { width, height, total, ink: total - most, colours: counts.size, background: background >>> 0 };
  }, [selector, index]);
}

/** Asserts-style check: the canvas has at least `min` pixels off its background. */
export async function expectInk(assert, page, selector, min = 20) {
  const r = await canvasInk(page, selector);
  assert.ok(!r.error, r.error);
  assert.ok(
    r.ink >= min,
    `${selector} looks blank: ${r.ink} of ${r.total} pixels differ from the background (${r.width}x${r.height}, ${r.colours} colours)`,
  );
  return r;
}

export function fmtSeconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Fails on requests that left this machine (isLocalUrl), uncaught page errors and console errors. */
export function assertClean(rec) {
  const away = rec.requests.filter((r) => !isLocalUrl(r.url)).map((r) => r.url);
  assert.deepEqual(away, [], 'requests that leave this machine');
  assert.deepEqual(rec.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(rec.consoleErrors, [], 'console errors');
}

/** Trains with the URL's settings (autostart) until done. */
export async function trainToDone(page, baseUrl, query) {
  await gotoReady(page, baseUrl, `${query}&autostart=1`);
  return waitForStatus(page, "state 'done'", (s) => s.state === 'done');
}

/** Clicks and returns the downloaded file's bytes and suggested name. */
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(selector)]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}
