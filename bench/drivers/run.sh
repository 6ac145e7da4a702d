#!/usr/bin/env bash
# Runs bench/drivers/bench.py: the Python connector 4.x against Mockhaus and fakesnow, in one
# environment with both pinned. Usage: bench/drivers/run.sh [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/../.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mockhaus/target}"
export SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true
ENV_DIR="${MOCKHAUS_CLIENTS_DIR:-$HOME/.cache/mockhaus/clients}/bench"
PINS='snowflake-connector-python[pandas]==4.8.1 fakesnow[server]==0.12.1'

if [[ ! -f "$ENV_DIR/.mockhaus-pins" || "$(cat "$ENV_DIR/.mockhaus-pins")" != "$PINS" ]]; then
  rm -rf "$ENV_DIR"
  python3 -m venv "$ENV_DIR"
  # shellcheck disable=SC2086
  "$ENV_DIR/bin/pip" install --quiet --disable-pip-version-check $PINS
  echo "$PINS" > "$ENV_DIR/.mockhaus-pins"
fi

cargo build --workspace --bins --quiet
MOCKHAUS_BIN="$CARGO_TARGET_DIR/debug/mockhaus" "$ENV_DIR/bin/python" bench/drivers/bench.py "$@"
