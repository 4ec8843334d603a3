#!/usr/bin/env bash
# Writes dist/digit-lab.html, the whole lab in one HTML file that works when double-clicked
# (file://), attached to a learning platform or sent by e-mail. Run it after the page is
# built (trunk build --release); `bash scripts/package.sh DIR` packages another build.
# The work is scripts/package.mjs's; it prints the file's size, raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/package.mjs "${1:-dist}"
