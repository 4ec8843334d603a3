// Starts the training worker: Trunk builds the `worker` bin as a no-modules bundle.
// DIGITLAB_BASE is set when the page had to start this loader from a blob: script (in a
// sandboxed iframe; see crates/digits-web/src/app/link.rs): relative URLs do not resolve
// against a blob: URL, so the files are then named by absolute URL.
const base = self.DIGITLAB_BASE ?? "./";
importScripts(base + "worker.js");
// The wasm exports, kept so tests can read the worker's memory size (`memory.buffer`).
self.digitLabWasm = wasm_bindgen({ module_or_path: base + "worker_bg.wasm" });
