"""RESULT_SCAN inside larger statements, through the Python connector: the Snowflake idioms
of filtering SHOW output, re-querying an earlier SELECT (sent to the connector as Arrow) and
saving a result with CREATE TABLE ... AS."""

import datetime
import decimal

import pytest
from snowflake.connector.errors import ProgrammingError


def test_show_output_filtered_by_result_scan(cursor):
    cursor.execute("create table kept_a (id int)")
    cursor.execute("create table kept_b (id int, name varchar)")
    cursor.execute("create view kept_v as select id from kept_a")
    cursor.execute("show tables")
    names = cursor.execute(
        """select "name" from table(result_scan(last_query_id()))
           where "name" like 'KEPT\\_%' order by "name" """
    ).fetchall()
    assert names == [("KEPT_A",), ("KEPT_B",)]
    # SHOW COLUMNS, then its columns by position.
    cursor.execute("show columns in table kept_b")
    columns = cursor.execute(
        "select $3, $4 from table(result_scan(-1)) order by 1"
    ).fetchall()
    assert [c[0] for c in columns] == ["ID", "NAME"]
    assert '"FIXED"' in columns[0][1] and '"TEXT"' in columns[1][1]


def test_an_earlier_select_is_rescanned_with_its_types(cursor):
    cursor.execute(
        """select 1::number(10,2) as amount, 'x''y' as label, '2024-02-29'::date as day,
                  '2024-02-29 10:11:12.123456'::timestamp_ntz as at, true as flag,
                  parse_json('{"k": [1, null]}') as doc, null::int as nothing
           union all
           select 2.5, null, null, null, false, parse_json('null'), 7"""
    )
    original = cursor.fetchall()
    original_types = [c.type_code for c in cursor.description]
    first = cursor.sfqid
    cursor.execute("select 42")
    rows = cursor.execute(
        f"select * from table(result_scan('{first}')) order by amount"
    ).fetchall()
    assert rows == original
    assert [c.type_code for c in cursor.description] == original_types
    assert rows[0][:5] == (
        decimal.Decimal("1.00"),
        "x'y",
        datetime.date(2024, 2, 29),
        datetime.datetime(2024, 2, 29, 10, 11, 12, 123456),
        True,
    )
    assert rows[1][5:] == ("null", 7)
    amounts = cursor.execute(
        f"select sum(amount), count(label) from table(result_scan('{first}'))"
    ).fetchone()
    assert amounts == (decimal.Decimal("3.50"), 1)


def test_create_table_as_from_result_scan_and_joins(cursor):
    cursor.execute("create table people (id int, name varchar)")
    cursor.execute("insert into people values (1, 'ann'), (2, 'bo'), (3, 'cy')")
    cursor.execute("select id, name from people where id > 1")
    selected = cursor.sfqid
    cursor.execute(
        "create table saved as select * from table(result_scan(last_query_id()))"
    )
    assert cursor.execute("select * from saved order by id").fetchall() == [
        (2, "bo"),
        (3, "cy"),
    ]
    # INSERT ... SELECT from the same earlier query, by its id; a query index counts back
    # through every query since (-1 the SELECT just above, -2 the CREATE TABLE's status).
    cursor.execute(
        f"insert into saved select id + 10, upper(name) from table(result_scan('{selected}'))"
    )
    status = cursor.execute("select * from table(result_scan(-3))").fetchall()
    assert status == [("Table SAVED successfully created.",)]
    assert cursor.execute("select * from saved where id > 10 order by id").fetchall() == [
        (12, "BO"),
        (13, "CY"),
    ]
    cursor.execute("select id, id * 10 as tens from people")
    joined = cursor.execute(
        """select p.name, r.tens from people p
           join table(result_scan(last_query_id())) r on r.id = p.id
           where r.tens >= 20 order by 1"""
    ).fetchall()
    assert joined == [("bo", 20), ("cy", 30)]


@pytest.mark.parametrize("result_format", ["ARROW", "JSON"])
def test_duplicate_column_names_are_numbered(connect, result_format):
    cur = connect(
        session_parameters={"PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": result_format}
    ).cursor()
    cur.execute("select 1 as a, 2 as a, 3 as b, '2024-01-02 03:04:05.678'::timestamp_ntz as t")
    row = cur.execute(
        "select a, a_1, b, t from table(result_scan(last_query_id()))"
    ).fetchone()
    assert row == (1, 2, 3, datetime.datetime(2024, 1, 2, 3, 4, 5, 678000))


def test_result_scan_refusals(connect):
    cur = connect().cursor()
    with pytest.raises(ProgrammingError) as err:
        cur.execute(
            "select count(*) from table(result_scan('01b00000-0000-0000-0000-000000000000'))"
        )
    assert err.value.errno == 709
    cur.execute("select seq4() from table(generator(rowcount => 20000))")
    big = cur.sfqid
    with pytest.raises(ProgrammingError) as err:
        cur.execute(f"select count(*) from table(result_scan('{big}'))")
    assert err.value.errno == 2
    assert "10000 rows" in err.value.msg
    # The whole-result form still returns it, from the server's result log.
    assert len(cur.execute(f"select * from table(result_scan('{big}'))").fetchall()) == 20000
    with pytest.raises(ProgrammingError) as err:
        cur.execute("select * from table(result_scan(name)) where 1 = 1")
    assert err.value.errno == 2141
