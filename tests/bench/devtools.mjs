// Headless Chromium driven over the DevTools protocol itself, with every worker attached
// (the page's training worker and the helpers it starts): Playwright has no session for a
// worker's own workers. Shared by the profiler (profile.mjs) and the data-parallel exchange's
// timing (exchange.mjs). Node 20 needs `--experimental-websocket` for its WebSocket.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/browser.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Chromium with a DevTools endpoint; resolves to { chrome, endpoint, profileDir }. */
async function launch() {
  const profileDir = mkdtempSync(join(tmpdir(), 'digit-lab-devtools-'));
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

/**
 * Opens `url` with every worker attached, calling `onWorker(sessionId, index, cdp)` as each
 * attaches (0: the training worker, then its helpers), then waits until the page has drawn
 * its data. Resolves to { cdp, page, value, epoch, close }: `value(expression, session)`
 * evaluates in the page (or a worker) and returns the value, `epoch()` the page's epoch.
 */
export async function openWithWorkers(url, onWorker = async () => {}) {
  const { chrome, endpoint, profileDir } = await launch();
  const cdp = await connect(endpoint);
  let workers = 0;
  cdp.listen(async (message) => {
    if (message.method !== 'Target.attachedToTarget') return;
    const { sessionId, targetInfo } = message.params;
    if (targetInfo.type !== 'worker') return;
    const index = workers++;
    // A worker's own workers (the helpers) attach through it.
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, sessionId);
    await onWorker(sessionId, index, cdp);
  });
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId: page } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, page);
  await cdp.send('Page.enable', {}, page);
  await cdp.send('Page.navigate', { url }, page);
  const value = async (expression, session = page) =>
    (await cdp.send('Runtime.evaluate', { expression, returnByValue: true }, session).catch(() => null))?.result?.value;
  const epoch = () => value(`Number(document.querySelector('#status')?.getAttribute('data-epoch') ?? 0)`);
  while (!((await value(`Number(document.querySelector('#data-rows')?.getAttribute('data-value') ?? 0)`)) > 0)) await sleep(50);
  const close = async () => {
    cdp.close();
    const exited = new Promise((resolve) => chrome.once('exit', resolve));
    chrome.kill();
    await exited;
    // Chromium's child processes can still be writing there for a moment after it exits.
    rmSync(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  return { cdp, page, value, epoch, close };
}
