"""Bad input gets a clear answer and never a 5xx (drivers retry 5xx for minutes)."""

import gzip
import json
import urllib.error
import urllib.request


def raw(server, path, body, headers=None, method="POST"):
    request = urllib.request.Request(
        f"http://{server['host']}:{server['port']}{path}",
        data=body,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_login_with_garbage_is_a_login_failure(server):
    status, body = raw(server, "/session/v1/login-request", b"\x00\x01 not json")
    assert status == 200 and body["success"] is False and body["message"]
    status, body = raw(server, "/session/v1/login-request", json.dumps({"data": {}}).encode())
    assert status == 200 and body["success"] is False and body["code"] == "390100"


def test_corrupt_gzip_is_refused_cleanly(server, connect):
    token = connect().rest.token
    headers = {"Content-Encoding": "gzip", "Authorization": f'Snowflake Token="{token}"'}
    status, body = raw(server, "/queries/v1/query-request", b"\x1f\x8b\x08 definitely not gzip", headers)
    assert status == 200 and body["success"] is False


def test_a_gzip_bomb_is_refused_and_the_session_survives(server, connect):
    conn = connect()
    headers = {"Content-Encoding": "gzip", "Authorization": f'Snowflake Token="{conn.rest.token}"'}
    bomb = gzip.compress(b'{"sqlText": "' + b"0" * 70_000_000 + b'"}')
    status, body = raw(server, "/queries/v1/query-request", bomb, headers)
    assert status == 200 and body["success"] is False
    assert "larger than" in body["message"]
    assert conn.cursor().execute("select 1").fetchone() == (1,)


def test_missing_token_and_unknown_endpoints(server):
    status, body = raw(server, "/queries/v1/query-request", b"{}")
    assert status == 401 and body["code"] == "390101"
    status, body = raw(server, "/no/such/endpoint", b"{}")
    assert status == 404 and body["success"] is False
