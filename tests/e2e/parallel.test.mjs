// Data-parallel training (issue 4): the training worker starts one helper worker per extra
// core (navigator.hardwareConcurrency, at most 4 workers in all) and averages their
// gradients into one optimizer step; the helpers start with the page and take the training
// worker's compiled module, and a run never waits for one still loading. A run must depend
// only on its seed and worker count, cross-validation's folds train on every worker too
// (issue 16), and the ndarray backend must stay selectable. Run with the other e2e tests
// (after `trunk build --release`): node --test --test-concurrency=1 tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRAIN_TIMEOUT,
  gotoReady,
  openPage,
  waitForStatus,
  workersFor,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';

const env = servePageForTests();

/** The worker counts the training worker said it trained on ("training on N worker(s)"), in order. */
const workersSaid = (rec) =>
  rec.console.map((line) => /training on (\d+) worker/.exec(line)).filter(Boolean).map((m) => Number(m[1]));

/** Trains `query` to done in a fresh page; returns its results and the worker count used. */
async function train(query) {
  const { context, page, rec } = await openPage(env.browser);
  try {
    await gotoReady(page, env.server.url, query);
    await waitForStatus(page, "state 'done'", (s) => s.state === 'done');
    const accuracy = Number(await page.getAttribute('#test-accuracy', 'data-value'));
    const history = await page.$$eval('#history-body tr', (rows) => rows.map((r) => r.textContent.trim()));
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const [workers = null] = workersSaid(rec);
    assert.deepEqual(rec.pageErrors, [], 'no uncaught page errors');
    assert.deepEqual(rec.consoleErrors, [], 'no console errors');
    return { accuracy, history, cores, workers };
  } finally {
    await context.close();
  }
}

describe('data-parallel training', { concurrency: false }, () => {
  test('uses one worker per core (at most 4) and repeats exactly for a seed', { timeout: TRAIN_TIMEOUT }, async () => {
    const first = await train('?data=digits&epochs=2&seed=7&autostart=1');
    const second = await train('?data=digits&epochs=2&seed=7&autostart=1');
    assert.equal(first.workers, workersFor(first.cores), `workers for ${first.cores} cores`);
    assert.ok(first.accuracy > 0 && first.accuracy <= 1, `test accuracy ${first.accuracy}`);
    assert.equal(second.accuracy, first.accuracy, 'same seed and workers, same test accuracy');
    assert.equal(first.history.length, 2, 'two epochs in the history table');
    assert.deepEqual(second.history, first.history, 'same seed and workers, same per-epoch losses');
    console.log(`# ${first.workers} worker(s) on ${first.cores} cores; test accuracy after 2 epochs ${first.accuracy}`);
  });

  test('cross-validation trains every fold on every worker and repeats exactly for a seed', { timeout: TRAIN_TIMEOUT }, async () => {
    const crossValidate = async () => {
      const { context, page, rec } = await openPage(env.browser);
      try {
        await gotoReady(page, env.server.url, '?data=digits&kfold=1&autostart=1&folds=2&epochs=1&seed=7');
        await page.waitForFunction(() => document.querySelector('#cv-mean')?.getAttribute('data-value'), null, {
          timeout: TRAIN_TIMEOUT,
        });
        const folds = await page.$$eval('#cv-body tr', (rows) => rows.map((r) => r.textContent.trim()));
        const cores = await page.evaluate(() => navigator.hardwareConcurrency);
        const workers = workersSaid(rec);
        assert.deepEqual(rec.pageErrors, [], 'no uncaught page errors');
        assert.deepEqual(rec.consoleErrors, [], 'no console errors');
        return { folds, cores, workers };
      } finally {
        await context.close();
      }
    };
    const first = await crossValidate();
    const second = await crossValidate();
    const expected = workersFor(first.cores);
    assert.deepEqual(first.workers, [expected, expected], `each fold on ${expected} worker(s) for ${first.cores} cores`);
    assert.equal(first.folds.length, 2, 'two folds in the table');
    assert.deepEqual(second.folds, first.folds, 'same seed and workers, same folds');
  });

  test("the helpers start with the page and take the training worker's compiled module", { timeout: TRAIN_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    try {
      await gotoReady(page, env.server.url, '?data=digits');
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      const workers = workersFor(cores);
      assert.equal(page.workers().length, workers, `the training worker and its helpers for ${cores} cores, by ready`);
      const wasm = rec.requests.filter((r) => /\/worker(-relaxed-simd)?_bg\.wasm$/.test(r.url)).map((r) => r.url);
      assert.equal(wasm.length, 1, `the workers' wasm downloads once: ${wasm.join(', ')}`);
      assert.deepEqual(rec.consoleErrors, [], 'no console errors');
    } finally {
      await context.close();
    }
  });

  test('a run does not wait for a helper still loading, nor stop when one fails to load', { timeout: TRAIN_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(env.browser);
    // The training worker's bindings load; each helper's (the same script, which its loader
    // imports) are held, then fail while the run is paused, so always before it ends.
    const held = [];
    let bindings = 0;
    await context.route(/\/worker(-relaxed-simd)?\.js$/, (route) => (bindings++ === 0 ? route.fallback() : held.push(route)));
    try {
      await gotoReady(page, env.server.url, '?data=digits&epochs=8&seed=7&autostart=1');
      await waitForStatus(page, "state 'training'", (s) => s.state === 'training', 120_000);
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      assert.equal(held.length, workersFor(cores) - 1, `every helper's bindings held, for ${cores} cores`);
      await page.click('#train-pause');
      await waitForStatus(page, "state 'paused'", (s) => s.state === 'paused', 60_000);
      await Promise.all(held.map((route) => route.abort()));
      const lost = () => rec.console.filter((line) => line.includes('a helper will not train'));
      for (const deadline = Date.now() + 30_000; lost().length < held.length && Date.now() < deadline; ) {
        await page.waitForTimeout(100);
      }
      assert.equal(lost().length, held.length, `each failed helper is reported: ${rec.console.join(' | ')}`);
      await page.click('#train-pause'); // Resume
      await waitForStatus(page, "state 'done'", (s) => s.state === 'done', 120_000);
      assert.equal(workersSaid(rec)[0], 1, 'the run trained on the training worker alone');
      assert.equal(lost().length, held.length, `each failed helper is reported once: ${lost().join(' | ')}`);
      assert.equal(await page.$$eval('#history-body tr', (rows) => rows.length), 8, 'every epoch trained');
      assert.deepEqual(rec.pageErrors, [], 'no uncaught page errors');
      assert.deepEqual(rec.consoleErrors, [], 'no console errors');
    } finally {
      await context.close();
    }
  });

  test('the ndarray backend stays selectable and trains', { timeout: TRAIN_TIMEOUT }, async () => {
    const run = await train('?data=digits&epochs=1&batch=256&backend=ndarray&autostart=1');
    assert.ok(run.accuracy >= 0 && run.accuracy <= 1, `test accuracy ${run.accuracy}`);
    assert.equal(run.history.length, 1);
  });
});
