// Times the data-parallel exchange between the training worker (the primary) and its first
// helper in headless Chromium (issue 16): where a step's time goes that neither computes.
//
//   node --experimental-websocket tests/bench/exchange.mjs DIST [QUERY] [FROM] [TO]
//
// serves DIST, opens it with QUERY (default `?epochs=14`), presses Start and, from epoch FROM
// to epoch TO (default 5..12), stamps every message between the two workers on both sides
// (wrappers around their `postMessage` and `onmessage`, installed over the protocol). Per
// step it prints: the helper's busy time (sum received → part posted), the part's way to
// the primary (posted → handled there: long when the primary is still computing its own
// part), the primary's turn (part handled → next sum posted) and the sum's way back, with
// their medians, tails and totals. Worker clocks are coarsened to 0.1 ms without
// cross-origin isolation. It asserts nothing.
import { startServer } from '../e2e/server.mjs';
import { openWithWorkers, sleep } from './devtools.mjs';

const [dist, query = '?epochs=14', from = '5', to = '12'] = process.argv.slice(2);
if (!dist) throw new Error('usage: node --experimental-websocket tests/bench/exchange.mjs DIST [QUERY] [FROM] [TO]');

/** Installed in the primary: stamps the sums it posts to helpers and the parts it handles. */
const PRIMARY = `(() => {
  globalThis.__stamps = []; globalThis.__stamping = false;
  const now = () => performance.timeOrigin + performance.now();
  // Only the first helper's messages: another helper's would blur each interval.
  let first = null;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (...args) {
    if (first === null) {
      first = this;
      const handler = this.onmessage;
      this.onmessage = (event) => { if (__stamping) __stamps.push(['handle', now()]); handler.call(this, event); };
    }
    if (__stamping && this === first) __stamps.push(['post', now()]);
    return post.apply(this, args);
  };
  return true;
})()`;

/** Installed in a helper: stamps the sums it handles and the parts it posts. */
const HELPER = `(() => {
  globalThis.__stamps = []; globalThis.__stamping = false;
  const now = () => performance.timeOrigin + performance.now();
  const handler = self.onmessage;
  self.onmessage = (event) => { if (__stamping) __stamps.push(['handle', now()]); handler(event); };
  const post = self.postMessage.bind(self);
  self.postMessage = (...args) => { if (__stamping) __stamps.push(['post', now()]); return post(...args); };
  return true;
})()`;

/** Each interval between consecutive stamps `from` → `to` (of the merged, ordered stamps). */
function intervals(stamps, fromKind, toKind) {
  const out = [];
  let start = null;
  for (const [kind, t] of stamps) {
    if (kind === fromKind) start = t;
    else if (kind === toKind && start !== null) {
      out.push(t - start);
      start = null;
    }
  }
  return out;
}

/** One interval's figures: count, median, p90, max and total (and its share of `seconds`). */
function line(name, values, seconds) {
  if (!values.length) return `${name.padEnd(36)} n    0`;
  const v = [...values].sort((a, b) => a - b);
  const q = (p) => v[Math.floor(p * (v.length - 1))].toFixed(1);
  const total = v.reduce((a, b) => a + b, 0);
  return `${name.padEnd(36)} n ${String(v.length).padStart(4)}  median ${q(0.5)}  p90 ${q(0.9)}  max ${q(1)} ms  total ${(total / 1000).toFixed(2)} s (${((100 * total) / (1000 * seconds)).toFixed(0)}%)`;
}

const server = await startServer(dist);
const sessions = [];
const browser = await openWithWorkers(`${server.url}/${query}`, async (session) => sessions.push(session));
try {
  const { value, epoch } = browser;
  while (sessions.length < 2) await sleep(50);
  const [primary, helper] = sessions;
  if (!(await value(PRIMARY, primary)) || !(await value(HELPER, helper))) throw new Error('cannot stamp the workers');
  await value(`document.querySelector('#train-start').click()`);
  while ((await epoch()) < Number(from)) await sleep(20);
  await Promise.all([primary, helper].map((s) => value('__stamping = true', s)));
  const started = Date.now();
  while ((await epoch()) < Number(to)) await sleep(20);
  await Promise.all([primary, helper].map((s) => value('__stamping = false', s)));
  const seconds = (Date.now() - started) / 1000;
  const stamps = [
    ...JSON.parse(await value('JSON.stringify(__stamps)', primary)).map(([k, t]) => [`primary ${k}`, t]),
    ...JSON.parse(await value('JSON.stringify(__stamps)', helper)).map(([k, t]) => [`helper ${k}`, t]),
  ].sort((a, b) => a[1] - b[1]);
  console.log(`epochs ${from}..${to} of ${query}: ${seconds.toFixed(2)} s, ${(seconds / (Number(to) - Number(from))).toFixed(3)} s/epoch, ${dist}`);
  console.log(line('helper busy (sum handled → part)', intervals(stamps, 'helper handle', 'helper post'), seconds));
  console.log(line('part → handled by the primary', intervals(stamps, 'helper post', 'primary handle'), seconds));
  console.log(line('primary turn (part → next sum)', intervals(stamps, 'primary handle', 'primary post'), seconds));
  console.log(line('sum → handled by the helper', intervals(stamps, 'primary post', 'helper handle'), seconds));
  console.log(line('helper idle (part → next sum)', intervals(stamps, 'helper post', 'helper handle'), seconds));
} finally {
  await browser.close();
  server.close();
}
