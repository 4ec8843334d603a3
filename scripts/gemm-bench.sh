#!/usr/bin/env bash
# The GEMMs of one training step's 64-row shard (every layer's forward and backward products),
# through the gemm crate the page's worker calls (vendor/gemm-f32), timed apart from the rest
# of a step: in headless Chromium (the relaxed-SIMD and the baseline wasm build) and natively.
# Issue 16's WebAssembly gap in the GEMM alone. Prints; asserts nothing. Needs
# `bash scripts/setup.sh --test` (Chromium, Node packages) first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out="$PWD/target/gemm-bench"
manifest=tests/bench/gemm/Cargo.toml

# wasm build NAME RUSTFLAGS [cargo flags]: each in its own target directory, so that the
# builds' different flags do not make every run rebuild the other.
wasm() {
  local name=$1 flags=$2
  shift 2
  CARGO_TARGET_DIR="$out/$name" RUSTFLAGS="$flags" cargo build -q --release \
    --manifest-path "$manifest" --target wasm32-unknown-unknown "$@"
  cp "$out/$name/wasm32-unknown-unknown/release/gemm_bench.wasm" "$out/$name.wasm"
}
wasm relaxed-simd "-C target-feature=+simd128,+relaxed-simd" --features relaxed-simd
wasm baseline "-C target-feature=+simd128"

echo "# headless Chromium (best of ${ROUNDS:-7} rounds, builds interleaved)"
node tests/bench/gemm.mjs "$out/relaxed-simd.wasm" "$out/baseline.wasm"
echo "# native ($(uname -m); gemm picks its kernels by the CPU's features at run time)"
CARGO_TARGET_DIR="$out" cargo run -q --release --manifest-path "$manifest" --example native
