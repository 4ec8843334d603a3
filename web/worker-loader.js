// Starts the training worker: Trunk builds the `worker` bin as a no-modules bundle, worker.js,
// which defines `wasm_bindgen`.
// DIGITLAB_BASE is set when the page had to start this loader from a blob: script (in a
// sandboxed iframe; see crates/digits-web/src/app/link.rs): relative URLs do not resolve
// against a blob: URL, so the files are then named by absolute URL.
// The single file (scripts/package.mjs) has no files beside it: its worker is one blob:
// script, worker.js then this loader, with DIGITLAB_WORKER_WASM holding the wasm's bytes.
const base = self.DIGITLAB_BASE ?? "./";
if (typeof wasm_bindgen === "undefined") importScripts(base + "worker.js");
// The wasm exports, kept so tests can read the worker's memory size (`memory.buffer`).
self.digitLabWasm = wasm_bindgen({ module_or_path: self.DIGITLAB_WORKER_WASM ?? base + "worker_bg.wasm" });
