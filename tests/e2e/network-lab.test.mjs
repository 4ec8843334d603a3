// End-to-end test of the network lab (issue 13): section 2's editor (`#arch-spec`, the preset
// menu, the optimizer, the layer list), the `arch` and `optimizer` URL parameters, a network
// edited in the form trained, saved, and loaded back after a reload, Export as Keras, and the
// Sweep panel.
// Follows docs/page-contract.md. By hand (after trunk build --release):
//   node --test --test-reporter=spec --test-concurrency=1 tests/e2e/network-lab.test.mjs
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

// Parameter counts worked out by hand as Keras counts them (kernel·in·out + out per conv and
// dense layer, 4 per channel for batch normalization, the output layer's units·10 + 10).
const NOTEBOOK = 'conv16,pool,drop0.25,conv32,pool,drop0.25,conv64,pool,drop0.25,dense128:sigmoid,drop0.25,dense512:sigmoid,drop0.25';
// conv8x5: 25·8 + 8 = 208; avgpool → 4×4×8; bn: 32; dense32: 128·32 + 32 = 4,128; output: 330.
const URL_SPEC = 'conv8x5:tanh,avgpool,bn,dense32';
const URL_TOTAL = '4,698';
// conv8: 9·8 + 8 = 80; pool → 4×4×8; dense32: 4,128; output: 330.
const FORM_SPEC = 'conv8,pool,dense32';
const FORM_TOTAL = '4,538';
// Filters changed and a layer added: conv12: 120; pool → 4×4×12; bn: 48; dense32: 192·32 + 32 = 6,176; output: 330.
const EDITED_SPEC = 'conv12,pool,bn,dense32';
const EDITED_TOTAL = '6,674';

const env = servePageForTests();

const summaryTotal = (page) => page.textContent('#summary-total');

describe('The network lab (section 2)', { concurrency: false }, () => {
  test('?arch= and ?optimizer= train that network to done, and #summary-total shows its count', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trainToDone(page, env.server.url, `?data=digits&epochs=3&optimizer=rmsprop&arch=${encodeURIComponent(URL_SPEC)}`);
      assert.equal(await page.inputValue('#arch-spec'), URL_SPEC);
      assert.equal(await page.inputValue('#set-optimizer'), 'rmsprop');
      assert.equal(await summaryTotal(page), URL_TOTAL);
      assert.equal(await page.textContent('#param-error'), '');
      assert.equal(await page.inputValue('#arch-preset'), '', 'none of the presets');
      // Compare runs names the network and its parameters.
      const row = await page.$$eval('#runs-body tr', (trs) => [...trs.at(-1).children].map((td) => td.textContent));
      assert.deepEqual(row.slice(1, 4), [URL_SPEC, URL_TOTAL, 'rmsprop']);
      // The copy link carries them.
      const link = await page.inputValue('#share-link');
      const params = new URL(link).searchParams;
      assert.equal(params.get('arch'), URL_SPEC);
      assert.equal(params.get('optimizer'), 'rmsprop');
      // Feature maps: the one conv and the one pool layer of this network.
      await page.waitForFunction(() => document.querySelectorAll('#feature-maps canvas').length === 2);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('a bad ?arch= is named in #param-error and the notebook\'s network is used', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&arch=convx&optimizer=adagrad');
      const message = await page.textContent('#param-error');
      assert.match(message, /arch = "convx" is not accepted: layer 1 \(convx\): expected a filter count after conv/);
      assert.match(message, /optimizer = "adagrad"/);
      assert.equal(await page.inputValue('#arch-spec'), NOTEBOOK);
      assert.equal(await page.inputValue('#arch-preset'), 'notebook');
      assert.equal(await page.inputValue('#set-optimizer'), 'adam');
      assert.equal(await summaryTotal(page), '102,794');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('the editor: presets, live summary, a spec that cannot be built refuses Start', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=1');
      await page.selectOption('#arch-preset', 'small');
      assert.equal(await page.inputValue('#arch-spec'), 'conv8,pool,conv16,pool,dense32');
      await page.fill('#arch-spec', 'conv8,pool,pool,pool,pool');
      await page.waitForFunction(() => document.querySelector('#arch-error')?.textContent.includes('layer 5 (pool)'));
      assert.equal(await page.getAttribute('#arch-error', 'role'), 'alert');
      assert.equal(await summaryTotal(page), '–');
      await page.click('#train-start');
      assert.match(await page.textContent('#settings-error'), /Not started: Network = .*layer 5 \(pool\)/);
      assert.equal((await statusOf(page)).state, 'idle');
      await page.fill('#arch-spec', NOTEBOOK);
      assert.equal(await page.textContent('#arch-error'), '');
      assert.equal(await page.inputValue('#arch-preset'), 'notebook');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('a network edited in the form trains, saves, and loads back after a reload with identical probabilities', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=2');
      await page.fill('#arch-spec', FORM_SPEC);
      assert.equal(await summaryTotal(page), FORM_TOTAL);
      // Change the filters, add a layer.
      await page.fill('#arch-spec', EDITED_SPEC.replace(',bn', ''));
      await page.fill('#arch-spec', EDITED_SPEC);
      assert.equal(await summaryTotal(page), EDITED_TOTAL);
      await page.click('#train-start');
      await waitForStatus(page, "state 'done'", (s) => s.state === 'done');
      await drawStroke(page, [6, 20], [26, 10]);
      const before = await drawingPrediction(page);
      const saved = await download(page, '#model-save');
      const file = artifact('network-lab-model.dlab');
      writeFileSync(file, saved.bytes);

      await page.reload({ waitUntil: 'load' });
      await gotoReady(page, env.server.url, '?data=digits&epochs=1');
      assert.equal(await page.inputValue('#arch-spec'), NOTEBOOK);
      await page.setInputFiles('#model-file', file);
      await page.waitForSelector('#model-info[data-state="loaded"]');
      assert.equal(await page.inputValue('#arch-spec'), EDITED_SPEC, 'the editor shows the file\'s network');
      assert.equal(await summaryTotal(page), EDITED_TOTAL);
      await drawStroke(page, [6, 20], [26, 10]);
      const afterLoad = await drawingPrediction(page);
      assert.equal(afterLoad.probabilities, before.probabilities, 'identical probabilities after save → reload → load');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('the layer list: add, change, move and remove by keyboard, in sync with #arch-spec; Export as Keras', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits');
      const spec = () => page.inputValue('#arch-spec');
      const row = (n) => `#arch-layers li:nth-child(${n})`;
      assert.equal(await page.locator('#arch-layers li').count(), 13, "the notebook's 13 layers");
      await page.fill('#arch-spec', FORM_SPEC);
      assert.equal(await page.locator('#arch-layers li').count(), 3);
      await page.focus('#arch-add');
      await page.keyboard.press('Enter');
      assert.equal(await spec(), `${FORM_SPEC},dense32`);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-field')), 'kind', 'the new row\'s kind menu has the focus');
      await page.selectOption(`${row(4)} [data-field=kind]`, 'drop');
      assert.equal(await spec(), 'conv8,pool,dense32,drop0.25');
      await page.fill(`${row(1)} [data-field=filters]`, '12');
      assert.equal(await spec(), 'conv12,pool,dense32,drop0.25');
      await page.focus(`${row(4)} [data-action=up]`);
      await page.keyboard.press('Enter');
      assert.equal(await spec(), 'conv12,pool,drop0.25,dense32');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Move layer 3 up', 'the focus follows the layer');
      await page.keyboard.press('Space');
      assert.equal(await spec(), 'conv12,drop0.25,pool,dense32');
      await page.focus(`${row(2)} [data-action=remove]`);
      await page.keyboard.press('Enter');
      assert.equal(await spec(), 'conv12,pool,dense32');
      assert.equal(await page.textContent('#summary-total'), '6,626');
      // A layer that cannot be built is named, and the rows stay.
      await page.fill(`${row(1)} [data-field=filters]`, '999');
      assert.match(await page.textContent('#arch-error'), /layer 1 \(conv999/);
      assert.equal(await page.locator('#arch-layers li').count(), 3);
      // Typing redraws the rows.
      await page.fill('#arch-spec', 'conv8,avgpool');
      assert.equal(await page.locator('#arch-layers li').count(), 2);
      assert.equal(await page.inputValue(`${row(2)} [data-field=kind]`), 'avgpool');

      const keras = await download(page, '#export-keras');
      assert.equal(keras.name, 'digit-lab-model.py');
      const text = keras.bytes.toString('utf8');
      assert.match(text, /Conv2D\(8, \(3, 3\)/);
      assert.match(text, /AveragePooling2D/);
      assert.match(text, /"digits\.csv"/);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('a sweep of 2 specs × 1 learning rate × 2 seeds completes, marks the best row, and Load puts a spec into the editor', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=2');
      await page.fill('#sweep-archs', `${FORM_SPEC}\n${URL_SPEC}`);
      await page.fill('#sweep-lrs', '0.01');
      await page.fill('#sweep-seeds', '2');
      await page.click('#sweep-start');
      await waitForStatus(page, "the sweep's state 'done'", (s) => s.state === 'done');
      assert.equal(await page.getAttribute('#sweep-body', 'data-state'), 'done');
      const rows = await page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.deepEqual(rows.map((row) => row[0]), [FORM_SPEC, URL_SPEC]);
      assert.deepEqual(rows.map((row) => row[2]), [FORM_TOTAL, URL_TOTAL]);
      assert.ok(rows.every((row) => /%.*±.*%/.test(row[3])), JSON.stringify(rows));
      assert.equal(await page.locator('#sweep-table tr[data-best]').count(), 1);
      await page.click(`#sweep-table tbody tr:nth-child(2) button`);
      assert.equal(await page.inputValue('#arch-spec'), URL_SPEC);
      assert.equal(await page.textContent('#summary-total'), URL_TOTAL);
      // Over the cap: refused on the page with the core's message.
      await page.fill('#sweep-seeds', '64');
      await page.click('#sweep-start');
      assert.match(await page.textContent('#sweep-error'), /128 trainings is more than the 64/);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });
});
