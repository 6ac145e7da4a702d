//! The engine end to end: Snowflake SQL in, Snowflake-typed results and errors out.

use engine::{Cell, Instance, Session, SfType, StatementKind};

fn session() -> Session {
    Instance::open_memory("TEST")
        .unwrap()
        .session("tester")
        .unwrap()
}

fn with_db() -> Session {
    let mut s = session();
    s.execute("create database db").unwrap();
    s
}

fn status(s: &mut Session, sql: &str) -> String {
    let result = s.execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    match &result.rows[0][0] {
        Cell::Text(t) => t.clone(),
        other => panic!("not a status: {other:?}"),
    }
}

fn error_code(s: &mut Session, sql: &str) -> String {
    s.execute(sql)
        .map(|r| panic!("{sql} succeeded: {r:?}"))
        .unwrap_err()
        .code
        .to_string()
}

fn column_names(s: &mut Session, sql: &str) -> Vec<String> {
    s.execute(sql)
        .unwrap()
        .columns
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn single(s: &mut Session, sql: &str) -> Cell {
    s.execute(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .rows
        .remove(0)
        .remove(0)
}

#[test]
fn create_database_and_schema_make_them_current() {
    let mut s = session();
    assert_eq!(
        status(&mut s, "create database sales"),
        "Database SALES successfully created."
    );
    assert_eq!(s.state().database.as_deref(), Some("SALES"));
    assert_eq!(s.state().schema.as_deref(), Some("PUBLIC"));
    assert_eq!(
        status(&mut s, "create schema raw"),
        "Schema RAW successfully created."
    );
    assert_eq!(s.state().schema.as_deref(), Some("RAW"));
    assert_eq!(
        status(&mut s, "create database if not exists sales"),
        "SALES already exists, statement succeeded."
    );
    assert_eq!(error_code(&mut s, "create database sales"), "002002");
    assert_eq!(
        status(&mut s, "use schema public"),
        "Statement executed successfully."
    );
    assert_eq!(s.state().schema.as_deref(), Some("PUBLIC"));
}

#[test]
fn no_current_database_or_schema_is_090105_or_090106() {
    let mut s = session();
    assert_eq!(error_code(&mut s, "create table t (x int)"), "090105");
    assert_eq!(error_code(&mut s, "select * from t"), "090105");
    s.execute("create database d").unwrap();
    s.execute("drop schema public").unwrap();
    assert_eq!(error_code(&mut s, "create table t (x int)"), "090106");
    // a CTE is not an object and needs no schema
    assert_eq!(
        single(&mut s, "with c as (select 1 as x) select x from c"),
        Cell::Decimal { value: 1, scale: 0 }
    );
}

#[test]
fn three_part_names_reach_other_databases() {
    let mut s = with_db();
    s.execute("create database other").unwrap();
    s.execute("create table other.public.t (x int)").unwrap();
    s.execute("insert into other.public.t values (3)").unwrap();
    s.execute("use database db").unwrap();
    assert_eq!(
        single(&mut s, "select x from other.public.t"),
        Cell::Decimal { value: 3, scale: 0 }
    );
}

#[test]
fn identifiers_fold_to_upper_case_unless_quoted() {
    let mut s = with_db();
    s.execute("create table users (id int, \"MixedCase\" varchar)")
        .unwrap();
    assert_eq!(
        column_names(&mut s, "select * from users"),
        ["ID", "MixedCase"]
    );
    assert_eq!(
        column_names(
            &mut s,
            "select id as ident, count(*), sum(id) from users group by id"
        ),
        ["IDENT", "COUNT(*)", "SUM(ID)"]
    );
    assert_eq!(
        column_names(&mut s, "select * from (values (1, 'a'))"),
        ["COLUMN1", "COLUMN2"]
    );
    assert_eq!(
        column_names(&mut s, "values (1, 2, 3)"),
        ["COLUMN1", "COLUMN2", "COLUMN3"]
    );
}

#[test]
fn status_messages_are_snowflakes() {
    let mut s = with_db();
    assert_eq!(
        status(&mut s, "create table t (x int)"),
        "Table T successfully created."
    );
    assert_eq!(
        status(&mut s, "create table if not exists t (x int)"),
        "T already exists, statement succeeded."
    );
    assert_eq!(
        status(&mut s, "create or replace table t (x int, y string)"),
        "Table T successfully created."
    );
    assert_eq!(
        status(&mut s, "create view v as select x from t"),
        "View V successfully created."
    );
    assert_eq!(
        status(&mut s, "alter table t add column z int"),
        "Statement executed successfully."
    );
    assert_eq!(
        status(&mut s, "alter table t rename column z to w"),
        "Statement executed successfully."
    );
    assert_eq!(
        status(&mut s, "alter table t drop column w"),
        "Statement executed successfully."
    );
    assert_eq!(
        status(&mut s, "alter table t rename to t2"),
        "Statement executed successfully."
    );
    assert_eq!(status(&mut s, "drop view v"), "V successfully dropped.");
    assert_eq!(status(&mut s, "drop table t2"), "T2 successfully dropped.");
    assert_eq!(
        status(&mut s, "drop table if exists t2"),
        "Drop statement executed successfully (T2 already dropped)."
    );
    assert_eq!(error_code(&mut s, "drop table t2"), "002003");
}

#[test]
fn dml_reports_snowflake_count_columns() {
    let mut s = with_db();
    s.execute("create table t (x int, y varchar)").unwrap();
    let inserted = s
        .execute("insert into t values (1, 'a'), (2, 'b'), (3, 'c')")
        .unwrap();
    assert_eq!(inserted.kind, StatementKind::Insert);
    assert_eq!(inserted.columns[0].name, "number of rows inserted");
    assert_eq!(inserted.rows[0][0], Cell::Decimal { value: 3, scale: 0 });
    let updated = s.execute("update t set y = 'z' where x > 1").unwrap();
    assert_eq!(
        updated
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        [
            "number of rows updated",
            "number of multi-joined rows updated"
        ]
    );
    assert_eq!(updated.rows[0][0], Cell::Decimal { value: 2, scale: 0 });
    let deleted = s.execute("delete from t where x = 1").unwrap();
    assert_eq!(deleted.columns[0].name, "number of rows deleted");
    assert_eq!(deleted.rows[0][0], Cell::Decimal { value: 1, scale: 0 });
    s.execute("insert into t select x + 10, y from t").unwrap();
    assert_eq!(
        single(&mut s, "select count(*) from t"),
        Cell::Decimal { value: 4, scale: 0 }
    );
}

#[test]
fn types_map_both_ways() {
    let mut s = with_db();
    s.execute(
        "create table t (i int, n number(10,2), f float, v varchar(20), b boolean, d date, tm time, \
         ntz timestamp_ntz, ltz timestamp_ltz, bin binary, var variant, obj object, arr array)",
    )
    .unwrap();
    let result = s.execute("select * from t").unwrap();
    let types: Vec<SfType> = result.columns.iter().map(|c| c.sf_type).collect();
    assert_eq!(
        types,
        [
            SfType::INTEGER,
            SfType::Fixed {
                precision: 10,
                scale: 2
            },
            SfType::Real,
            SfType::Text { length: 20 },
            SfType::Boolean,
            SfType::Date,
            SfType::Time,
            SfType::TimestampNtz,
            SfType::TimestampLtz,
            SfType::Binary {
                length: engine::types::MAX_BINARY_LENGTH
            },
            SfType::Variant,
            SfType::Object,
            SfType::Array,
        ]
    );
}

#[test]
fn declared_types_follow_columns_and_expressions_report_their_own() {
    let mut s = with_db();
    s.execute("create table t (code varchar(3), at timestamp_tz, obj object)")
        .unwrap();
    s.execute("alter table t add column extra char(2)").unwrap();
    let types = |s: &mut Session, sql: &str| {
        s.execute(sql)
            .unwrap()
            .columns
            .into_iter()
            .map(|c| c.sf_type)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        types(&mut s, "select code, at, obj, extra from t"),
        [
            SfType::Text { length: 3 },
            SfType::TimestampTz,
            SfType::Object,
            SfType::Text { length: 2 }
        ]
    );
    assert_eq!(
        types(&mut s, "select code || 'x' as longer from t"),
        [SfType::TEXT]
    );
    s.execute("alter table t rename column code to iso_code")
        .unwrap();
    assert_eq!(
        types(&mut s, "select iso_code from t"),
        [SfType::Text { length: 3 }]
    );
}

#[test]
fn int_is_exact_to_38_digits() {
    let mut s = with_db();
    s.execute("create table big (x int)").unwrap();
    s.execute("insert into big values (99999999999999999999999999999999999999)")
        .unwrap();
    assert_eq!(
        single(&mut s, "select x from big"),
        Cell::Decimal {
            value: 99_999_999_999_999_999_999_999_999_999_999_999_999,
            scale: 0
        }
    );
}

#[test]
fn common_functions() {
    let mut s = with_db();
    let text = |s: &mut Session, sql: &str| single(s, sql).to_string();
    assert_eq!(text(&mut s, "select iff(1 < 2, 'yes', 'no')"), "yes");
    assert_eq!(text(&mut s, "select nvl(null, 'x')"), "x");
    assert_eq!(text(&mut s, "select nvl2(null, 'a', 'b')"), "b");
    assert_eq!(text(&mut s, "select ifnull(null, 3)"), "3");
    assert_eq!(
        text(
            &mut s,
            "select decode(null, 1, 'one', null, 'null', 'other')"
        ),
        "null"
    );
    assert_eq!(text(&mut s, "select zeroifnull(null)"), "0");
    assert_eq!(text(&mut s, "select div0(1, 0)"), "0");
    assert_eq!(text(&mut s, "select coalesce(null, null, 7)"), "7");
    assert_eq!(text(&mut s, "select current_database()"), "DB");
    assert_eq!(text(&mut s, "select current_schema()"), "PUBLIC");
    assert_eq!(
        text(&mut s, "select dateadd(day, 1, '2024-02-28'::date)"),
        "2024-02-29"
    );
    assert_eq!(
        text(&mut s, "select dateadd(month, 1, '2024-01-31'::date)"),
        "2024-02-29"
    );
    assert_eq!(
        text(
            &mut s,
            "select datediff(day, '2024-01-01'::date, '2024-03-01'::date)"
        ),
        "60"
    );
    assert_eq!(text(&mut s, "select to_date('2024-05-06')"), "2024-05-06");
    assert_eq!(
        text(&mut s, "select to_char('2024-05-06'::date, 'DD/MM/YYYY')"),
        "06/05/2024"
    );
    assert_eq!(text(&mut s, "select to_varchar(42)"), "42");
    assert_eq!(
        text(&mut s, "select parse_json('{\"a\": {\"b\": 2}}'):a.b"),
        "2"
    );
    assert_eq!(
        text(
            &mut s,
            "select parse_json('{\"name\": \"Ann\"}'):name::string"
        ),
        "Ann"
    );
    assert_eq!(text(&mut s, "select '12'::int + 1"), "13");
    assert_eq!(text(&mut s, "select concat('a', 'b', 'c')"), "abc");
    assert!(single(&mut s, "select concat('a', null)").is_null());
}

#[test]
fn current_date_and_timestamp_have_snowflake_types() {
    let mut s = with_db();
    let result = s
        .execute("select current_date(), current_timestamp()")
        .unwrap();
    assert_eq!(result.columns[0].sf_type, SfType::Date);
    assert_eq!(result.columns[1].sf_type, SfType::TimestampLtz);
}

#[test]
fn queries_joins_ctes_set_operations_and_windows() {
    let mut s = with_db();
    s.execute("create table a (id int, g varchar)").unwrap();
    s.execute("create table b (id int, v int)").unwrap();
    s.execute("insert into a values (1, 'x'), (2, 'x'), (3, 'y')")
        .unwrap();
    s.execute("insert into b values (1, 10), (2, 20), (3, 30)")
        .unwrap();
    let joined = s
        .execute(
            "with totals as (select a.g, sum(b.v) as total from a join b on a.id = b.id group by a.g) \
             select g, total, rank() over (order by total desc) as r from totals order by g",
        )
        .unwrap();
    assert_eq!(joined.rows.len(), 2);
    assert_eq!(joined.rows[0][1].to_string(), "30");
    assert_eq!(joined.rows[1][2].to_string(), "1");
    let union = s
        .execute("select id from a union all select id from b")
        .unwrap();
    assert_eq!(union.rows.len(), 6);
}

#[test]
fn errors_carry_snowflake_codes() {
    let mut s = with_db();
    s.execute("create table t (x int not null)").unwrap();
    assert_eq!(error_code(&mut s, "select * from missing"), "002003");
    assert_eq!(error_code(&mut s, "select nope from t"), "000904");
    assert_eq!(error_code(&mut s, "selec 1"), "001003");
    assert_eq!(error_code(&mut s, "select no_such_fn(1)"), "002140");
    assert_eq!(error_code(&mut s, "create table t (x int)"), "002002");
    assert_eq!(error_code(&mut s, "use database nowhere"), "002003");
    assert_eq!(error_code(&mut s, "select 'abc'::int"), "100038");
    assert_eq!(error_code(&mut s, "select 'not a date'::date"), "100040");
    assert_eq!(error_code(&mut s, "select 'not a ts'::timestamp"), "100035");
    assert_eq!(error_code(&mut s, "select 1/0"), "100051");
    assert_eq!(error_code(&mut s, "insert into t values (null)"), "100072");
    assert_eq!(error_code(&mut s, "select 1; select 2"), "000008");
}

#[test]
fn duckdb_only_sql_is_refused_and_host_files_are_unreachable() {
    let mut s = with_db();
    for sql in [
        "attach '/tmp/x.db' as x",
        "install httpfs",
        "load httpfs",
        "pragma version",
        "copy (select 1) to '/tmp/out.csv'",
        "create macro m(x) as x + 1",
    ] {
        let code = error_code(&mut s, sql);
        assert!(code == "001003" || code == "000002", "{sql} gave {code}");
    }
    // SET is Snowflake's session variable assignment: it never reaches DuckDB's settings.
    s.execute("set threads = 1").unwrap();
    let threads = s.execute("select $threads").unwrap();
    assert_eq!(threads.rows[0][0].as_i64(), Some(1));
    assert_eq!(
        error_code(&mut s, "select * from read_csv('/etc/passwd')"),
        "002140"
    );
    assert_eq!(
        error_code(&mut s, "select * from read_text('/etc/passwd')"),
        "002140"
    );
    // A file name used as a table name is a missing table, never a file read.
    assert_eq!(
        error_code(&mut s, "select * from \"/etc/passwd\""),
        "002003"
    );
}

#[test]
fn sessions_share_data_but_not_state() {
    let instance = Instance::open_memory("SHARED").unwrap();
    let mut a = instance.session("a").unwrap();
    let mut b = instance.session("b").unwrap();
    a.execute("create database d").unwrap();
    a.execute("create table t (x int)").unwrap();
    a.execute("insert into t values (1)").unwrap();
    assert!(b.state().database.is_none());
    assert_eq!(
        single(&mut b, "select x from d.public.t"),
        Cell::Decimal { value: 1, scale: 0 }
    );
    let other = Instance::open_memory("OTHER").unwrap();
    let mut c = other.session("c").unwrap();
    assert_eq!(error_code(&mut c, "select x from d.public.t"), "002003");
}

#[test]
fn temporary_stages_belong_to_their_session() {
    let instance = Instance::open_memory("STAGES").unwrap();
    let mut a = instance.session("a").unwrap();
    let mut b = instance.session("b").unwrap();
    a.execute("create database d").unwrap();
    b.execute("use schema d.public").unwrap();
    a.execute("create temporary stage s").unwrap();
    a.execute("create temporary file format f type = csv")
        .unwrap();
    // Another session neither sees them nor collides with them.
    assert_eq!(error_code(&mut b, "list @s"), "002003");
    b.execute("create temporary stage s").unwrap();
    b.execute("create stage permanent_one").unwrap();
    b.execute("create temporary file format f type = parquet")
        .unwrap();
    assert_eq!(error_code(&mut a, "create temporary stage s"), "002002");
    drop(a);
    // Gone with session a; b's own objects and the permanent stage stay.
    let mut c = instance.session("c").unwrap();
    c.execute("use schema d.public").unwrap();
    assert_eq!(error_code(&mut c, "list @s"), "002003");
    c.execute("create temporary stage s").unwrap();
    c.execute("list @permanent_one").unwrap();
    b.execute("list @s").unwrap();
    b.execute("drop file format f").unwrap();
}

#[test]
fn transactions_commit_and_roll_back() {
    let mut s = with_db();
    s.execute("create table t (x int)").unwrap();
    assert_eq!(status(&mut s, "commit"), "Statement executed successfully.");
    s.execute("begin").unwrap();
    s.execute("insert into t values (1)").unwrap();
    s.execute("rollback").unwrap();
    assert_eq!(
        single(&mut s, "select count(*) from t"),
        Cell::Decimal { value: 0, scale: 0 }
    );
    s.execute("begin transaction").unwrap();
    s.execute("insert into t values (2)").unwrap();
    s.execute("commit").unwrap();
    assert_eq!(
        single(&mut s, "select count(*) from t"),
        Cell::Decimal { value: 1, scale: 0 }
    );
}

#[test]
fn quoted_names_are_case_sensitive() {
    let mut s = with_db();
    s.execute("create table people (name varchar, \"nickName\" varchar)")
        .unwrap();
    s.execute("insert into people values ('Ann', 'annie')")
        .unwrap();
    assert_eq!(error_code(&mut s, "select \"name\" from people"), "000904");
    assert_eq!(
        single(&mut s, "select \"NAME\" from people").to_string(),
        "Ann"
    );
    assert_eq!(
        single(&mut s, "select \"nickName\" from people").to_string(),
        "annie"
    );
    assert_eq!(
        error_code(&mut s, "select \"nickname\" from people"),
        "000904"
    );
    assert_eq!(error_code(&mut s, "select * from \"people\""), "002003");
    assert_eq!(
        single(&mut s, "select \"x\" from (select 1 as \"x\")").to_string(),
        "1"
    );
    assert_eq!(
        error_code(
            &mut s,
            "update people set name = 'B' where \"name\" = 'Ann'"
        ),
        "000904"
    );
}

#[test]
fn timestamps_with_spaced_offsets_are_read_as_instants() {
    let mut s = with_db();
    s.execute("create table events (at timestamp_ltz, note varchar)")
        .unwrap();
    s.execute(
        "insert into events values ('2024-01-15 12:34:56 +05:00', '2024-01-15 12:34:56 +05:00')",
    )
    .unwrap();
    let row = s
        .execute("select at, note from events")
        .unwrap()
        .rows
        .remove(0);
    assert_eq!(row[0], Cell::TimestampLtz(1_705_304_096_000_000_000));
    // text columns keep the text exactly
    assert_eq!(row[1].to_string(), "2024-01-15 12:34:56 +05:00");
    // a TIMESTAMP_TZ expression (not a declared column) reports as TIMESTAMP_LTZ: same instant
    assert_eq!(
        single(&mut s, "select '2024-01-15 12:34:56 +0500'::timestamp_tz"),
        Cell::TimestampLtz(1_705_304_096_000_000_000)
    );
}

#[test]
fn odd_input_is_an_error_or_a_result_never_a_panic() {
    let mut s = with_db();
    s.execute("create table t (x int, v variant)").unwrap();
    let deep = format!("select {}1{}", "(".repeat(300), ")".repeat(300));
    let wide = format!(
        "select x from t where x in ({})",
        (0..5000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let inputs = [
        "",
        "   ",
        "-- only a comment",
        ";",
        "select",
        "select * from",
        "select 'unterminated",
        "select \"unterminated",
        "select $$dollar$$",
        "select x from t where",
        "select 1 +",
        "select v:a.b[0]::int from t",
        "select v['k.with.dots'] from t",
        "select dateadd(fortnight, 1, current_date())",
        "select iff(1)",
        "select to_char(current_date(), 1)",
        "select x from t group by",
        "create table",
        "drop table",
        "use",
        "insert into t values",
        "insert into t values (1, 2, 3)",
        "update t set",
        "select 'ünïcødé' as \"名前\"",
        "select 1e400",
        "select 99999999999999999999999999999999999999999::int",
        deep.as_str(),
        wide.as_str(),
    ];
    for sql in inputs {
        let _ = s.execute(sql);
    }
    assert_eq!(
        single(&mut s, "select 1"),
        Cell::Decimal { value: 1, scale: 0 }
    );
}

#[test]
fn statement_timeout_cancels_with_000630() {
    let mut s = with_db();
    s.execute("alter session set statement_timeout_in_seconds = 1")
        .unwrap();
    let endless = "with recursive r(n) as (select 1 union all select n + 1 from r where n < 1000000000) select count(*) from r";
    let started = std::time::Instant::now();
    assert_eq!(error_code(&mut s, endless), "000630");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // quick statements are unaffected, and 0 means no limit
    assert_eq!(
        single(&mut s, "select 1"),
        Cell::Decimal { value: 1, scale: 0 }
    );
    s.execute("alter session set statement_timeout_in_seconds = 0")
        .unwrap();
    assert_eq!(
        single(&mut s, "select 2"),
        Cell::Decimal { value: 2, scale: 0 }
    );
}

#[test]
fn namespace_and_view_variants() {
    let mut s = with_db();
    assert_eq!(
        status(&mut s, "create schema if not exists public"),
        "PUBLIC already exists, statement succeeded."
    );
    assert_eq!(
        status(&mut s, "create or replace schema staging"),
        "Schema STAGING successfully created."
    );
    s.execute("create table staging.t (x int)").unwrap();
    assert_eq!(
        status(&mut s, "create or replace schema staging"),
        "Schema STAGING successfully created."
    );
    assert_eq!(error_code(&mut s, "select * from staging.t"), "002003");
    assert_eq!(
        status(&mut s, "drop schema staging"),
        "STAGING successfully dropped."
    );
    assert_eq!(
        status(&mut s, "drop schema if exists staging"),
        "Drop statement executed successfully (STAGING already dropped)."
    );
    assert_eq!(error_code(&mut s, "drop schema staging"), "002003");
    s.execute("use schema public").unwrap();
    s.execute("create table t (x int)").unwrap();
    assert_eq!(
        status(&mut s, "create view v as select x from t"),
        "View V successfully created."
    );
    assert_eq!(
        error_code(&mut s, "create view v as select x from t"),
        "002002"
    );
    assert_eq!(
        status(
            &mut s,
            "create or replace view v as select x + 1 as y from t"
        ),
        "View V successfully created."
    );
    assert_eq!(column_names(&mut s, "select * from v"), ["Y"]);
    assert_eq!(
        status(&mut s, "drop view if exists nothing_here"),
        "Drop statement executed successfully (NOTHING_HERE already dropped)."
    );
    s.execute("create database second").unwrap();
    assert_eq!(
        status(&mut s, "create or replace database second"),
        "Database SECOND successfully created."
    );
    assert_eq!(
        status(&mut s, "drop database second"),
        "SECOND successfully dropped."
    );
    assert!(s.state().database.is_none());
    assert_eq!(
        status(&mut s, "drop database if exists second"),
        "Drop statement executed successfully (SECOND already dropped)."
    );
    assert_eq!(error_code(&mut s, "drop database second"), "002003");
}

#[test]
fn repeated_statements_see_catalog_changes() {
    let mut s = with_db();
    s.execute("create table t (x int)").unwrap();
    s.execute("insert into t values (1)").unwrap();
    let query = "select * from t";
    assert_eq!(column_names(&mut s, query), ["X"]);
    s.execute("alter table t add column y varchar(4)").unwrap();
    // the cached rewrite of the same text is dropped with the DDL
    let result = s.execute(query).unwrap();
    assert_eq!(
        result
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["X", "Y"]
    );
    assert_eq!(result.columns[1].sf_type, SfType::Text { length: 4 });
    s.execute("create database other").unwrap();
    // same text, another current database: resolved again
    assert_eq!(error_code(&mut s, query), "002003");
    assert_eq!(
        single(&mut s, "select current_database()").to_string(),
        "OTHER"
    );
    s.execute("use database db").unwrap();
    assert_eq!(
        single(&mut s, "select current_database()").to_string(),
        "DB"
    );
}

/// INFORMATION_SCHEMA.TABLES' LAST_ALTERED of table T, in ms since the epoch.
fn last_altered_ms(s: &mut Session) -> i128 {
    let sql = "SELECT DATE_PART(EPOCH_MILLISECOND, LAST_ALTERED) \
               FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'T'";
    match single(s, sql) {
        Cell::Decimal { value, scale: 0 } => value,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn dml_moves_last_altered_and_a_failed_statement_does_not() {
    let mut s = with_db();
    s.execute("create table t (id int not null, v text)")
        .unwrap();
    let mut previous = last_altered_ms(&mut s);
    let mut changed = |s: &mut Session, sql: &str| -> bool {
        std::thread::sleep(std::time::Duration::from_millis(5));
        s.execute(sql).map(|_| ()).unwrap_or_default();
        let now = last_altered_ms(s);
        let moved = now > previous;
        previous = now;
        moved
    };
    // The same INSERT twice: the second runs from the session's statement cache.
    assert!(changed(&mut s, "insert into t values (1, 'a')"));
    assert!(changed(&mut s, "insert into t values (1, 'a')"));
    assert!(changed(&mut s, "update t set v = 'b' where id = 1"));
    assert!(changed(&mut s, "delete from t where id = 1"));
    assert!(changed(
        &mut s,
        "merge into t using (select 2 as id) s on t.id = s.id \
         when not matched then insert (id, v) values (s.id, 'm')"
    ));
    assert!(changed(&mut s, "insert overwrite into t values (3, 'o')"));
    assert!(changed(&mut s, "truncate table t"));
    assert!(!changed(&mut s, "insert into t values (null, 'x')"));
    assert!(!changed(&mut s, "select * from t"));
}
