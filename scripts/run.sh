#!/usr/bin/env bash
# Runs `mockhaus serve` (arguments are passed on), built in the same target directory as the
# tests, so DuckDB is compiled once for both.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mockhaus/target}"
exec cargo run --quiet -p mockhaus -- serve "$@"
