#!/usr/bin/env bash
# The GEMMs of one training step's 64-row shard (every layer's forward and backward products),
# through the gemm crate the page's worker calls (vendor/gemm-f32), timed apart from the rest
# of a step: in headless Chromium (the relaxed-SIMD and the baseline wasm build) and natively.
# Issue 16's WebAssembly gap in the GEMM alone. Prints; asserts nothing. Needs
# `bash scripts/setup.sh --test` (Chromium, Node packages) first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="$PWD/target/gemm-bench"
manifest=tests/bench/gemm/Cargo.toml
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/gemm_bench.wasm"

RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
  cargo build -q --release --manifest-path "$manifest" --target wasm32-unknown-unknown --features relaxed-simd
cp "$wasm" "$CARGO_TARGET_DIR/relaxed-simd.wasm"
RUSTFLAGS="-C target-feature=+simd128" \
  cargo build -q --release --manifest-path "$manifest" --target wasm32-unknown-unknown
cp "$wasm" "$CARGO_TARGET_DIR/baseline.wasm"

echo "# headless Chromium (best of ${ROUNDS:-7} rounds, builds interleaved)"
node tests/bench/gemm.mjs "$CARGO_TARGET_DIR/relaxed-simd.wasm" "$CARGO_TARGET_DIR/baseline.wasm"
echo "# native ($(uname -m); gemm picks its kernels by the CPU's features at run time)"
cargo run -q --release --manifest-path "$manifest" --example native
