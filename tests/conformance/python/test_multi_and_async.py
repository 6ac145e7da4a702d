"""Multi-statement requests (`num_statements`, `nextset`) and asynchronous execution
(`execute_async`, query status, `get_results_from_sfqid`) through the Python connector."""

import time

import pytest
import snowflake.connector
from snowflake.connector.errors import ProgrammingError


def test_multi_statement_results_come_back_in_order(cursor):
    cur = cursor
    cur.execute(
        "create table m (id int); insert into m values (1), (2); select id from m order by id",
        num_statements=3,
    )
    assert cur.fetchall() == [("Table M successfully created.",)]
    assert cur.nextset()
    assert cur.fetchall() == [(2,)]
    assert cur.nextset()
    assert cur.fetchall() == [(1,), (2,)]
    assert not cur.nextset()


def test_any_number_of_statements_with_zero(cursor):
    cur = cursor
    cur.execute("select 1; select 2; select 3", num_statements=0)
    values = [cur.fetchone()[0]]
    while cur.nextset():
        values.append(cur.fetchone()[0])
    assert values == [1, 2, 3]


def test_statement_count_mismatch_is_000008_and_runs_nothing(cursor):
    cur = cursor
    with pytest.raises(ProgrammingError) as err:
        cur.execute("create table never (a int); select 1", num_statements=3)
    assert err.value.errno == 8
    with pytest.raises(ProgrammingError) as err:
        cur.execute("select * from never")
    assert err.value.errno == 2003


def test_async_query_status_and_results(connect):
    conn = connect()
    cur = conn.cursor()
    # About a second of work: the connector gets control back while it still runs.
    cur.execute_async(
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 60000)"
        " select count(*) from r"
    )
    query_id = cur.sfqid
    assert conn.get_query_status(query_id) == snowflake.connector.constants.QueryStatus.RUNNING
    deadline = time.time() + 30
    while conn.is_still_running(conn.get_query_status(query_id)):
        assert time.time() < deadline, "the asynchronous query never finished"
        time.sleep(0.05)
    assert conn.get_query_status(query_id) == snowflake.connector.constants.QueryStatus.SUCCESS
    results = conn.cursor()
    results.get_results_from_sfqid(query_id)
    assert results.fetchall() == [(60000,)]


def test_async_failure_is_reported_by_status_and_result(connect):
    conn = connect()
    cur = conn.cursor()
    cur.execute_async("select * from no_such_table")
    query_id = cur.sfqid
    deadline = time.time() + 30
    while conn.is_still_running(conn.get_query_status(query_id)):
        assert time.time() < deadline
        time.sleep(0.05)
    with pytest.raises(ProgrammingError):
        conn.get_query_status_throw_if_error(query_id)


def test_aborting_a_finished_query_leaves_the_running_one_alone(connect):
    conn = connect()
    cur = conn.cursor()
    cur.execute("select 1")
    finished = cur.sfqid
    cur.execute_async(
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 30000)"
        " select count(*) from r"
    )
    running = cur.sfqid
    cur.abort_query(finished)
    deadline = time.time() + 30
    while conn.is_still_running(conn.get_query_status(running)):
        assert time.time() < deadline
        time.sleep(0.05)
    assert conn.get_query_status(running) == snowflake.connector.constants.QueryStatus.SUCCESS


def test_abort_query_cancels_a_running_asynchronous_query(connect):
    conn = connect()
    cur = conn.cursor()
    # Long enough to be running when the abort arrives, even right after it is submitted.
    cur.execute_async(
        "with recursive r(n) as (select 1 union all select n + 1 from r where n < 300000)"
        " select count(*) from r"
    )
    query_id = cur.sfqid
    cur.abort_query(query_id)
    deadline = time.time() + 30
    while conn.is_still_running(conn.get_query_status(query_id)):
        assert time.time() < deadline, "the aborted query kept running"
        time.sleep(0.05)
    assert conn.get_query_status(query_id) == snowflake.connector.constants.QueryStatus.ABORTED
