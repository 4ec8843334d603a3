#!/usr/bin/env bash
# Profiles a training run in headless Chromium (issue 16): builds the release page into
# target/profile-dist with the training worker's wasm rebuilt to keep its function names
# (wasm-opt as index.html runs it, plus -g for the name section), then runs
# tests/bench/profile.mjs on it, which prints each thread's functions by self time.
#
#   bash scripts/profile.sh ['?epochs=15'] [FROM] [TO]     # after bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
dist=target/profile-dist
bindgen=target/profile-bindgen
trunk build --release --dist "$dist"
# Both worker builds (web/worker-loader.js picks one: Chromium takes worker-relaxed-simd).
for worker in worker worker-relaxed-simd; do
  wasm-bindgen --target no-modules --no-typescript --out-dir "$bindgen" --out-name "$worker" \
    "target/wasm32-unknown-unknown/wasm-release/$worker.wasm"
  wasm-opt --no-inline='*try_cast*' --no-inline='*composed*' -O3 -g --enable-simd --enable-relaxed-simd --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue \
    "$bindgen/${worker}_bg.wasm" -o "$dist/${worker}_bg.wasm"
  cp "$bindgen/$worker.js" "$dist/$worker.js"
done
node --experimental-websocket tests/bench/profile.mjs "$dist" "$@"
