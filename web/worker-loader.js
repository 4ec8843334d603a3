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
// script, worker.js then this loader, with DIGITLAB_WORKER_WASM holding the (baseline) wasm.
const RELAXED_SIMD = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // "\0asm", version 1
  1, 8, 1, 96, 3, 123, 123, 123, 1, 123, // a type: (v128, v128, v128) -> v128
  3, 2, 1, 0, // one function of that type
  10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11, // its body: f32x4.relaxed_madd
]);
const base = self.DIGITLAB_BASE ?? "./";
const build = !self.DIGITLAB_WORKER_WASM && WebAssembly.validate(RELAXED_SIMD) ? "worker-relaxed-simd" : "worker";
if (typeof wasm_bindgen === "undefined") importScripts(`${base}${build}.js`);
// The wasm exports, kept so tests can read the worker's memory size (`memory.buffer`).
self.digitLabWasm = wasm_bindgen({ module_or_path: self.DIGITLAB_WORKER_WASM ?? `${base}${build}_bg.wasm` });
