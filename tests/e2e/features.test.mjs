// End-to-end tests of the features beyond the notebook (issue 5) in headless Chromium:
// the drawing pad, saving and loading models, exports, teachers' presets and embed mode,
// linked views and compared runs. Follows docs/page-contract.md. By hand:
//   node --test --test-concurrency=1 tests/e2e/features.test.mjs   (after trunk build --release)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  TRAIN_TIMEOUT,
  artifact,
  expectInk,
  gotoReady,
  isLocalUrl,
  openPage,
  statusOf,
  waitForStatus,
} from './helpers.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;
const PAD = 32;

const env = servePageForTests();

function assertClean(rec) {
  const away = rec.requests.filter((r) => !isLocalUrl(r.url)).map((r) => r.url);
  assert.deepEqual(away, [], 'requests that leave 127.0.0.1');
  assert.deepEqual(rec.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(rec.consoleErrors, [], 'console errors');
}

/** Trains with the URL's settings (autostart) until done. */
async function trained(page, query) {
  await gotoReady(page, env.server.url, `${query}&autostart=1`);
  return waitForStatus(page, "state 'done'", (s) => s.state === 'done');
}

/** Drags the mouse across the pad from cell [row, col] to cell [row, col]. */
async function drawStroke(page, [r0, c0], [r1, c1]) {
  const pad = page.locator('#draw-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = (r, c) => [box.x + ((c + 0.5) * box.width) / PAD, box.y + ((r + 0.5) * box.height) / PAD];
  await page.mouse.move(...at(r0, c0));
  await page.mouse.down();
  await page.mouse.move(...at(r1, c1), { steps: 24 });
  await page.mouse.up();
}

/** The dataset's preprocessing, written again here: on-cells of each 4×4 block. */
function blocks(cells) {
  const image = new Array(64).fill(0);
  for (let i = 0; i < PAD * PAD; i++) {
    if (cells[i] === '1') image[Math.floor(Math.floor(i / PAD) / 4) * 8 + Math.floor((i % PAD) / 4)] += 1;
  }
  return image;
}

async function pixelsOf(page, selector) {
  const v = await page.getAttribute(selector, 'data-pixels');
  return v.split(',').map(Number);
}

/** Waits for the pad's prediction; returns its class and exact probabilities. */
async function drawingPrediction(page) {
  await page.waitForSelector('#draw-prediction[data-class]', { timeout: 60_000 });
  await page.waitForFunction(() => {
    const input = document.querySelector('#draw-input')?.getAttribute('data-pixels');
    const chart = document.querySelector('#chart-draw-probs');
    return chart?.getAttribute('data-probabilities') && chart.dataset.for === undefined && input;
  });
  return {
    class: Number(await page.getAttribute('#draw-prediction', 'data-class')),
    probabilities: await page.getAttribute('#chart-draw-probs', 'data-probabilities'),
  };
}

/** Clicks and returns the downloaded file's bytes and suggested name. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(selector)]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

describe('Digit Lab features (issue 5)', { concurrency: false }, () => {
  test('draw: a stroke becomes the 4×4 block counts, and the trained network predicts it', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?epochs=1');
      // Before any training the pad still preprocesses, but asks for a network.
      await drawStroke(page, [4, 16], [27, 16]);
      assert.match(await page.textContent('#draw-prediction'), /Train a network/);
      await page.click('#draw-clear');
      assert.ok((await page.getAttribute('#draw-pad', 'data-cells')).split('').every((c) => c === '0'));

      await page.click('#train-start');
      await waitForStatus(page, "state 'done'", (s) => s.state === 'done');
      await drawStroke(page, [16, 4], [16, 27]);
      const cells = await page.getAttribute('#draw-pad', 'data-cells');
      const input = await pixelsOf(page, '#draw-input');
      assert.deepEqual(input, blocks(cells), 'the 8×8 input is the count of on-cells per 4×4 block');
      // By hand: the 3-cell brush covers rows 15..17 and columns 3..28. Row 15 lies in block
      // row 3 and rows 16, 17 in block row 4; column 3 is one column of block 0, column 28
      // one of block 7, and blocks 1..6 are full width.
      const expected = new Array(64).fill(0);
      [1, 4, 4, 4, 4, 4, 4, 1].forEach((v, i) => (expected[3 * 8 + i] = v));
      [2, 8, 8, 8, 8, 8, 8, 2].forEach((v, i) => (expected[4 * 8 + i] = v));
      assert.deepEqual(input, expected);
      assert.ok(input.every((v) => v >= 0 && v <= 16));

      const prediction = await drawingPrediction(page);
      assert.ok(prediction.class >= 0 && prediction.class <= 9);
      const p = prediction.probabilities.split(',').map(Number);
      assert.equal(p.length, 10);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4, `probabilities sum to 1: ${p}`);
      assert.equal(p.indexOf(Math.max(...p)), prediction.class);
      await expectInk(assert, page, '#chart-draw-probs');
      assert.equal(await page.locator('#draw-maps canvas.feature-layer').count(), 6, 'six layers of feature maps');

      // Undo removes the stroke; a pen stroke (pointer events) draws too.
      await page.click('#draw-undo');
      assert.deepEqual(await pixelsOf(page, '#draw-input'), new Array(64).fill(0));
      await page.evaluate(() => {
        const pad = document.querySelector('#draw-pad');
        const r = pad.getBoundingClientRect();
        const at = (row, col) => ({ clientX: r.left + ((col + 0.5) * r.width) / 32, clientY: r.top + ((row + 0.5) * r.height) / 32 });
        const fire = (type, row, col) =>
          pad.dispatchEvent(new PointerEvent(type, { pointerType: 'pen', pointerId: 7, button: 0, bubbles: true, ...at(row, col) }));
        fire('pointerdown', 2, 8);
        fire('pointermove', 29, 8);
        fire('pointerup', 29, 8);
      });
      const pen = await pixelsOf(page, '#draw-input');
      assert.deepEqual(pen, blocks(await page.getAttribute('#draw-pad', 'data-cells')));
      // By hand: the brush covers columns 7..9 (one column of block 1, two of block 2) and
      // rows 1..30 (three rows of block rows 0 and 7, all four of the others).
      const penExpected = new Array(64).fill(0);
      for (let r = 0; r < 8; r++) {
        const rows = r === 0 || r === 7 ? 3 : 4;
        penExpected[r * 8 + 1] = rows;
        penExpected[r * 8 + 2] = rows * 2;
      }
      assert.deepEqual(pen, penExpected, 'a pen stroke is preprocessed the same way');
      // Keyboard: focus the pad, move, paint.
      await page.click('#draw-clear');
      await page.focus('#draw-pad');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Space');
      const keyed = await page.getAttribute('#draw-pad', 'data-cells');
      assert.equal(keyed.indexOf('1'), 16 * 32 + 15, 'Space paints the cursor cell');
      await page.screenshot({ path: artifact('features-draw.png'), fullPage: false });
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('save, reload the page, load: identical predictions; the loaded model evaluates and trains further', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?epochs=2');
      const accuracy = await page.getAttribute('#test-accuracy', 'data-value');
      await drawStroke(page, [6, 20], [26, 10]);
      const before = await drawingPrediction(page);
      const saved = await download(page, '#model-save');
      assert.match(saved.name, /\.dlab$/);
      assert.equal(saved.bytes.subarray(0, 8).toString('latin1'), 'DIGITLAB');
      const file = artifact('features-model.dlab');
      writeFileSync(file, saved.bytes);

      await page.reload({ waitUntil: 'load' });
      await gotoReady(page, env.server.url, '?epochs=1');
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

  test('export: the CSV and JSON parse, every chart saves as PNG, the link reproduces the settings', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?epochs=2&seed=7&scale=unit&batch=64');
      const testRows = Number(await page.getAttribute('#split-info', 'data-test'));

      const history = (await download(page, '#export-history-csv')).bytes.toString('utf8').trim().split('\n');
      assert.equal(history[0], 'epoch,train_loss,train_accuracy,test_loss,test_accuracy,elapsed_seconds,samples_per_second');
      assert.equal(history.length, 3, 'a header and two epochs');
      for (const [i, line] of history.slice(1).entries()) {
        const cells = line.split(',').map(Number);
        assert.equal(cells.length, 7);
        assert.equal(cells[0], i + 1);
        assert.ok(cells.every(Number.isFinite), line);
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

  test('linked views: a confusion cell lists exactly its count; a thumbnail opens its maps; the worst mistakes are listed', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?epochs=1&batch=256');
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

  test('compare runs: two seeds are kept and overlaid; kept runs survive a reload when asked', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trained(page, '?epochs=2&batch=256&seed=1');
      await page.fill('#set-seed', '2');
      await page.click('#train-start');
      await waitForStatus(page, 'the second run to start', (s) => s.state === 'training' || (s.state === 'done' && s.epoch === 2), 60_000);
      await page.waitForFunction(() => document.querySelectorAll('#runs-body tr').length === 2, null, { timeout: TRAIN_TIMEOUT });
      const seeds = await page.$$eval('#runs-body tr', (trs) => trs.map((tr) => tr.children[1].textContent));
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
      await gotoReady(page, env.server.url, '');
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
