// Starts the page's wasm without an inline script (CSP: script-src 'self'). Trunk writes the
// hashed file names into this tag's data attributes (see pattern_script in Trunk.toml).
{
  const { js, wasm } = document.currentScript.dataset;
  import(js).then((app) => app.default({ module_or_path: wasm }));
}
