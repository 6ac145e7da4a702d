"""Stages through the real connector: PUT and GET (the driver copies the files into and out of
the server's LOCAL_FS stage directory), LIST, REMOVE, COPY INTO from CSV and Parquet, and
`write_pandas`, which does all of these. Connector 5.x moves files with its Rust core, which
knows only cloud stage types: its PUT fails with the driver's own error, checked below."""

import datetime
import decimal
import gzip
import hashlib
import os

import pytest
import snowflake.connector
from snowflake.connector.errors import ProgrammingError

CONNECTOR_4 = snowflake.connector.__version__.startswith("4.")
needs_local_fs = pytest.mark.skipif(
    not CONNECTOR_4, reason="connector 5.x transfers files to cloud stages only (see test_connector_5_put_fails_clearly)"
)

ORDERS_CSV = 'id,name,amount,placed\n1,"Ann, Jr.",12.50,2024-01-15\n2,\\N,,2024-02-01 10:30:00\n3,"say ""hi""",0.05,2024-03-03\n'


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


@pytest.fixture
def orders(cursor):
    cursor.execute("create table orders (id int, name varchar, amount number(10,2), placed timestamp_ntz)")
    cursor.execute(
        "create stage raw file_format = (type = csv skip_header = 1 field_optionally_enclosed_by = '\"')"
    )
    return cursor


@needs_local_fs
def test_put_list_copy_get_remove(orders, tmp_path):
    cur = orders
    source = write(tmp_path, "orders.csv", ORDERS_CSV)
    put = cur.execute(f"put file://{source} @raw/2024/").fetchall()
    assert put[0][:2] == ("orders.csv", "orders.csv.gz")
    assert put[0][6] == "UPLOADED"

    listed = cur.execute("list @raw").fetchall()
    assert [(name, size) for name, size, _, _ in listed] == [("raw/2024/orders.csv.gz", put[0][3])]
    assert len(listed[0][2]) == 32 and listed[0][3].endswith(" GMT")

    loaded = cur.execute("copy into orders from @raw").fetchall()
    assert loaded == [("raw/2024/orders.csv.gz", "LOADED", 3, 3, 1, 0, None, None, None, None)]
    rows = cur.execute("select * from orders order by id").fetchall()
    assert rows == [
        (1, "Ann, Jr.", decimal.Decimal("12.50"), datetime.datetime(2024, 1, 15)),
        (2, None, None, datetime.datetime(2024, 2, 1, 10, 30)),
        (3, 'say "hi"', decimal.Decimal("0.05"), datetime.datetime(2024, 3, 3)),
    ]

    # Loaded files are skipped the next time, unless FORCE = TRUE.
    assert cur.execute("copy into orders from @raw").fetchall() == [("Copy executed with 0 files processed.",)]
    assert cur.execute("copy into orders from @raw/2024 force = true").fetchall()[0][1] == "LOADED"
    assert cur.execute("select count(*) from orders").fetchone() == (6,)
    # TRUNCATE, and a table created again, start its load history afresh, as in Snowflake.
    cur.execute("truncate table orders")
    assert cur.execute("copy into orders from @raw").fetchall()[0][1] == "LOADED"
    cur.execute("create or replace table orders (id int, name varchar, amount number(10,2), placed timestamp_ntz)")
    assert cur.execute("copy into orders from @raw").fetchall()[0][1] == "LOADED"
    assert cur.execute("select count(*) from orders").fetchone() == (3,)

    out = tmp_path / "out"
    out.mkdir()
    got = cur.execute(f"get @raw/2024/ file://{out}/").fetchall()
    assert got[0][0] == "orders.csv.gz" and got[0][2] == "DOWNLOADED"
    assert gzip.decompress((out / "orders.csv.gz").read_bytes()).decode() == ORDERS_CSV

    removed = cur.execute("remove @raw pattern = '.*[.]gz'").fetchall()
    assert removed == [("raw/2024/orders.csv.gz", "removed")]
    assert cur.execute("list @raw").fetchall() == []


@needs_local_fs
def test_copy_transforms_and_table_stages(orders, tmp_path):
    cur = orders
    source = write(tmp_path, "names.psv", "Bea|7\nCy|8\n")
    cur.execute(f"put file://{source} @%orders auto_compress = false")
    assert [row[0] for row in cur.execute("list @%orders").fetchall()] == ["names.psv"]
    result = cur.execute(
        "copy into orders (name, id) from (select t.$1, t.$2::int from @%orders t) "
        "file_format = (type = csv field_delimiter = '|') purge = true"
    ).fetchall()
    assert result[0][:4] == ("names.psv", "LOADED", 2, 2)
    assert cur.execute("select id, name from orders order by id").fetchall() == [(7, "Bea"), (8, "Cy")]
    # PURGE removed the loaded file.
    assert cur.execute("list @%orders").fetchall() == []


@needs_local_fs
def test_a_bad_file_aborts_the_load_or_is_skipped(orders, tmp_path):
    cur = orders
    good = write(tmp_path, "a_good.csv", "id,name,amount,placed\n1,x,1.00,2024-01-01\n")
    bad = write(tmp_path, "b_bad.csv", "id,name,amount,placed\nnot a number,y,2.00,2024-01-02\n")
    for path in (good, bad):
        cur.execute(f"put file://{path} @raw")

    with pytest.raises(ProgrammingError) as err:
        cur.execute("copy into orders from @raw")
    assert err.value.errno == 100038
    # ABORT_STATEMENT: the good file did not load either.
    assert cur.execute("select count(*) from orders").fetchone() == (0,)

    result = cur.execute("copy into orders from @raw on_error = skip_file").fetchall()
    assert [(row[0], row[1], row[3]) for row in result] == [
        ("raw/a_good.csv.gz", "LOADED", 1),
        ("raw/b_bad.csv.gz", "LOAD_FAILED", 0),
    ]
    assert "not a number" in result[1][6]
    assert cur.execute("select id, name from orders").fetchall() == [(1, "x")]


@needs_local_fs
def test_put_to_a_missing_stage_fails(cursor, tmp_path):
    source = write(tmp_path, "x.csv", "1\n")
    with pytest.raises(ProgrammingError) as err:
        cursor.execute(f"put file://{source} @nowhere")
    assert err.value.errno == 2003


@needs_local_fs
def test_write_pandas_into_an_existing_table(cursor):
    import pandas as pd
    from snowflake.connector.pandas_tools import write_pandas

    cursor.execute("create table people (id int, name varchar, score float, seen timestamp_ntz, ok boolean)")
    frame = pd.DataFrame(
        {
            "ID": [1, 2, 3],
            "NAME": ["Ann", None, "O'Brien"],
            "SCORE": [1.5, None, -2.25],
            "SEEN": pd.to_datetime(["2024-01-01 10:00:00", None, "2024-06-30 23:59:59"]),
            "OK": [True, False, True],
        }
    )
    success, chunks, rows, output = write_pandas(cursor.connection, frame, "PEOPLE", chunk_size=2)
    assert (success, chunks, rows) == (True, 2, 3)
    assert all(row[1] == "LOADED" for row in output)
    assert cursor.execute("select * from people order by id").fetchall() == [
        (1, "Ann", 1.5, datetime.datetime(2024, 1, 1, 10, 0), True),
        (2, None, None, None, False),
        (3, "O'Brien", -2.25, datetime.datetime(2024, 6, 30, 23, 59, 59), True),
    ]


@needs_local_fs
def test_write_pandas_creates_and_overwrites_tables(cursor):
    import pandas as pd
    from snowflake.connector.pandas_tools import write_pandas

    frame = pd.DataFrame({"CITY": ["Oslo", "Lima"], "POP": [709_000, 10_000_000]})
    assert write_pandas(cursor.connection, frame, "CITIES", auto_create_table=True)[:3] == (True, 1, 2)
    columns = [(row[0], row[1]) for row in cursor.execute("desc table cities").fetchall()]
    assert columns == [("CITY", "VARCHAR(16777216)"), ("POP", "NUMBER(38,0)")]

    smaller = frame.head(1)
    write_pandas(cursor.connection, smaller, "CITIES", auto_create_table=True, overwrite=True)
    assert cursor.execute("select * from cities").fetchall() == [("Oslo", 709_000)]
    # overwrite without auto_create_table truncates the table first.
    write_pandas(cursor.connection, frame.tail(1), "CITIES", overwrite=True)
    assert cursor.execute("select * from cities").fetchall() == [("Lima", 10_000_000)]


@pytest.mark.skipif(CONNECTOR_4, reason="connector 4.x copies LOCAL_FS stage files itself")
def test_connector_5_put_fails_clearly(cursor, tmp_path):
    cursor.execute("create stage raw")
    source = write(tmp_path, "x.csv", "1\n")
    with pytest.raises(snowflake.connector.errors.Error) as err:
        cursor.execute(f"put file://{source} @raw")
    assert "LOCAL_FS" in str(err.value)


def test_identifier_binds_name_tables(connect):
    cursor = connect(paramstyle="qmark").cursor()
    cursor.execute("create database testdb")
    cursor.execute("create table bound_name (x int)")
    cursor.execute("insert into identifier(?) values (?)", ("BOUND_NAME", 7))
    assert cursor.execute("select x from identifier(?)", ("bound_name",)).fetchall() == [(7,)]
    cursor.execute("drop table identifier(?)", ("BOUND_NAME",))
    with pytest.raises(ProgrammingError) as err:
        cursor.execute("select * from bound_name")
    assert err.value.errno == 2003
