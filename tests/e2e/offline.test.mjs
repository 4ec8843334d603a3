// End-to-end test of "Offline and installable" (docs/page-contract.md, "Offline, installable,
// one file"): Chromium finds the manifest valid, the service worker caches every file of the
// build, and after one visit the page opens and trains with the browser offline; a new build
// is offered by #update-banner and replaces the old one, cache and all.
// By hand (after trunk build --release):
//   node --test --test-concurrency=1 tests/e2e/offline.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DIST,
  TRAIN_TIMEOUT,
  artifact,
  assertClean,
  cspViolations,
  gotoReady,
  lateRequests,
  openPage,
  trainToDone,
  waitForStatus,
} from './browser.mjs';
import { servePageForTests } from './fixture.mjs';
import { startServer } from './server.mjs';

const TEST_TIMEOUT = TRAIN_TIMEOUT + 120_000;

const env = servePageForTests();

/** The build's files as URL paths: what the service worker must cache (not itself, nor the single file). */
function buildFiles() {
  const skip = new Set(['service-worker.js', 'digit-lab.html']);
  const files = readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !skip.has(entry.name) && !entry.parentPath.includes('.stage'))
    .map((entry) => `${entry.parentPath.slice(DIST.length)}/${entry.name}`);
  return ['/', ...files].sort();
}

/** Chromium's view of the manifest: no errors; installable but for the test's private context. */
async function assertInstallable(context, page) {
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  assert.match(manifest.url, /\/manifest\.webmanifest$/);
  assert.deepEqual(manifest.errors, [], 'manifest errors');
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are incognito-like, where Chromium never offers to install.
  const errors = installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito');
  assert.deepEqual(errors, [], 'installability errors');
}

describe('Offline and installable', { concurrency: false }, () => {
  test('installable; after one visit it opens offline and trains 2 epochs', { timeout: TEST_TIMEOUT }, async () => {
    // The other tests block service workers, to see the page's own requests; this one needs one.
    const { context, page, rec } = await openPage(env.browser, { serviceWorkers: 'allow' });
    try {
      await gotoReady(page, env.server.url);

      // The first visit came from the network and installs the service worker, which fetches
      // every file of the build into its cache: the only requests the page may see after
      // it is ready. The next load is served from that cache.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      const late = lateRequests(rec).filter((r) => !r.serviceWorker);
      assert.deepEqual(late.map((r) => r.url), [], "requests after ready, not the service worker's");
      const cached = await page.evaluate(async () => {
        const names = await caches.keys();
        const keys = await (await caches.open(names[0])).keys();
        return { names, paths: keys.map((request) => new URL(request.url).pathname).sort() };
      });
      assert.equal(cached.names.length, 1, `one cache: ${cached.names}`);
      assert.match(cached.names[0], /^digit-lab-[0-9a-f]{16}$/, 'named after the build');
      assert.deepEqual(cached.paths, buildFiles(), 'the cache holds every file of the build');
      // Asking for the manifest fetches it and an icon: after the request check.
      await assertInstallable(context, page);
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

      // Offline: the browser's network, and the host too. (After each navigation the browser
      // asks the host for service-worker.js, to find a new build; Playwright's offline mode
      // does not cover that request. Without a host it fails, silently.)
      await context.setOffline(true);
      await env.server.close();
      await trainToDone(page, env.server.url, '?epochs=2');
      assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
      assert.equal(await page.isVisible('#update-banner'), false, 'no new version to offer');
      assertClean(rec);
      assert.deepEqual(await cspViolations(page), [], 'CSP violations');
    } finally {
      await context.close();
    }
  });

  test('a new build: the banner offers it, Reload switches to it, the old cache goes', { timeout: TEST_TIMEOUT }, async () => {
    // A copy of the build that can change: its service worker with another version is a new build.
    const dir = mkdtempSync(join(tmpdir(), 'digit-lab-update-'));
    cpSync(DIST, dir, { recursive: true });
    const server = await startServer(dir);
    const { context, page, rec } = await openPage(env.browser, { serviceWorkers: 'allow' });
    const cacheNames = () => page.evaluate(() => caches.keys());
    try {
      await gotoReady(page, server.url);
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      const [old] = await cacheNames();

      const script = join(dir, 'service-worker.js');
      writeFileSync(script, readFileSync(script, 'utf8').replace(/"version":"[0-9a-f]+"/, '"version":"0000000000000000"'));
      await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.update()).then(() => true));
      await page.waitForSelector('#update-banner', { state: 'visible' });
      assert.match(await page.textContent('#update-banner'), /A new version of Digit Lab is ready/);
      assert.equal(await page.getAttribute('#update-banner', 'role'), 'status');
      await page.screenshot({ path: artifact('offline-update-banner.png'), clip: { x: 0, y: 0, width: 1280, height: 300 } });
      assert.deepEqual(await cacheNames(), [old, 'digit-lab-0000000000000000'], 'the old build still serves this page');

      await Promise.all([page.waitForEvent('load'), page.click('#update-reload')]);
      await gotoReady(page, server.url, '?epochs=1');
      await page.click('#train-start');
      await waitForStatus(page, "state 'done'", (s) => s.state === 'done');
      assert.deepEqual(await cacheNames(), ['digit-lab-0000000000000000'], 'only the new build is left');
      assert.equal(await page.isVisible('#update-banner'), false);
      assertClean(rec);
    } finally {
      await context.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
