// End-to-end test of the built page (dist/) in real headless Chromium, driven by
// playwright-core. Follows docs/page-contract.md. Run by scripts/test.sh, or by hand:
//   node --test --test-concurrency=1 tests/e2e/page.test.mjs   (after trunk build --release)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runAxe } from './axe.mjs';
import {
  EPOCH_LOGGER,
  TRAIN_TIMEOUT,
  artifact,
  canvasInk,
  expectInk,
  fmtSeconds,
  gotoReady,
  isLocalUrl,
  isNetworkUrl,
  lateRequests,
  openPage,
  statusOf,
  waitForStatus,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

// The default data, `uci`, and the quick `digits` data most runs here train on.
const UCI_ROWS = 5620;
const DIGITS_ROWS = 1797;
const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;
const measured = {}; // printed at the end: figures, not assertions

const env = servePageForTests({
  onClose: () => {
    console.log('# measurements (informational, not asserted):');
    for (const [k, v] of Object.entries(measured)) console.log(`  ${k}: ${v}`);
  },
});

/** Fails, listing each distinct item once (with its count), when `items` is not empty. */
function assertNone(items, title) {
  if (items.length === 0) return;
  const counts = new Map();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  const lines = [...counts].slice(0, 20).map(([text, n]) => {
    const short = text.length > 400 ? `${text.slice(0, 400)}…` : text;
    return `  ${n > 1 ? `(${n}x) ` : ''}${short}`;
  });
  if (counts.size > 20) lines.push(`  … and ${counts.size - 20} more distinct`);
  assert.fail(`${title} (${items.length}):\n${lines.join('\n')}`);
}

/** Fails on any console error or uncaught page error, listing them. */
function assertNoErrors(rec) {
  assertNone(rec.pageErrors, 'uncaught page errors');
  assertNone(rec.consoleErrors, 'console errors');
}

/** Fails on any request that leaves 127.0.0.1, and on any request after the page was ready. */
function assertAllLocal(rec) {
  assertNone(rec.requests.filter((r) => !isLocalUrl(r.url)).map((r) => r.url), 'requests that leave 127.0.0.1');
  assertNone(lateRequests(rec).map((r) => r.url), 'requests after the page was ready');
}

async function attr(page, selector, name) {
  return page.getAttribute(selector, name, { timeout: 5_000 });
}

async function numberAttr(page, selector, name) {
  const v = await attr(page, selector, name);
  assert.ok(v !== null && v !== '', `${selector} has no ${name}`);
  const n = Number(v);
  assert.ok(Number.isFinite(n), `${selector}[${name}] = '${v}' is not a number`);
  return n;
}

describe('Digit Lab page', { concurrency: false }, () => {
  test('loads cleanly: idle, bundled data, model summary, no errors', async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      const readyMs = await gotoReady(page, env.server.url);
      measured['page ready (navigation to data loaded)'] = fmtSeconds(readyMs);
      const s = await statusOf(page);
      assert.equal(s.state, 'idle');
      assert.equal(s.epoch, 0);
      assert.equal(await numberAttr(page, '#data-rows', 'data-value'), UCI_ROWS, 'the default data is uci');
      const summary = await page.textContent('#summary-table');
      assert.match(summary.replace(/[\s,.\u202f\u00a0']/g, ''), /102794/, 'model summary total 102,794');
      await page.screenshot({ path: artifact('01-loaded.png'), fullPage: true });
      assertAllLocal(rec);
      assertNoErrors(rec);
    } finally {
      await context.close();
    }
  });

  test('epochs=3 trains to done; charts, metrics and confusion matrix are filled; no requests after ready', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser, { initScript: EPOCH_LOGGER });
    try {
      const readyMs = await gotoReady(page, env.server.url, '?data=digits&epochs=3&autostart=1');
      // "Ready" for the request check: data loaded and the network quiet.
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => {});
      const readyAt = Date.now();
      measured['page ready with autostart'] = fmtSeconds(readyMs);

      const done = await waitForStatus(page, "state 'done' at epoch 3", (s) => s.state === 'done');
      assert.equal(done.epoch, 3, 'data-epoch after an epochs=3 run');
      const trainedAt = Date.now();

      const accuracy = await numberAttr(page, '#test-accuracy', 'data-value');
      assert.ok(accuracy >= 0 && accuracy <= 1, `test accuracy ${accuracy} in 0..1`);
      measured['test accuracy after 3 epochs'] = accuracy.toFixed(4);

      const nTrain = await numberAttr(page, '#split-info', 'data-train');
      const nTest = await numberAttr(page, '#split-info', 'data-test');
      assert.equal(nTrain + nTest, DIGITS_ROWS, 'split parts add up to the data set');
      assert.ok(nTest > 0 && nTrain > 0);

      const cells = await page.$$eval('#confusion-table td', (tds) => tds.map((td) => td.textContent.trim()));
      assert.equal(cells.length, 100, '#confusion-table has 10x10 td counts');
      const counts = cells.map((c) => Number(c.replace(/[^\d]/g, '')));
      assert.ok(counts.every(Number.isInteger), `confusion counts are integers: ${cells.join(' ')}`);
      assert.equal(counts.reduce((a, b) => a + b, 0), nTest, 'confusion counts sum to the test size');

      // Canvases: wait a moment for the last draw, then count non-background pixels.
      await page.waitForTimeout(500);
      await expectInk(assert, page, '#chart-loss');
      await expectInk(assert, page, '#chart-confusion');
      await expectInk(assert, page, '#chart-roc');
      const layers = await page.$$eval('#feature-maps canvas', (cs) =>
        cs.map((c, i) => ({ i, layer: c.getAttribute('data-layer') })),
      );
      assert.ok(layers.length > 0, '#feature-maps holds canvases');
      const inks = [];
      for (const { i, layer } of layers) {
        const r = await canvasInk(page, '#feature-maps canvas', i);
        inks.push({ layer, ink: r.ink ?? 0 });
      }
      assert.ok(inks.some((x) => x.ink >= 20), `a feature-map canvas has ink: ${JSON.stringify(inks)}`);

      await page.screenshot({ path: artifact('02-trained-3-epochs.png'), fullPage: true });

      const log = await page.evaluate(() => window.__epochLog);
      const longTasks = await page.evaluate(() => window.__longTasks ?? []);
      const epochs = log.filter((e) => e.epoch > 0);
      if (epochs.length >= 2) {
        const per = (epochs.at(-1).t - epochs[0].t) / (epochs.at(-1).epoch - epochs[0].epoch);
        measured['seconds per epoch (epochs=3 run)'] = fmtSeconds(per);
      }
      measured['longest main-thread task during the epochs=3 run'] =
        longTasks.length ? `${Math.max(...longTasks.map((t) => t.ms)).toFixed(0)} ms (${longTasks.length} over 50 ms)` : 'none over 50 ms';

      // Privacy: nothing leaves the machine, and nothing at all after the page is ready.
      assertAllLocal(rec);
      const late = rec.requests.filter((r) => r.time > readyAt && isNetworkUrl(r.url));
      measured['requests during page load'] = rec.requests.filter((r) => r.time <= readyAt).length;
      measured['requests after ready (3-epoch run)'] = late.length;
      assertNone(late.map((r) => r.url), `requests after the page was ready (${trainedAt - readyAt} ms of training)`);
      assertNoErrors(rec);
    } finally {
      await context.close();
    }
  });

  test('pause holds the epoch, resume continues, stop returns to idle, Start works again', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser, { initScript: EPOCH_LOGGER });
    try {
      // Default settings (100 epochs, batch 128) on the quick digits data: also measures the
      // speed of an epoch.
      await gotoReady(page, env.server.url, '?data=digits&autostart=1');
      const MEASURE = 4;
      await waitForStatus(page, `epoch ${MEASURE}`, (s) => s.epoch >= MEASURE);
      const log = (await page.evaluate(() => window.__epochLog)).filter((e) => e.epoch > 0);
      const first = log.find((e) => e.epoch === 1);
      const last = log.find((e) => e.epoch === MEASURE) ?? log.at(-1);
      if (first && last && last.epoch > first.epoch) {
        const per = (last.t - first.t) / (last.epoch - first.epoch) / 1000;
        measured['seconds per epoch, default settings on digits (epochs 2..4, headless Chromium)'] = `${per.toFixed(2)} s`;
      }

      await page.click('#train-pause');
      await waitForStatus(page, "state 'paused'", (s) => s.state === 'paused', 60_000);
      await page.waitForTimeout(300); // an epoch report already in flight may still land
      const held = (await statusOf(page)).epoch;
      await page.waitForTimeout(2_000);
      const after2s = await statusOf(page);
      assert.equal(after2s.state, 'paused', 'still paused after 2 s');
      assert.equal(after2s.epoch, held, 'data-epoch held still for 2 s while paused');
      await page.screenshot({ path: artifact('03-paused.png'), fullPage: true });

      await page.click('#train-pause'); // Resume
      await waitForStatus(page, `an epoch after ${held}`, (s) => s.epoch > held && s.state === 'training');

      await page.click('#train-stop');
      const stopped = await waitForStatus(page, "state 'idle' after Stop", (s) => s.state === 'idle', 60_000);
      assert.equal(stopped.state, 'idle');

      await page.click('#train-start');
      await waitForStatus(page, 'a new run to finish its first epoch', (s) => s.state === 'training' && s.epoch >= 1);
      await page.click('#train-stop');
      await waitForStatus(page, "state 'idle' after the second Stop", (s) => s.state === 'idle', 60_000);

      assertAllLocal(rec);
      assertNoErrors(rec);
    } finally {
      await context.close();
    }
  });

  test('cross-validation with 2 folds x 2 epochs completes', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&kfold=1&autostart=1&folds=2&epochs=2');
      await page.waitForFunction(
        () => {
          const v = document.querySelector('#cv-mean')?.getAttribute('data-value');
          if (v) return true;
          return document.querySelector('#status')?.getAttribute('data-state') === 'error';
        },
        null,
        { timeout: TRAIN_TIMEOUT, polling: 250 },
      );
      const s = await statusOf(page);
      assert.notEqual(s.state, 'error', 'cross-validation ended in the error state');
      const mean = await numberAttr(page, '#cv-mean', 'data-value');
      assert.ok(mean >= 0 && mean <= 1, `#cv-mean ${mean} in 0..1`);
      measured['2-fold x 2-epoch CV mean accuracy'] = mean.toFixed(4);
      await page.waitForTimeout(500);
      await expectInk(assert, page, '#chart-cv');
      await page.screenshot({ path: artifact('04-cross-validation.png'), fullPage: true });
      assertAllLocal(rec);
      assertNoErrors(rec);
    } finally {
      await context.close();
    }
  });

  test('a malformed CSV upload names the line and keeps the bundled data', async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url);
      // 64 columns instead of 65 (64 pixels and the label).
      const row = Array.from({ length: 64 }, (_, i) => i % 17).join(',');
      const csv = `${row}\n${row}\n${row}\n`;
      await page.setInputFiles('#csv-file', {
        name: 'sixty-four-columns.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      });
      await page.waitForFunction(() => (document.querySelector('#data-error')?.textContent ?? '').trim() !== '', null, {
        timeout: 60_000,
      });
      const message = (await page.textContent('#data-error')).trim();
      measured['message for a 64-column CSV'] = JSON.stringify(message);
      assert.match(message, /line\s*\d+/i, `#data-error names the line: "${message}"`);
      assert.ok(await page.isVisible('#data-error'), '#data-error is visible');
      assert.equal(await attr(page, '#data-error', 'role'), 'alert');
      assert.equal(await numberAttr(page, '#data-rows', 'data-value'), UCI_ROWS, 'the bundled data stays loaded');
      await page.screenshot({ path: artifact('05-csv-error.png'), fullPage: true });
      assertAllLocal(rec);
      assertNoErrors(rec);
    } finally {
      await context.close();
    }
  });

  test('an invalid URL parameter shows #param-error and falls back to the default', async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?epochs=abc');
      await page.waitForFunction(() => (document.querySelector('#param-error')?.textContent ?? '').trim() !== '', null, {
        timeout: 30_000,
      });
      const message = (await page.textContent('#param-error')).trim();
      measured['message for ?epochs=abc'] = JSON.stringify(message);
      assert.match(message, /epochs/, `#param-error names the parameter: "${message}"`);
      assert.match(message, /abc/, `#param-error names the value: "${message}"`);
      assert.ok(await page.isVisible('#param-error'), '#param-error is visible');
      assert.equal(await page.inputValue('#set-epochs'), '100', 'epochs falls back to the default');
      assert.equal((await statusOf(page)).state, 'idle');
      await page.screenshot({ path: artifact('06-param-error.png'), fullPage: true });
      assertAllLocal(rec);
      assertNoErrors(rec);
    } finally {
      await context.close();
    }
  });

  test('accessibility report (axe-core; printed here, asserted in robustness.test.mjs)', async () => {
    const { context, page } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url);
      const result = await runAxe(page);
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      measured['axe-core violations (serious+critical / all)'] = `${serious.length} / ${result.violations.length}`;
      for (const v of result.violations) {
        console.log(`axe ${v.impact}: ${v.id} (${v.nodes.length} nodes): ${v.help}`);
      }
    } finally {
      await context.close();
    }
  });
});
