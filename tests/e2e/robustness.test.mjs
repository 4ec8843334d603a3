// Robustness, privacy and accessibility of the built page, in headless Chromium:
// every malformed-CSV fixture, a 50 MB file, too few rows and a single class; invalid URL
// parameters and settings; a worker panic; Start/Stop storms; a hidden (frozen) tab; memory
// across cross-validation; the strict CSP; a sandboxed iframe; keyboard, focus ring, the
// live region and axe-core. Run by scripts/test.sh after the page is built, or by hand:
//   node --test --test-concurrency=1 tests/e2e/robustness.test.mjs
// DIGITLAB_LONG_RUN=1 makes the memory test the full 5-fold x 100-epoch run (~3 min).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAxe } from './axe.mjs';
import {
  DIST,
  ROOT,
  TRAIN_TIMEOUT,
  artifact,
  cspViolations,
  gotoReady,
  isLocalUrl,
  lateRequests,
  openPage,
  statusOf,
  waitForStatus,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';
import { startServer } from './server.mjs';

// The quick `digits` data every test here loads (`data=digits`), as the bundled data.
const BUNDLED_ROWS = 1797;
const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'csv');
const LONG_RUN = process.env.DIGITLAB_LONG_RUN === '1';
// The Content-Security-Policy header security guides recommend a host to send.
const STRICT_HOST_POLICY = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";
const measured = {}; // printed at the end
const totals = { casesTried: 0, restartsSurvived: 0, lateRequests: 0, pagesChecked: 0 };

const env = servePageForTests({
  onClose: () => {
    measured['cases tried (fixtures, 50 MB, row/class/param cases)'] = totals.casesTried;
    measured['worker restarts survived (Start/Stop cycles + crashes)'] = totals.restartsSurvived;
    measured['network requests after ready, over all robustness pages'] =
      `${totals.lateRequests} (${totals.pagesChecked} pages checked)`;
    console.log('# robustness figures (informational):');
    for (const [k, v] of Object.entries(measured)) console.log(`  ${k}: ${v}`);
  },
});

/**
 * The fixtures and their expected outcome, from EXPECTED.json (shared with the core's
 * tests): `{file, ok: true, rows}` or `{file, ok: false, error}`, `error` being a part of
 * the parser's message.
 */
function fixtures() {
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'EXPECTED.json'), 'utf8'));
  return expected.map(({ file, ok, rows, error }) => ({ file, ok, rows: ok ? rows : null, what: error }));
}

const text = (page, sel) => page.textContent(sel, { timeout: 5_000 }).then((t) => (t ?? '').trim());
const rowsOf = async (page) => Number(await page.getAttribute('#data-rows', 'data-value'));

/**
 * The checks every page of this file ends with: nothing left 127.0.0.1, no request after
 * ready (except those `allowLate` accepts), no CSP violation, no uncaught error, and no
 * console error (except those `allowConsole` accepts).
 */
async function assertClean(page, rec, { allowLate = () => false, allowConsole = () => false } = {}) {
  const away = rec.requests.filter((r) => !isLocalUrl(r.url)).map((r) => r.url);
  assert.deepEqual(away, [], 'requests that leave 127.0.0.1');
  const late = lateRequests(rec).filter((r) => !allowLate(r.url));
  totals.lateRequests += late.length;
  totals.pagesChecked += 1;
  assert.deepEqual(late.map((r) => r.url), [], 'requests after the page was ready');
  assert.deepEqual(await cspViolations(page), [], 'Content-Security-Policy violations');
  assert.deepEqual(rec.pageErrors, [], 'uncaught page errors');
  const errors = rec.consoleErrors.filter((e) => !allowConsole(e));
  assert.deepEqual(errors, [], 'console errors');
  assert.ok(!rec.console.some((m) => /Content Security Policy/i.test(m)), 'CSP messages in the console');
}

/** Uploads a file through #csv-file; resolves to {error} or {loaded} once the page answers. */
async function upload(page, name, fileOrBuffer) {
  const files = typeof fileOrBuffer === 'string'
    ? fileOrBuffer
    : { name, mimeType: 'text/csv', buffer: fileOrBuffer };
  await page.setInputFiles('#csv-file', files);
  const handle = await page.waitForFunction(
    (n) => {
      const error = document.querySelector('#data-error')?.textContent ?? '';
      if (error.includes(n)) return { error: error.trim() };
      if ((document.querySelector('#data-source')?.textContent ?? '').trim() === n) return { loaded: true };
      return false;
    },
    name,
    { timeout: 60_000, polling: 50 },
  );
  return handle.jsonValue();
}

/** The name the training worker's loader gives its helper workers (web/worker-loader.js). */
const HELPER_NAME = 'digit-lab-helper';

/** The page's training worker(s) and their helper workers (data-parallel training). */
async function workersOf(page) {
  const named = await Promise.all(page.workers().map(async (w) => ({
    w,
    name: await w.evaluate(() => self.name).catch(() => null), // null: a worker going away
  })));
  return {
    main: named.filter((x) => x.name !== null && x.name !== HELPER_NAME).map((x) => x.w),
    helpers: named.filter((x) => x.name === HELPER_NAME).map((x) => x.w),
  };
}

/**
 * Waits until the page has exactly one training worker (a terminated one may take a moment
 * to go) and at most 3 helpers; returns them.
 */
async function oneWorker(page) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await workersOf(page);
    if (found.main.length === 1 && found.helpers.length <= 3) return found;
    if (Date.now() > deadline) {
      assert.fail(`the page has ${found.main.length} training workers (expected 1) and ${found.helpers.length} helpers`);
    }
    await page.waitForTimeout(100);
  }
}

/** The wasm memory in bytes of the training worker and of all workers (helpers included). */
async function workerMemory(page) {
  const { main, helpers } = await oneWorker(page);
  const size = (w) => w.evaluate(async () => (await self.digitLabWasm).memory.buffer.byteLength).catch(() => 0);
  const own = await size(main[0]);
  let all = own;
  for (const h of helpers) all += await size(h);
  return { own, all, helpers: helpers.length };
}

async function setField(page, selector, value) {
  await page.fill(selector, String(value));
}

// Wasm memory never shrinks: it grows to the largest heap any run needed, and where a Stop or
// a fold's end lands decides when that happens (seen: one step of 3 to 5 MiB, in any cycle or
// fold, on earlier builds too). A leak adds with every run instead: a run leaking one network
// and its optimizer state (about 1.2 MiB) raises the memory at nearly every sample and by tens
// of MiB over ten cycles. So between successive samples (all workers' memory) the memory may
// rise at most twice, and by at most 8 MiB in all.
function assertMemorySettles(samples, shown) {
  const rises = samples.slice(1).filter((m, i) => m.all > samples[i].all).length;
  assert.ok(rises <= 2, `memory rose ${rises} times in ${samples.length - 1} steps: ${shown}`);
  assert.ok(samples.at(-1).all - samples[0].all <= 8 * 1048576, `memory grew by over 8 MiB: ${shown}`);
}

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

describe('Digit Lab robustness', { concurrency: false }, () => {
  test('every malformed-CSV fixture: the line and problem, or accepted; the old data stays', { timeout: 300_000 }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits');
      const list = fixtures();
      assert.ok(list.length >= 25, `${list.length} fixtures`);
      const messages = [];
      for (const f of list) {
        const rowsBefore = await rowsOf(page);
        const sourceBefore = await text(page, '#data-source');
        const outcome = await upload(page, f.file, join(FIXTURES, f.file));
        totals.casesTried += 1;
        if (f.ok) {
          assert.ok(outcome.loaded, `${f.file} should load: ${JSON.stringify(outcome)}`);
          assert.equal(await rowsOf(page), f.rows, `${f.file} rows`);
          assert.equal(await text(page, '#data-error'), '', `${f.file}: #data-error is cleared`);
        } else {
          assert.ok(outcome.error, `${f.file} should be refused`);
          assert.ok(outcome.error.includes(f.what), `${f.file}: "${outcome.error}" lacks "${f.what}"`);
          assert.equal(await rowsOf(page), rowsBefore, `${f.file}: the old data stays`);
          assert.equal(await text(page, '#data-source'), sourceBefore, `${f.file}: the old source stays`);
          assert.ok(await page.isVisible('#data-error'), `${f.file}: the message is visible`);
          messages.push(outcome.error);
        }
        const s = await statusOf(page);
        assert.notEqual(s.state, 'error', `${f.file} put the page in the error state`);
      }
      measured['fixtures uploaded in the page'] = `${list.length} (${messages.length} refused with a message)`;
      await oneWorker(page);
      // Still usable: back to the bundled data.
      await page.click('#data-bundled');
      await page.waitForFunction((n) => document.querySelector('#data-rows')?.getAttribute('data-value') === String(n), BUNDLED_ROWS);
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });

  test('a 50 MB file is refused for its size and the data stays', { timeout: 120_000 }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    const path = join(tmpdir(), `digitlab-50mb-${process.pid}.csv`);
    try {
      const row = `${'0,'.repeat(64)}1\n`;
      writeFileSync(path, row.repeat(Math.ceil(50_000_000 / row.length)));
      await gotoReady(page, env.server.url, '?data=digits');
      const name = path.split('/').pop();
      const outcome = await upload(page, name, path);
      totals.casesTried += 1;
      assert.ok(outcome.error, 'refused');
      assert.match(outcome.error, /too large \(47\.7 MB\); the limit is 10 MB/);
      measured['message for a 50 MB file'] = JSON.stringify(outcome.error);
      assert.equal(await rowsOf(page), BUNDLED_ROWS);
      await assertClean(page, rec);
    } finally {
      rmSync(path, { force: true });
      await context.close();
    }
  });

  test('too few rows for the split or the folds, and a single class: clear messages on Start', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=1');
      const refusedRun = async (file, button, pattern, folds = 5) => {
        const outcome = await upload(page, file, join(FIXTURES, file));
        assert.ok(outcome.loaded, `${file} loads`);
        await setField(page, '#set-folds', folds);
        const previous = await text(page, '#status');
        await page.click(button);
        // A new error (the last case may have left the error state with another message).
        await page.waitForFunction((prev) => {
          const s = document.querySelector('#status');
          return s?.getAttribute('data-state') === 'error' && s.textContent.trim() !== prev;
        }, previous, { timeout: 30_000 });
        const message = await text(page, '#status');
        assert.match(message, pattern, `${file} + ${button}`);
        totals.casesTried += 1;
        measured[`message: ${file}, ${button}`] = JSON.stringify(message);
      };
      await refusedRun('one_row.csv', '#train-start', /the data has 1 row; a 0\.2 test split needs at least 2 rows/);
      await refusedRun('one_row.csv', '#kfold-start', /5 folds need at least 5 rows; the data has 1/);
      await refusedRun('three_rows.csv', '#kfold-start', /5 folds need at least 5 rows; the data has 3/);
      await refusedRun('single_class.csv', '#train-start', /every training row is a 3; training needs at least two different digits/);
      await refusedRun('single_class.csv', '#kfold-start', /every training row is a 3; training needs at least two different digits/, 2);
      // The page is still usable: bundled data, a 1-epoch run to the end.
      await page.click('#data-bundled');
      await page.waitForFunction((n) => document.querySelector('#data-rows')?.getAttribute('data-value') === String(n), BUNDLED_ROWS);
      await page.click('#train-start');
      await page.waitForFunction(() => document.querySelector('#status')?.getAttribute('data-state') !== 'error', null, { timeout: 60_000 });
      const done = await waitForStatus(page, 'done after the refusals', (s) => s.state === 'done');
      assert.equal(done.epoch, 1);
      await oneWorker(page);
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });

  test('invalid URL parameters and settings are refused with a visible message', { timeout: 120_000 }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      const bad = [['epochs', '0'], ['epochs', '1e9'], ['batch', '0'], ['lr', '-0.5'], ['folds', '1'], ['test', '1.5']];
      const query = `?data=digits&${bad.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}&autostart=1`;
      await gotoReady(page, env.server.url, query);
      await page.waitForFunction(() => (document.querySelector('#param-error')?.textContent ?? '').trim() !== '');
      const message = await text(page, '#param-error');
      assert.ok(await page.isVisible('#param-error'), '#param-error is visible');
      for (const [k, v] of bad) {
        assert.ok(message.includes(`${k} = "${v}"`), `#param-error names ${k}=${v}: ${message}`);
        totals.casesTried += 1;
      }
      measured['message for bad URL parameters'] = JSON.stringify(message);
      // Defaults are used instead (and the autostarted run uses them).
      assert.equal(await page.inputValue('#set-epochs'), '100');
      assert.equal(await page.inputValue('#set-batch'), '128');
      assert.equal(await page.inputValue('#set-lr'), '0.001');
      assert.equal(await page.inputValue('#set-folds'), '5');
      await waitForStatus(page, 'the autostarted run with defaults', (s) => s.state === 'training');
      await page.click('#train-stop');
      await waitForStatus(page, 'idle', (s) => s.state === 'idle', 60_000);

      // The form: each bad value is named in #settings-error and nothing starts.
      const form = [
        ['#set-epochs', '0', /Epochs/, '#train-start'],
        ['#set-epochs', '1000000000', /Epochs/, '#train-start'],
        ['#set-batch', '0', /Batch size/, '#train-start'],
        ['#set-lr', '-1', /Learning rate/, '#train-start'],
        ['#set-folds', '1', /Folds/, '#kfold-start'],
      ];
      for (const [field, value, pattern, button] of form) {
        const before = await statusOf(page);
        await setField(page, field, value);
        await page.click(button);
        await page.waitForFunction(() => (document.querySelector('#settings-error')?.textContent ?? '').trim() !== '');
        const refusal = await text(page, '#settings-error');
        assert.match(refusal, pattern, `${field}=${value}: ${refusal}`);
        assert.ok(refusal.includes(value), `${field}=${value}: the value is named: ${refusal}`);
        assert.ok(await page.isVisible('#settings-error'));
        await page.waitForTimeout(300);
        assert.deepEqual(await statusOf(page), before, `${field}=${value} started nothing`);
        totals.casesTried += 1;
        await setField(page, field, { '#set-epochs': 1, '#set-batch': 128, '#set-lr': 0.001, '#set-folds': 5 }[field]);
      }
      await page.click('#train-start');
      await waitForStatus(page, 'a valid run after the refusals', (s) => s.state === 'done');
      assert.equal(await text(page, '#settings-error'), '', 'the refusal is cleared by a valid start');
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });

  test('a panic in the worker shows the error state; the page stays usable and Start works again', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    const crash = () => page.evaluate(() => document.dispatchEvent(new Event('digitlab:debug-crash')));
    try {
      // Without debug-crash=1 the hook is inert.
      await gotoReady(page, env.server.url, '?data=digits&epochs=2');
      await crash();
      await page.waitForTimeout(500);
      assert.equal((await statusOf(page)).state, 'idle', 'the crash hook is inert without debug-crash=1');

      await gotoReady(page, env.server.url, '?data=digits&epochs=2&debug-crash=1');
      const crashes = 3;
      for (let i = 1; i <= crashes; i += 1) {
        // Crash mid-run the first time, idle afterwards.
        if (i === 1) {
          await page.click('#train-start');
          await waitForStatus(page, 'training', (s) => s.state === 'training');
        }
        await crash();
        await page.waitForFunction(() => document.querySelector('#status')?.getAttribute('data-state') === 'error', null, { timeout: 30_000 });
        const message = await text(page, '#status');
        assert.match(message, /restarted; press Start to try again/, message);
        if (i === 1) measured['status after a worker panic'] = JSON.stringify(message);
        await oneWorker(page);
        // The restarted worker has the data again, and Start trains to the end.
        await page.click('#train-start');
        await page.waitForFunction(() => document.querySelector('#status')?.getAttribute('data-state') !== 'error', null, { timeout: 60_000 });
        const done = await waitForStatus(page, `done after crash ${i}`, (s) => s.state === 'done');
        assert.equal(done.epoch, 2);
        totals.restartsSurvived += 1;
      }
      assert.equal(await rowsOf(page), BUNDLED_ROWS);
      await page.screenshot({ path: artifact('robust-after-crashes.png') });
      // A restarted worker fetches its three files again (from the cache-less test server);
      // the panic's message is logged by the worker.
      await assertClean(page, rec, {
        allowLate: (url) => /\/(worker-loader\.js|worker(-relaxed-simd)?\.js|worker(-relaxed-simd)?_bg\.wasm)$/.test(url),
        allowConsole: (m) => /asked to crash|unreachable|RuntimeError|panicked/i.test(m),
      });
    } finally {
      await context.close();
    }
  });

  test('Start/Stop/Start 10x and Start during training: one worker, no stuck state, no leak', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=50');
      const memory = [];
      for (let i = 1; i <= 10; i += 1) {
        await page.click('#train-start');
        await waitForStatus(page, `training (cycle ${i})`, (s) => s.state === 'training', 60_000);
        await page.click('#train-stop');
        await waitForStatus(page, `idle (cycle ${i})`, (s) => s.state === 'idle', 60_000);
        await page.click('#train-start'); // and Start again right away
        await waitForStatus(page, `training again (cycle ${i})`, (s) => s.state === 'training', 60_000);
        await page.click('#train-stop');
        await waitForStatus(page, `idle again (cycle ${i})`, (s) => s.state === 'idle', 60_000);
        const m = await workerMemory(page); // also asserts one training worker
        if (memory.length) assert.equal(m.helpers, memory[0].helpers, `helper workers after cycle ${i}`);
        memory.push(m);
        totals.restartsSurvived += 1;
      }
      // Start clicked five times in a row during training: one run, which finishes.
      await setField(page, '#set-epochs', 3);
      await page.click('#train-start');
      await waitForStatus(page, 'training', (s) => s.state === 'training' && s.epoch >= 1);
      await page.evaluate(() => {
        window.__epochs = [];
        new MutationObserver(() => window.__epochs.push(document.querySelector('#status').getAttribute('data-epoch')))
          .observe(document.querySelector('#status'), { attributes: true, attributeFilter: ['data-epoch'] });
      });
      for (let i = 0; i < 5; i += 1) await page.click('#train-start');
      const done = await waitForStatus(page, 'done', (s) => s.state === 'done');
      assert.equal(done.epoch, 3);
      await page.waitForTimeout(1_000);
      assert.deepEqual(await statusOf(page), done, 'no epoch of an abandoned run arrives after done');
      const seen = (await page.evaluate(() => window.__epochs)).map(Number);
      // Each Start replaced the run (data-epoch back to 0); the last one counts 0..3 in order.
      const lastRun = seen.slice(seen.lastIndexOf(0));
      assert.deepEqual([...new Set(lastRun)], [0, 1, 2, 3], `the last run counts 0..3 in order: ${seen}`);
      assert.ok(lastRun.every((e, i) => i === 0 || e >= lastRun[i - 1]), `no epoch goes back: ${seen}`);
      await oneWorker(page);
      measured['worker memory (training worker / all workers) after Start/Stop cycle 1 and 10'] =
        `${mib(memory[0].own)} / ${mib(memory[0].all)} and ${mib(memory.at(-1).own)} / ${mib(memory.at(-1).all)} (${memory[0].helpers} helper workers)`;
      const grew = memory.map((m) => mib(m.all)).join(', ');
      assertMemorySettles(memory, grew);
      measured['worker memory (all workers) after each Start/Stop cycle'] = grew;
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });

  test('a hidden, frozen tab does not corrupt a run: same result as a visible run', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=4&seed=7');
      await page.click('#train-start');
      await waitForStatus(page, 'reference run done', (s) => s.state === 'done');
      const reference = await page.getAttribute('#test-accuracy', 'data-value');
      const cells = () => page.$$eval('#confusion-table td', (tds) => tds.map((td) => td.textContent.trim()).join(' '));
      const referenceCells = await cells();

      await page.evaluate(() => {
        window.__epochs = [];
        new MutationObserver(() => window.__epochs.push(Number(document.querySelector('#status').getAttribute('data-epoch'))))
          .observe(document.querySelector('#status'), { attributes: true, attributeFilter: ['data-epoch'] });
      });
      await page.click('#train-start');
      await waitForStatus(page, 'epoch 1', (s) => s.state === 'training' && s.epoch >= 1);
      // Hide the tab: visibility 'hidden' (as a background tab) and the page frozen (as
      // Chrome does to background tabs), for 3 s.
      const cdp = await context.newCDPSession(page);
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        Object.defineProperty(document, 'hidden', { value: true, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
      await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
      await new Promise((ok) => setTimeout(ok, 3_000));
      await cdp.send('Page.setWebLifecycleState', { state: 'active' });
      await page.evaluate(() => {
        delete document.visibilityState;
        delete document.hidden;
        document.dispatchEvent(new Event('visibilitychange'));
      });
      const done = await waitForStatus(page, 'the hidden run done', (s) => s.state === 'done');
      assert.equal(done.epoch, 4);
      const epochs = (await page.evaluate(() => window.__epochs)).filter((e) => e > 0);
      assert.deepEqual([...new Set(epochs)], [1, 2, 3, 4], `epochs in order, none lost: ${epochs}`);
      assert.equal(await page.getAttribute('#test-accuracy', 'data-value'), reference, 'same accuracy as the visible run');
      assert.equal(await cells(), referenceCells, 'same confusion matrix as the visible run');
      measured['hidden/frozen run (4 epochs, seed 7) vs visible run'] = `identical (test accuracy ${reference})`;
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });

  test(`worker memory stays flat across ${LONG_RUN ? '5-fold x 100-epoch' : '5-fold x 3-epoch'} cross-validation`, { timeout: LONG_RUN ? 30 * 60_000 : TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    const epochs = LONG_RUN ? 100 : 3;
    const folds = 5;
    try {
      await gotoReady(page, env.server.url, `?data=digits&kfold=1&autostart=1&folds=${folds}&epochs=${epochs}`);
      const start = await workerMemory(page);
      const heap = () => page.evaluate(() => performance.memory?.usedJSHeapSize ?? NaN);
      const heapStart = await heap();
      const afterFold = [];
      const started = Date.now();
      while (afterFold.length < folds) {
        const s = await statusOf(page);
        assert.notEqual(s.state, 'error', 'cross-validation failed');
        if (s.epoch >= (afterFold.length + 1) * epochs) afterFold.push(await workerMemory(page));
        else await page.waitForTimeout(100);
        assert.ok(Date.now() - started < (LONG_RUN ? 30 * 60_000 : TRAIN_TIMEOUT), 'timed out');
      }
      await page.waitForFunction(() => document.querySelector('#cv-mean')?.getAttribute('data-value'), null, { timeout: 120_000 });
      const end = await workerMemory(page);
      const heapEnd = await heap();
      const label = `${folds}-fold x ${epochs}-epoch`;
      const show = (m) => `${mib(m.own)} (${mib(m.all)} with ${m.helpers} helpers)`;
      measured[`worker wasm memory, ${label}: before / after fold 1..${folds} / end`] =
        `${show(start)} / ${afterFold.map(show).join(', ')} / ${show(end)}`;
      measured[`page JS heap, ${label}: before / after`] = `${mib(heapStart)} / ${mib(heapEnd)}`;
      measured[`${label} took`] = `${((Date.now() - started) / 1000).toFixed(0)} s`;
      assertMemorySettles([...afterFold, end], `after fold 1..${folds}: ${afterFold.map(show).join(', ')}, end ${show(end)}`);
      await oneWorker(page);
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });

  test('strict CSP: no inline script, no eval beyond wasm; a strict host\'s header policy: no violation while training, service worker included', { timeout: TEST_TIMEOUT }, async () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
    assert.ok(csp, 'the page has a CSP meta tag');
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"], `script-src: ${csp}`);
    assert.ok(!/unsafe-inline|'unsafe-eval'/.test(csp), `no unsafe-inline or unsafe-eval: ${csp}`);
    assert.deepEqual(directives['default-src'], ["'self'"]);
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attrs, body]) => !/\bsrc=/.test(attrs) || body.trim());
    assert.deepEqual(inline.map((m) => m[0].slice(0, 80)), [], 'inline scripts in dist/index.html');
    assert.ok(!/\son[a-z]+="/i.test(html), 'no inline event handlers');
    measured['CSP of dist/index.html'] = csp;

    // Served as a strict host serves it: the policy security guides recommend, in a header
    // on every file, the service worker's included; the page then runs from its cache.
    const strict = await startServer(DIST, 0, { headers: { 'Content-Security-Policy': STRICT_HOST_POLICY } });
    const { context, page, rec } = await openPage(env.browser, { serviceWorkers: 'allow' });
    try {
      await gotoReady(page, strict.url, '?data=digits');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await gotoReady(page, strict.url, '?data=digits&epochs=1&autostart=1');
      assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true, 'served by the service worker');
      await waitForStatus(page, 'done', (s) => s.state === 'done');
      await page.click('#fm-index');
      await setField(page, '#fm-index', 5);
      await page.press('#fm-index', 'Enter');
      await page.waitForTimeout(300);
      await assertClean(page, rec, { allowLate: (url) => rec.requests.some((r) => r.url === url && r.serviceWorker) });
      measured['strict host policy (a header on every file)'] = STRICT_HOST_POLICY;
    } finally {
      await context.close();
      await strict.close();
    }
  });

  test('embed mode inside a sandboxed iframe (allow-scripts allow-downloads): trains, no violations; axe clean', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    const embed = `${env.server.url}/__embed-test.html`;
    try {
      // A teacher's page with a strict policy of its own, embedding the lab sandboxed.
      await context.route(embed, (route) => route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'Content-Security-Policy': `default-src 'none'; frame-src ${env.server.url}/; style-src 'unsafe-inline'` },
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embedding test</title></head>
<body><main><h1>Course page</h1>
<iframe id="lab" title="Digit Lab" sandbox="allow-scripts allow-downloads" style="width:1200px;height:2400px;border:0"
  src="${env.server.url}/?data=digits&embed=1&epochs=2&autostart=1"></iframe></main></body></html>`,
      }));
      await page.goto(embed, { waitUntil: 'load' });
      const frame = await (await page.waitForSelector('#lab')).contentFrame();
      assert.equal(await frame.evaluate(() => window.origin), 'null', 'the frame has an opaque origin');
      await frame.waitForSelector('#status[data-state="done"]', { state: 'attached', timeout: TRAIN_TIMEOUT });
      rec.readyAt = Date.now();
      const accuracy = Number(await frame.getAttribute('#test-accuracy', 'data-value'));
      assert.ok(accuracy > 0 && accuracy <= 1, `trained inside the sandbox: ${accuracy}`);
      assert.equal(await frame.getAttribute('#data-rows', 'data-value'), String(BUNDLED_ROWS));
      measured['sandboxed iframe: test accuracy after 2 epochs'] = accuracy.toFixed(4);
      await assertClean(page, rec);

      const result = await axeIn(frame);
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], 'axe serious/critical in the iframe');
      measured['axe in the sandboxed iframe (serious+critical / all)'] = `${serious.length} / ${result.violations.length}`;
      await page.screenshot({ path: artifact('robust-sandboxed-iframe.png') });
    } finally {
      await context.close();
    }
  });

  test('keyboard: every control is reachable by Tab with a visible focus ring, and operable', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=1');
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      const controls = await page.$$eval(
        'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
        (els) => els
          .filter((el) => !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
          .map((el) => el.id || `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''}[${el.getAttribute('data-index') ?? el.textContent.trim().slice(0, 20)}]`),
      );
      const reached = new Map();
      await page.evaluate(() => document.activeElement?.blur());
      for (let i = 0; i < controls.length + 20; i += 1) {
        await page.keyboard.press('Tab');
        const info = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          return {
            key: el.id || `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''}[${el.getAttribute('data-index') ?? el.textContent.trim().slice(0, 20)}]`,
            ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
          };
        });
        if (info && !reached.has(info.key)) reached.set(info.key, info);
      }
      const missed = controls.filter((c) => !reached.has(c));
      assert.deepEqual(missed, [], 'controls Tab never reaches');
      const ringless = [...reached.values()].filter((r) => !r.ring).map((r) => `${r.key}: ${r.outline}`);
      assert.deepEqual(ringless, [], 'focused controls without a visible focus ring');
      measured['controls reached by Tab, each with a focus ring'] = `${reached.size} (${[...reached.values()][1]?.outline})`;

      // Operable: Enter on a focused sample shows its maps; Enter on Start trains.
      const sample = await page.$('canvas.sample');
      const row = await sample.getAttribute('data-index');
      await sample.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((r) => document.querySelector('#fm-index').value === r, row);
      await page.focus('#train-start');
      await page.keyboard.press('Enter');
      await waitForStatus(page, 'done by keyboard', (s) => s.state === 'done');
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });

  test('the live region speaks at most once per epoch and sums up at the end; charts have text; axe clean after training', { timeout: TEST_TIMEOUT }, async () => {
    const recorder = () => {
      window.__announcements = [];
      document.addEventListener('DOMContentLoaded', () => {
        const region = document.querySelector('#announcer');
        new MutationObserver(() => window.__announcements.push(region.textContent))
          .observe(region, { childList: true, characterData: true, subtree: true });
      });
    };
    const { context, page, rec } = await openPage(env.browser, { initScript: recorder });
    try {
      const epochs = 5;
      await gotoReady(page, env.server.url, `?data=digits&epochs=${epochs}&autostart=1`);
      await waitForStatus(page, 'done', (s) => s.state === 'done');
      await page.waitForTimeout(300);
      assert.equal(await page.getAttribute('#announcer', 'aria-live'), 'polite');
      const said = await page.evaluate(() => window.__announcements);
      assert.ok(said.length >= 2, `announced: ${JSON.stringify(said)}`);
      assert.ok(said.length <= epochs + 2, `${said.length} announcements for ${epochs} epochs: ${JSON.stringify(said)}`);
      assert.match(said.at(-1), new RegExp(`Training done after ${epochs} epochs: test accuracy`), 'a summary at the end');
      measured[`live-region announcements in a ${epochs}-epoch run`] = `${said.length}: ${JSON.stringify(said)}`;

      // Every canvas has a text alternative.
      const canvases = await page.$$eval('canvas', (cs) => cs.map((c) => ({
        id: c.id || c.className,
        role: c.getAttribute('role'),
        label: c.getAttribute('aria-label') ?? '',
        hidden: c.getAttribute('aria-hidden') === 'true',
      })));
      const unlabelled = canvases.filter((c) => !c.hidden && (!c.label.trim() || !['img', 'button'].includes(c.role)));
      assert.deepEqual(unlabelled, [], 'canvases without role=img/button and an aria-label');
      measured['canvases with a text alternative after training'] = canvases.length;

      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      const result = await runAxe(page);
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      for (const v of result.violations) console.log(`axe (trained page) ${v.impact}: ${v.id} (${v.nodes.length}): ${v.help}`);
      assert.deepEqual(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], 'axe serious/critical after training');
      measured['axe on the trained page (serious+critical / all)'] = `${serious.length} / ${result.violations.length}`;
      await assertClean(page, rec);
    } finally {
      await context.close();
    }
  });
});

/** axe-core inside a frame (the sandboxed iframe). */
async function axeIn(frame) {
  const source = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await frame.evaluate(source);
  // preload: false, or axe itself re-fetches the (cross-origin, to the sandbox) stylesheet.
  return frame.evaluate(() => window.axe.run(document, {
    preload: false,
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
}
