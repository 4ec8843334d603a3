// Profiles a training run in headless Chromium with the DevTools protocol's sampling
// profiler: the page's main thread, its training worker and the helper workers (issue 16).
//
//   node --experimental-websocket tests/bench/profile.mjs DIST [QUERY] [FROM] [TO]
//
// serves DIST, opens it with QUERY (default `?epochs=15`), presses Start, profiles every
// thread from epoch FROM to epoch TO (default 6..14, the steady state; 0..5 shows the first
// epochs), prints each thread's functions by self time and writes each profile to
// target/profile/ (open them in DevTools' Performance panel). `bash scripts/profile.sh`
// builds a page whose worker keeps its function names and runs this on it. The flag gives
// Node 20 its WebSocket (Node 22 has it without; see devtools.mjs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';
import { openWithWorkers, sleep } from './devtools.mjs';

const [dist, query = '?epochs=15', from = '6', to = '14'] = process.argv.slice(2);
if (!dist) throw new Error('usage: node --experimental-websocket tests/bench/profile.mjs DIST [QUERY] [FROM] [TO]');
const OUT = join(ROOT, 'target', 'profile');
const SAMPLING_US = 200;
const TOP = 25;

/** Each sample's self time by function name, largest first. */
function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const frame = nodes.get(id).callFrame;
    const name = frame.functionName || `(${frame.url || 'anonymous'})`;
    times.set(name, (times.get(name) ?? 0) + dt);
    total += dt;
  });
  return { total, rows: [...times].sort((a, b) => b[1] - a[1]) };
}

const server = await startServer(dist);
const workers = new Map(); // sessionId -> name
const profiled = async (cdp, session) => {
  await cdp.send('Profiler.enable', {}, session);
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US }, session);
};
const browser = await openWithWorkers(`${server.url}/${query}`, async (session, index, cdp) => {
  workers.set(session, index === 0 ? 'training worker' : `helper worker ${index}`);
  await profiled(cdp, session);
});
try {
  const { cdp, page, value, epoch } = browser;
  await profiled(cdp, page);
  const threads = new Map([[page, 'main thread'], ...workers]);
  await value(`document.querySelector('#train-start').click()`);
  while ((await epoch()) < Number(from)) await sleep(10);
  const sessions = [...threads.keys()];
  const started = Date.now();
  await Promise.all(sessions.map((s) => cdp.send('Profiler.start', {}, s)));
  while ((await epoch()) < Number(to)) await sleep(10);
  const profiles = await Promise.all(sessions.map((s) => cdp.send('Profiler.stop', {}, s)));
  console.log(`epochs ${from}..${to} of ${query}: ${((Date.now() - started) / 1000).toFixed(2)} s, ${dist}`);
  mkdirSync(OUT, { recursive: true });
  profiles.forEach(({ profile }, k) => {
    const name = threads.get(sessions[k]);
    const file = join(OUT, `${name.replaceAll(' ', '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const { total, rows } = selfTimes(profile);
    console.log(`\n${name}: ${(total / 1e6).toFixed(2)} s sampled (${file})`);
    for (const [fn, t] of rows.slice(0, TOP)) {
      console.log(`${((100 * t) / total).toFixed(1).padStart(5)}% ${(t / 1e3).toFixed(0).padStart(6)} ms  ${fn.slice(0, 120)}`);
    }
  });
} finally {
  await browser.close();
  server.close();
}
