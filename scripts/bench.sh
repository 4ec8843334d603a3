#!/usr/bin/env bash
# Digit Lab's benchmark, one command: builds the native CLI and the page (into its own
# directory, target/bench-dist, so it never disturbs dist/), sets Keras up (tensorflow-cpu in
# target/keras-venv, on first use; skipped with a message if it cannot be installed), then
# prints, in one run on one machine: the page's s/epoch and samples/s in headless Chromium,
# TensorFlow.js' (wasm backend, same browser), Keras', the native CLI's with 1 and 2 workers,
# the ratios page / each of them, page-ready time, wasm bytes raw and gzipped, peak memory.
#
#   bash scripts/bench.sh              # build, then measure
#   bash scripts/bench.sh --no-build   # measure the existing builds
#
# Figures only: it fails when something cannot be built or run, never on a timing.
# Environment: see tests/bench/bench.mjs (BENCH_EPOCHS, BENCH_BIG_EPOCHS, BENCH_TFJS_EPOCHS,
# BENCH_KERAS=0, ...). A quick run: BENCH_EPOCHS=20 BENCH_BIG_EPOCHS=10 BENCH_TFJS_EPOCHS=4.
# Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
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
# Keras on TensorFlow's CPU, in a virtual environment of its own (about 600 MB, once).
VENV="$PWD/target/keras-venv"
if [ "${BENCH_KERAS:-1}" != 0 ] && [ -z "${KERAS_PYTHON:-}" ]; then
  if ! "$VENV/bin/python" -c 'import tensorflow' 2>/dev/null; then
    echo "[bench] setting up Keras: python3 -m venv $VENV; pip install tensorflow-cpu"
    python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet tensorflow-cpu \
      || echo "[bench] Keras could not be installed: its figures are skipped"
  fi
  if "$VENV/bin/python" -c 'import tensorflow' 2>/dev/null; then export KERAS_PYTHON="$VENV/bin/python"; fi
fi
exec node tests/bench/bench.mjs
