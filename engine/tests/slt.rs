//! The SQL conformance corpus: every `tests/slt/**/*.slt` file runs as one test against a
//! fresh in-memory account, with expected results taken from Snowflake's documented behaviour.
//!
//! Conventions (see `tests/slt/README.md`):
//! - values render as Snowflake's default output formats (`engine::format::display`); SQL NULL
//!   is `NULL`, an empty string `(empty)`;
//! - column types are checked: `I` an integer (NUMBER with scale 0), `R` any other number
//!   (NUMBER with a scale, FLOAT), `T` everything else;
//! - an error is matched against `<code> (<sql state>): <message>`, so records can name the
//!   Snowflake error code;
//! - DML and DDL answer rows too (Snowflake's count columns, the status text), checked with
//!   `query` records;
//! - `connection <name>` opens another session on the same account.

use std::path::Path;

use engine::{Cell, Instance, QueryResult, Session, SfError, SfType};
use sqllogictest::harness::{glob, Arguments, Failed, Trial};
use sqllogictest::{DBOutput, DefaultColumnType, Runner, DB};

struct EngineDb {
    session: Session,
}

impl DB for EngineDb {
    type Error = SfError;
    type ColumnType = DefaultColumnType;

    fn run(&mut self, sql: &str) -> Result<DBOutput<DefaultColumnType>, SfError> {
        let result = self.session.execute(sql)?;
        Ok(output(result))
    }

    fn engine_name(&self) -> &str {
        "mockhaus"
    }
}

/// Every result is rows, DML and DDL included: Snowflake answers DML with its count columns
/// (`number of rows inserted`, MERGE's three counts) and DDL with a status row, and the corpus
/// checks those with `query` records.
fn output(result: QueryResult) -> DBOutput<DefaultColumnType> {
    let types = result
        .columns
        .iter()
        .map(|column| column_type(column.sf_type))
        .collect();
    let rows = result
        .rows
        .iter()
        .map(|row| row.iter().map(render).collect())
        .collect();
    DBOutput::Rows { types, rows }
}

fn column_type(sf_type: SfType) -> DefaultColumnType {
    match sf_type {
        SfType::Fixed { scale: 0, .. } => DefaultColumnType::Integer,
        SfType::Fixed { .. } | SfType::Real => DefaultColumnType::FloatingPoint,
        _ => DefaultColumnType::Text,
    }
}

fn render(cell: &Cell) -> String {
    match engine::format::display(cell) {
        None => "NULL".into(),
        Some(text) if text.is_empty() => "(empty)".into(),
        Some(text) => text,
    }
}

fn run_file(path: &Path) -> Result<(), Failed> {
    let instance = Instance::open_memory("SLT").map_err(|e| Failed::from(e.to_string()))?;
    let mut runner = Runner::new(move || {
        let instance = instance.clone();
        async move {
            let mut session = instance.session("TESTER")?;
            // Every file starts in its own database, like a fresh dbt target.
            session.execute("CREATE DATABASE IF NOT EXISTS SLT")?;
            session.execute("USE SCHEMA SLT.PUBLIC")?;
            Ok(EngineDb { session })
        }
    });
    runner.with_column_validator(sqllogictest::strict_column_validator);
    runner
        .run_file(path)
        .map_err(|e| Failed::from(e.display(false).to_string()))?;
    runner.shutdown();
    Ok(())
}

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let pattern = format!("{root}/tests/slt/**/*.slt");
    let tests: Vec<Trial> = glob(&pattern)
        .expect("a valid glob")
        .map(|entry| {
            let path = entry.expect("a readable corpus file");
            let name = path
                .strip_prefix(format!("{root}/tests/slt"))
                .unwrap_or(&path)
                .display()
                .to_string();
            Trial::test(name, move || run_file(&path))
        })
        .collect();
    assert!(!tests.is_empty(), "no corpus files under {pattern}");
    sqllogictest::harness::run(&Arguments::from_args(), tests).exit();
}
