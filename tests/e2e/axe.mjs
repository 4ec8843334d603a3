// Runs axe-core (from node_modules) inside a page. page.evaluate is not subject to the
// page's Content-Security-Policy, so this works under a strict CSP too.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let source;

/** The axe-core results object for the page's current state (WCAG 2.x A and AA rules). */
export async function runAxe(page, { tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } = {}) {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate((t) => window.axe.run(document, { runOnly: { type: 'tag', values: t } }), tags);
}
