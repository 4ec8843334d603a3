// Starts the single file's app (scripts/package.mjs writes dist/digit-lab.html with this
// loader appended to the app's wasm-bindgen module, in one inline module script, so
// `__wbg_init` is that module's init function). The file has nothing beside it: both wasm
// binaries are gzipped, base64 text in data blocks (<script type="application/octet-stream">),
// and the worker's code (worker.js, then web/worker-loader.js) is a text block. The worker
// starts from a blob: URL made here, as in a sandboxed iframe (crates/digits-web/src/app/
// link.rs reads DIGITLAB_WORKER_URL). From file:// it trains alone: a worker of an opaque
// origin may not start helpers from that blob: URL (parallel.rs then says so in a warning).
{
  /** A data block's text; the block leaves the page (its copy would only hold memory). */
  const take = (id) => {
    const block = document.getElementById(id);
    block.remove();
    return block.textContent;
  };
  /**
   * A gzipped wasm binary from a data: URL, as a promise of its bytes. The browser decodes
   * and unzips it (and a worker of a file:// page could not fetch the page's blob: URLs);
   * bytes, unlike a URL, keep a megabytes-long name out of every stack trace. The worker
   * runs this very function.
   */
  const wasmBytes = (url) =>
    fetch(url)
      .then((response) => new Response(response.body.pipeThrough(new DecompressionStream('gzip'))))
      .then((unzipped) => unzipped.arrayBuffer());
  const wasmUrl = (id) => `data:application/gzip;base64,${take(id)}`;
  const worker = [
    `self.DIGITLAB_WORKER_WASM = () => (${wasmBytes})(${JSON.stringify(wasmUrl('digitlab-worker-wasm'))});\n`,
    take('digitlab-worker-js'),
  ];
  self.DIGITLAB_WORKER_URL = URL.createObjectURL(new Blob(worker, { type: 'text/javascript' }));
  __wbg_init({ module_or_path: wasmBytes(wasmUrl('digitlab-app-wasm')) });
}
