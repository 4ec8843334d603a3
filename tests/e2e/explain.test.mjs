// End-to-end test of section 4's explanations: the occlusion and saliency maps of the chosen
// image, the first convolution's kernels beside their maps, a clicked map cell worked out in
// #conv-arithmetic, and layers of 1×1 maps drawn as one strip; for the notebook's network
// and for another one.
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/explain.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EPOCH_LOGGER,
  TRAIN_TIMEOUT,
  artifact,
  assertClean,
  canvasInk,
  expectInk,
  openPage,
  trainToDone,
} from './browser.mjs';
import { drawStroke, drawingPrediction } from './draw-pad.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;

/** What this file measured, printed at the end. */
const measured = {};
const env = servePageForTests({
  onClose: () => console.log(`explain measurements: ${JSON.stringify(measured, null, 2)}`),
});

/**
 * Times the page's handling of each worker message (the main thread's work for it), by kind,
 * in `window.__messageMs`: the worker link sets `onmessage`, which this wraps.
 */
const MESSAGE_TIMER = () => {
  window.__messageMs = {};
  const own = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
  Object.defineProperty(Worker.prototype, 'onmessage', {
    configurable: true,
    get() {
      return own.get.call(this);
    },
    set(handler) {
      own.set.call(this, handler && function timed(event) {
        const started = performance.now();
        try {
          return handler.call(this, event);
        } finally {
          const data = event.data;
          const kind = typeof data === 'string' ? data : data instanceof Map ? [...data.keys()][0] : Object.keys(data ?? {})[0];
          (window.__messageMs[kind ?? '?'] ??= []).push(performance.now() - started);
        }
      });
    },
  });
};

/** `{kind: "n messages, longest X ms, mean Y ms"}` of MESSAGE_TIMER's record. */
async function messageTimes(page) {
  const all = await page.evaluate(() => window.__messageMs ?? {});
  return Object.fromEntries(
    Object.entries(all).map(([kind, ms]) => [
      kind,
      `${ms.length}, longest ${Math.max(...ms).toFixed(1)} ms, mean ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1)} ms`,
    ]),
  );
}

/** Numbers of a comma-separated attribute. */
async function numbers(page, selector, name = 'data-values') {
  return (await page.getAttribute(selector, name)).split(',').map(Number);
}

/** Waits until the explanation is of data row `row` (or of the drawing, `row` null). */
async function explained(page, row) {
  await page.waitForFunction(
    (r) => {
      const info = document.querySelector('#explain-info');
      const occlusion = document.querySelector('#explain-occlusion')?.getAttribute('data-values');
      const at = info?.getAttribute('data-row');
      return occlusion && info?.getAttribute('data-class') && (r === null ? at === null : at === String(r));
    },
    row,
  );
}

/** Both maps hold 64 finite values, are inked, and saliency is a magnitude. */
async function checkMaps(page) {
  const occlusion = await numbers(page, '#explain-occlusion');
  const saliency = await numbers(page, '#explain-saliency');
  assert.equal(occlusion.length, 64);
  assert.equal(saliency.length, 64);
  assert.ok(occlusion.every(Number.isFinite) && saliency.every(Number.isFinite));
  assert.ok(saliency.every((v) => v >= 0) && saliency.some((v) => v > 0), 'saliency is |gradient|, not all 0');
  assert.ok(occlusion.some((v) => v !== 0), 'blanking some pixel moves the probability');
  await expectInk(assert, page, '#explain-occlusion');
  await expectInk(assert, page, '#explain-saliency');
  assert.match(await page.getAttribute('#explain-occlusion', 'aria-label'), /: occlusion map for class \d, .* Largest at row \d, column \d/);
  return { occlusion, saliency };
}

/**
 * Checks the kernels (`filters` of them, `kernel`×`kernel`, maps `side`×`side`), then clicks
 * cell (row, col) of filter `filter`'s map: #conv-arithmetic must show that cell with the
 * map's value.
 */
async function checkKernelsAndArithmetic(page, { layer, filters, kernel, side, filter, row, col }) {
  await page.waitForSelector(`#kernels[data-layer="${layer}"]`);
  assert.equal(await page.locator('#kernels canvas.kernel-weights').count(), filters);
  assert.equal(await page.locator('#kernels canvas.kernel-map').count(), filters);
  await expectInk(assert, page, '#kernels canvas.kernel-weights');
  // A filter whose map is flat for this image (a dead ReLU) draws one colour: some map is inked.
  const inks = [];
  for (let i = 0; i < filters; i++) inks.push((await canvasInk(page, '#kernels canvas.kernel-map', i)).ink);
  assert.ok(inks.some((ink) => ink >= 20), `a map is inked: ${inks}`);
  const mapSelector = `#kernels canvas.kernel-map[data-filter="${filter}"]`;
  const values = await numbers(page, mapSelector);
  assert.equal(values.length, side * side);
  const map = page.locator(mapSelector);
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  await page.mouse.click(box.x + ((col + 0.5) * box.width) / side, box.y + ((row + 0.5) * box.height) / side);
  await page.waitForSelector('#conv-arithmetic:not([hidden])');
  const panel = async (name) => Number(await page.getAttribute('#conv-arithmetic', name));
  assert.deepEqual([await panel('data-filter'), await panel('data-row'), await panel('data-col')], [filter, row, col]);
  const value = await panel('data-value');
  const sum = await panel('data-sum');
  const expected = values[row * side + col];
  assert.ok(
    Math.abs(value - expected) <= 1e-5 * (1 + Math.abs(expected)),
    `#conv-arithmetic data-value ${value} equals the map's value ${expected}`,
  );
  assert.ok(Number.isFinite(sum));
  assert.equal(await page.locator('#conv-arithmetic-rows tr').count(), kernel);
  assert.equal(await page.locator('#conv-arithmetic-rows td').count(), kernel * kernel);
  return { value, sum, expected };
}

describe('Explanations (section 4)', { concurrency: false }, () => {
  test('notebook network, 3 epochs: a linked test image is explained, the kernels are drawn, a clicked cell is worked out; 1×1 layers are a strip', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser, { initScript: EPOCH_LOGGER });
    await page.addInitScript(MESSAGE_TIMER);
    try {
      // Row 0 is explained from the start, so the explanation follows the run as it trains.
      await trainToDone(page, env.server.url, '?data=digits&epochs=3');
      // Main-thread tasks over 50 ms from the run's start (not the page's load) to its end.
      const { log, tasks } = await page.evaluate(() => ({ log: window.__epochLog, tasks: window.__longTasks ?? [] }));
      const started = log.find((e) => e.state === 'training')?.t ?? 0;
      const during = tasks.filter((t) => t.start >= started && t.start <= log.at(-1).t);
      measured['main-thread tasks over 50 ms during the 3-epoch run (row 0 explained)'] = during.length
        ? `${during.length}, longest ${Math.max(...during.map((t) => t.ms)).toFixed(0)} ms: ${during.map((t) => t.ms.toFixed(0)).join(', ')}`
        : 'none';
      measured['main-thread time per worker message during load and the 3-epoch run'] = await messageTimes(page);

      // A test image from the linked views.
      await page.waitForSelector('#confusion-grid-body button[data-count]');
      const cell = await page.$$eval('#confusion-grid-body button', (bs) =>
        bs.map((b) => ({ t: b.dataset.true, p: b.dataset.pred, n: Number(b.dataset.count) })).find((c) => c.t === c.p && c.n > 0),
      );
      await page.click(`#confusion-grid-body button[data-true="${cell.t}"][data-pred="${cell.p}"]`);
      const thumb = page.locator('#linked-thumbs canvas.thumb').first();
      const row = Number(await thumb.getAttribute('data-index'));
      await thumb.click();
      await explained(page, row);
      const predicted = await page.getAttribute('#explain-info', 'data-predicted');
      assert.equal(await page.getAttribute('#explain-info', 'data-class'), predicted, 'the predicted class by default');
      assert.equal(predicted, cell.p);
      const before = await checkMaps(page);

      // Another class: the maps explain it instead.
      const other = String((Number(predicted) + 1) % 10);
      await page.selectOption('#explain-class', other);
      await page.waitForSelector(`#explain-info[data-class="${other}"]`);
      const after = await checkMaps(page);
      assert.notDeepEqual(after.saliency, before.saliency, 'another class, another saliency map');

      // The cell with the largest value of all the maps (not a ReLU's 0).
      const largest = await page.$$eval('#kernels canvas.kernel-map', (cs) =>
        cs
          .flatMap((c) => c.dataset.values.split(',').map((v, i) => ({ v: Number(v), filter: Number(c.dataset.filter), row: Math.floor(i / 8), col: i % 8 })))
          .reduce((a, b) => (b.v > a.v ? b : a)),
      );
      const worked = await checkKernelsAndArithmetic(page, { layer: 'conv2d', filters: 16, kernel: 3, side: 8, ...largest });
      assert.ok(worked.value > 0);
      measured[`notebook conv2d filter ${largest.filter} (${largest.row}, ${largest.col}): data-sum, data-value, map value`] = `${worked.sum}, ${worked.value}, ${worked.expected}`;

      // The last pool's 1×1 maps: one strip, normalised across the layer.
      const strips = await page.$$eval('#feature-maps canvas.feature-layer', (cs) =>
        cs.map((c) => [c.dataset.layer, c.dataset.strip, c.getAttribute('aria-label')]),
      );
      const strip = strips.filter(([, s]) => s === 'true');
      assert.deepEqual(strip.map(([l]) => l), ['max_pooling2d_2'], JSON.stringify(strips));
      assert.match(strip[0][2], /one strip, normalised across the layer/);
      await page.locator('#kernels').scrollIntoViewIfNeeded();
      await page.screenshot({ path: artifact('explain-notebook.png'), fullPage: true });
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('another network (pooling first, a 5×5 sigmoid convolution, batch norm): a row and a drawing are explained, a padded corner is worked out', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    const spec = 'pool,conv6x5:sigmoid,bn,avgpool,dense16:tanh';
    try {
      await trainToDone(page, env.server.url, `?data=digits&epochs=3&optimizer=sgd&lr=0.01&arch=${encodeURIComponent(spec)}`);
      await page.fill('#fm-index', '7');
      await page.dispatchEvent('#fm-index', 'change');
      await explained(page, 7);
      await checkMaps(page);
      // Its first convolution sees the pooled 4×4 image; its corner's window is mostly padding.
      const corner = await checkKernelsAndArithmetic(page, { layer: 'conv2d', filters: 6, kernel: 5, side: 4, filter: 3, row: 0, col: 0 });
      measured[`${spec} conv2d filter 3 (0, 0): data-sum, data-value, map value`] = `${corner.sum}, ${corner.value}, ${corner.expected}`;
      const pads = await page.$$eval('#conv-arithmetic-rows td', (tds) => tds.filter((td) => td.textContent.startsWith('pad')).length);
      assert.equal(pads, 25 - 9, 'a 5×5 window at a corner reads 16 padding zeros');
      // By keyboard: Enter on a focused map works out its centre, the arrows move (and stop at the edge).
      const map4 = '#kernels canvas.kernel-map[data-filter="4"]';
      await page.focus(map4);
      await page.keyboard.press('Enter');
      const at = () => Promise.all(['data-filter', 'data-row', 'data-col'].map(async (n) => Number(await page.getAttribute('#conv-arithmetic', n))));
      assert.deepEqual(await at(), [4, 2, 2]);
      for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
      assert.deepEqual(await at(), [4, 1, 3]);
      const values4 = await numbers(page, map4);
      const keyed = Number(await page.getAttribute('#conv-arithmetic', 'data-value'));
      assert.ok(Math.abs(keyed - values4[7]) <= 1e-5 * (1 + Math.abs(values4[7])), `${keyed} vs ${values4[7]}`);
      await page.selectOption('#explain-occlude', 'block');
      await page.waitForFunction(() => /2×2 block/.test(document.querySelector('#explain-occlusion')?.getAttribute('aria-label')));
      const blocks = await numbers(page, '#explain-occlusion');
      assert.equal(blocks[0], blocks[1], 'a 2×2 block shares its drop');
      assert.equal(blocks[0], blocks[9]);

      // The drawing pad's image becomes the explained one.
      await drawStroke(page, [4, 16], [27, 16]);
      await drawingPrediction(page);
      await explained(page, null);
      await checkMaps(page);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });
});
