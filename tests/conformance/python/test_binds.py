"""Server-side binding from the Python connector: qmark (`?`) and numeric (`:1`) styles,
every Python type the connector maps to a Snowflake bind type, and executemany as one
array-bound request."""

import datetime
import decimal

import pytest
from snowflake.connector.errors import ProgrammingError


@pytest.fixture(params=["qmark", "numeric"])
def bound_cursor(request, connect):
    conn = connect(paramstyle=request.param)
    cur = conn.cursor()
    cur.execute("create database bindsdb")
    cur.execute(
        "create table t (id number, amount number(10,2), ratio float, name varchar,"
        " flag boolean, day date, at timestamp_ntz, tod time, raw binary)"
    )
    marks = (
        ", ".join("?" * 9)
        if request.param == "qmark"
        else ", ".join(f":{i}" for i in range(1, 10))
    )
    yield cur, request.param, marks


ROW = (
    1,
    decimal.Decimal("12.34"),
    0.5,
    "it's; a -- test",
    True,
    datetime.date(2018, 4, 15),
    datetime.datetime(2013, 4, 5, 1, 2, 3, 123456),
    datetime.time(15, 4, 5, 123000),
    b"\x00ABC",
)


def test_every_python_type_round_trips(bound_cursor):
    cur, _, marks = bound_cursor
    cur.execute(f"insert into t values ({marks})", ROW)
    assert cur.rowcount == 1
    cur.execute("select * from t")
    assert cur.fetchall() == [ROW]


def test_binds_in_where_and_select(bound_cursor):
    cur, style, marks = bound_cursor
    cur.execute(f"insert into t values ({marks})", ROW)
    if style == "qmark":
        cur.execute("select name, ? from t where id = ?", ("extra", 1))
    else:
        cur.execute("select name, :2 from t where id = :1", (1, "extra"))
    assert cur.fetchall() == [("it's; a -- test", "extra")]
    mark = "?" if style == "qmark" else ":1"
    cur.execute(f"select count(*) from t where name = {mark}", ("x' or '1'='1",))
    assert cur.fetchone() == (0,)


def test_none_binds_null(bound_cursor):
    cur, style, _ = bound_cursor
    mark = "?" if style == "qmark" else ":1"
    cur.execute(f"insert into t (id, name) values (2, {mark})", (None,))
    cur.execute("select name is null from t where id = 2")
    assert cur.fetchone() == (True,)


def test_executemany_is_one_array_bound_insert(bound_cursor):
    cur, _, marks = bound_cursor
    rows = [
        (i, decimal.Decimal(i) / 4, i / 2, f"name {i}", i % 2 == 0, None, None, None, None)
        for i in range(1000)
    ]
    cur.executemany(f"insert into t values ({marks})", rows)
    assert cur.rowcount == 1000
    cur.execute("select count(*), sum(id), max(name) from t")
    assert cur.fetchone() == (1000, 499500, "name 999")
    cur.execute("select amount, ratio, flag from t where id = 3")
    assert cur.fetchone() == (decimal.Decimal("0.75"), 1.5, False)


def test_missing_bind_value_is_002049(bound_cursor):
    cur, style, _ = bound_cursor
    marks = "?, ?" if style == "qmark" else ":1, :2"
    with pytest.raises(ProgrammingError) as err:
        cur.execute(f"select {marks}", (1,))
    assert err.value.errno in (2049, 252004)


def test_describe_reports_columns_and_runs_nothing(bound_cursor):
    cur, _, marks = bound_cursor
    described = cur.describe("select id, name as label from t where id > 0")
    assert [(c.name, c.type_code) for c in described] == [("ID", 0), ("LABEL", 2)]
    described = cur.describe(f"insert into t values ({marks})")
    assert [c.name for c in described] == ["number of rows inserted"]
    cur.describe("delete from t")
    cur.execute(f"insert into t values ({marks})", ROW)
    cur.describe("delete from t")
    cur.execute("select count(*) from t")
    assert cur.fetchone() == (1,)
    with pytest.raises(ProgrammingError) as err:
        cur.describe("select * from no_such_table")
    assert err.value.errno == 2003
