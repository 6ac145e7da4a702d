"""dbt-core with dbt-snowflake against a real `mockhaus serve`: the `shop` project's seeds,
views, tables, incremental models (merge on one and two columns, delete+insert, append,
insert_overwrite, on_schema_change), an ephemeral model, snapshots (check and timestamp
strategies, hard deletes), a contract, persist_docs, a secure view, a unit test, generic and
singular tests, source freshness and docs generation, run twice with the source data changed
in between, as a team's CI would.

Expected values are worked out by hand from the seed files and the changes below."""

import datetime
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import uuid
from decimal import Decimal

import pytest
import snowflake.connector
from conftest import connection_params

PROJECT = pathlib.Path(__file__).parent / "shop"
DBT = pathlib.Path(sys.executable).parent / "dbt"


@pytest.fixture
def shop(server, tmp_path):
    """The project copied into a scratch folder, a profile for a fresh account, and helpers to
    run dbt and to query the account through the connector."""
    account = "dbt" + uuid.uuid4().hex[:10]
    project = tmp_path / "shop"
    shutil.copytree(PROJECT, project)
    (tmp_path / "profiles.yml").write_text(profile(server, account))
    conn = snowflake.connector.connect(**connection_params(server, account))
    # dbt expects its database to exist, as on Snowflake; it creates the schema itself.
    conn.cursor().execute("CREATE DATABASE ANALYTICS")
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(tmp_path),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        SNOWFLAKE_DISABLE_PLATFORM_DETECTION="true",
    )

    def dbt(*args, expect_success=True):
        done = subprocess.run(
            [str(DBT), *args], cwd=project, env=env, capture_output=True, text=True, timeout=300
        )
        assert (done.returncode == 0) == expect_success, done.stdout[-4000:] + done.stderr
        results = tmp_path / "target" / "run_results.json"
        return json.loads(results.read_text()) if results.exists() else None

    def query(sql):
        cur = conn.cursor()
        cur.execute(sql)
        return cur.fetchall()

    yield dbt, query, project, tmp_path
    conn.close()


def profile(server, account):
    return f"""
mockhaus:
  target: dev
  outputs:
    dev:
      type: snowflake
      account: {account}
      user: tester
      password: secret
      database: ANALYTICS
      warehouse: COMPUTE_WH
      role: SYSADMIN
      schema: SHOP
      threads: 4
      host: {server["host"]}
      port: {server["port"]}
      protocol: http
      connect_retries: 0
      connect_timeout: 10
"""


def statuses(results):
    return {r["unique_id"].split(".")[-1]: r["status"] for r in results["results"]}


def test_dbt_build_twice_with_changed_sources(shop):
    dbt, query, _, _ = shop

    assert set(statuses(dbt("seed")).values()) == {"success"}
    assert set(statuses(dbt("run")).values()) == {"success"}
    assert query("SELECT * FROM ANALYTICS.SHOP.CUSTOMER_TOTALS ORDER BY CUSTOMER_ID") == [
        (1, "Ada Lovelace", 2, Decimal("25.00"), datetime.date(2024, 3, 1), 58),
        (2, "Grace Hopper", 0, Decimal("0.00"), None, None),
        (3, "Edsger Dijkstra", 1, Decimal("7.50"), datetime.date(2024, 3, 7), 35),
        (4, "Barbara Liskov", 0, Decimal("0.00"), None, None),
        (5, "Alan Kay", 0, Decimal("0.00"), None, None),
        (6, "Frances Allen", 0, Decimal("0.00"), None, None),
    ]
    # dbt makes models transient tables and staging models views, as on Snowflake.
    query("SHOW TABLES IN SCHEMA ANALYTICS.SHOP")
    by_name = dict(query('SELECT "name", "kind" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))'))
    assert by_name["CUSTOMER_TOTALS"] == "TRANSIENT"
    assert by_name["RAW_ORDERS"] == "TABLE"
    query("SHOW VIEWS IN SCHEMA ANALYTICS.SHOP")
    assert query('SELECT "name", "is_secure" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))') == [
        ("SECURE_CUSTOMERS", "true"),
        ("STG_CUSTOMERS", "false"),
        ("STG_ORDERS", "false"),
    ]
    assert set(statuses(dbt("snapshot")).values()) == {"success"}
    # Generic and singular data tests, and the unit test (its fixture rows are a query of
    # casted literals dbt writes itself).
    tested = statuses(dbt("test"))
    assert tested["full_names_join_first_and_last"] == "pass"
    assert set(tested.values()) == {"pass"}

    # The sources change: a customer is reactivated, one leaves, an order completes later, a
    # new one comes.
    query("UPDATE ANALYTICS.SHOP.RAW_CUSTOMERS SET IS_ACTIVE = TRUE WHERE ID = 3")
    query("DELETE FROM ANALYTICS.SHOP.RAW_CUSTOMERS WHERE ID = 6")
    query(
        "UPDATE ANALYTICS.SHOP.RAW_ORDERS SET STATUS = 'completed', "
        "ORDERED_AT = '2024-03-11 08:00:00' WHERE ID = 105"
    )
    query(
        "INSERT INTO ANALYTICS.SHOP.RAW_ORDERS VALUES "
        "(107, 5, '2024-03-10 14:00:00', 'completed', 12.34)"
    )

    # The second run takes the incremental paths: dbt finds its tables through SHOW OBJECTS.
    assert set(statuses(dbt("run")).values()) == {"success"}
    assert query("SELECT ORDER_ID, STATUS, AMOUNT FROM ANALYTICS.SHOP.ORDERS_MERGED "
                 "WHERE ORDER_ID >= 105 ORDER BY 1") == [
        (105, "completed", Decimal("100.00")),
        (106, "placed", Decimal("0.99")),
        (107, "completed", Decimal("12.34")),
    ]
    assert query("SELECT COUNT(*) FROM ANALYTICS.SHOP.ORDERS_MERGED") == [(7,)]
    # delete+insert only reprocessed ids from the largest one already loaded (106) up.
    assert query("SELECT ORDER_ID, STATUS FROM ANALYTICS.SHOP.ORDERS_REPLACED "
                 "WHERE ORDER_ID >= 105 ORDER BY 1") == [
        (105, "shipped"),
        (106, "placed"),
        (107, "completed"),
    ]
    assert query("SELECT COUNT(*) FROM ANALYTICS.SHOP.ORDER_EVENTS") == [(13,)]
    # insert_overwrite replaced the table's rows: one per (day, status) of the 7 orders.
    assert query("SELECT COUNT(*), SUM(ORDERS) FROM ANALYTICS.SHOP.DAILY_STATUS_COUNTS") == [
        (7, 7)
    ]
    # A merge on a two-column key: (4, completed) and (5, completed) are new, (4, shipped) stays.
    assert query(
        "SELECT STATUS, TOTAL_AMOUNT FROM ANALYTICS.SHOP.CUSTOMER_STATUS_AMOUNTS "
        "WHERE CUSTOMER_ID IN (4, 5) ORDER BY CUSTOMER_ID, STATUS"
    ) == [
        ("completed", Decimal("100.00")),
        ("shipped", Decimal("100.00")),
        ("completed", Decimal("12.34")),
    ]
    assert query("SELECT COUNT(*) FROM ANALYTICS.SHOP.CUSTOMER_STATUS_AMOUNTS") == [(7,)]
    assert query("SELECT * FROM ANALYTICS.SHOP.CUSTOMER_TOTALS WHERE CUSTOMER_ID >= 4 "
                 "ORDER BY 1") == [
        (4, "Barbara Liskov", 1, Decimal("100.00"), datetime.date(2024, 3, 11), 11),
        (5, "Alan Kay", 1, Decimal("12.34"), datetime.date(2024, 3, 10), 0),
    ]

    assert set(statuses(dbt("snapshot")).values()) == {"success"}
    # check strategy: customer 3's old version is closed, a new current one is added.
    assert query(
        "SELECT ID, IS_ACTIVE, DBT_VALID_TO IS NULL FROM ANALYTICS.SHOP.CUSTOMERS_SNAPSHOT "
        "WHERE ID = 3 ORDER BY DBT_VALID_FROM"
    ) == [(3, False, False), (3, True, True)]
    assert query("SELECT COUNT(*) FROM ANALYTICS.SHOP.CUSTOMERS_SNAPSHOT") == [(7,)]
    # hard_deletes='invalidate': the deleted customer's version is closed, none is current.
    assert query(
        "SELECT DBT_VALID_TO IS NULL FROM ANALYTICS.SHOP.CUSTOMERS_SNAPSHOT WHERE ID = 6"
    ) == [(False,)]
    # timestamp strategy: order 105 moved forward in time; 107 is new.
    assert query(
        "SELECT ID, STATUS, DBT_VALID_TO IS NULL FROM ANALYTICS.SHOP.ORDERS_SNAPSHOT "
        "WHERE ID IN (105, 107) ORDER BY ID, DBT_VALID_FROM"
    ) == [(105, "shipped", False), (105, "completed", True), (107, "completed", True)]
    assert query("SELECT COUNT(*) FROM ANALYTICS.SHOP.ORDERS_SNAPSHOT") == [(8,)]
    assert set(statuses(dbt("test")).values()) == {"pass"}


def test_dbt_reports_failing_tests_freshness_and_the_catalog(shop):
    dbt, query, project, tmp_path = shop
    dbt("seed")
    dbt("run")

    # A contract: the table is created with its declared column types and constraints first,
    # then filled; persist_docs writes the descriptions as comments (COMMENT ON ... $$...$$
    # and ALTER TABLE ... ALTER col COMMENT); query_tag has dbt read QUERY_TAG with SHOW
    # PARAMETERS before it sets its own.
    assert query("DESCRIBE TABLE ANALYTICS.SHOP.CUSTOMER_PROFILES") == [
        ("CUSTOMER_ID", "NUMBER(38,0)", "COLUMN", "N", None, "Y", "N", None, None,
         "The customer's id.", None, None),
        ("FULL_NAME", "VARCHAR(200)", "COLUMN", "Y", None, "N", "N", None, None,
         "First and last name.", None, None),
        ("IS_ACTIVE", "BOOLEAN", "COLUMN", "Y", None, "N", "N", None, None, "", None, None),
    ]
    assert query(
        "SELECT COMMENT FROM ANALYTICS.INFORMATION_SCHEMA.TABLES "
        "WHERE TABLE_NAME = 'CUSTOMER_PROFILES'"
    ) == [("One row per customer, with a contract.",)]

    # on_schema_change='append_new_columns': a column the model gains is added, then merged.
    dbt("run", "--select", "order_status_history", "--vars", "{with_amount: true}")
    assert query(
        "SELECT ORDER_ID, STATUS, AMOUNT FROM ANALYTICS.SHOP.ORDER_STATUS_HISTORY "
        "WHERE ORDER_ID IN (101, 106) ORDER BY 1"
    ) == [(101, "completed", Decimal("19.99")), (106, "placed", Decimal("0.99"))]

    # A singular test that finds rows fails, with the number of rows it found.
    (project / "tests" / "no_big_orders.sql").write_text(
        "select * from {{ ref('orders_merged') }} where amount > 50"
    )
    results = dbt("test", "--select", "no_big_orders", expect_success=False)
    [result] = results["results"]
    assert (result["status"], result["failures"]) == ("fail", 1)

    # Freshness: raw_orders' is MAX(ordered_at); raw_customers has no loaded_at_field, so dbt
    # reads INFORMATION_SCHEMA.TABLES.LAST_ALTERED, which a load (an INSERT) moves.
    time.sleep(1.1)
    loaded = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    query(
        "INSERT INTO ANALYTICS.SHOP.RAW_CUSTOMERS VALUES (7, 'Ken', 'Iverson', '2024-03-20', TRUE)"
    )
    dbt("source", "freshness")
    freshness = json.loads((tmp_path / "target" / "sources.json").read_text())
    by_source = {r["unique_id"].split(".")[-1]: r for r in freshness["results"]}
    assert {name: r["status"] for name, r in by_source.items()} == {
        "raw_orders": "pass",
        "raw_customers": "pass",
    }
    assert by_source["raw_orders"]["max_loaded_at"].startswith("2024-03-09T10:10:10")
    customers = by_source["raw_customers"]["max_loaded_at"]
    assert datetime.datetime.fromisoformat(customers) >= loaded

    dbt("docs", "generate")
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text())
    assert catalog["errors"] is None
    profiles = catalog["nodes"]["model.shop.customer_profiles"]
    assert profiles["metadata"]["comment"] == "One row per customer, with a contract."
    assert profiles["columns"]["CUSTOMER_ID"]["comment"] == "The customer's id."
    totals = catalog["nodes"]["model.shop.customer_totals"]
    assert totals["metadata"]["type"] == "BASE TABLE"
    assert {name: col["type"] for name, col in totals["columns"].items()} == {
        "CUSTOMER_ID": "NUMBER",
        "FULL_NAME": "TEXT",
        "COMPLETED_ORDERS": "NUMBER",
        "COMPLETED_AMOUNT": "NUMBER",
        "FIRST_ORDER_DATE": "DATE",
        "DAYS_TO_FIRST_ORDER": "NUMBER",
    }
    assert totals["stats"]["row_count"]["value"] == 6
    staged = catalog["nodes"]["model.shop.stg_orders"]
    assert staged["metadata"]["type"] == "VIEW"
    assert staged["columns"]["ORDERED_AT"]["type"] == "TIMESTAMP_NTZ"
