// End-to-end test of "One file that opens anywhere": dist/digit-lab.html (written by
// scripts/package.sh) opened from file:// trains to the end with no network request.
// By hand (after trunk build --release and bash scripts/package.sh):
//   node --test --test-concurrency=1 tests/e2e/single-file.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DIST,
  TRAIN_TIMEOUT,
  assertClean,
  cspViolations,
  expectInk,
  isNetworkUrl,
  launchBrowser,
  openPage,
  trainToDone,
} from './browser.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;
const NAME = 'digit-lab.html';

// No server: the file opens as a teacher's double click opens it.
let browser;
before(async () => {
  assert.ok(existsSync(join(DIST, NAME)), `${DIST}/${NAME} is missing: run bash scripts/package.sh`);
  browser = await launchBrowser();
});
after(() => browser?.close());

describe('The single file (digit-lab.html)', { concurrency: false }, () => {
  test('opens from file://, trains 2 epochs to done, no network request', { timeout: TEST_TIMEOUT }, async () => {
    const { context, page, rec } = await openPage(browser);
    try {
      const folder = pathToFileURL(DIST).href;
      await trainToDone(page, folder, `${NAME}?epochs=2`);
      await expectInk(assert, page, '#chart-loss');
      assert.ok(page.workers().length >= 1, 'the training worker runs');
      const file = `${folder}/${NAME}`;
      const requests = rec.requests.map((r) => r.url).filter((url) => isNetworkUrl(url) && url.split('?')[0] !== file);
      assert.deepEqual(requests, [], 'requests other than the file itself');
      assertClean(rec);
      assert.deepEqual(await cspViolations(page), [], 'CSP violations');
    } finally {
      await context.close();
    }
  });
});
