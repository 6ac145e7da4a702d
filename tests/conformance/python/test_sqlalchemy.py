"""snowflake-sqlalchemy against a real `mockhaus serve`: engines connect (host, port and protocol
through connect_args), statements run, pandas reads query results and writes DataFrames, and
the inspector reflects tables, views, columns, types and keys (through SHOW, DESC and
INFORMATION_SCHEMA)."""

import pandas as pd
import pytest

# snowflake-sqlalchemy 1.11 requires connector < 5: installed beside the 4.x connector only.
pytest.importorskip("snowflake.sqlalchemy")

from sqlalchemy import create_engine, inspect, text  # noqa: E402


@pytest.fixture
def engine_for(server, account):
    connect_args = {"host": server["host"], "port": server["port"], "protocol": "http"}
    engines = []

    def make(path=""):
        engine = create_engine(f"snowflake://tester:secret@{account}/{path}", connect_args=connect_args)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


def test_engine_runs_statements_and_pandas_reads_them(engine_for):
    with engine_for().connect() as conn:
        conn.execute(text("create database sadb"))
        conn.execute(text("create table t (id int, name varchar, amount number(10,2))"))
        conn.execute(text("insert into t values (1, 'a', 1.5), (2, 'b', null)"))
        assert conn.execute(text("select id, name from t order by id")).fetchall() == [(1, "a"), (2, "b")]
        bound = conn.execute(text("select name from t where id = :id"), {"id": 2}).scalar_one()
        assert bound == "b"
        # SQLAlchemy 2.0 runs with AUTOCOMMIT off: without this commit, closing the
        # connection rolls the insert back, as it does on Snowflake.
        conn.commit()
    frame = pd.read_sql("select id, name, amount from t order by id", engine_for("sadb/public"))
    assert frame["id"].tolist() == [1, 2]
    assert frame["name"].tolist() == ["a", "b"]


def test_reflection_sees_tables_columns_types_and_keys(engine_for):
    with engine_for().connect() as conn:
        conn.execute(text("create database sadb"))
        conn.execute(
            text(
                "create table orders (id int primary key, label varchar(20) not null, "
                "amount number(10,2), at timestamp_ntz, payload variant)"
            )
        )
        conn.execute(text("create table lines (order_id int, sku string, unique (order_id, sku))"))
        conn.execute(text("create view big as select id from orders"))
    inspector = inspect(engine_for("sadb/public"))
    assert sorted(inspector.get_table_names()) == ["lines", "orders"]
    assert inspector.get_view_names() == ["big"]
    assert "public" in inspector.get_schema_names()
    columns = {c["name"]: c for c in inspector.get_columns("orders")}
    assert list(columns) == ["id", "label", "amount", "at", "payload"]
    assert str(columns["label"]["type"]) == "VARCHAR(20)"
    assert (columns["amount"]["type"].precision, columns["amount"]["type"].scale) == (10, 2)
    assert columns["label"]["nullable"] is False and columns["amount"]["nullable"] is True
    assert "TIMESTAMP" in str(columns["at"]["type"]).upper()
    assert inspector.get_pk_constraint("orders")["constrained_columns"] == ["id"]
    uniques = inspector.get_unique_constraints("lines")
    assert [u["column_names"] for u in uniques] == [["order_id", "sku"]]
    assert inspector.get_foreign_keys("orders") == []
    assert inspector.has_table("orders") and not inspector.has_table("nope")


def test_dataframe_to_sql_creates_and_appends(engine_for):
    with engine_for().connect() as conn:
        conn.execute(text("create database sadb"))
    engine = engine_for("sadb/public")
    frame = pd.DataFrame({"id": [1, 2, 3], "name": ["a", "b", None], "score": [1.5, 2.0, 3.25]})
    frame.to_sql("scores", engine, index=False)
    frame.to_sql("scores", engine, index=False, if_exists="append")
    back = pd.read_sql("select id, name, score from scores order by id, name", engine)
    assert back["id"].tolist() == [1, 1, 2, 2, 3, 3]
    assert back["score"].tolist() == [1.5, 1.5, 2.0, 2.0, 3.25, 3.25]
    with pytest.raises(ValueError):
        frame.to_sql("scores", engine, index=False, if_exists="fail")
