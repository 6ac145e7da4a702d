"""Session lifecycle through the real connector and the raw protocol: query status by id,
heartbeat, token renewal with the master token, abort."""

import json
import urllib.request

import pytest
from snowflake.connector.constants import QueryStatus


def post(server, path, token, body=None):
    request = urllib.request.Request(
        f"http://{server['host']}:{server['port']}{path}",
        data=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f'Snowflake Token="{token}"'},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_query_status_by_id(connect):
    conn = connect()
    cur = conn.cursor()
    cur.execute("select 1")
    assert conn.get_query_status(cur.sfqid) == QueryStatus.SUCCESS
    with pytest.raises(Exception):
        cur.execute("select * from nowhere")
    assert conn.get_query_status(cur.sfqid) == QueryStatus.FAILED_WITH_ERROR


def test_heartbeat_keeps_the_session(connect, server):
    conn = connect()
    assert post(server, "/session/heartbeat", conn.rest.token)["success"] is True
    assert conn.cursor().execute("select 1").fetchone() == (1,)


def test_token_renewal_with_the_master_token(connect, server):
    conn = connect()
    old = conn.rest.token
    renewed = post(server, "/session/token-request", conn.rest.master_token, {"oldSessionToken": old, "requestType": "RENEW"})
    assert renewed["success"] is True
    new = renewed["data"]["sessionToken"]
    assert new != old
    assert post(
        server,
        "/queries/v1/query-request",
        new,
        {"sqlText": "select 7", "parameters": {"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": "JSON"}},
    )["data"]["rowset"] == [["7"]]
    with pytest.raises(urllib.error.HTTPError) as err:
        post(server, "/queries/v1/query-request", old, {"sqlText": "select 7"})
    assert err.value.code == 401
    wrong_master = post(server, "/session/token-request", "not-the-master", {"oldSessionToken": new})
    assert wrong_master["success"] is False


def test_abort_request_is_accepted(connect, server):
    conn = connect()
    assert post(server, "/queries/v1/abort-request", conn.rest.token, {"sqlText": "select 1", "requestId": "x"})["success"] is True
    assert conn.cursor().execute("select 1").fetchone() == (1,)


def test_expired_session_tokens_are_renewed_and_master_expiry_ends_the_session(short_lived_server):
    import time

    import snowflake.connector

    server = short_lived_server
    logged_in = time.monotonic()
    conn = snowflake.connector.connect(
        account="expiry", user="u", password="p", host=server["host"], port=server["port"],
        protocol="http", network_timeout=10, login_timeout=10,
    )
    first_token = conn.rest.token
    master = conn.rest.master_token
    time.sleep(max(0.0, logged_in + 1.5 - time.monotonic()))  # the session token's validity is 1 s
    # the server answers 390112; the connector renews with its master token and retries
    assert conn.cursor().execute("select 42").fetchone() == (42,)
    assert conn.rest.token != first_token
    time.sleep(max(0.0, logged_in + 4.5 - time.monotonic()))  # the master token's validity is 4 s
    renewal = post(server, "/session/token-request", master, {"oldSessionToken": conn.rest.token, "requestType": "RENEW"})
    assert renewal["success"] is False and renewal["code"] == "390114"


@pytest.mark.skipif(
    not __import__("snowflake.connector").connector.__version__.startswith("4."),
    reason="connector 5.x does not send an abort request for execute(timeout=...)",
)
def test_a_client_timeout_cancels_the_running_statement(connect):
    from snowflake.connector.errors import ProgrammingError

    cur = connect().cursor()
    endless = (
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000000000) "
        "select count(*) from r"
    )
    with pytest.raises(ProgrammingError) as cancelled:
        cur.execute(endless, timeout=1)  # the connector sends an abort request after 1 s
    assert cancelled.value.errno == 604
    assert cur.execute("select 1").fetchone() == (1,)
