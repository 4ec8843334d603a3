// The drawing pad (section 7) as the end-to-end tests use it: strokes with the mouse or a
// finger, the data set's preprocessing written again to check the page's, and the pad's
// prediction. Used by draw.test.mjs, model-files.test.mjs and phones.test.mjs.

/** Cells per side of `#draw-pad`. */
export const PAD = 32;

/** Drags the mouse across the pad from cell [row, col] to cell [row, col]. */
export async function drawStroke(page, [r0, c0], [r1, c1]) {
  const pad = page.locator('#draw-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = (r, c) => [box.x + ((c + 0.5) * box.width) / PAD, box.y + ((r + 0.5) * box.height) / PAD];
  await page.mouse.move(...at(r0, c0));
  await page.mouse.down();
  await page.mouse.move(...at(r1, c1), { steps: 24 });
  await page.mouse.up();
}

/**
 * Swipes one finger across the pad from cell [row, col] to cell [row, col]: real touch
 * input through the Chrome DevTools Protocol (the page needs a context with `hasTouch`).
 */
export async function touchStroke(page, [r0, c0], [r1, c1]) {
  const pad = page.locator('#draw-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = (r, c) => ({ x: box.x + ((c + 0.5) * box.width) / PAD, y: box.y + ((r + 0.5) * box.height) / PAD, id: 1 });
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, touchPoints) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
  await touch('touchStart', [at(r0, c0)]);
  const steps = 16;
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    await touch('touchMove', [at(r0 + (r1 - r0) * t, c0 + (c1 - c0) * t)]);
  }
  await touch('touchEnd', []);
  await cdp.detach();
}

/** The dataset's preprocessing, written again here: on-cells of each 4×4 block. */
export function blocks(cells) {
  const image = new Array(64).fill(0);
  for (let i = 0; i < PAD * PAD; i++) {
    if (cells[i] === '1') image[Math.floor(Math.floor(i / PAD) / 4) * 8 + Math.floor((i % PAD) / 4)] += 1;
  }
  return image;
}

export async function pixelsOf(page, selector) {
  const v = await page.getAttribute(selector, 'data-pixels');
  return v.split(',').map(Number);
}

/**
 * Waits for the pad's prediction of the drawing as it is now (not an earlier answer shown
 * while this one is on its way: `aria-busy`); returns its class and exact probabilities.
 */
export async function drawingPrediction(page) {
  await page.waitForSelector('#draw-prediction[data-class]:not([aria-busy])', { timeout: 60_000 });
  await page.waitForFunction(() => {
    const input = document.querySelector('#draw-input')?.getAttribute('data-pixels');
    return document.querySelector('#chart-draw-probs')?.getAttribute('data-probabilities') && input;
  });
  return {
    class: Number(await page.getAttribute('#draw-prediction', 'data-class')),
    probabilities: await page.getAttribute('#chart-draw-probs', 'data-probabilities'),
  };
}
