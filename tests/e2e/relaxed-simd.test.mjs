// The two worker builds (issue 16): where the browser has relaxed SIMD, web/worker-loader.js
// starts `worker-relaxed-simd` (its GEMM multiply-adds with f32x4.relaxed_madd); elsewhere
// the baseline `worker`, since a module using relaxed SIMD would not compile there. Chromium
// has it, and V8 no longer has a flag to turn it off, so a browser without it is played by a
// copy of the build whose worker-loader.js first makes `WebAssembly.validate` reject every
// module (the loader uses it for this choice only). Helper workers load it too, which a
// browser-side route would not reach. Run with the other e2e tests (after `trunk build
// --release`): node --test --test-concurrency=1 tests/e2e/
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, TRAIN_TIMEOUT, assertClean, openPage, trainToDone } from './browser.mjs';
import { servePageForTests } from './fixture.mjs';
import { startServer } from './server.mjs';

const env = servePageForTests();
const QUERY = '?data=digits&epochs=2&seed=7';

/** Trains QUERY to done from `server`; returns the worker files it served and the results. */
async function train(server) {
  const { context, page, rec } = await openPage(env.browser);
  try {
    await trainToDone(page, server.url, QUERY);
    assertClean(rec);
    const accuracy = Number(await page.getAttribute('#test-accuracy', 'data-value'));
    const epochs = await page.$$eval('#history-body tr', (rows) => rows.length);
    const served = new Set(server.log.map((r) => r.path.split('/').pop()));
    return { accuracy, epochs, workerFiles: [...served].filter((name) => name.startsWith('worker')).sort() };
  } finally {
    await context.close();
  }
}

/** Serves a copy of the build whose worker loader finds no relaxed SIMD. */
async function serveWithoutRelaxedSimd() {
  const dir = mkdtempSync(join(tmpdir(), 'digit-lab-baseline-'));
  cpSync(DIST, dir, { recursive: true });
  const loader = join(dir, 'worker-loader.js');
  writeFileSync(loader, `WebAssembly.validate = () => false;\n${readFileSync(loader, 'utf8')}`);
  const server = await startServer(dir);
  return { server, close: async () => { await server.close(); rmSync(dir, { recursive: true, force: true }); } };
}

describe('worker builds', { concurrency: false }, () => {
  test('a browser with relaxed SIMD runs worker-relaxed-simd, one without runs worker; both train', { timeout: TRAIN_TIMEOUT }, async () => {
    const relaxed = await train(env.server);
    assert.deepEqual(relaxed.workerFiles, ['worker-loader.js', 'worker-relaxed-simd.js', 'worker-relaxed-simd_bg.wasm']);
    const without = await serveWithoutRelaxedSimd();
    try {
      const baseline = await train(without.server);
      assert.deepEqual(baseline.workerFiles, ['worker-loader.js', 'worker.js', 'worker_bg.wasm']);
      for (const run of [relaxed, baseline]) assert.equal(run.epochs, 2, 'two epochs in the history table');
      // Fused and unfused multiply-adds round differently, so the two runs differ a little.
      assert.ok(Math.abs(baseline.accuracy - relaxed.accuracy) < 0.03, `test accuracy ${baseline.accuracy} vs ${relaxed.accuracy}`);
      console.log(`# test accuracy after 2 epochs: relaxed SIMD ${relaxed.accuracy}, baseline ${baseline.accuracy}`);
    } finally {
      await without.close();
    }
  });
});
