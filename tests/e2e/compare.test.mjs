// End-to-end test of section 9, compare runs: runs are kept, overlaid, and survive a reload when asked.
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/compare.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRAIN_TIMEOUT,
  assertClean,
  expectInk,
  gotoReady,
  openPage,
  trainToDone,
  waitForStatus,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;

const env = servePageForTests();

/** Trains with the URL's settings (autostart) until done. */
const trained = (page, query) => trainToDone(page, env.server.url, query);

describe('Compare runs (section 9)', { concurrency: false }, () => {
  test('compare runs: two seeds are kept and overlaid; kept runs survive a reload when asked', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?data=digits&epochs=2&batch=256&seed=1');
      await page.fill('#set-seed', '2');
      await page.click('#train-start');
      await waitForStatus(page, 'the second run to start', (s) => s.state === 'training' || (s.state === 'done' && s.epoch === 2), 60_000);
      await page.waitForFunction(() => document.querySelectorAll('#runs-body tr').length === 2, null, { timeout: TRAIN_TIMEOUT });
      const seeds = await page.$$eval('#runs-body tr', (trs) => trs.map((tr) => tr.children[4].textContent));
      assert.deepEqual(seeds, ['1', '2']);
      assert.equal(await page.$eval('#compare-a', (s) => s.selectedIndex), 0);
      assert.equal(await page.$eval('#compare-b', (s) => s.selectedIndex), 1);
      await expectInk(assert, page, '#chart-compare');
      const label = await page.getAttribute('#chart-compare', 'aria-label');
      assert.match(label, /run A .*seed 1.*run B .*seed 2/);
      await page.selectOption('#compare-metric', 'test_loss');
      assert.match(await page.getAttribute('#chart-compare', 'aria-label'), /test loss/);

      await page.check('#compare-persist');
      await page.reload({ waitUntil: 'load' });
      await gotoReady(page, env.server.url, '?data=digits');
      assert.equal(await page.locator('#runs-body tr').count(), 2, 'kept in localStorage');
      assert.equal(await page.isChecked('#compare-persist'), true);
      await page.click('#compare-clear');
      assert.equal(await page.locator('#runs-body tr').count(), 0);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });
});
