// End-to-end test of "Inside the network" (issue 14, part B): after a training run, one
// weight-and-gradient histogram canvas per weighted layer in #weight-histograms, and the test
// rows' projection in #projection with a point per test row, a click on which opens that
// image in the linked view; for the notebook's network and another one from `arch=`.
// Prints the longest main-thread task of the run (the page must stay responsive while these
// views update; measured, not asserted: see the README's rules on timing).
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-reporter=spec --test-concurrency=1 tests/e2e/inside.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EPOCH_LOGGER,
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

/** Trains 3 epochs of `digits` with `extra` URL settings and checks both views. */
async function checkInside(query, layers, units) {
  const { context, page, rec } = await openPage(env.browser, { initScript: EPOCH_LOGGER });
  try {
    await trainToDone(page, env.server.url, `?data=digits&epochs=3${query}`);
    // The last epoch's views follow its report.
    await page.waitForSelector('#projection[data-epoch="3"]');
    await page.waitForSelector('#weight-histograms canvas[data-epoch="3"]');
    const testRows = await page.$$eval('#confusion-grid-body button[data-count]', (bs) =>
      bs.reduce((sum, b) => sum + Number(b.dataset.count), 0),
    );
    assert.ok(testRows > 0, 'the run has test rows');
    assert.equal(Number(await page.getAttribute('#projection', 'data-points')), testRows, 'a point per test row');
    const label = await page.getAttribute('#projection', 'aria-label');
    assert.match(label, new RegExp(`${testRows} test rows .* \\(${units} units\\)`));
    assert.equal(await page.textContent('#projection-summary'), label, 'the summary is the text alternative');
    await expectInk(assert, page, '#projection', 500);

    const names = await page.$$eval('#weight-histograms canvas.weight-histogram', (cs) => cs.map((c) => c.dataset.layer));
    assert.deepEqual(names, layers, 'one histogram canvas per weighted layer, in order');
    for (let i = 0; i < names.length; i += 1) {
      await expectInk(assert, page, `#weight-histograms canvas[data-layer="${names[i]}"]`, 200);
      const text = await page.getAttribute(`#weight-histograms canvas[data-layer="${names[i]}"]`, 'aria-label');
      assert.match(text, /after epoch 3: .* weights from .*gradients:/, text);
    }

    // A click on a point opens its test image in the linked view.
    const [x, y, row] = (await page.getAttribute('#projection', 'data-isolated')).split(',');
    const canvas = page.locator('#projection');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    const size = await canvas.evaluate((c) => [c.width, c.height]);
    await page.mouse.click(box.x + (Number(x) * box.width) / size[0], box.y + (Number(y) * box.height) / size[1]);
    await page.waitForSelector(`#linked-detail:not([hidden])[data-index="${row}"]`);
    await page.waitForFunction(() => document.querySelector('#chart-linked-probs')?.getAttribute('data-probabilities'));
    await page.locator('#inside-section').screenshot({ path: artifact(`inside-${layers.length}-layers.png`) });

    // Main-thread tasks from the run's start (#status's first epoch change) to its end.
    const log = await page.evaluate(() => window.__epochLog);
    const start = log.length ? log[0].t : 0;
    const longTasks = (await page.evaluate(() => window.__longTasks ?? [])).filter((t) => t.start >= start);
    const longest = longTasks.length ? Math.max(...longTasks.map((t) => t.ms)) : 0;
    const drawn = {
      projection: await page.getAttribute('#projection', 'data-draw-ms'),
      histograms: await page.getAttribute('#weight-histograms', 'data-draw-ms'),
    };
    console.log(
      `[inside${query || ' (notebook)'}] longest main-thread task during the run: ${longest.toFixed(0)} ms ` +
        `(${longTasks.length} over 50 ms: ${longTasks.map((t) => t.ms.toFixed(0)).join(', ')}); ` +
        `the last update drew the projection in ${drawn.projection} ms, the histograms in ${drawn.histograms} ms`,
    );
    assertClean(rec);
  } finally {
    await context.close();
  }
}

describe('Inside the network (weight histograms, projection)', { concurrency: false }, () => {
  test('the notebook network: six weighted layers, a point per test row, a click opens it', { timeout: TEST_TIMEOUT }, () =>
    checkInside('', ['conv2d', 'conv2d_1', 'conv2d_2', 'dense', 'dense_1', 'dense_2'], 512));

  test('a network from arch=: its own layers and its own last hidden layer', { timeout: TEST_TIMEOUT }, () =>
    checkInside('&arch=conv8x5:tanh,avgpool,bn,dense32', ['conv2d', 'batch_normalization', 'dense', 'dense_1'], 32));
});
