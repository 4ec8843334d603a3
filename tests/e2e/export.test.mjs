// End-to-end test of section 11, export and share: the CSV and JSON downloads, PNGs of every chart, and the
// copy link.
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/export.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRAIN_TIMEOUT,
  assertClean,
  download,
  gotoReady,
  openPage,
  trainToDone,
  workersFor,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;

const env = servePageForTests();

/** Trains with the URL's settings (autostart) until done. */
const trained = (page, query) => trainToDone(page, env.server.url, query);

describe('Export and share (section 11)', { concurrency: false }, () => {
  test('export: the CSV and JSON parse, every chart saves as PNG, the link reproduces the settings', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?data=digits&epochs=2&seed=7&scale=unit&batch=64');
      const testRows = Number(await page.getAttribute('#split-info', 'data-test'));

      const history = (await download(page, '#export-history-csv')).bytes.toString('utf8').trim().split('\n');
      assert.equal(
        history[0],
        'epoch,train_loss,train_accuracy,test_loss,test_accuracy,elapsed_seconds,samples_per_second,val_loss,val_accuracy',
      );
      assert.equal(history.length, 3, 'a header and two epochs');
      for (const [i, line] of history.slice(1).entries()) {
        const cells = line.split(',');
        assert.equal(cells.length, 9);
        assert.equal(Number(cells[0]), i + 1);
        assert.ok(cells.slice(0, 7).map(Number).every(Number.isFinite), line);
        assert.deepEqual(cells.slice(7), ['', ''], `no validation share, no validation cells: ${line}`);
      }

      const metrics = (await download(page, '#export-metrics-csv')).bytes.toString('utf8').trim().split('\n');
      assert.equal(metrics[0], 'metric,class,value');
      const rows = metrics.slice(1).map((l) => l.split(','));
      assert.ok(rows.every((r) => r.length === 3));
      const accuracy = rows.find((r) => r[0] === 'test_accuracy');
      assert.equal(Number(accuracy[2]), Number(await page.getAttribute('#test-accuracy', 'data-value')));
      const confusion = rows.filter((r) => r[0].startsWith('confusion_'));
      assert.equal(confusion.length, 100);
      assert.equal(confusion.reduce((a, r) => a + Number(r[2]), 0), testRows);

      const record = JSON.parse((await download(page, '#export-json')).bytes.toString('utf8'));
      assert.equal(record.version, 1);
      assert.equal(record.seed, 7);
      assert.deepEqual(
        { epochs: record.settings.epochs, batch: record.settings.batch, scale: record.settings.scale, seed: record.settings.seed },
        { epochs: 2, batch: 64, scale: 'unit', seed: 7 },
      );
      assert.equal(record.data_rows, 1797);
      assert.ok(record.data_source.length > 0);
      assert.equal(record.history.length, 2);
      assert.equal(record.test_rows, testRows);
      assert.equal(record.confusion_matrix.length, 10);
      assert.equal(record.confusion_matrix.flat().reduce((a, b) => a + b, 0), testRows);
      assert.equal(record.metrics.test_accuracy, Number(accuracy[2]));
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      assert.deepEqual(
        record.workers,
        { count: workersFor(cores), build: 'relaxed-simd' },
        'the record names the workers that trained it (Chromium runs the relaxed-SIMD build)',
      );

      const charts = await page.$$eval('canvas[id^="chart-"]', (cs) => cs.map((c) => c.id));
      const buttons = await page.$$eval('button.png-download', (bs) => bs.map((b) => b.dataset.chart));
      assert.deepEqual(buttons.sort(), charts.sort(), 'one PNG button per chart');
      for (const id of ['chart-loss', 'chart-confusion']) {
        const png = await download(page, `button.png-download[data-chart="${id}"]`);
        assert.equal(png.name, `digit-lab-${id}.png`);
        assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${id} is a PNG`);
      }

      await page.click('#copy-link');
      await page.waitForFunction(() => document.querySelector('#export-status')?.textContent.length > 0);
      const link = await page.inputValue('#share-link');
      const params = new URL(link).searchParams;
      assert.equal(params.get('seed'), '7');
      assert.equal(params.get('scale'), 'unit');
      assert.equal(params.get('epochs'), '2');
      assert.equal(params.get('batch'), '64');
      // The test size goes under its one name; `test` is only read, as an alias.
      assert.equal(params.get('test_size'), '0.2');
      assert.equal(params.get('test'), null);
      const other = await context.newPage();
      await gotoReady(other, link.replace(/\/\?.*$/, ''), `?${params}`);
      assert.equal(await other.inputValue('#set-seed'), '7');
      assert.equal(await other.inputValue('#set-scale'), 'unit');
      assert.equal(await other.inputValue('#set-batch'), '64');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });
});
