"""The Python connector (4.x and 5.x) against a real `mockhaus serve`: connect, DDL, DML,
typed values, errors, session state, isolation, close."""

import datetime
import decimal
import gzip
import json
import threading
import urllib.request

import pytest
import snowflake.connector
from snowflake.connector.errors import ProgrammingError


def test_select_one(connect):
    cur = connect().cursor()
    cur.execute("select 1")
    assert cur.fetchall() == [(1,)]


def test_ddl_dml_and_rowcounts(cursor):
    cur = cursor
    assert cur.execute("create table users (id int, name varchar)").fetchone() == (
        "Table USERS successfully created.",
    )
    cur.execute("insert into users values (1, 'Alice'), (2, 'Bob'), (3, 'Carol')")
    assert cur.rowcount == 3
    cur.execute("update users set name = 'Bobby' where id = 2")
    assert cur.rowcount == 1
    cur.execute("delete from users where id = 3")
    assert cur.rowcount == 1
    cur.execute("select id, name from users order by id")
    assert cur.fetchall() == [(1, "Alice"), (2, "Bobby")]
    assert [d.name for d in cur.description] == ["ID", "NAME"]
    assert cur.execute("drop table users").fetchone() == ("USERS successfully dropped.",)


def test_typed_values(cursor):
    cur = cursor
    cur.execute(
        """select 42::int as i, 12.5::number(10,2) as d, 1.5::float as f, 'abc' as s,
                  true as b, null as n, '2024-01-15'::date as dt, '12:34:56'::time as tm,
                  '2024-01-15 12:34:56.789'::timestamp_ntz as ntz,
                  '2024-01-15 12:34:56'::timestamp_ltz as ltz,
                  parse_json('{"k": [1, 2]}') as v, 'ABCD'::binary as bin"""
    )
    row = cur.fetchone()
    assert row[0] == 42 and isinstance(row[0], int)
    assert row[1] == decimal.Decimal("12.50")
    assert row[2] == 1.5
    assert row[3] == "abc"
    assert row[4] is True
    assert row[5] is None
    assert row[6] == datetime.date(2024, 1, 15)
    assert row[7] == datetime.time(12, 34, 56)
    assert row[8] == datetime.datetime(2024, 1, 15, 12, 34, 56, 789000)
    assert row[9] == datetime.datetime(2024, 1, 15, 12, 34, 56, tzinfo=datetime.timezone.utc)
    assert json.loads(row[10]) == {"k": [1, 2]}
    assert row[11] == b"\xab\xcd"
    types = [d.type_code for d in cur.description]
    names = [snowflake.connector.constants.FIELD_ID_TO_NAME[t] for t in types]
    del names[5]  # the type of a bare NULL literal is not asserted
    assert names == [
        "FIXED", "FIXED", "REAL", "TEXT", "BOOLEAN", "DATE", "TIME",
        "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "VARIANT", "BINARY",
    ]


def test_table_column_types_round_trip(cursor):
    cur = cursor
    cur.execute(
        "create table t (i int, n number(38,0), d number(12,3), f double, s string, "
        "b boolean, dt date, ts timestamp, bin binary, v variant)"
    )
    cur.execute(
        "insert into t select 1, 12345678901234567890123456789012345678, 3.141, 2.5, 'x', false, "
        "'2000-02-29'::date, '1969-12-31 23:59:59.5'::timestamp, 'ABCD'::binary, parse_json('[1]')"
    )
    cur.execute("select * from t")
    row = cur.fetchone()
    assert row[0] == 1
    assert row[1] == 12345678901234567890123456789012345678
    assert row[2] == decimal.Decimal("3.141")
    assert row[3] == 2.5
    assert row[4] == "x"
    assert row[5] is False
    assert row[6] == datetime.date(2000, 2, 29)
    assert row[7] == datetime.datetime(1969, 12, 31, 23, 59, 59, 500000)
    assert row[8] == b"\xab\xcd"
    assert json.loads(row[9]) == [1]


def test_errors_carry_snowflake_codes(cursor):
    with pytest.raises(ProgrammingError) as missing:
        cursor.execute("select * from no_such_table")
    assert missing.value.errno == 2003
    assert missing.value.sqlstate == "42S02"
    with pytest.raises(ProgrammingError) as syntax:
        cursor.execute("selec 1")
    assert syntax.value.errno == 1003
    assert syntax.value.sqlstate == "42000"
    with pytest.raises(ProgrammingError) as unknown:
        cursor.execute("select no_such_function(1)")
    assert unknown.value.errno == 2140
    with pytest.raises(ProgrammingError) as duckdb_only:
        cursor.execute("select * from read_csv('/etc/passwd')")
    assert duckdb_only.value.errno == 2140
    # the session still works after errors
    assert cursor.execute("select 2").fetchone() == (2,)


def test_use_updates_the_session(connect):
    conn = connect()
    cur = conn.cursor()
    cur.execute("create database db_one")
    cur.execute("create schema sch")
    # CREATE makes the new database and schema current, as in Snowflake
    assert cur.execute("select current_database(), current_schema()").fetchone() == ("DB_ONE", "SCH")
    cur.execute("create database db_two")
    cur.execute("use database db_one")
    assert conn.database == "DB_ONE"
    assert cur.execute("select current_database(), current_schema()").fetchone() == ("DB_ONE", "PUBLIC")
    cur.execute("use schema db_one.sch")
    assert conn.schema == "SCH"


def test_login_database_and_schema(connect):
    setup = connect().cursor()
    setup.execute("create database appdb")
    setup.execute("create schema appdb.core")
    setup.execute("create table appdb.core.items (id int)")
    setup.execute("insert into appdb.core.items values (7)")
    conn = connect(database="appdb", schema="core")
    assert conn.cursor().execute("select id from items").fetchall() == [(7,)]


def test_accounts_are_isolated_and_shared_within(connect, server):
    first = connect().cursor()
    first.execute("create database shared_db")
    first.execute("create table t (x int)")
    first.execute("insert into t values (1)")
    same_account = connect(database="shared_db").cursor()
    assert same_account.execute("select x from t").fetchall() == [(1,)]
    other = connect(account="other" + server["host"].replace(".", "")).cursor()
    with pytest.raises(ProgrammingError) as err:
        other.execute("use database shared_db")
    assert err.value.errno == 2003


def test_concurrent_sessions(connect):
    connect().cursor().execute("create database conc")
    errors = []

    def worker(n):
        try:
            cur = connect(database="conc").cursor()
            cur.execute(f"create table t{n} (x int)")
            for i in range(20):
                cur.execute(f"insert into t{n} values ({i})")
            assert cur.execute(f"select count(*), sum(x) from t{n}").fetchone() == (20, 190)
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_unknown_token_is_401_390104(server):
    body = gzip.compress(json.dumps({"sqlText": "select 1"}).encode())
    request = urllib.request.Request(
        f"http://{server['host']}:{server['port']}/queries/v1/query-request",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Authorization": 'Snowflake Token="not-a-token"',
        },
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request)
    assert err.value.code == 401
    assert json.loads(err.value.read())["code"] == "390104"


def test_malformed_body_is_not_a_5xx(server, connect):
    conn = connect()
    token = conn.rest.token
    request = urllib.request.Request(
        f"http://{server['host']}:{server['port']}/queries/v1/query-request",
        data=b"{not json",
        headers={"Content-Type": "application/json", "Authorization": f'Snowflake Token="{token}"'},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert json.loads(response.read())["success"] is False


def test_close_ends_the_session(connect, server):
    conn = connect()
    token = conn.rest.token
    conn.close()
    request = urllib.request.Request(
        f"http://{server['host']}:{server['port']}/queries/v1/query-request",
        data=json.dumps({"sqlText": "select 1"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f'Snowflake Token="{token}"'},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request)
    assert err.value.code == 401


def test_alter_session_timezone_reaches_the_client(cursor):
    cursor.execute("alter session set timezone = 'America/New_York'")
    cursor.execute("select '2024-01-15 17:00:00 +00:00'::timestamp_ltz")
    value = cursor.fetchone()[0]
    assert value.utcoffset() == datetime.timedelta(hours=-5)
    assert value.hour == 12


def test_autocommit_off_holds_changes_until_commit(connect):
    conn = connect()
    cursor = conn.cursor()
    cursor.execute("create database acdb")
    cursor.execute("create table held (x int)")
    other = connect(database="ACDB", schema="PUBLIC")
    conn.autocommit(False)
    cursor.execute("insert into held values (1)")
    assert other.cursor().execute("select count(*) from held").fetchone()[0] == 0
    conn.rollback()
    assert cursor.execute("select count(*) from held").fetchone()[0] == 0
    cursor.execute("insert into held values (2)")
    conn.commit()
    assert other.cursor().execute("select count(*) from held").fetchone()[0] == 1
    conn.autocommit(True)
    cursor.execute("insert into held values (3)")
    assert other.cursor().execute("select count(*) from held").fetchone()[0] == 2


def test_timestamps_with_zone_keep_their_instant(cursor):
    cursor.execute("create table stamps (ltz timestamp_ltz, tz timestamp_tz)")
    cursor.execute("insert into stamps values ('2024-01-15 12:34:56 +05:00', '2024-01-15 12:34:56 +05:00')")
    ltz, tz = cursor.execute("select ltz, tz from stamps").fetchone()
    instant = datetime.datetime(2024, 1, 15, 7, 34, 56, tzinfo=datetime.timezone.utc)
    # aware datetimes compare by instant; the offset written (+05:00) is not kept yet
    assert ltz == instant and tz == instant
    assert ltz.tzinfo is not None and tz.tzinfo is not None
    names = [snowflake.connector.constants.FIELD_ID_TO_NAME[d.type_code] for d in cursor.description]
    assert names == ["TIMESTAMP_LTZ", "TIMESTAMP_TZ"]


def test_date_functions_over_current_timestamp(cursor):
    # The expressions dbt's Snowflake macros build around CURRENT_TIMESTAMP (a TIMESTAMP_LTZ):
    # DuckDB needs its ICU extension for these, which Mockhaus does without.
    cursor.execute("create table loads (id int, loaded_at timestamp_ltz)")
    cursor.execute("insert into loads values (1, '2024-03-10 10:30:00'), (2, current_timestamp())")
    row = cursor.execute(
        """select to_timestamp_ntz(convert_timezone('UTC', current_timestamp())),
                  date_trunc('day', loaded_at), loaded_at::date, hour(loaded_at),
                  dateadd(hour, 1, loaded_at), loaded_at - interval '30 minutes'
           from loads where id = 1"""
    ).fetchone()
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert abs((row[0] - now).total_seconds()) < 60
    utc = datetime.timezone.utc
    assert row[1] == datetime.datetime(2024, 3, 10, tzinfo=utc)
    assert row[2] == datetime.date(2024, 3, 10)
    assert row[3] == 10
    assert row[4] == datetime.datetime(2024, 3, 10, 11, 30, tzinfo=utc)
    assert row[5] == datetime.datetime(2024, 3, 10, 10, 0, tzinfo=utc)
    names = [snowflake.connector.constants.FIELD_ID_TO_NAME[d.type_code] for d in cursor.description]
    assert names[0] == "TIMESTAMP_NTZ" and names[1] == "TIMESTAMP_LTZ" and names[4] == "TIMESTAMP_LTZ"
    recent = cursor.execute(
        "select count(*) from loads where loaded_at > dateadd(day, -1, current_timestamp())"
    ).fetchone()[0]
    assert recent == 1


def test_sql_user_functions_through_the_connector(connect):
    # A scalar and a table SQL UDF made in one session are called from another session of the
    # account, with bound arguments (qmark binds run as prepared statements).
    first = connect().cursor()
    first.execute("create database udf_db")
    first.execute("create table prices (item varchar, price number(10, 2))")
    first.execute("insert into prices values ('tea', 3.50), ('cake', 4.25)")
    status = first.execute(
        "create function with_tax(p number(10, 2)) returns number(10, 2) "
        "as $$ p * 1.2 $$"
    ).fetchone()
    assert status == ("Function WITH_TAX successfully created.",)
    first.execute(
        "create function priced_over(limit_price number(10, 2)) "
        "returns table (item varchar, taxed number(10, 2)) "
        "as 'select item, with_tax(price) from prices where price > limit_price'"
    )
    other = connect(database="udf_db", paramstyle="qmark").cursor()
    assert other.execute("select with_tax(?)", [10]).fetchone() == (decimal.Decimal("12.00"),)
    rows = other.execute(
        "select item, taxed from table(priced_over(?)) order by item", [4]
    ).fetchall()
    assert rows == [("cake", decimal.Decimal("5.10"))]
    assert [c.name for c in other.description] == ["ITEM", "TAXED"]
    other.execute("drop function with_tax(number)")
    with pytest.raises(ProgrammingError) as err:
        other.execute("select with_tax(1)")
    assert err.value.errno == 2140


def test_date_functions_read_text_binds_and_expressions(connect):
    # Snowflake converts text given to a date function to a TIMESTAMP_NTZ, whether the text is
    # a bound value or an expression.
    cur = connect(paramstyle="qmark").cursor()
    row = cur.execute(
        "select dateadd(day, 1, ?), year(?), date_trunc('month', upper(?))",
        ["2024-01-15", "2024-01-15", "2024-03-10 10:00:00"],
    ).fetchone()
    assert row == (datetime.datetime(2024, 1, 16), 2024, datetime.datetime(2024, 3, 1))
    with pytest.raises(ProgrammingError) as err:
        cur.execute("select year(?)", ["not a date"])
    assert err.value.errno == 100035
    # A bound DATE stays a DATE through DATEADD by days, as a DATE column does.
    day = datetime.date(2024, 1, 31)
    row = cur.execute("select dateadd(day, 1, ?), dateadd(hour, 1, ?)", [day, day]).fetchone()
    assert row == (datetime.date(2024, 2, 1), datetime.datetime(2024, 1, 31, 1, 0))


def test_session_time_zone_reaches_date_functions(cursor):
    # Snowflake's reference example: in a Los Angeles session, text without an offset inserted
    # into a TIMESTAMP_LTZ column is a Los Angeles time, and HOUR, DATE casts and DATE_TRUNC
    # read the Los Angeles wall clock. The driver renders the values in the session's zone.
    cursor.execute("alter session set timezone = 'America/Los_Angeles'")
    cursor.execute("create table ts_test (ts timestamp_ltz)")
    cursor.execute("insert into ts_test values ('2024-01-01 16:00:00')")
    cursor.execute("insert into ts_test values ('2024-01-02 16:00:00 +00:00')")
    rows = cursor.execute(
        "select ts, hour(ts), ts::date, date_trunc('day', ts), ts::timestamp_ntz "
        "from ts_test order by ts"
    ).fetchall()
    utc = datetime.timezone.utc
    assert rows[0][0] == datetime.datetime(2024, 1, 2, 0, 0, tzinfo=utc)
    assert rows[0][0].utcoffset() == datetime.timedelta(hours=-8)
    assert rows[0][1:] == (
        16,
        datetime.date(2024, 1, 1),
        datetime.datetime(2024, 1, 1, 8, 0, tzinfo=utc),
        datetime.datetime(2024, 1, 1, 16, 0),
    )
    assert rows[1][0] == datetime.datetime(2024, 1, 2, 16, 0, tzinfo=utc)
    assert rows[1][1:] == (
        8,
        datetime.date(2024, 1, 2),
        datetime.datetime(2024, 1, 2, 8, 0, tzinfo=utc),
        datetime.datetime(2024, 1, 2, 8, 0),
    )
    # The same statement in another session zone reads that zone's wall clock.
    cursor.execute("alter session set timezone = 'Asia/Kolkata'")
    hours = cursor.execute("select hour(ts) from ts_test order by ts").fetchall()
    assert hours == [(5,), (21,)]
    # Made text in SQL, a TIMESTAMP_LTZ shows the session zone's wall clock and offset.
    texts = cursor.execute(
        "select ts::varchar, to_varchar(ts::timestamp_ntz) from ts_test order by ts"
    ).fetchall()
    assert texts == [
        ("2024-01-02 05:30:00.000 +0530", "2024-01-02 05:30:00.000"),
        ("2024-01-02 21:30:00.000 +0530", "2024-01-02 21:30:00.000"),
    ]
