// End-to-end test of section 10, model files: save, reload the page, load, and the loaded network evaluates
// and trains further.
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/model-files.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  TRAIN_TIMEOUT,
  artifact,
  assertClean,
  download,
  gotoReady,
  openPage,
  statusOf,
  trainToDone,
  waitForStatus,
} from './browser.mjs';
import { drawStroke, drawingPrediction } from './draw-pad.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;

const env = servePageForTests();

/** Trains with the URL's settings (autostart) until done. */
const trained = (page, query) => trainToDone(page, env.server.url, query);

describe('Model files (section 10)', { concurrency: false }, () => {
  test('save, reload the page, load: identical predictions; the loaded model evaluates and trains further', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?data=digits&epochs=2');
      const accuracy = await page.getAttribute('#test-accuracy', 'data-value');
      await drawStroke(page, [6, 20], [26, 10]);
      const before = await drawingPrediction(page);
      const saved = await download(page, '#model-save');
      assert.match(saved.name, /\.dlab$/);
      assert.equal(saved.bytes.subarray(0, 8).toString('latin1'), 'DIGITLAB');
      const file = artifact('features-model.dlab');
      writeFileSync(file, saved.bytes);

      await page.reload({ waitUntil: 'load' });
      await gotoReady(page, env.server.url, '?data=digits&epochs=1');
      assert.equal((await statusOf(page)).state, 'idle');
      // A refused file first: a clear message, nothing changes.
      await page.setInputFiles('#model-file', { name: 'notes.dlab', mimeType: 'application/octet-stream', buffer: Buffer.from('hello, not a model') });
      await page.waitForFunction(() => document.querySelector('#model-error')?.textContent.includes('not a Digit Lab model'));
      assert.equal(await page.getAttribute('#model-info', 'data-state'), 'none');

      await page.setInputFiles('#model-file', file);
      await page.waitForSelector('#model-info[data-state="loaded"]');
      assert.equal(await page.getAttribute('#model-info', 'data-epochs'), '2');
      assert.equal(await page.textContent('#model-error'), '');
      await drawStroke(page, [6, 20], [26, 10]);
      const afterLoad = await drawingPrediction(page);
      assert.equal(afterLoad.probabilities, before.probabilities, 'identical probabilities after save → reload → load');
      assert.equal(afterLoad.class, before.class);

      await page.click('#model-evaluate');
      await page.waitForFunction(() => document.querySelector('#test-accuracy')?.hasAttribute('data-value'));
      assert.equal(await page.getAttribute('#test-accuracy', 'data-value'), accuracy, 'the same test accuracy on the same split');

      await page.click('#model-train-further');
      const done = await waitForStatus(page, 'the further training to finish', (s) => s.state === 'done' && s.epoch === 1);
      assert.equal(done.epoch, 1);
      const again = await download(page, '#model-save');
      assert.equal(again.bytes.subarray(0, 8).toString('latin1'), 'DIGITLAB');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });
});
