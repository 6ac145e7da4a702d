"""Large results in chunks: a server that puts 1,000 rows inline and the rest in chunks the
connector downloads (Arrow and JSON), with the rows complete and in order."""

import urllib.error
import urllib.request
import uuid

import pytest
import snowflake.connector

from conftest import start_server, stop_server


@pytest.fixture(scope="module")
def chunked_server():
    started = start_server("--result-chunk-rows", "1000")
    yield started
    stop_server(started)


def connect(server, **extra):
    return snowflake.connector.connect(
        account="c" + uuid.uuid4().hex[:12],
        user="tester",
        password="secret",
        host=server["host"],
        port=server["port"],
        protocol="http",
        **extra,
    )


QUERY = (
    "with recursive r(n) as (select 1 union all select n + 1 from r where n < 5500)"
    " select n, 'row ' || n as label, n / 4 as quarter from r order by n"
)


@pytest.mark.parametrize("result_format", ["ARROW", "JSON"])
def test_rows_past_the_first_chunk_are_downloaded_in_order(chunked_server, result_format):
    conn = connect(
        chunked_server,
        session_parameters={"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": result_format},
    )
    cur = conn.cursor()
    cur.execute(QUERY)
    assert cur.rowcount == 5500
    rows = cur.fetchall()
    assert [r[0] for r in rows] == list(range(1, 5501))
    assert rows[4321][1] == "row 4322"
    conn.close()


def test_pandas_reads_every_chunk(chunked_server):
    conn = connect(chunked_server)
    frame = conn.cursor().execute(QUERY).fetch_pandas_all()
    assert len(frame) == 5500
    assert frame["N"].tolist() == list(range(1, 5501))
    conn.close()


def test_a_chunk_needs_its_key(chunked_server):
    conn = connect(chunked_server, session_parameters={"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": "JSON"})
    cur = conn.cursor()
    cur.execute(QUERY)
    query_id = cur.sfqid
    url = f"http://{chunked_server['host']}:{chunked_server['port']}/mockhaus/chunks/{query_id}/0"
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(urllib.request.Request(url, headers={"x-mockhaus-chunk-key": "wrong"}))
    assert err.value.code == 403
    conn.close()
