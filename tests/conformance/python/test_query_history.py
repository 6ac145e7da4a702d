"""LAST_QUERY_ID, RESULT_SCAN(LAST_QUERY_ID()) and the session's context functions, through the
Python connector: query ids are the ones the connector saw (`cursor.sfqid`)."""

import pytest
from snowflake.connector.errors import ProgrammingError


def test_last_query_id_counts_back_through_the_sessions_queries(connect):
    conn = connect()
    cur = conn.cursor()
    ids = []
    for n in range(3):
        cur.execute(f"select {n}")
        ids.append(cur.sfqid)
    assert cur.execute("select last_query_id()").fetchone() == (ids[-1],)
    ids.append(cur.sfqid)
    # The same text again is a new question: the answer moved on by one query.
    assert cur.execute("select last_query_id()").fetchone() == (ids[-1],)
    ids.append(cur.sfqid)
    row = cur.execute("select last_query_id(-1), last_query_id(-3), last_query_id(-100)").fetchone()
    assert row == (ids[-1], ids[-3], None)
    # Another cursor of the connection is the same session; another connection is not.
    other_cursor = conn.cursor()
    assert other_cursor.execute("select last_query_id()").fetchone() == (cur.sfqid,)
    stranger = connect().cursor()
    assert stranger.execute("select last_query_id()").fetchone() == (None,)


def test_last_query_id_counts_forward_from_the_sessions_first_query(connect):
    cur = connect().cursor()
    cur.execute("select 'first'")
    first = cur.sfqid
    cur.execute("select 'second'")
    second = cur.sfqid
    assert cur.execute("select last_query_id(1), last_query_id(2)").fetchone() == (first, second)
    with pytest.raises(ProgrammingError) as err:
        cur.execute("select last_query_id('x')")
    assert "integer constant" in err.value.msg


def test_result_scan_of_last_query_id_returns_the_previous_result(cursor):
    cursor.execute("create table listed (a int)")
    cursor.execute("show tables")
    shown = cursor.fetchall()
    again = cursor.execute("select * from table(result_scan(last_query_id()))").fetchall()
    assert again == shown
    assert [row[1] for row in again] == ["LISTED"]
    # RESULT_SCAN itself is a query of the session: -2 skips it.
    twice = cursor.execute("select * from table(result_scan(last_query_id(-2)))").fetchall()
    assert twice == shown


def test_result_scan_of_a_query_the_session_never_ran(connect):
    cur = connect().cursor()
    with pytest.raises(ProgrammingError) as err:
        cur.execute("select * from table(result_scan(last_query_id()))")
    assert err.value.errno == 709


def test_current_session_and_region(connect):
    conn = connect()
    row = conn.cursor().execute("select current_session(), current_region()").fetchone()
    assert row == (str(conn.session_id), "AWS_US_WEST_2")
