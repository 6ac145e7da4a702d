#!/usr/bin/env bash
# The one test command: formatting, lints, Rust tests, then the real Snowflake drivers
# (Python connector 4.x and 5.x, Node snowflake-sdk, dbt) against a real `mockhaus serve`.
# It installs the pinned clients itself (tests/conformance/install-clients.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mockhaus/target}"
export SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true
CLIENTS_DIR="${MOCKHAUS_CLIENTS_DIR:-$HOME/.cache/mockhaus/clients}"

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (its check build compiles DuckDB once more on a cold cache)"
# Always select the whole workspace: a narrower selection (-p, --test) unifies the features of
# libduckdb-sys's build dependencies differently and recompiles DuckDB.
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "build (DuckDB is compiled optimised in every profile; a cold build takes 20-40 min)"
cargo build --workspace --bins --quiet
export MOCKHAUS_BIN="$CARGO_TARGET_DIR/debug/mockhaus"

step "rust tests"
cargo test --workspace --quiet

step "fuzz: the parser and rewrite path, 60 s (nightly; the first build takes minutes)"
scripts/fuzz.sh 60

step "install the pinned Snowflake clients"
tests/conformance/install-clients.sh

step "conformance: Python connector 4.x"
"$CLIENTS_DIR/py4/bin/python" -m pytest -q -p no:cacheprovider tests/conformance/python

step "conformance: Python connector 5.x"
"$CLIENTS_DIR/py5/bin/python" -m pytest -q -p no:cacheprovider tests/conformance/python

step "conformance: dbt-core 1.10 with dbt-snowflake (a project run twice against the server)"
"$CLIENTS_DIR/dbt/bin/python" -m pytest -q -p no:cacheprovider tests/conformance/dbt

step "conformance: Node snowflake-sdk"
MOCKHAUS_NODE_MODULES="$CLIENTS_DIR/node/node_modules" node --test tests/conformance/node/

step "all tests passed"
