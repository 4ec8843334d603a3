// End-to-end test of the page on a phone (390×844, in English and in Spanish) and a tablet
// (768×1024), portrait, with a touch screen: no sideways scrolling of the page before and
// after a run (with every result section filled: charts, the projection and weight
// histograms, tables, feature maps, the compare and sweep tables), charts drawn again for
// their width with no caption cut off, controls tall enough for a finger, and a finger's
// stroke on the drawing pad giving a prediction. Saves a screenshot of each size in
// tests/e2e/artifacts/.
// By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/phones.test.mjs
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
import { drawingPrediction, touchStroke } from './draw-pad.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = 2 * TRAIN_TIMEOUT;

/** The smallest height of a control a finger can hit (WCAG 2.5.5, Apple's guidelines). */
const FINGER_PX = 44;

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  // In Spanish, whose captions run longer than English ones.
  { name: 'phone-es', width: 390, height: 844, lang: 'es' },
];

const env = servePageForTests();

/** A phone's or tablet's browser context: portrait, touch, a dense screen. */
function deviceOf({ width, height }) {
  return { viewport: { width, height }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
}

/**
 * How far the page is wider than `width`, and the outermost elements sticking out (those
 * not inside a box that scrolls on its own), to name the culprit in a failure.
 */
async function overflow(page, width) {
  return page.evaluate((viewport) => {
    const scrolls = (e) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX);
    const inScrollBox = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true;
      return false;
    };
    const out = (e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.right + window.scrollX > viewport + 0.5;
    };
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((e) => out(e) && !inScrollBox(e) && !(e.parentElement && out(e.parentElement)))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).replace(/ /g, '.')}` : ''} (right ${Math.round(e.getBoundingClientRect().right)})`);
    return { scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 10) };
  }, width);
}

async function assertNoSidewaysScroll(page, width, when) {
  const o = await overflow(page, width);
  assert.ok(
    o.scrollWidth <= width,
    `${when}: the page is ${o.scrollWidth} px wide at a ${width} px viewport; sticking out: ${o.culprits.join(', ')}`,
  );
}

/** Visible controls shorter than a finger: buttons, menus, fields, and checkboxes' labels. */
async function smallControls(page) {
  return page.evaluate((min) => {
    const controls = [
      ...document.querySelectorAll('button, select, textarea, summary, input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file])'),
      ...[...document.querySelectorAll('input[type=checkbox]')].map((box) => box.closest('label') ?? box),
    ];
    return controls
      .filter((c) => c.checkVisibility() && c.getBoundingClientRect().width > 0)
      .filter((c) => c.getBoundingClientRect().height < min - 0.5)
      .map((c) => `${c.tagName.toLowerCase()}${c.id ? `#${c.id}` : ''} ${c.getBoundingClientRect().height.toFixed(1)} px`);
  }, FINGER_PX);
}

/**
 * Shown charts drawn (they have a `data-base-size`) but not at their CSS width ×
 * devicePixelRatio. Charts not drawn yet keep the page's size.
 */
async function unfittedCharts(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas:is([id^=chart-], #projection, .weight-histogram)[data-base-size]')]
      .filter((c) => c.checkVisibility() && c.clientWidth > 0)
      .filter((c) => c.width !== Math.round(c.clientWidth * devicePixelRatio) || c.dataset.drawnWidth !== String(c.clientWidth))
      .map((c) => `#${c.id}: ${c.width} canvas px at ${c.clientWidth} CSS px × ${devicePixelRatio}`),
  );
}

/**
 * The charts among `selector` with ink in their outermost pixel columns along the top eighth,
 * where their titles are: a title wider than its chart runs off the canvas there.
 */
async function titlesCutOff(page, selector) {
  return page.evaluate((chosen) =>
    [...document.querySelectorAll(chosen)]
      .filter((canvas) => {
        const context = canvas.getContext('2d');
        const band = Math.max(1, Math.round(canvas.height / 8));
        const inked = (x) => {
          const { data } = context.getImageData(x, 0, 1, band);
          for (let i = 0; i < data.length; i += 4) if (Math.min(data[i], data[i + 1], data[i + 2]) < 200) return true;
          return false;
        };
        return inked(0) || inked(canvas.width - 1);
      })
      .map((canvas) => `#${canvas.id}`),
  selector);
}

describe('Phones and tablets: portrait, touch', { concurrency: false }, () => {
  for (const size of SIZES) {
    const label = `${size.width}×${size.height}`;
    test(`${size.name} ${label}: no sideways scrolling, charts fitted, 44 px controls, a finger draws a digit`, { timeout: TEST_TIMEOUT }, async () => {
      const { context, page, rec } = await openPage(env.browser, { device: deviceOf(size) });
      try {
        await gotoReady(page, env.server.url, `?data=digits&epochs=2${size.lang ? `&lang=${size.lang}` : ''}`);
        await assertNoSidewaysScroll(page, size.width, 'after the data loaded');
        assert.deepEqual(await smallControls(page), [], `controls shorter than ${FINGER_PX} px`);
        assert.deepEqual(await unfittedCharts(page), [], 'charts drawn for another width');
        await expectInk(assert, page, '#chart-classes');

        // A run, then a one-training sweep: every result section gets filled.
        await page.tap('#train-start');
        await waitForStatus(page, "state 'done'", (s) => s.state === 'done');
        await page.fill('#sweep-lrs', '0.01');
        await page.fill('#sweep-seeds', '1');
        await page.tap('#sweep-start');
        await page.waitForSelector('#sweep-body[data-state=done]', { state: 'attached', timeout: TRAIN_TIMEOUT });
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        const shownAfterRun = ['#chart-confusion', '#chart-roc', '#confusion-table', '#metrics-table', '#runs-body tr', '#sweep-body tr', '#feature-maps canvas'];
        // The inside section's charts too, drawn at their width.
        shownAfterRun.push('#projection[data-drawn-width]', '#weight-histograms canvas[data-drawn-width]');
        for (const shown of shownAfterRun) {
          assert.ok(await page.locator(shown).first().isVisible(), `${shown} is shown after the run`);
        }
        await expectInk(assert, page, '#chart-confusion');
        // Two panels side by side, a long caption beside a legend: scaled down, not cut off.
        assert.deepEqual(await titlesCutOff(page, 'canvas[data-drawn-width]'), [], 'titles cut off');
        await assertNoSidewaysScroll(page, size.width, 'after a run and a sweep, every details open');
        assert.deepEqual(await smallControls(page), [], `controls shorter than ${FINGER_PX} px after the run`);
        assert.deepEqual(await unfittedCharts(page), [], 'charts drawn for another width after the run');

        // A finger's stroke: a vertical line down the middle.
        await touchStroke(page, [4, 16], [27, 16]);
        const cells = await page.getAttribute('#draw-pad', 'data-cells');
        assert.ok(cells.includes('1'), 'the touch stroke painted cells');
        const prediction = await drawingPrediction(page);
        assert.ok(prediction.class >= 0 && prediction.class <= 9, `a prediction: ${prediction.class}`);
        await expectInk(assert, page, '#chart-draw-probs');
        // The pad, its 8×8 input and the prediction on one screen, at CSS pixels (a small
        // file: the README's phone picture is this one).
        await page.evaluate(() => document.querySelector('#draw-pad').scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: artifact(`${size.name}-${size.width}x${size.height}-draw.png`), scale: 'css' });
        await page.screenshot({ path: artifact(`${size.name}-${size.width}x${size.height}.png`), fullPage: true });

        // Turned sideways: the charts are drawn again for their new width.
        await page.setViewportSize({ width: size.height, height: size.width });
        await page.waitForFunction(() => {
          const c = document.querySelector('#chart-loss');
          return c.dataset.drawnWidth === String(c.clientWidth);
        });
        assert.deepEqual(await unfittedCharts(page), [], 'charts drawn for the old width after turning sideways');
        await assertNoSidewaysScroll(page, size.height, 'turned sideways');
        assertClean(rec);
      } finally {
        await context.close();
      }
    });
  }
});
