// The shared setup of every end-to-end test file: the built page served locally and one
// headless Chromium, started before the file's tests and closed after them.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

/**
 * Registers `before`/`after` hooks that serve DIST and launch Chromium; returns an object
 * whose `server` (with `url`) and `browser` are set once `before` has run. `onClose` runs
 * after both are closed, e.g. to print the file's figures.
 */
export function servePageForTests({ onClose } = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    assert.ok(
      existsSync(join(DIST, 'index.html')),
      `${DIST}/index.html is missing: build the page first (trunk build --release)`,
    );
    env.server = await startServer(DIST);
    env.browser = await launchBrowser();
    console.log(`serving ${DIST} at ${env.server.url}; ${env.browser.version()}`);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
    onClose?.();
  });
  return env;
}
