#!/usr/bin/env bash
# Installs what Digit Lab's build and tests need, and only what is missing.
#
#   bash scripts/setup.sh          # build tools: wasm target, trunk, wasm-bindgen-cli, npm deps
#   bash scripts/setup.sh --test   # also headless Chromium and ChromeDriver (Debian packages)
#
# Idempotent: every step first checks whether its tool is already there at the pinned
# version. Works as root or, for the apt steps, through sudo. Needs Rust (rustup) already.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
NODE_MIN_MAJOR=20
WITH_TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument '$arg' (use --test or nothing)" >&2; exit 2 ;;
  esac
done

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

DONE=()      # one line per step, printed at the end
log() { printf '[setup] %s\n' "$*"; }
note() { DONE+=("$1"); log "$1"; }

APT_UPDATED=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "ERROR: apt-get not found; install these by hand: $*" >&2
    exit 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then
    log "running: ${SUDO:+$SUDO }apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=1
  fi
  log "running: ${SUDO:+$SUDO }apt-get install -y $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# The first word that looks like a version in a tool's --version output ("" if absent).
tool_version() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
}

# --- Rust ----------------------------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1; then
  log "ERROR: cargo not found. Install Rust with rustup first (https://rustup.rs)." >&2
  exit 1
fi
log "using $(cargo --version)"

# A C compiler: several of trunk's dependencies build C code.
if ! command -v cc >/dev/null 2>&1; then
  apt_install build-essential pkg-config
  note "installed a C toolchain (build-essential)"
else
  note "C compiler: present"
fi

if command -v rustup >/dev/null 2>&1; then
  if rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
    note "wasm32-unknown-unknown target: present"
  else
    log "running: rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
    note "wasm32-unknown-unknown target: installed"
  fi
elif [ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
  note "wasm32-unknown-unknown target: present (no rustup)"
else
  log "ERROR: the wasm32-unknown-unknown target is missing and rustup is not available." >&2
  exit 1
fi

# --- trunk ---------------------------------------------------------------------------------
have="$(tool_version trunk)"
if [ "$have" = "$TRUNK_VERSION" ]; then
  note "trunk $TRUNK_VERSION: present"
else
  log "trunk: found '${have:-none}', want $TRUNK_VERSION"
  log "running: cargo install --locked --force trunk --version $TRUNK_VERSION (takes several minutes)"
  cargo install --locked --force trunk --version "$TRUNK_VERSION"
  note "trunk $TRUNK_VERSION: installed"
fi

# --- wasm-bindgen-cli (wasm-bindgen and wasm-bindgen-test-runner) --------------------------
# Without --locked: its lock file wants a crate version the registry lacks.
have="$(tool_version wasm-bindgen)"
have_runner="$(tool_version wasm-bindgen-test-runner)"
if [ "$have" = "$WASM_BINDGEN_VERSION" ] && [ "$have_runner" = "$WASM_BINDGEN_VERSION" ]; then
  note "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  log "wasm-bindgen: found '${have:-none}' (test runner '${have_runner:-none}'), want $WASM_BINDGEN_VERSION"
  log "running: cargo install --force wasm-bindgen-cli --version $WASM_BINDGEN_VERSION"
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  note "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installed"
fi

# --- Node.js and the npm packages (binaryen's wasm-opt, playwright-core, axe-core) -----------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
  note "installed Node.js and npm from apt"
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt "$NODE_MIN_MAJOR" ]; then
  log "WARNING: Node.js $(node --version) is older than $NODE_MIN_MAJOR; playwright-core wants >= $NODE_MIN_MAJOR."
fi
log "using Node.js $(node --version), npm $(npm --version 2>/dev/null)"

# npm ci reinstalls from scratch, so skip it while node_modules matches the lock file.
stamp=node_modules/.digit-lab-lock.sha256
want_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_sum" ] && [ -x node_modules/.bin/wasm-opt ]; then
  note "npm packages (package-lock.json): present"
else
  log "running: npm ci"
  npm ci --no-audit --no-fund
  echo "$want_sum" > "$stamp"
  note "npm packages (package-lock.json): installed"
fi
log "wasm-opt for trunk: $(node_modules/.bin/wasm-opt --version) at node_modules/.bin"

# --- Chromium and ChromeDriver for the browser tests ---------------------------------------
if [ "$WITH_TEST" = 1 ]; then
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    note "chromium + chromium-driver: present"
  else
    apt_install chromium chromium-driver
    note "chromium + chromium-driver: installed"
  fi
  log "$(/usr/bin/chromium --version 2>/dev/null | tail -n1); $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
fi

echo "[setup] summary:"
for line in "${DONE[@]}"; do echo "[setup]   - $line"; done
echo "[setup] OK"
