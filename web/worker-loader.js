// Starts the training worker: Trunk builds the `worker` bin as a no-modules bundle.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" });
