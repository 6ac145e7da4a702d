"""How long Mockhaus itself takes to produce a large result, and its peak memory, without a driver
decoding it: a plain HTTP client logs in as the Python connector, sends the query-request and
downloads every chunk. Usage: MOCKHAUS_BIN=<path to mockhaus> python bench/drivers/server_side.py
[doublings] (needs requests; 1,000 rows doubled `doublings` times, 10 by default: 1,024,000)."""

import os
import re
import subprocess
import sys
import time

import requests

DOUBLINGS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
ROWS = 1000 * 2**DOUBLINGS


def peak_rss_mib(process):
    with open(f"/proc/{process.pid}/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) // 1024


def main():
    server = subprocess.Popen(
        [os.environ["MOCKHAUS_BIN"], "serve", "--port", "0", "--memory", "--log", "warn"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = re.search(r"http://[\d.]+:\d+", server.stdout.readline()).group(0)
    login = {"data": {"ACCOUNT_NAME": "b", "LOGIN_NAME": "u", "PASSWORD": "p", "CLIENT_APP_ID": "PythonConnector"}}
    token = requests.post(f"{base}/session/v1/login-request", json=login).json()["data"]["token"]
    headers = {"Authorization": f'Snowflake Token="{token}"'}

    def query(sql, result_format=None):
        body = {"sqlText": sql}
        if result_format:
            body["parameters"] = {"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": result_format}
        return requests.post(f"{base}/queries/v1/query-request", json=body, headers=headers)

    query("create database bench")
    query("create table t (id int, name varchar, amount number(12,2), f float, d date, ts timestamp_ntz, flag boolean)")
    query(
        "insert into t with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000)"
        " select n, 'name ' || n, n / 100, n * 1.5, '2024-01-01'::date, '2024-01-01 12:00:00'::timestamp_ntz, n % 2 = 0 from r"
    )
    for _ in range(DOUBLINGS):
        query("insert into t select id + (select max(id) from t), name, amount, f, d, ts, flag from t")
    loaded = peak_rss_mib(server)
    for result_format in ["ARROW", "JSON"]:
        for _ in range(2):
            started = time.perf_counter()
            response = query("select * from t", result_format)
            answered = time.perf_counter()
            data = response.json()["data"]
            chunk_bytes = sum(
                len(requests.get(chunk["url"], headers=data["chunkHeaders"]).content) for chunk in data.get("chunks", [])
            )
            done = time.perf_counter()
            print(
                f"{result_format}: response {answered - started:.3f} s ({len(response.content) / 1e6:.1f} MB),"
                f" chunks {done - answered:.3f} s ({chunk_bytes / 1e6:.1f} MB),"
                f" {ROWS / (done - started):,.0f} rows/s server-side;"
                f" peak server RSS {peak_rss_mib(server)} MiB (after loading: {loaded} MiB)"
            )
    server.terminate()


if __name__ == "__main__":
    main()
