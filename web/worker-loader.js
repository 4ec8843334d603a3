// Starts the training worker: Trunk builds the `worker` bin as a no-modules bundle, worker.js,
// which defines `wasm_bindgen`.
// Where the browser has relaxed SIMD, it starts `worker-relaxed-simd` instead: the same code,
// its GEMM multiply-adding with f32x4.relaxed_madd, one FMA instruction on today's CPUs (about
// 5% faster training; README, Performance). A module using it fails to compile without it,
// hence two builds; RELAXED_SIMD is the smallest module that uses it.
// DIGITLAB_BASE is set when the page had to start this loader from a blob: script (in a
// sandboxed iframe; see crates/digits-web/src/app/link.rs): relative URLs do not resolve
// against a blob: URL, so the files are then named by absolute URL.
// The single file (scripts/package.mjs) has no files beside it: its worker is one blob:
// script, worker.js then this loader, with DIGITLAB_WORKER_WASM giving the (baseline) wasm.
//
// The helper workers of data-parallel training (crates/digits-web/src/parallel.rs) start here
// too, one per extra core (navigator.hardwareConcurrency, at most MAX_SHARDS workers in all),
// from this same script, while the training worker's wasm downloads and compiles: a helper
// loads worker.js meanwhile, then waits for the compiled module, which the training worker
// posts it once running. The page is ready only when the helpers are (it makes no request
// after), so they no longer add a second download, compile and start to its loading.
const RELAXED_SIMD = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // "\0asm", version 1
  1, 8, 1, 96, 3, 123, 123, 123, 1, 123, // a type: (v128, v128, v128) -> v128
  3, 2, 1, 0, // one function of that type
  10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11, // its body: f32x4.relaxed_madd
]);
// A helper's name: this loader's role check (the wasm's is the digitLabHelpers left below
// on the training worker alone), and what DevTools lists.
const HELPER_NAME = "digit-lab-helper";
const MAX_SHARDS = 4;
const base = self.DIGITLAB_BASE ?? "./";
const build = !self.DIGITLAB_WORKER_WASM && WebAssembly.validate(RELAXED_SIMD) ? "worker-relaxed-simd" : "worker";
if (typeof wasm_bindgen === "undefined") importScripts(`${base}${build}.js`);

/**
 * The helpers, or the error that stopped one from starting (the worker then trains alone and
 * says why). An error a helper meets before the training worker listens to it is kept on it,
 * as digitLabError, for the worker to report.
 */
function startHelpers() {
  const count = Math.min(Math.max(navigator.hardwareConcurrency | 0, 1), MAX_SHARDS) - 1;
  const helpers = [];
  try {
    while (helpers.length < count) {
      const helper = new Worker(self.location.href, { name: HELPER_NAME });
      helper.onerror = (event) => {
        event.preventDefault();
        helper.digitLabError = event.message || "it failed to load";
      };
      helpers.push(helper);
    }
    return helpers;
  } catch (error) {
    helpers.forEach((helper) => helper.terminate());
    return error;
  }
}

// The wasm exports, kept so tests can read the worker's memory size (`memory.buffer`).
if (self.name === HELPER_NAME) {
  self.onmessage = ({ data: module }) => {
    self.onmessage = null;
    self.digitLabWasm = wasm_bindgen({ module_or_path: module });
  };
} else {
  self.digitLabHelpers = startHelpers();
  const wasm = self.DIGITLAB_WORKER_WASM?.() ?? `${base}${build}_bg.wasm`;
  self.digitLabWasm = wasm_bindgen({ module_or_path: wasm });
}
