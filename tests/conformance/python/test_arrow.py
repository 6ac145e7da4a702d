"""Arrow results for the Python connector: what Snowflake sends it by default, so that
`fetch_pandas_all`, `fetch_arrow_all` and `fetch_arrow_batches` work; JSON when asked for."""

import datetime
import decimal
import json


TYPED_QUERY = """
select 1 as i, 12345678901234567890123456789012345678 as huge, 12.34::number(10,2) as dec,
       1.5::float as f, 'text' as s, true as b, '2024-01-15'::date as d,
       '12:34:56.789'::time as t, '2024-01-15 12:34:56.123456'::timestamp_ntz as ntz,
       '2024-01-15 12:34:56 +05:00'::timestamp_tz as tz, 'ABCD'::binary as bin,
       parse_json('{"k": [1, 2]}') as v, null::int as n
"""


def test_fetch_returns_the_same_values_as_json(connect):
    arrow_cur = connect().cursor()
    json_cur = connect(session_parameters={"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": "JSON"}).cursor()
    arrow_rows = arrow_cur.execute(TYPED_QUERY).fetchall()
    json_rows = json_cur.execute(TYPED_QUERY).fetchall()
    assert arrow_cur._query_result_format == "arrow"
    assert json_cur._query_result_format == "json"
    assert arrow_rows == json_rows
    row = arrow_rows[0]
    assert row[:4] == (1, decimal.Decimal("12345678901234567890123456789012345678"), decimal.Decimal("12.34"), 1.5)
    assert row[6:9] == (
        datetime.date(2024, 1, 15),
        datetime.time(12, 34, 56, 789000),
        datetime.datetime(2024, 1, 15, 12, 34, 56, 123456),
    )
    assert row[9] == datetime.datetime(2024, 1, 15, 7, 34, 56, tzinfo=datetime.timezone.utc)
    assert row[10] == b"\xab\xcd"
    assert json.loads(row[11]) == {"k": [1, 2]}
    assert row[12] is None


def test_fetch_pandas_all(cursor):
    cursor.execute("create table p (id int, name varchar, amount number(10,2), at timestamp_ntz)")
    cursor.execute(
        "insert into p values (1, 'a', 1.25, '2024-01-01 00:00:00'), (2, null, null, null), (3, 'c', -7.5, '1969-12-31 23:59:59.5')"
    )
    frame = cursor.execute("select * from p order by id").fetch_pandas_all()
    assert list(frame.columns) == ["ID", "NAME", "AMOUNT", "AT"]
    assert frame["ID"].tolist() == [1, 2, 3]
    assert frame["NAME"].tolist()[0] == "a" and frame["NAME"].isna().tolist() == [False, True, False]
    amounts = frame["AMOUNT"].tolist()
    assert (amounts[0], amounts[2]) == (1.25, -7.5) and frame["AMOUNT"].isna().tolist() == [False, True, False]
    assert str(frame["AT"][2]) == "1969-12-31 23:59:59.500000"


def test_fetch_arrow_all_and_batches(cursor):
    cursor.execute("create table big (i int, s varchar)")
    cursor.execute(
        "insert into big with recursive r(n) as (select 1 union all select n + 1 from r where n < 150000)"
        " select n, 'row ' || n from r"
    )
    table = cursor.execute("select i, s from big order by i").fetch_arrow_all()
    assert table.num_rows == 150000
    assert table.column("I")[149999].as_py() == 150000
    # One inline result of several record batches (65,536 rows each).
    assert table.column("I").num_chunks == 3
    batches = list(cursor.execute("select i from big").fetch_arrow_batches())
    assert sum(batch.num_rows for batch in batches) == 150000


def test_empty_results_and_dml_counts_under_arrow(cursor):
    cursor.execute("create table e (a int)")
    assert cursor.execute("select a from e").fetchall() == []
    assert cursor.execute("select a from e").fetch_pandas_all().empty
    cursor.execute("insert into e values (1), (2)")
    assert cursor.rowcount == 2


def test_alter_session_can_ask_for_json(cursor):
    cursor.execute("alter session set python_connector_query_result_format = 'JSON'")
    cursor.execute("select 1")
    assert cursor._query_result_format == "json"
    assert cursor.fetchall() == [(1,)]
