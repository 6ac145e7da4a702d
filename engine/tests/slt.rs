//! The SQL conformance corpus: every `tests/slt/**/*.slt` file runs as one test against a
//! fresh in-memory account, with expected results taken from Snowflake's documented behaviour.
//!
//! Conventions (see `tests/slt/README.md`):
//! - values render as Snowflake's default output formats (`engine::format::display_in_zone`,
//!   TIMESTAMP_LTZ in the session's TIMEZONE); SQL NULL is `NULL`, an empty string `(empty)`;
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
        Ok(output(result, self.session.state().time_zone()))
    }

    fn engine_name(&self) -> &str {
        "mockhaus"
    }
}

/// Every result is rows, DML and DDL included: Snowflake answers DML with its count columns
/// (`number of rows inserted`, MERGE's three counts) and DDL with a status row, and the corpus
/// checks those with `query` records.
fn output(result: QueryResult, zone: Option<&str>) -> DBOutput<DefaultColumnType> {
    let types = result
        .columns
        .iter()
        .map(|column| column_type(column.sf_type))
        .collect();
    let rows = result
        .rows
        .iter()
        .map(|row| row.iter().map(|cell| render(cell, zone)).collect())
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

fn render(cell: &Cell, zone: Option<&str>) -> String {
    match engine::format::display_in_zone(cell, zone) {
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

/// The corpus table `docs/compatibility.md` carries: one row per file with its record count.
fn corpus_table(root: &str) -> String {
    let mut rows: Vec<String> = glob(&format!("{root}/tests/slt/**/*.slt"))
        .expect("a valid glob")
        .filter_map(Result::ok)
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let records = text
                .lines()
                .filter(|l| l.starts_with("query") || l.starts_with("statement"))
                .count();
            let name = path
                .strip_prefix(format!("{root}/tests/slt/"))
                .unwrap_or(&path)
                .display()
                .to_string();
            format!("| `{name}` | {records} |")
        })
        .collect();
    rows.sort();
    let total: usize = rows
        .iter()
        .filter_map(|r| r.rsplit('|').nth(1)?.trim().parse::<usize>().ok())
        .sum();
    rows.push(format!("| **total** | {total} |"));
    rows.join("\n")
}

/// The function list `docs/compatibility.md` carries: the count and the names.
fn function_list() -> String {
    let names = engine::rewrite::functions::names();
    format!(
        "**{} function names** (aliases included) are emulated; every other name is 002140 \
         \"Unknown function\".\n\n{}\n",
        names.len(),
        names.join(", ")
    )
}

/// Fails when the block between `<!-- {marker}:start -->` and `<!-- {marker}:end -->` in
/// docs/compatibility.md differs from `content`; with `MOCKHAUS_UPDATE_DOCS=1` it rewrites
/// the block instead.
fn check_doc_block(marker: &str, content: &str) -> Result<(), String> {
    let root = package_root();
    let doc_path = format!("{root}/../docs/compatibility.md");
    let doc = std::fs::read_to_string(&doc_path).map_err(|e| format!("{doc_path}: {e}"))?;
    let (start, end) = (
        format!("<!-- {marker}:start -->"),
        format!("<!-- {marker}:end -->"),
    );
    let (Some(a), Some(b)) = (doc.find(&start), doc.find(&end)) else {
        return Err(format!("{doc_path} has no {start} ... {end} block"));
    };
    let wanted = format!("{start}\n{content}");
    if doc[a..b] == wanted {
        return Ok(());
    }
    if std::env::var("MOCKHAUS_UPDATE_DOCS").as_deref() == Ok("1") {
        let updated = format!("{}{wanted}{}", &doc[..a], &doc[b..]);
        return std::fs::write(&doc_path, updated).map_err(|e| e.to_string());
    }
    Err(format!(
        "{doc_path}'s {marker} block is stale; run the corpus with MOCKHAUS_UPDATE_DOCS=1 to rewrite it"
    ))
}

/// The engine package's directory, where cargo runs its tests. Not `CARGO_MANIFEST_DIR`:
/// a test binary cargo does not rebuild keeps the directory it was first built in, which
/// may be another checkout sharing the target directory (the clean-clone CI run).
fn package_root() -> &'static str {
    static ROOT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        std::env::current_dir()
            .expect("a current directory")
            .display()
            .to_string()
    })
}

fn main() {
    let root = package_root();
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
    let mut tests = tests;
    // One trial for both blocks: two trials would rewrite the same file concurrently.
    tests.push(Trial::test(
        "compatibility.md lists the corpus and the functions",
        move || {
            let header = "| corpus file | records |\n|---|---|";
            let table = format!("{header}\n{}\n", corpus_table(root));
            check_doc_block("corpus-table", &table).map_err(Failed::from)?;
            check_doc_block("function-list", &function_list()).map_err(Failed::from)
        },
    ));
    sqllogictest::harness::run(&Arguments::from_args(), tests).exit();
}
