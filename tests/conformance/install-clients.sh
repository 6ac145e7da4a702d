#!/usr/bin/env bash
# Installs the real Snowflake clients the conformance tests drive, pinned, each in its own
# environment under a cache directory. Idempotent: an environment whose pins already match is kept.
set -euo pipefail

CLIENTS_DIR="${MOCKHAUS_CLIENTS_DIR:-$HOME/.cache/mockhaus/clients}"
PY4_PIN='snowflake-connector-python[pandas]==4.8.1'
PY5_PIN='snowflake-connector-python[pandas]==5.2.0'
NODE_PIN='snowflake-sdk@3.3.0'
PYTEST_PIN='pytest==8.3.5'
# With the 4.x connector only: snowflake-sqlalchemy 1.11 requires connector < 5, and SQLAlchemy
# 2.1 breaks it (ORMSelectCompileState), so 2.0.
SQLALCHEMY_PINS='snowflake-sqlalchemy==1.11.1 sqlalchemy==2.0.44'
# dbt 1.12 downloads a parser at install time (no network for that here); 1.10 installs whole.
DBT_PINS='dbt-core==1.10.23'
DBT_SNOWFLAKE_PIN='dbt-snowflake==1.10.8'

mkdir -p "$CLIENTS_DIR"

install_python_env() {
  local name="$1" pin="$2" extra="${3:-}"
  local env_dir="$CLIENTS_DIR/$name"
  local stamp="$env_dir/.mockhaus-pins"
  local pins="$pin $PYTEST_PIN $extra"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$pins" ]]; then
    return 0
  fi
  rm -rf "$env_dir"
  python3 -m venv "$env_dir"
  # shellcheck disable=SC2086
  "$env_dir/bin/pip" install --quiet --disable-pip-version-check "$pin" "$PYTEST_PIN" $extra
  echo "$pins" > "$stamp"
}

install_node_env() {
  local env_dir="$CLIENTS_DIR/node"
  local stamp="$env_dir/.mockhaus-pins"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$NODE_PIN" ]]; then
    return 0
  fi
  rm -rf "$env_dir"
  mkdir -p "$env_dir"
  (cd "$env_dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "$NODE_PIN")
  echo "$NODE_PIN" > "$stamp"
}

install_python_env py4 "$PY4_PIN" "$SQLALCHEMY_PINS"
install_python_env py5 "$PY5_PIN"
install_python_env dbt "$DBT_SNOWFLAKE_PIN" "$DBT_PINS"
install_node_env
echo "clients ready in $CLIENTS_DIR"
