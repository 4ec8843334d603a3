// End-to-end test of section 7, draw your own digit: the pad's strokes, the 8×8 input it makes and the
// trained network's live prediction.
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/draw.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRAIN_TIMEOUT,
  artifact,
  assertClean,
  expectInk,
  gotoReady,
  openPage,
  waitForStatus,
} from './browser.mjs';
import { blocks, drawStroke, drawingPrediction, pixelsOf } from './draw-pad.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;

const env = servePageForTests();

describe('Draw your own digit (section 7)', { concurrency: false }, () => {
  test('draw: a stroke becomes the 4×4 block counts, and the trained network predicts it', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=1');
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
          pad.dispatchEvent(new PointerEvent(type, { pointerType: 'pen', pointerId: 7, isPrimary: true, button: 0, bubbles: true, ...at(row, col) }));
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
});
