"""Driver-path benchmark: the Python connector 4.x against Mockhaus and against fakesnow's
server, in one run. Method and results: docs/benchmarks.md ("Driver paths").

For each server (a separate process, so its memory is its own): load 1,024,000 rows of mixed
types, then time (1) fetching them all as Arrow (`fetch_arrow_all`), (2) fetching them all as
JSON (`fetchall` with PYTHON_CONNECTOR_QUERY_RESULT_FORMAT=JSON), (3) inserting 100,000 rows
with `executemany` (qmark array binds, one request). Each timing is the best of `--repeat`
runs; the server's peak RSS (VmHWM) is read after each phase."""

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import uuid

import snowflake.connector

LOAD_SQL = [
    "create database bench",
    # Snowflake makes a new database (and its PUBLIC schema) current; fakesnow needs telling.
    "use database bench",
    "create schema if not exists public",
    "use schema public",
    "create table t (id int, name varchar, amount number(12,2), f float, d date, ts timestamp_ntz, flag boolean)",
    "insert into t with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000)"
    " select n, 'name ' || n, n / 100, n * 1.5, '2024-01-01'::date,"
    " '2024-01-01 12:00:00'::timestamp_ntz, n % 2 = 0 from r",
]
DOUBLE_SQL = "insert into t select id + (select max(id) from t), name, amount, f, d, ts, flag from t"
INSERT_ROWS = 100_000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def start(target):
    port = free_port()
    if target == "mockhaus":
        command = [os.environ["MOCKHAUS_BIN"], "serve", "--memory", "--port", str(port), "--log", "warn"]
    else:
        command = [sys.executable, "-m", "fakesnow", "-s", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process)
    return process, port


def peak_rss_mib(process):
    with open(f"/proc/{process.pid}/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) // 1024


def connect(port, **extra):
    return snowflake.connector.connect(
        account="bench" + uuid.uuid4().hex[:6] if extra.pop("fresh", False) else "bench",
        user="bench",
        password="bench",
        host="127.0.0.1",
        port=port,
        protocol="http",
        database=extra.pop("database", None),
        schema=extra.pop("schema", None),
        **extra,
    )


def phase(results, name, process, run):
    """Runs one phase; a server that cannot do it gets the error in the table, not a crash."""
    try:
        results[name] = run()
    except Exception as err:  # noqa: BLE001 - any failure of the server under test is a result
        results[name] = f"failed: {str(err).splitlines()[0][:120]}"
    results[f"rss_{name}"] = peak_rss_mib(process)
    print(f"  {name}: {results[name]}  (peak RSS {results[f'rss_{name}']} MiB)", flush=True)


def best_of(repeat, run):
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None or elapsed < best else best
    return rows, best


def bench(target, repeat, skip_insert):
    process, port = start(target)
    try:
        conn = connect(port)
        cur = conn.cursor()
        for sql in LOAD_SQL:
            cur.execute(sql)
        for _ in range(10):
            cur.execute(DOUBLE_SQL)
        total = cur.execute("select count(*) from t").fetchone()[0]
        results = {"target": target, "rows": total, "rss_loaded": peak_rss_mib(process)}

        def fetch_arrow():
            rows, seconds = best_of(repeat, lambda: cur.execute("select * from t").fetch_arrow_all().num_rows)
            assert rows == total, (rows, total)
            return total / seconds

        phase(results, "arrow", process, fetch_arrow)

        def fetch_rows():
            # Python tuples from the default format (Arrow for this connector).
            rows, seconds = best_of(repeat, lambda: len(cur.execute("select * from t").fetchall()))
            assert rows == total, (rows, total)
            return total / seconds

        phase(results, "rows", process, fetch_rows)

        def check_json():
            # A server that ignores the request for JSON would make the JSON numbers Arrow's.
            probe = connect(port, session_parameters={"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": "JSON"}).cursor()
            probe.execute("select 1")
            return probe._query_result_format

        phase(results, "json_format", process, check_json)

        def fetch_json():
            json_conn = connect(
                port,
                database="BENCH",
                schema="PUBLIC",
                session_parameters={"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": "JSON"},
            )
            json_cur = json_conn.cursor()
            rows, seconds = best_of(repeat, lambda: len(json_cur.execute("select * from t").fetchall()))
            assert rows == total, (rows, total)
            return total / seconds

        phase(results, "json", process, fetch_json)

        def insert():
            bind_conn = connect(port, database="BENCH", schema="PUBLIC", paramstyle="qmark")
            bind_cur = bind_conn.cursor()
            bind_cur.execute("create or replace table ins (id int, name varchar, amount float)")
            values = [(i, f"name {i}", i * 0.5) for i in range(INSERT_ROWS)]

            def run():
                bind_cur.executemany("insert into ins values (?, ?, ?)", values)
                return bind_cur.rowcount

            rows, seconds = best_of(repeat, run)
            assert rows == INSERT_ROWS, rows
            return INSERT_ROWS / seconds

        if skip_insert:
            results["insert"], results["rss_insert"] = "not run", "—"
        else:
            phase(results, "insert", process, insert)
        return results
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--targets", default="mockhaus,fakesnow")
    parser.add_argument("--skip-insert", action="store_true", help="fakesnow's fails after ~15 minutes")
    args = parser.parse_args()
    print(f"snowflake-connector-python {snowflake.connector.__version__}")
    rows = []
    for target in args.targets.split(","):
        print(f"{target}:", flush=True)
        rows.append(bench(target, args.repeat, args.skip_insert))
    print(
        "| server | Arrow fetch_arrow_all rows/s | fetchall (default format) rows/s | JSON fetchall rows/s"
        " (format answered) | executemany insert rows/s | peak RSS MiB (loaded / Arrow / JSON / insert) |"
    )
    print("|---|---|---|---|---|---|")
    show = lambda v: f"{v:,.0f}" if isinstance(v, float) else v
    for r in rows:
        print(
            f"| {r['target']} | {show(r['arrow'])} | {show(r['rows'])} | {show(r['json'])} ({r['json_format']}) |"
            f" {show(r['insert'])} | {r['rss_loaded']} / {r['rss_arrow']} / {r['rss_json']} / {r['rss_insert']} |"
        )

if __name__ == "__main__":
    main()
