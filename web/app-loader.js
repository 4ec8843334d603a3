// Starts the page's wasm without an inline script (CSP: script-src 'self'). Trunk writes the
// hashed file names into this tag's data attributes (see pattern_script in Trunk.toml).
// The names are made absolute first: in a sandboxed iframe (an opaque origin) this script is
// cross-origin, and import() from such a script cannot resolve a relative name.
{
  const { js, wasm } = document.currentScript.dataset;
  const url = (name) => new URL(name, document.baseURI).href;
  import(url(js)).then((app) => app.default({ module_or_path: url(wasm) }));
}
