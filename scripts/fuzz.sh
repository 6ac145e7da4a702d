#!/usr/bin/env bash
# Fuzzes the parser and rewrite path (fuzz/fuzz_targets/rewrite.rs) for a bounded time, seeded
# with every SQL statement of the conformance corpus. Usage: scripts/fuzz.sh [seconds, default 60]
# Needs the nightly toolchain (cargo fuzz instruments the build); installs cargo-fuzz if missing.
# No sanitizer: the target is safe Rust, so a panic is what there is to find, and the
# instrumented build takes minutes less.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mockhaus/target}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked --version 0.13.2
fi

seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
python3 - "$seeds" <<'PY'
import glob, sys
out, n = sys.argv[1], 0
for path in sorted(glob.glob("engine/tests/slt/**/*.slt", recursive=True)):
    lines = open(path).read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith(("query", "statement")):
            sql = []
            for body in lines[i + 1:]:
                if not body.strip() or body == "----":
                    break
                sql.append(body)
            if sql:
                open(f"{out}/{n:04d}.sql", "w").write("\n".join(sql))
                n += 1
print(f"{n} seed statements")
PY

cargo +nightly fuzz run --sanitizer none --fuzz-dir fuzz rewrite "$seeds" -- -max_total_time="$seconds" -rss_limit_mb=4096
