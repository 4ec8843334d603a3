// Times the GEMMs of one training step's 64-row shard (tests/bench/gemm/) in headless
// Chromium: each module's products interleaved, one after another, best of ROUNDS (default 7).
//
//   node tests/bench/gemm.mjs WASM...   (bash scripts/gemm-bench.sh builds and runs it)
//
// V8 compiles the modules with its optimising compiler from the start (--no-liftoff), so
// no product is timed before tier-up. Prints ms and GMAC/s; asserts nothing.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/browser.mjs';

const files = process.argv.slice(2);
if (!files.length) throw new Error('usage: node tests/bench/gemm.mjs WASM...');
const rounds = Number(process.env.ROUNDS ?? 7);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [...CHROMIUM_ARGS, '--js-flags=--no-liftoff'],
});
try {
  const page = await browser.newPage();
  const modules = files.map((f) => readFileSync(f).toString('base64'));
  const { names, rates, best } = await page.evaluate(async ({ modules, rounds }) => {
    const all = [];
    for (const b64 of modules) {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      all.push((await WebAssembly.instantiate(bytes, {})).instance.exports);
    }
    const first = all[0];
    const count = first.products();
    const names = Array.from({ length: count }, (_, i) =>
      new TextDecoder().decode(new Uint8Array(first.memory.buffer, first.name_ptr(i), first.name_len(i))),
    );
    const best = all.map(() => Array(count).fill(Infinity));
    for (const m of all) for (let i = 0; i < count; i++) m.run(i, m.warm_up_reps());
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < count; i++) {
        const reps = first.reps(i);
        const order = all.map((_, j) => j);
        if (r % 2) order.reverse();
        for (const j of order) {
          const started = performance.now();
          all[j].run(i, reps);
          best[j][i] = Math.min(best[j][i], (performance.now() - started) / reps);
        }
      }
    }
    const rates = Array.from({ length: count }, (_, i) => first.multiply_adds(i) / 1e6);
    return { names, rates, best };
  }, { modules, rounds });
  console.log(`${''.padEnd(26)}${files.map((f) => basename(f, '.wasm').padStart(26)).join('')}`);
  names.forEach((name, i) => {
    const cells = best.map((b) => `${b[i].toFixed(3)} ms ${(rates[i] / b[i]).toFixed(2).padStart(6)} GMAC/s`);
    console.log(`  ${name.padEnd(24)}${cells.map((c) => c.padStart(26)).join('')}`);
  });
  const totals = best.map((b) => `${b.reduce((s, x) => s + x, 0).toFixed(3)} ms`.padStart(26));
  console.log(`  ${'all 17'.padEnd(24)}${totals.join('')}`);
} finally {
  await browser.close();
}
