#!/usr/bin/env bash
# Runs every test of Digit Lab, installing first whatever is missing:
#   1. setup     scripts/setup.sh --test (wasm target, trunk, wasm-bindgen-cli, npm deps, Chromium)
#   2. checks    cargo fmt --check; clippy -D warnings natively and for wasm32, with and
#                without relaxed SIMD (the page's wasm-only code is type-checked here in
#                seconds, before the long build); fmt and native clippy of tests/bench/gemm
#                (a crate outside the workspace)
#   3. native    cargo test --release --workspace --no-fail-fast
#   4. wasm      the core crate's wasm-bindgen tests in headless Chromium, compiled with the
#                shipped `wasm-release` profile so that the page's build reuses their burn
#   5. build     trunk build --release (the page in dist/), then scripts/package.sh (the single
#                file, dist/digit-lab.html)
#   6. e2e       tests/e2e: the built page in headless Chromium, driven by playwright-core
# Prints a summary with each phase's time; exits non-zero if anything failed.
# A failed check stops the run at once (a style slip fails fast); after that every phase
# runs even when an earlier test phase failed (except the e2e test, which needs the build),
# so one run shows every failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"

NAMES=() RESULTS=() SECONDS_TAKEN=() COUNTS=()
PASSED=0 FAILED=0 SKIPPED=0 PHASE_FAILED=0
TOTAL_START=$(date +%s)

# Sums the test counts a phase's log reports: cargo/wasm-bindgen-test lines
# "test result: ok. N passed; M failed; K ignored" and node's "ℹ pass N" / "# pass N".
count_tests() {
  local log="$1" p f s
  p=$(grep -aoE '^test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -aoE '[0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$3} END {print s+0}')
  s=$(grep -aoE '[0-9]+ failed; [0-9]+ ignored' "$log" | awk '{s+=$3} END {print s+0}')
  p=$(( p + $(grep -aE '^(ℹ|#) pass [0-9]+$' "$log" | awk '{s+=$3} END {print s+0}') ))
  f=$(( f + $(grep -aE '^(ℹ|#) fail [0-9]+$' "$log" | awk '{s+=$3} END {print s+0}') ))
  s=$(( s + $(grep -aE '^(ℹ|#) (skipped|todo) [0-9]+$' "$log" | awk '{s+=$3} END {print s+0}') ))
  echo "$p $f $s"
}

# phase NAME TIMEOUT_MINUTES COMMAND...: runs, logs to target/test-logs/NAME.log, records.
phase() {
  local name="$1" minutes="$2"; shift 2
  local log="$LOGS/$name.log" start rc p f s
  echo
  echo "=== [$name] $* ==="
  start=$(date +%s)
  timeout --kill-after=30 "${minutes}m" "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if [ "$rc" = 124 ]; then echo "[$name] TIMED OUT after $minutes minutes" | tee -a "$log"; fi
  read -r p f s < <(count_tests "$log")
  # A phase that failed without a failing test (a build error, a crash) counts as one failure.
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
  NAMES+=("$name"); SECONDS_TAKEN+=("$(( $(date +%s) - start ))")
  COUNTS+=("$p passed, $f failed, $s skipped")
  if [ "$rc" = 0 ]; then RESULTS+=("ok"); else RESULTS+=("FAILED (exit $rc)"); PHASE_FAILED=1; fi
  echo "=== [$name] exit $rc in $(( $(date +%s) - start )) s ==="
  return "$rc"
}

skip() {
  NAMES+=("$1"); RESULTS+=("SKIPPED ($2)"); SECONDS_TAKEN+=(0); COUNTS+=("-")
  echo "=== [$1] skipped: $2 ==="
}

summary() {
  echo
  echo "================ Digit Lab test summary ================"
  local i
  for i in "${!NAMES[@]}"; do
    printf '  %-8s %-20s %5s s   %s\n' "${NAMES[$i]}" "${RESULTS[$i]}" "${SECONDS_TAKEN[$i]}" "${COUNTS[$i]}"
  done
  echo "  total time: $(( $(date +%s) - TOTAL_START )) s; logs in target/test-logs/"
  [ -d tests/e2e/artifacts ] && echo "  screenshots: tests/e2e/artifacts/"
  echo "========================================================"
  echo "tests: $PASSED passed, $FAILED failed, $SKIPPED skipped"
}

# 1. Tools. Nothing else can run without them.
if ! phase setup 60 bash scripts/setup.sh --test; then
  summary
  exit 1
fi

# 2. Style and lints first: they take seconds to minutes, the rest takes long.
CHECKS='set -e
cargo fmt --all --check
cargo clippy --workspace --all-targets --release -- -D warnings
cargo clippy -p digits-web --target wasm32-unknown-unknown --release -- -D warnings
cargo clippy -p digits-web --target wasm32-unknown-unknown --release --features relaxed-simd -- -D warnings
cargo fmt --check --manifest-path tests/bench/gemm/Cargo.toml
CARGO_TARGET_DIR=target/gemm-bench cargo clippy --manifest-path tests/bench/gemm/Cargo.toml --all-targets --release -- -D warnings'
if ! phase checks 30 bash -c "$CHECKS"; then
  summary
  exit 1
fi

# 3. Native tests: one optimised build of the workspace (burn is far too slow unoptimised).
phase native 45 cargo test --release --workspace --no-fail-fast

# 4. The core crate compiled to wasm32, its wasm-bindgen tests run in headless Chromium
# (the runner is set in .cargo/config.toml). The shipped profile, so step 5 reuses the build.
WASM_ENV=(
  CHROMEDRIVER=/usr/bin/chromedriver
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/wasm/webdriver.json"
  WASM_BINDGEN_TEST_TIMEOUT=600
  WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60
)
phase wasm 45 env "${WASM_ENV[@]}" \
  cargo test --profile wasm-release --target wasm32-unknown-unknown -p digits-cnn --no-fail-fast

# 5. The page, as shipped.
if phase build 45 bash -c 'trunk build --release && bash scripts/package.sh'; then
  for f in dist/*.wasm dist/digit-lab.html; do
    [ -e "$f" ] && echo "  $f: $(stat -c %s "$f") bytes, $(gzip -9c "$f" | wc -c) gzipped"
  done
  # 6. The end-to-end test against dist/.
  rm -rf tests/e2e/artifacts
  phase e2e 30 node --test --test-reporter=spec --test-concurrency=1 tests/e2e/
else
  skip e2e "the page did not build"
fi

summary
[ "$FAILED" = 0 ] && [ "$PHASE_FAILED" = 0 ]
