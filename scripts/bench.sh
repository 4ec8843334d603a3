#!/usr/bin/env bash
# Digit Lab's benchmark, one command: builds the native CLI and the page (into its own
# directory, target/bench-dist, so it never disturbs dist/), then prints seconds per epoch in
# headless Chromium and natively, page-ready time, wasm bytes raw and gzipped, and peak memory.
#
#   bash scripts/bench.sh              # build, then measure
#   bash scripts/bench.sh --no-build   # measure the existing builds
#
# Figures only: it fails when something cannot be built or run, never on a timing.
# Environment: see tests/bench/bench.mjs (BENCH_EPOCHS, BENCH_BIG_EPOCHS, BENCH_DATA, ...).
# Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument '$arg' (use --no-build or nothing)" >&2; exit 2 ;;
  esac
done

export DIST_DIR="${DIST_DIR:-$PWD/target/bench-dist}"
if [ "$BUILD" = 1 ]; then
  bash scripts/setup.sh --test >/dev/null
  echo "[bench] cargo build --release -p digits-cli"
  cargo build --release -p digits-cli --quiet
  echo "[bench] trunk build --release --dist $DIST_DIR"
  trunk --log error build --release --dist "$DIST_DIR"
fi
exec node tests/bench/bench.mjs
