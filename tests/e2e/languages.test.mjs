// End-to-end test of the page's languages (crates/digits-web/src/i18n.rs): `lang=es` and
// `lang=zh` leave no English text of the catalogue on the page after a short run (with
// section 4's explanations, a worked-out map cell and the inside section filled), numbers
// follow the language, `<html lang>` and `#language` follow it, Copy link keeps it, the
// browser's language is the default and a bad `lang=` is reported like any bad parameter.
// The catalogue comes from tests/e2e/catalogue.json, which a native test keeps equal to the
// Rust catalogue (`UPDATE_CATALOGUE=1 cargo test --release -p digits-web i18n` rewrites it).
// By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/languages.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE, TRAIN_TIMEOUT, assertClean, gotoReady, openPage, trainToDone, waitForStatus } from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

const TEST_TIMEOUT = 2 * TRAIN_TIMEOUT + 120_000;
const CATALOGUE = JSON.parse(readFileSync(join(HERE, 'catalogue.json'), 'utf8'));
const RUN = '?data=digits&epochs=2';

const env = servePageForTests();

/**
 * The English catalogue's fragments that a page in `lang` must not show: each English text
 * cut at its `{placeholders}` (and its markup), keeping pieces with a word of three letters
 * or more, and leaving out pieces that `lang`'s own catalogue also uses (names such as CSV,
 * Keras, ReLU, F1 (macro) or `digits train`, which are the same in every language).
 */
function englishFragments(lang) {
  const own = Object.values(CATALOGUE[lang]).join('\n');
  const fragments = new Set();
  for (const text of Object.values(CATALOGUE.en)) {
    for (const piece of text.replace(/<[^>]+>/g, '\n').split(/\{[a-z]+\}|\n/)) {
      const fragment = piece.trim().replace(/^[\s.,;:·()]+|[\s.,;:·()]+$/g, '');
      if (/[A-Za-z]{3}/.test(fragment) && !own.includes(fragment)) fragments.add(fragment);
    }
  }
  return [...fragments];
}

/** Every text of the page: its text nodes (hidden ones too), its title and the attributes read aloud. */
async function pageTexts(page) {
  return page.evaluate(() => {
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!['SCRIPT', 'STYLE'].includes(node.parentElement?.tagName)) texts.push(node.textContent);
    }
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const name of ['aria-label', 'title', 'placeholder']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
    }
    return texts.join('\n');
  });
}

/** The fragments found in `text` as whole words. */
function found(fragments, text) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return fragments.filter((f) => new RegExp(`(?<![A-Za-z])${escape(f)}(?![A-Za-z])`).test(text));
}

/** Waits until the baselines table has its three rows (their note is the last text to change). */
async function baselinesDone(page) {
  await page.waitForFunction(() => document.querySelectorAll('#baselines-body tr').length === 3, null, {
    timeout: TRAIN_TIMEOUT,
  });
}

/**
 * Fills the texts section 4 and the inside section write after the run: the explanation of
 * row 0 by blocks (the run explains it by pixels), a map cell worked out, the last epoch's
 * projection and weight histograms.
 */
async function fillExplanations(page) {
  await page.waitForSelector('#projection[data-epoch="2"]', { timeout: TRAIN_TIMEOUT });
  await page.waitForSelector('#weight-histograms canvas[data-epoch="2"]');
  await page.selectOption('#explain-occlude', 'block');
  await page.waitForFunction(() => document.querySelector('#explain-info')?.getAttribute('data-class'));
  const map = page.locator('#kernels canvas.kernel-map').first();
  await map.scrollIntoViewIfNeeded();
  await map.click();
  await page.waitForSelector('#conv-arithmetic:not([hidden])');
}

describe('Languages', { concurrency: false }, () => {
  test('the English page shows the catalogue: the check below can see English', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trainToDone(page, env.server.url, `${RUN}&lang=en`);
      await baselinesDone(page);
      const english = found(englishFragments('es'), await pageTexts(page));
      assert.ok(english.length > 100, `only ${english.length} English fragments found on the English page`);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test('lang=es: Spanish everywhere, decimal commas, the link keeps lang; the menu switches to zh', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await trainToDone(page, env.server.url, `${RUN}&lang=es`);
      await baselinesDone(page);
      await fillExplanations(page);
      assert.match(await page.textContent('#explain-info'), /Tras 2 épocas, la red predice \d .* Los mapas explican la clase \d/u);
      assert.match(await page.getAttribute('#explain-occlusion', 'aria-label'), /cada bloque de 2×2/u);
      assert.equal(await page.getAttribute('html', 'lang'), 'es');
      assert.equal(await page.inputValue('#language'), 'es');
      assert.deepEqual(found(englishFragments('es'), await pageTexts(page)), [], 'English left on the Spanish page');
      assert.match(await page.textContent('#test-accuracy'), /^\d{1,3},\d\s%$/u, 'a Spanish percentage');
      assert.match(await page.textContent('#status'), /exactitud de prueba \d{1,3},\d\s%/u);
      assert.match(await page.textContent('#train-start'), /^Empezar$/);
      // Lists take the language's separator (Spanish decimal commas would blur ", ").
      assert.match(await page.getAttribute('#chart-classes', 'aria-label'), /0: \d+; 1: \d+/u);

      await page.click('#copy-link');
      const link = new URL(await page.inputValue('#share-link'));
      assert.equal(link.searchParams.get('lang'), 'es', `the copy link keeps the language: ${link}`);

      // The menu reloads the page in the chosen language, keeping the other parameters.
      await Promise.all([page.waitForURL(/lang=zh/), page.selectOption('#language', 'zh')]);
      await waitForStatus(page, "state 'done'", (s) => s.state === 'done');
      await baselinesDone(page);
      await fillExplanations(page);
      assert.equal(new URL(page.url()).searchParams.get('data'), 'digits');
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
      assert.deepEqual(found(englishFragments('zh'), await pageTexts(page)), [], 'English left on the Chinese page');
      assert.match(await page.textContent('#test-accuracy'), /^\d{1,3}\.\d%$/, 'a Chinese percentage');
      assert.match(await page.textContent('#train-start'), /^开始$/);
      assert.match(await page.getAttribute('#chart-classes', 'aria-label'), /0: \d+；1: \d+/u);
      assertClean(rec);
    } finally {
      await context.close();
    }
  });

  test("without lang= the browser's language is used; a bad lang= is named in #param-error", { timeout: TEST_TIMEOUT }, async () => {
    const context = await env.browser.newContext({ locale: 'es-MX', serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      await gotoReady(page, env.server.url, '?data=digits');
      assert.equal(await page.getAttribute('html', 'lang'), 'es');
      assert.equal(await page.textContent('#train-start'), 'Empezar');
      assert.equal(await page.inputValue('#share-link').then((l) => new URL(l).searchParams.get('lang')), null);
    } finally {
      await context.close();
    }
    const { context: other, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits&lang=fr');
      const message = await page.textContent('#param-error');
      assert.match(message, /lang = "fr" is not accepted: .*en, es, zh/, message);
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the browser (openPage: en-US) prefers English');
      assertClean(rec);
    } finally {
      await other.close();
    }
  });
});
