// End-to-end test of an honest evaluation (issue 12): the bundled data sets (`data=`), the
// `writers` split, the baselines table beside the CNN, the notebook's own figures where its
// protocol is in force, and the levers against overfitting (augment, val, patience).
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/evaluation.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  TRAIN_TIMEOUT,
  assertClean,
  expectInk,
  fmtSeconds,
  ROOT,
  gotoReady,
  openPage,
  statusOf,
  trainToDone,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;
const measured = {}; // printed at the end: figures, not assertions

const env = servePageForTests({
  onClose: () => {
    console.log('# measurements (informational, not asserted):');
    for (const [k, v] of Object.entries(measured)) console.log(`  ${k}: ${v}`);
  },
});

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'csv');

const text = async (page, selector) => ((await page.textContent(selector)) ?? '').trim();

/** Waits for the three rows of #baselines-table and returns them as objects. */
async function baselineRows(page) {
  await page.waitForFunction(() => document.querySelectorAll('#baselines-body tr').length === 3, null, {
    timeout: TRAIN_TIMEOUT,
  });
  return page.$$eval('#baselines-body tr', (trs) =>
    trs.map((tr) => ({
      model: tr.dataset.model,
      accuracy: Number(tr.dataset.accuracy),
      f1: Number(tr.dataset.f1),
      seconds: Number(tr.dataset.seconds),
      cells: [...tr.children].map((c) => c.textContent.trim()),
    })),
  );
}

describe('Evaluation: data, splits, baselines, levers (issue 12)', { concurrency: false }, () => {
  test('split=writers trains on 3,823 rows, tests on 1,797 and fills the baselines table', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      const started = Date.now();
      await trainToDone(page, env.server.url, '?split=writers&epochs=3');
      const doneAt = Date.now();
      assert.equal(await page.getAttribute('#split-info', 'data-train'), '3823');
      assert.equal(await page.getAttribute('#split-info', 'data-test'), '1797');
      assert.equal(await page.inputValue('#set-split'), 'writers');
      assert.equal(await page.inputValue('#data-choice'), 'uci');
      const rows = await baselineRows(page);
      measured['writers, 3 epochs: run to done'] = fmtSeconds(doneAt - started);
      measured['writers: baselines after done'] = fmtSeconds(Date.now() - doneAt);
      assert.deepEqual(rows.map((r) => r.model), ['cnn', 'knn', 'logistic']);
      for (const r of rows) {
        assert.ok(r.accuracy >= 0 && r.accuracy <= 1, `${r.model} accuracy ${r.accuracy} in 0..1`);
        assert.ok(r.f1 >= 0 && r.f1 <= 1, `${r.model} F1 ${r.f1} in 0..1`);
        assert.ok(r.seconds >= 0, `${r.model} seconds ${r.seconds}`);
        measured[`writers: ${r.model}`] = `accuracy ${r.accuracy.toFixed(4)}, F1 ${r.f1.toFixed(4)}, ${r.seconds.toFixed(2)} s to fit`;
      }
      assert.equal(rows[0].accuracy, Number(await page.getAttribute('#test-accuracy', 'data-value')));
      // k-NN on other people's handwriting: scikit-learn's 3-NN gets 97.83% on this split.
      assert.ok(rows[1].accuracy > 0.95, `k-NN ${rows[1].accuracy}`);
      assert.match(rows[2].cells[1], /unit/, 'the table says logistic regression fitted unit inputs');
      // Not the notebook's protocol: no notebook figures.
      assert.equal(await page.isVisible('#metrics-notebook'), false);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('data=digits loads 1,797 rows; the choice switches data; a bad data= is named', { timeout: 120_000 }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits');
      assert.equal(await page.getAttribute('#data-rows', 'data-value'), '1797');
      assert.equal(await page.inputValue('#data-choice'), 'digits');
      assert.match(await text(page, '#data-source'), /1,797 rows/);
      await page.selectOption('#data-choice', 'uci');
      await page.waitForFunction(() => document.querySelector('#data-rows')?.getAttribute('data-value') === '5620');
      assert.match(await text(page, '#data-source'), /UCI optdigits, 5,620 rows by 43 writers/);
      measured['#data-source for uci'] = JSON.stringify(await text(page, '#data-source'));

      await gotoReady(page, env.server.url, '?data=mnist');
      const message = await text(page, '#param-error');
      assert.match(message, /data = "mnist"/);
      assert.match(message, /uci or digits/);
      assert.equal(await page.getAttribute('#data-rows', 'data-value'), '5620', 'the default, uci, is loaded');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('split=writers with data=digits says why and starts nothing', { timeout: 120_000 }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?split=writers&data=digits&epochs=1&autostart=1');
      await page.waitForFunction(() => (document.querySelector('#settings-error')?.textContent ?? '').trim() !== '');
      const message = await text(page, '#settings-error');
      measured['message for split=writers&data=digits'] = JSON.stringify(message);
      assert.match(message, /the writers split is offered for the `uci` data only/);
      assert.match(message, /the `digits` data holds one partition of UCI's writers/);
      assert.ok(await page.isVisible('#settings-error'));
      await page.waitForTimeout(500);
      assert.equal((await statusOf(page)).state, 'idle', 'no run started');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('the notebook protocol (uci, random) shows the notebook figures; digits does not', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trainToDone(page, env.server.url, '?epochs=1&batch=256');
      assert.equal(await page.getAttribute('#split-info', 'data-train'), '4496');
      assert.equal(await page.isVisible('#metrics-notebook'), true);
      const accuracyRow = await page.$$eval('#metrics-body tr', (trs) =>
        trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())).find((cells) => cells[0] === 'Accuracy'),
      );
      assert.equal(accuracyRow[2], '0.9911 (99.11%)');
      await page.selectOption('#data-choice', 'digits');
      await page.waitForFunction(() => document.querySelector('#data-rows')?.getAttribute('data-value') === '1797');
      await page.click('#train-start');
      await page.waitForFunction(
        () =>
          document.querySelector('#split-info')?.getAttribute('data-train') === '1437' &&
          document.querySelector('#status')?.getAttribute('data-state') === 'done',
        null,
        { timeout: TRAIN_TIMEOUT },
      );
      assert.equal(await page.isVisible('#metrics-notebook'), false);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('test on another CSV: every loaded row trains, the file tests; a bad file is named', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=1&batch=256');
      await page.setInputFiles('#test-csv-file', join(FIXTURES, 'columns_64.csv'));
      await page.waitForFunction(() => (document.querySelector('#data-error')?.textContent ?? '').trim() !== '');
      const message = await text(page, '#data-error');
      measured['message for a 64-column test CSV'] = JSON.stringify(message);
      assert.match(message, /^columns_64\.csv was not loaded: line \d+/);
      assert.equal(await page.isEnabled('#test-csv-drop'), false, 'nothing to drop yet');

      await page.setInputFiles('#test-csv-file', join(FIXTURES, 'plain_valid.csv'));
      await page.waitForFunction(() => document.querySelector('#test-csv-info')?.textContent.includes('plain_valid.csv'));
      await page.click('#train-start');
      await page.waitForFunction(
        () => document.querySelector('#status')?.getAttribute('data-state') === 'done',
        null,
        { timeout: TRAIN_TIMEOUT },
      );
      assert.equal(await page.getAttribute('#split-info', 'data-train'), '1797');
      assert.equal(await page.getAttribute('#split-info', 'data-test'), '10');
      const rows = await baselineRows(page);
      assert.deepEqual(rows.map((r) => r.model), ['cnn', 'knn', 'logistic']);

      await page.click('#test-csv-drop');
      await page.waitForFunction(() => document.querySelector('#test-csv-info')?.textContent.includes('split the loaded data'));
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('augment, val and patience: a run to done with the validation curve and the kept epoch, carried by the link', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trainToDone(page, env.server.url, '?data=digits&patience=1&augment=shift&val=0.2&epochs=4&batch=256');
      assert.equal(await page.isChecked('#set-augment'), true);
      assert.equal(await page.inputValue('#set-validation'), '0.2');
      assert.equal(await page.inputValue('#set-patience'), '1');
      // The validation rows come out of the training rows; the test rows stay the split's.
      assert.equal(await page.getAttribute('#split-info', 'data-test'), '360');
      const kept = Number(await page.getAttribute('#chart-loss', 'data-kept-epoch'));
      const epochs = (await statusOf(page)).epoch;
      assert.ok(kept >= 1 && kept <= epochs, `kept epoch ${kept} of ${epochs}`);
      assert.match(await text(page, '#status'), new RegExp(`early stopping kept epoch ${kept}`));
      assert.match(await page.getAttribute('#chart-loss', 'aria-label'), /Early stopping kept epoch/);
      await expectInk(assert, page, '#chart-loss');
      measured['augment+val+patience=1, 4 epochs: epochs run, kept'] = `${epochs}, ${kept}`;

      await page.click('#copy-link');
      await page.waitForFunction(() => document.querySelector('#export-status')?.textContent.length > 0);
      const params = new URL(await page.inputValue('#share-link')).searchParams;
      assert.deepEqual(
        ['data', 'split', 'augment', 'val', 'patience'].map((k) => params.get(k)),
        ['digits', 'random', 'shift', '0.2', '1'],
      );
      const label = await page.$eval('#compare-a', (s) => s.options[s.options.length - 1]?.textContent ?? '');
      assert.match(label, /digits · random · shift/);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });
});
