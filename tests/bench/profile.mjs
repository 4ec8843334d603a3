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
// Node 20 its WebSocket (Node 22 has it without); Playwright has no session for a worker's
// own workers, so this speaks the protocol itself.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ROOT } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';

const [dist, query = '?epochs=15', from = '6', to = '14'] = process.argv.slice(2);
if (!dist) throw new Error('usage: node --experimental-websocket tests/bench/profile.mjs DIST [QUERY] [FROM] [TO]');
const OUT = join(ROOT, 'target', 'profile');
const SAMPLING_US = 200;
const TOP = 25;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Chromium with a DevTools endpoint; resolves to { chrome, endpoint, profileDir }. */
async function launch() {
  const profileDir = mkdtempSync(join(tmpdir(), 'digit-lab-profile-'));
  const args = [...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profileDir}`, 'about:blank'];
  const chrome = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise((resolve, reject) => {
    chrome.stderr.on('data', (d) => {
      const m = String(d).match(/ws:\/\/\S+/);
      if (m) resolve(m[0]);
    });
    chrome.on('exit', () => reject(new Error('Chromium exited before it listened')));
  });
  return { chrome, endpoint, profileDir };
}

/** A DevTools protocol client over flattened sessions. */
async function connect(endpoint) {
  const socket = new WebSocket(endpoint);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let id = 0;
  const pending = new Map();
  const listeners = [];
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const waiting = pending.get(message.id);
    if (waiting) {
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(JSON.stringify(message.error)));
      else waiting.resolve(message.result);
    } else for (const listener of listeners) listener(message);
  };
  const send = (method, params = {}, sessionId = undefined) =>
    new Promise((resolve, reject) => {
      pending.set(++id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
  return { send, listen: (f) => listeners.push(f), close: () => socket.close() };
}

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
const { chrome, endpoint, profileDir } = await launch();
const cdp = await connect(endpoint);
try {
  const threads = new Map(); // sessionId -> name
  cdp.listen(async (message) => {
    if (message.method !== 'Target.attachedToTarget') return;
    const { sessionId, targetInfo } = message.params;
    if (targetInfo.type !== 'worker') return;
    threads.set(sessionId, threads.size === 1 ? 'training worker' : `helper worker ${threads.size - 1}`);
    // A worker's own workers (the helpers) attach through it.
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, sessionId);
    await cdp.send('Profiler.enable', {}, sessionId);
    await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US }, sessionId);
  });
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId: page } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  threads.set(page, 'main thread');
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, page);
  await cdp.send('Profiler.enable', {}, page);
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US }, page);
  await cdp.send('Page.enable', {}, page);
  await cdp.send('Page.navigate', { url: `${server.url}/${query}` }, page);
  const value = async (expression) =>
    (await cdp.send('Runtime.evaluate', { expression, returnByValue: true }, page).catch(() => null))?.result?.value;
  const epoch = () => value(`Number(document.querySelector('#status')?.getAttribute('data-epoch') ?? 0)`);
  while (!((await value(`Number(document.querySelector('#data-rows')?.getAttribute('data-value') ?? 0)`)) > 0)) await sleep(50);
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
  cdp.close();
  const exited = new Promise((resolve) => chrome.once('exit', resolve));
  chrome.kill();
  await exited;
  server.close();
  rmSync(profileDir, { recursive: true, force: true, maxRetries: 5 });
}
