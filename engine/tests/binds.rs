//! Bind variables: values reach DuckDB as typed parameters, `?` and `:n` both work, and
//! array binding runs a DML statement once per row, all or nothing.

use engine::{BindRow, Cell, Instance, Session, SfType};

fn with_table() -> Session {
    let mut s = Instance::open_memory("BINDS")
        .unwrap()
        .session("tester")
        .unwrap();
    s.execute("create database db").unwrap();
    s.execute("create table t (id number, name varchar, at timestamp_ntz, day date)")
        .unwrap();
    s
}

fn number(value: i128) -> Cell {
    Cell::Decimal { value, scale: 0 }
}

fn text(value: &str) -> Cell {
    Cell::Text(value.into())
}

fn run(s: &mut Session, sql: &str, binds: &[BindRow]) -> engine::QueryResult {
    s.execute_bound(sql, binds)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn qmark_and_numeric_binds_are_values_not_text() {
    let mut s = with_table();
    let row = vec![
        number(1),
        text("o'brien; drop table t"),
        Cell::TimestampNtz(1_365_123_723_123_456_000),
        Cell::Date(17636),
    ];
    let inserted = run(&mut s, "insert into t values (?, ?, ?, ?)", &[row]);
    assert_eq!(inserted.rows[0][0], number(1));

    let found = run(
        &mut s,
        "select name, at, day from t where id = :1 and name = :2",
        &[vec![number(1), text("o'brien; drop table t")]],
    );
    assert_eq!(
        found.rows,
        vec![vec![
            text("o'brien; drop table t"),
            Cell::TimestampNtz(1_365_123_723_123_456_000),
            Cell::Date(17636),
        ]]
    );
}

#[test]
fn a_numeric_bind_can_repeat_and_survives_rewrites_that_repeat_expressions() {
    let mut s = with_table();
    // Division is rewritten to test its divisor for zero, which repeats the expression.
    let result = run(
        &mut s,
        "select :1 / :2, ? + 0",
        &[vec![number(10), number(4)]],
    );
    assert_eq!(result.rows[0][1], number(10));
    let qmarks = run(
        &mut s,
        "select ? / ?, ?",
        &[vec![number(9), number(3), text("x")]],
    );
    assert_eq!(qmarks.columns.len(), 2);
    assert_eq!(qmarks.rows[0][1], text("x"));
}

#[test]
fn bound_query_results_have_snowflake_types() {
    let mut s = with_table();
    let result = run(
        &mut s,
        "select ?, ?, ?",
        &[vec![
            Cell::Decimal {
                value: 1234,
                scale: 2,
            },
            Cell::Boolean(true),
            Cell::Float(1.5),
        ]],
    );
    assert!(matches!(
        result.columns[0].sf_type,
        SfType::Fixed { scale: 2, .. }
    ));
    assert_eq!(result.columns[1].sf_type, SfType::Boolean);
    assert_eq!(result.columns[2].sf_type, SfType::Real);
}

#[test]
fn array_binding_inserts_every_row_and_reports_the_total() {
    let mut s = with_table();
    let rows: Vec<BindRow> = (0..500)
        .map(|i| vec![number(i), text(&format!("n{i}")), Cell::Null, Cell::Null])
        .collect();
    let inserted = run(&mut s, "insert into t values (?, ?, ?, ?)", &rows);
    assert_eq!(inserted.rows[0][0], number(500));
    let updated = run(
        &mut s,
        "update t set name = ? where id = ?",
        &[vec![text("a"), number(1)], vec![text("b"), number(2)]],
    );
    assert_eq!(updated.rows[0][0], number(2));
    let count = run(&mut s, "select count(*) from t", &[]);
    assert_eq!(count.rows[0][0], number(500));
}

#[test]
fn a_failing_row_of_an_array_binding_inserts_nothing() {
    let mut s = with_table();
    let rows = vec![
        vec![number(1), text("ok"), Cell::Null, Cell::Null],
        vec![text("not a number"), text("bad"), Cell::Null, Cell::Null],
    ];
    let err = s
        .execute_bound("insert into t values (?, ?, ?, ?)", &rows)
        .unwrap_err();
    assert_eq!(err.code, "100038", "{err}");
    let count = run(&mut s, "select count(*) from t", &[]);
    assert_eq!(count.rows[0][0], number(0));
}

#[test]
fn missing_binds_unsupported_placements_and_positional_columns_fail_clearly() {
    let mut s = with_table();
    let err = s
        .execute_bound("select ?, ?", &[vec![number(1)]])
        .unwrap_err();
    assert_eq!(err.code, "002049", "{err}");
    let err = s.execute("select ?").unwrap_err();
    assert_eq!(err.code, "002049", "{err}");
    let err = s
        .execute_bound("create table u (a int)", &[vec![number(1)]])
        .unwrap_err();
    assert_eq!(err.code, "000002", "{err}");
    let err = s.execute("select :name").unwrap_err();
    assert_eq!(err.code, "000002", "{err}");
    let err = s
        .execute_bound("select ?", &[vec![number(1)], vec![number(2)]])
        .unwrap_err();
    assert_eq!(err.code, "000002", "{err}");
}

#[test]
fn describe_reports_columns_and_bind_count_without_running() {
    let mut s = with_table();
    let query = s
        .describe("select id, name as label from t where id = ?")
        .unwrap();
    let names: Vec<_> = query.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["ID", "LABEL"]);
    assert_eq!(query.bind_count, 1);
    let insert = s.describe("insert into t (id) values (?)").unwrap();
    assert_eq!(insert.columns[0].name, "number of rows inserted");
    assert_eq!(insert.bind_count, 1);
    let ddl = s.describe("drop table t").unwrap();
    assert_eq!(ddl.columns[0].name, "status");
    // Nothing ran: the table is still there and still empty.
    let count = run(&mut s, "select count(*) from t", &[]);
    assert_eq!(count.rows[0][0], number(0));
    assert_eq!(
        s.describe("select * from missing").unwrap_err().code,
        "002003"
    );
}

#[test]
fn array_binding_past_one_block_inserts_every_row_once() {
    let mut s = with_table();
    // One bind variable a row: blocks of 8,192 rows, then the rest as one smaller block.
    let rows: Vec<BindRow> = (0..10_000).map(|i| vec![number(i)]).collect();
    let inserted = run(&mut s, "insert into t (id) values (?)", &rows);
    assert_eq!(inserted.rows[0][0], number(10_000));
    let check = run(
        &mut s,
        "select count(*), count(distinct id), sum(id) from t",
        &[],
    );
    assert_eq!(
        check.rows[0],
        vec![number(10_000), number(10_000), number(49_995_000)]
    );
}
