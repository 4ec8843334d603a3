// End-to-end test of section 8, the linked views: confusion cells list their test images, thumbnails open
// their maps, the worst mistakes are listed.
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/linked-views.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRAIN_TIMEOUT,
  artifact,
  assertClean,
  expectInk,
  openPage,
  trainToDone,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;

const env = servePageForTests();

/** Trains with the URL's settings (autostart) until done. */
const trained = (page, query) => trainToDone(page, env.server.url, query);

describe('Linked views (section 8)', { concurrency: false }, () => {
  test('linked views: a confusion cell lists exactly its count; a thumbnail opens its maps; the worst mistakes are listed', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?data=digits&epochs=1&batch=256');
      await page.waitForSelector('#confusion-grid-body button[data-count]');
      const cells = await page.$$eval('#confusion-grid-body button', (bs) =>
        bs.map((b) => ({ t: Number(b.dataset.true), p: Number(b.dataset.pred), n: Number(b.dataset.count) })),
      );
      assert.equal(cells.length, 100);
      const table = await page.$$eval('#confusion-table td', (tds) => tds.map((td) => Number(td.textContent.replace(/[^\d]/g, ''))));
      assert.deepEqual(cells.map((c) => c.n), table, 'the grid shows the confusion table counts');
      const wrong = cells.filter((c) => c.t !== c.p && c.n > 0).sort((a, b) => b.n - a.n);
      const right = cells.filter((c) => c.t === c.p && c.n > 0).sort((a, b) => b.n - a.n);
      for (const cell of [wrong[0], right[0]].filter(Boolean)) {
        await page.click(`#confusion-grid-body button[data-true="${cell.t}"][data-pred="${cell.p}"]`);
        const thumbs = await page.$$eval('#linked-thumbs canvas.thumb', (cs) => cs.map((c) => [Number(c.dataset.true), Number(c.dataset.pred)]));
        assert.equal(thumbs.length, cell.n, `cell (${cell.t}, ${cell.p}) lists exactly ${cell.n} images`);
        assert.equal(Number(await page.getAttribute('#linked-thumbs', 'data-count')), cell.n);
        assert.ok(thumbs.every(([t, p]) => t === cell.t && p === cell.p));
      }
      // The notebook's own confusion table opens cells too.
      const target = wrong[0] ?? right[0];
      await page.click('#evaluate-section details summary');
      await page.click(`#confusion-body tr:nth-child(${target.t + 1}) td:nth-of-type(${target.p + 1})`);
      assert.equal(await page.locator('#linked-thumbs canvas.thumb').count(), target.n);

      // And so does a click on the heatmap itself, at the cell's centre.
      const other = right[1] ?? right[0];
      const plot = (await page.getAttribute('#chart-confusion', 'data-plot')).split(',').map(Number);
      const heat = page.locator('#chart-confusion');
      await heat.scrollIntoViewIfNeeded();
      const box = await heat.boundingBox();
      const size = await heat.evaluate((c) => [c.width, c.height]);
      const [left, top, rightEdge, bottom] = plot;
      const cx = left + ((other.p + 0.5) * (rightEdge - left)) / 10;
      const cy = top + ((other.t + 0.5) * (bottom - top)) / 10;
      await page.mouse.click(box.x + (cx * box.width) / size[0], box.y + (cy * box.height) / size[1]);
      assert.equal(await page.getAttribute('#linked-thumbs', 'data-true'), String(other.t));
      assert.equal(await page.getAttribute('#linked-thumbs', 'data-pred'), String(other.p));
      assert.equal(await page.locator('#linked-thumbs canvas.thumb').count(), other.n, 'a heatmap click lists the cell');

      await page.click('#linked-thumbs canvas.thumb >> nth=0');
      await page.waitForSelector('#linked-detail:not([hidden])');
      await page.waitForFunction(() => document.querySelector('#chart-linked-probs')?.getAttribute('data-probabilities'));
      const row = await page.getAttribute('#linked-thumbs canvas.thumb >> nth=0', 'data-index');
      assert.equal(await page.getAttribute('#linked-detail', 'data-index'), row);
      assert.equal(await page.locator('#linked-maps canvas.feature-layer').count(), 6);
      await expectInk(assert, page, '#chart-linked-probs');

      const worst = await page.$$eval('#wrong-list canvas.thumb', (cs) => cs.map((c) => [Number(c.dataset.true), Number(c.dataset.pred)]));
      assert.ok(worst.length > 0 && worst.length <= 12);
      assert.ok(worst.every(([t, p]) => t !== p), 'only mistakes');
      // Keyboard: a thumbnail opens with Enter.
      await page.focus('#wrong-list canvas.thumb >> nth=0');
      await page.keyboard.press('Enter');
      const worstRow = await page.getAttribute('#wrong-list canvas.thumb >> nth=0', 'data-index');
      await page.waitForFunction((r) => document.querySelector('#linked-detail')?.dataset.index === r, worstRow);
      await page.screenshot({ path: artifact('features-linked.png'), fullPage: true });
      assertClean(rec);
    } finally {
      await context.close();
    }
  });
});
