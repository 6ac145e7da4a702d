"""snowflake-sqlalchemy against a real `mockhaus serve`: engines connect (host, port and protocol
through connect_args), statements run, and pandas reads query results. Reflection (the
inspector) needs SHOW / INFORMATION_SCHEMA, which Mockhaus does not emulate yet: that is pinned
here as a clear Snowflake error, so this test notices when it starts working."""

import pandas as pd
import pytest

# snowflake-sqlalchemy 1.11 requires connector < 5: installed beside the 4.x connector only.
pytest.importorskip("snowflake.sqlalchemy")

from sqlalchemy import create_engine, inspect, text  # noqa: E402
from sqlalchemy.exc import ProgrammingError  # noqa: E402


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
    frame = pd.read_sql("select id, name, amount from t order by id", engine_for("sadb/public"))
    assert frame["id"].tolist() == [1, 2]
    assert frame["name"].tolist() == ["a", "b"]


def test_reflection_is_a_clear_error_until_show_is_emulated(engine_for):
    with engine_for().connect() as conn:
        conn.execute(text("create database sadb"))
    with pytest.raises(ProgrammingError) as err:
        inspect(engine_for("sadb/public")).get_table_names()
    assert "000002" in str(err.value)
