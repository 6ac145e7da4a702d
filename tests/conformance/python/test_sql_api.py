"""Snowflake SQL API v2 over plain HTTP: synchronous and asynchronous statements, status
polling, partitions, bindings, multi-statement requests, cancel, bearer-token authentication
and error shapes."""

import base64
import json
import time
import urllib.error
import urllib.request
import uuid

import pytest


def key_pair_jwt(account, user="TESTER"):
    """A key-pair JWT as clients build it; memory mode reads its account and user only."""
    encode = lambda value: base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    claims = {"iss": f"{account}.{user}.SHA256:fingerprint", "sub": f"{account}.{user}", "exp": 2000000000}
    return f"{encode({'alg': 'RS256', 'typ': 'JWT'})}.{encode(claims)}.signature"


def call(server, method, path, token=None, body=None):
    url = f"http://{server['host']}:{server['port']}{path}"
    headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "mockhaus-tests/1.0"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
        headers["X-Snowflake-Authorization-Token-Type"] = "KEYPAIR_JWT"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture
def api(server):
    token = key_pair_jwt("api" + uuid.uuid4().hex[:8])

    def submit(statement, query="", **fields):
        return call(server, "POST", f"/api/v2/statements{query}", token, {"statement": statement, **fields})

    def get(path):
        return call(server, "GET", path, token)

    def post(path):
        return call(server, "POST", path, token, {})

    submit.get = get
    submit.post = post
    submit("create database apidb")
    return submit


def wait_for(api, handle, deadline_s=30):
    deadline = time.time() + deadline_s
    while True:
        status, body = api.get(f"/api/v2/statements/{handle}")
        if status != 202:
            return status, body
        assert time.time() < deadline, "the statement never finished"
        time.sleep(0.05)


def test_synchronous_statements_return_result_sets(api):
    status, body = api("create table t (id int, name varchar, at date)", database="APIDB", schema="PUBLIC")
    assert status == 200 and body["data"] == [["Table T successfully created."]]
    status, body = api("insert into t values (1, 'a', '2024-01-15'), (2, null, null)", database="apidb")
    assert body["stats"]["numRowsInserted"] == 2
    status, body = api("select id, name, at from t order by id", database="apidb")
    assert status == 200
    assert body["code"] == "090001" and body["sqlState"] == "00000"
    meta = body["resultSetMetaData"]
    assert meta["numRows"] == 2 and meta["format"] == "jsonv2"
    assert [(c["name"], c["type"]) for c in meta["rowType"]] == [("ID", "FIXED"), ("NAME", "TEXT"), ("AT", "DATE")]
    assert body["data"] == [["1", "a", "19737"], ["2", None, None]]
    assert body["statementStatusUrl"].startswith(f"/api/v2/statements/{body['statementHandle']}")


def test_nullable_false_spells_null(api):
    status, body = api("select null as n, 1 as one", "?nullable=false")
    assert body["data"] == [["null", "1"]]


def test_bindings(api):
    status, body = api(
        "select ? as a, ? as b",
        bindings={"1": {"type": "FIXED", "value": "41"}, "2": {"type": "TEXT", "value": "x'y"}},
    )
    assert status == 200 and body["data"] == [["41", "x'y"]]


def test_asynchronous_execution_and_polling(api):
    status, body = api("select 42 as answer", "?async=true")
    assert status == 202 and body["code"] == "333334"
    status, body = wait_for(api, body["statementHandle"])
    assert status == 200 and body["data"] == [["42"]]


def test_partitions(api):
    query = "with recursive r(n) as (select 1 union all select n + 1 from r where n < 25000) select n from r order by n"
    status, body = api(query)
    info = body["resultSetMetaData"]["partitionInfo"]
    assert [p["rowCount"] for p in info] == [10000, 10000, 5000]
    assert body["data"][0] == ["1"] and len(body["data"]) == 10000
    status, last = api.get(f"/api/v2/statements/{body['statementHandle']}?partition=2")
    assert status == 200 and len(last["data"]) == 5000 and last["data"][-1] == ["25000"]
    status, missing = api.get(f"/api/v2/statements/{body['statementHandle']}?partition=3")
    assert status == 400


def test_multi_statement_requests(api):
    status, body = api("select 1; select 2", parameters={"MULTI_STATEMENT_COUNT": "2"})
    assert status == 200 and body["data"] == [["Multiple statements executed successfully."]]
    values = [api.get(f"/api/v2/statements/{h}")[1]["data"] for h in body["statementHandles"]]
    assert values == [[["1"]], [["2"]]]
    status, body = api("select 1; select 2")
    assert status == 422 and body["code"] == "000008"


def test_cancel_a_running_statement(api):
    slow = "with recursive r(n) as (select 1 union all select n + 1 from r where n < 200000) select count(*) from r"
    status, body = api(slow, "?async=true")
    handle = body["statementHandle"]
    status, cancelled = api.post(f"/api/v2/statements/{handle}/cancel")
    assert status == 200
    status, body = wait_for(api, handle)
    assert status == 422 and body["code"] == "000604"


def test_errors_and_authentication(api, server):
    status, body = api("select * from missing_table", database="apidb")
    assert status == 422 and body["code"] == "002003" and body["sqlState"] == "42S02"
    assert "statementHandle" in body
    status, body = call(server, "POST", "/api/v2/statements", None, {"statement": "select 1"})
    assert status == 401 and body["code"] == "390101"
    status, body = call(server, "POST", "/api/v2/statements", "not-a-token", {"statement": "select 1"})
    assert status == 401
    status, body = api("select 1")
    stranger = key_pair_jwt("other" + uuid.uuid4().hex[:8])
    status, _ = call(server, "GET", f"/api/v2/statements/{body['statementHandle']}", stranger)
    assert status == 404
    status, _ = api.get(f"/api/v2/statements/{uuid.uuid4()}")
    assert status == 404


def test_a_driver_session_token_is_accepted(connect, server):
    conn = connect()
    conn.cursor().execute("create database fromdriver")
    token = conn.rest.token
    status, body = call(server, "POST", "/api/v2/statements", token, {"statement": "select current_database()", "database": "fromdriver"})
    assert status == 200 and body["data"] == [["FROMDRIVER"]]
