// End-to-end test of the teachers' presets: embed=1 and hide=… (docs/page-contract.md).
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/embed.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  artifact,
  gotoReady,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

const env = servePageForTests();

describe('Embed mode (embed=1, hide=)', { concurrency: false }, () => {
  test('embed=1&hide=… hides what it names and fits 800×600', async () => {
    const context = await env.browser.newContext({ viewport: { width: 800, height: 600 } });
    try {
      const page = await context.newPage();
      await gotoReady(page, env.server.url, '?embed=1&hide=cv,draw,train-stop,set-backend,footer');
      for (const hidden of ['#cv-section', '#draw-section', '#train-stop', '.page-header', '.page-footer']) {
        assert.equal(await page.isVisible(hidden), false, `${hidden} is hidden`);
      }
      assert.equal(await page.locator('label', { has: page.locator('#set-backend') }).isVisible(), false, 'the backend field and its label');
      for (const shown of ['#data-section', '#train-section', '#train-start', '#set-epochs', '#evaluate-section', '#linked-section']) {
        assert.equal(await page.isVisible(shown), true, `${shown} stays`);
      }
      assert.equal(await page.textContent('#param-error'), '');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 800, `no sideways scrolling at 800 px (scrollWidth ${width})`);
      await page.screenshot({ path: artifact('features-embed.png') });

      await gotoReady(page, env.server.url, '?hide=nosuch,maps');
      assert.match(await page.textContent('#param-error'), /nosuch/);
      assert.equal(await page.isVisible('#maps-section'), false);
      assert.equal(await page.isVisible('.page-header'), true, 'the header stays without embed=1');
    } finally {
      await context.close();
    }
  });
});
