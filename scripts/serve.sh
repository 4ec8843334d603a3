#!/usr/bin/env bash
# Builds Digit Lab's page and serves it on http://127.0.0.1:8080/ (PORT=... to change).
#
#   bash scripts/serve.sh           # install what is missing, trunk build --release, serve dist/
#   bash scripts/serve.sh --watch   # the same through `trunk serve` (rebuilds and reloads on edits)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8080}"
WATCH=0
for arg in "$@"; do
  case "$arg" in
    --watch) WATCH=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "serve: unknown argument '$arg' (use --watch or nothing)" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

if [ "$WATCH" = 1 ]; then
  echo "[serve] running: trunk serve --release --address 127.0.0.1 --port $PORT"
  exec trunk serve --release --address 127.0.0.1 --port "$PORT"
fi

echo "[serve] running: trunk build --release"
started=$(date +%s)
trunk build --release
echo "[serve] built dist/ in $(( $(date +%s) - started )) s:"
for f in dist/*.wasm; do
  [ -e "$f" ] || continue
  echo "[serve]   $f: $(stat -c %s "$f") bytes, $(gzip -9c "$f" | wc -c) gzipped"
done
echo "[serve] open http://127.0.0.1:$PORT/ (Ctrl-C to stop)"
exec node tests/e2e/server.mjs dist "$PORT"
