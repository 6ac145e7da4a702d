//! `COPY INTO <table>` from an internal stage: each staged CSV or Parquet file is read by
//! DuckDB's own reader and inserted with one `INSERT ... SELECT`, so a file never passes
//! through Mockhaus row by row. Every file of one COPY loads in one transaction: with
//! ON_ERROR = ABORT_STATEMENT (the default) a bad file loads nothing at all.
//!
//! Files already loaded into the table are skipped unless FORCE = TRUE, as Snowflake's load
//! metadata skips them; PURGE = TRUE removes the loaded files afterwards.

use regex::Regex;

use super::file_format::{FileFormat, FormatType};
use super::files::{self, StagedFile};
use super::parse::{object_name, CopyInto, OptionValue, Options};
use super::{LoadedFile, ResolvedStage, TableIdentity};
use crate::error::{SfError, SfResult};
use crate::metadata::catalog::Filter;
use crate::result::{Cell, Column, QueryResult, StatementKind};
use crate::rewrite::idents::{normalize, quote};
use crate::session::Session;
use crate::statements::QualifiedName;
use crate::types::SfType;

pub(super) fn run(session: &mut Session, copy: &CopyInto) -> SfResult<QueryResult> {
    let table = QualifiedName::resolve(session, &copy.table, "copy into a table")?;
    let identity = table_identity(session, &table)?
        .ok_or_else(|| SfError::table_not_found("Table", &table.display()))?;
    let stage = super::resolve(session, &copy.stage, "copy into a table")?;
    let settings = CopySettings::from_options(&copy.options)?;
    let statement_format = super::expand_format_name(session, &settings.file_format)?;
    let format = FileFormat::from_layers(&stage.file_format, &statement_format)?;
    let table_columns = columns_of(session, &table)?;
    let targets = target_columns(copy, &table_columns)?;
    let files = files_to_load(session, &stage, &settings, &identity)?;
    if files.is_empty() {
        return Ok(QueryResult::status(
            StatementKind::Other,
            "Copy executed with 0 files processed.",
        ));
    }
    let plan = Plan {
        table: &table,
        targets: &targets,
        items: copy.items.as_deref(),
        format: &format,
        settings: &settings,
    };
    crate::statements::transactions::implicit_begin(session)?;
    let outcomes = if session.state.in_transaction {
        load_all(session, &plan, &files)?
    } else {
        crate::statements::dml::all_or_nothing(session, || load_all(session, &plan, &files))?
    };
    after_load(session, &identity, &settings, &files, &outcomes)?;
    Ok(result(&stage, &files, &outcomes, &settings))
}

/// COPY's own options, and the FILE_FORMAT options it names.
struct CopySettings {
    file_format: Options,
    files: Option<Vec<String>>,
    pattern: Option<String>,
    on_error: OnError,
    purge: bool,
    force: bool,
    match_by_name: MatchByName,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum OnError {
    AbortStatement,
    SkipFile,
    /// CONTINUE and SKIP_FILE_<n>: both load a file's good rows, which Mockhaus cannot pick
    /// out; a file with a bad row fails the statement instead.
    RowLevel,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum MatchByName {
    None,
    CaseSensitive,
    CaseInsensitive,
}

impl CopySettings {
    fn from_options(options: &Options) -> SfResult<CopySettings> {
        let mut settings = CopySettings {
            file_format: Vec::new(),
            files: None,
            pattern: None,
            on_error: OnError::AbortStatement,
            purge: false,
            force: false,
            match_by_name: MatchByName::None,
        };
        for (option, value) in options {
            let text = value.text().map(|t| t.to_uppercase());
            match (option.as_str(), value) {
                ("FILE_FORMAT", OptionValue::Nested(nested)) => {
                    settings.file_format = nested.clone()
                }
                ("FILES", OptionValue::List(names)) => {
                    settings.files = Some(names.iter().filter_map(OptionValue::text).collect())
                }
                ("PATTERN", _) => settings.pattern = value.text(),
                ("ON_ERROR", _) => settings.on_error = on_error(text.as_deref())?,
                ("PURGE", _) => settings.purge = text.as_deref() == Some("TRUE"),
                ("FORCE", _) => settings.force = text.as_deref() == Some("TRUE"),
                ("MATCH_BY_COLUMN_NAME", _) => {
                    settings.match_by_name = match text.as_deref() {
                        Some("CASE_SENSITIVE") => MatchByName::CaseSensitive,
                        Some("CASE_INSENSITIVE") => MatchByName::CaseInsensitive,
                        Some("NONE") => MatchByName::None,
                        _ => return Err(super::file_format::unknown_option(option)),
                    }
                }
                ("VALIDATION_MODE", _) => {
                    return Err(SfError::unsupported("COPY INTO ... VALIDATION_MODE"))
                }
                ("TRUNCATECOLUMNS", _) | ("ENFORCE_LENGTH", _)
                    if text.as_deref() == Some(default_of(option)) => {}
                ("RETURN_FAILED_ONLY" | "LOAD_UNCERTAIN_FILES", _)
                    if text.as_deref() == Some("FALSE") => {}
                _ => return Err(super::file_format::unknown_option(option)),
            }
        }
        Ok(settings)
    }

    /// The error limit COPY reports per file.
    fn error_limit(&self, rows: i64) -> i64 {
        match self.on_error {
            OnError::RowLevel => rows.max(1),
            _ => 1,
        }
    }
}

fn default_of(option: &str) -> &'static str {
    if option == "ENFORCE_LENGTH" {
        "TRUE"
    } else {
        "FALSE"
    }
}

fn on_error(value: Option<&str>) -> SfResult<OnError> {
    match value {
        Some("ABORT_STATEMENT") => Ok(OnError::AbortStatement),
        Some("SKIP_FILE") => Ok(OnError::SkipFile),
        Some("CONTINUE") => Ok(OnError::RowLevel),
        Some(v) if v.starts_with("SKIP_FILE_") => Ok(OnError::RowLevel),
        _ => Err(SfError::new(
            "001003",
            "42000",
            "SQL compilation error:\ninvalid value for ON_ERROR",
        )),
    }
}

/// The table's columns in order: name and the DuckDB type that stores it.
fn columns_of(session: &Session, table: &QualifiedName) -> SfResult<Vec<(String, String)>> {
    let columns = crate::metadata::catalog::columns(session, &Filter::table(table))?;
    Ok(columns
        .into_iter()
        .map(|column| (column.name, column.sf_type.duckdb_type()))
        .collect())
}

/// The columns COPY fills, with their DuckDB types: those listed, or every column.
fn target_columns(
    copy: &CopyInto,
    table_columns: &[(String, String)],
) -> SfResult<Vec<(String, String)>> {
    let Some(listed) = &copy.columns else {
        return Ok(table_columns.to_vec());
    };
    listed
        .iter()
        .map(|written| {
            let name = object_name(written)?;
            let ident = name.0[0]
                .as_ident()
                .ok_or_else(|| SfError::syntax(format!("invalid column '{written}'")))?;
            let name = normalize(ident);
            table_columns
                .iter()
                .find(|(column, _)| *column == name)
                .cloned()
                .ok_or_else(|| SfError::invalid_identifier(&quote(&name)))
        })
        .collect()
}

/// The table as load history knows it (`None` when there is no such table, a view included):
/// its name and DuckDB's oid, new when the table is created again (CREATE OR REPLACE, DROP
/// and CREATE).
fn table_identity(session: &Session, table: &QualifiedName) -> SfResult<Option<TableIdentity>> {
    let rows = session.catalog_rows(
        "SELECT table_oid::VARCHAR FROM duckdb_tables() \
         WHERE database_name = ? AND schema_name = ? AND table_name = ?",
        &[&table.database, &table.schema, &table.name],
        1,
    )?;
    Ok(rows.into_iter().next().map(|mut row| TableIdentity {
        name: table.clone(),
        oid: row.remove(0),
    }))
}

fn files_to_load(
    session: &Session,
    stage: &ResolvedStage,
    settings: &CopySettings,
    table: &TableIdentity,
) -> SfResult<Vec<StagedFile>> {
    let mut found = files::matching(&stage.dir, &stage.prefix, settings.pattern.as_deref())?;
    if let Some(names) = &settings.files {
        found.retain(|f| {
            names
                .iter()
                .any(|n| f.relative == *n || f.relative == format!("{}{n}", stage.prefix))
        });
    }
    if !settings.force {
        let loaded = session.shared.stages.loaded.lock();
        found.retain(|f| !loaded.contains(&loaded_key(table, f)));
    }
    Ok(found)
}

fn loaded_key(table: &TableIdentity, file: &StagedFile) -> LoadedFile {
    LoadedFile {
        table: table.clone(),
        path: file.absolute.clone(),
        size: file.size,
        modified: file.modified,
    }
}

struct Plan<'a> {
    table: &'a QualifiedName,
    targets: &'a [(String, String)],
    items: Option<&'a [String]>,
    format: &'a FileFormat,
    settings: &'a CopySettings,
}

/// How one file went: rows loaded, or the error that made COPY skip it.
enum Outcome {
    Loaded(i64),
    Skipped(SfError),
}

fn load_all(session: &Session, plan: &Plan, files: &[StagedFile]) -> SfResult<Vec<Outcome>> {
    files
        .iter()
        .map(|file| load_one(session, plan, file))
        .collect()
}

fn load_one(session: &Session, plan: &Plan, file: &StagedFile) -> SfResult<Outcome> {
    let reader = plan.format.reader(&file.absolute);
    let file_columns: Vec<String> = super::file_format::described_columns(session, &reader)?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let expressions = select_list(plan, &file_columns)?;
    if plan.settings.on_error != OnError::AbortStatement {
        if let Err(err) = validate(session, plan, &expressions, &reader) {
            return match plan.settings.on_error {
                OnError::SkipFile => Ok(Outcome::Skipped(err)),
                _ => Err(SfError::unsupported(format!(
                    "ON_ERROR = CONTINUE or SKIP_FILE_<n> for a file with rows that fail to \
                     load ({}: {})",
                    file.relative, err.message
                ))),
            };
        }
    }
    let columns: Vec<String> = plan.targets.iter().map(|(name, _)| quote(name)).collect();
    let sql = format!(
        "INSERT INTO {} ({}) SELECT {} FROM {reader}",
        plan.table.duckdb(),
        columns.join(", "),
        expressions.join(", ")
    );
    let loaded = session
        .conn
        .execute(&sql, [])
        .map_err(|e| crate::duckdb_errors::translate(&e))?;
    Ok(Outcome::Loaded(loaded as i64))
}

/// Converts every row of the file to the columns' types on a connection of its own (a
/// failure there leaves the session's transaction open), so a bad file can be skipped.
fn validate(session: &Session, plan: &Plan, expressions: &[String], reader: &str) -> SfResult<()> {
    // count(each cast), not count(*): DuckDB drops projections nothing reads, casts included.
    let counts: Vec<String> = expressions
        .iter()
        .zip(plan.targets)
        .map(|(expression, (_, ty))| format!("count(CAST({expression} AS {ty}))"))
        .collect();
    let sql = format!("SELECT {} FROM {reader}", counts.join(", "));
    let scratch = session
        .conn
        .try_clone()
        .map_err(|e| crate::duckdb_errors::translate(&e))?;
    scratch
        .query_row(&sql, [], |_| Ok(()))
        .map_err(|e| crate::duckdb_errors::translate(&e))
}

/// One DuckDB expression per target column, over the reader's columns.
fn select_list(plan: &Plan, file_columns: &[String]) -> SfResult<Vec<String>> {
    match plan.items {
        Some(items) => {
            if items.len() != plan.targets.len() {
                return Err(column_count_mismatch(plan.targets.len(), items.len()));
            }
            items
                .iter()
                .map(|item| transformation(item, plan.format, file_columns))
                .collect()
        }
        None => plain_columns(plan, file_columns),
    }
}

/// COPY without a transformation: CSV fields by position, Parquet columns by name.
fn plain_columns(plan: &Plan, file_columns: &[String]) -> SfResult<Vec<String>> {
    let wanted = plan.targets.len();
    match (&plan.format.kind, plan.settings.match_by_name) {
        (FormatType::Csv, MatchByName::None) => {
            if plan.format.error_on_column_count_mismatch && file_columns.len() != wanted {
                return Err(SfError::new(
                    "100080",
                    "22000",
                    format!(
                        "Number of columns in file ({}) does not match that of the corresponding \
                         table ({wanted}), use file format option error_on_column_count_mismatch=false \
                         to ignore this error",
                        file_columns.len()
                    ),
                ));
            }
            Ok((0..wanted)
                .map(|i| match file_columns.get(i) {
                    Some(column) => quote(column),
                    None => "NULL".to_string(),
                })
                .collect())
        }
        (FormatType::Csv, _) => Err(SfError::unsupported(
            "MATCH_BY_COLUMN_NAME for CSV files (it needs PARSE_HEADER)",
        )),
        (FormatType::Parquet, MatchByName::None) => Err(SfError::new(
            "002019",
            "0A000",
            "SQL compilation error:\nPARQUET file format can produce one and only one column of \
             type variant, object, or array. Load data into separate columns using the \
             MATCH_BY_COLUMN_NAME copy option or copy with transformation.",
        )),
        (FormatType::Parquet, matching) => Ok(plan
            .targets
            .iter()
            .map(|(target, _)| {
                file_columns
                    .iter()
                    .find(|c| match matching {
                        MatchByName::CaseSensitive => *c == target,
                        _ => c.eq_ignore_ascii_case(target),
                    })
                    .map_or_else(|| "NULL".to_string(), |c| quote(c))
            })
            .collect()),
    }
}

/// One item of `FROM (SELECT ...)`: `[alias.]$n[:element][::type] [[AS] name]`.
fn transformation(item: &str, format: &FileFormat, file_columns: &[String]) -> SfResult<String> {
    let unsupported = || {
        SfError::unsupported(format!(
            "the COPY transformation '{item}' (only $n, $1:<field> and ::<type> casts)"
        ))
    };
    let captures = item_pattern()
        .captures(item.trim())
        .ok_or_else(unsupported)?;
    let position: usize = captures[1].parse().map_err(|_| unsupported())?;
    let element = captures.get(2).map(|m| unquote(m.as_str()));
    let source = match (&format.kind, element) {
        (FormatType::Csv, None) => match file_columns.get(position.wrapping_sub(1)) {
            Some(column) => quote(column),
            None => "NULL".to_string(),
        },
        (FormatType::Parquet, Some(field)) if position == 1 => file_columns
            .iter()
            .find(|c| **c == field)
            .map_or_else(|| "NULL".to_string(), |c| quote(c)),
        _ => return Err(unsupported()),
    };
    match captures.get(3) {
        Some(cast) => {
            let ty = SfType::parse(cast.as_str().trim())?;
            Ok(format!("CAST({source} AS {})", ty.duckdb_type()))
        }
        None => Ok(source),
    }
}

fn item_pattern() -> &'static Regex {
    static PATTERN: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        let ident = r#"(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)"#;
        Regex::new(&format!(
            r"(?is)^(?:{ident}\.)?\$([0-9]+)(?::({ident}))?(?:\s*::\s*(.+?))?(?:\s+(?:AS\s+)?{ident})?$"
        ))
        .expect("a valid pattern")
    })
}

fn unquote(written: &str) -> String {
    match written.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => written.to_string(),
    }
}

fn column_count_mismatch(expected: usize, got: usize) -> SfError {
    SfError::new(
        "002020",
        "21S01",
        format!(
            "SQL compilation error:\nInsert value list does not match column list expecting {expected} but got {got}"
        ),
    )
}

/// Once the files are in: remember them as loaded, purge them if asked, and note the change.
fn after_load(
    session: &Session,
    identity: &TableIdentity,
    settings: &CopySettings,
    files: &[StagedFile],
    outcomes: &[Outcome],
) -> SfResult<()> {
    let loaded: Vec<&StagedFile> = files
        .iter()
        .zip(outcomes)
        .filter(|(_, outcome)| matches!(outcome, Outcome::Loaded(_)))
        .map(|(file, _)| file)
        .collect();
    {
        let mut history = session.shared.stages.loaded.lock();
        history.extend(loaded.iter().map(|file| loaded_key(identity, file)));
    }
    if settings.purge {
        for file in &loaded {
            files::remove(file)?;
        }
    }
    session.record_change(Some(&identity.name));
    Ok(())
}

/// Snowflake's COPY result: one row per file.
fn result(
    stage: &ResolvedStage,
    files: &[StagedFile],
    outcomes: &[Outcome],
    settings: &CopySettings,
) -> QueryResult {
    let number = |n: i64| Cell::Decimal {
        value: n as i128,
        scale: 0,
    };
    let rows = files
        .iter()
        .zip(outcomes)
        .map(|(file, outcome)| {
            let name = Cell::Text(format!("{}{}", stage.listed_prefix, file.relative));
            match outcome {
                Outcome::Loaded(rows) => vec![
                    name,
                    Cell::Text("LOADED".into()),
                    number(*rows),
                    number(*rows),
                    number(settings.error_limit(*rows)),
                    number(0),
                    Cell::Null,
                    Cell::Null,
                    Cell::Null,
                    Cell::Null,
                ],
                Outcome::Skipped(err) => vec![
                    name,
                    Cell::Text("LOAD_FAILED".into()),
                    number(0),
                    number(0),
                    number(1),
                    number(1),
                    Cell::Text(err.message.clone()),
                    Cell::Null,
                    Cell::Null,
                    Cell::Null,
                ],
            }
        })
        .collect();
    let text = |name: &str| Column::new(name, SfType::TEXT);
    let integer = |name: &str| Column::new(name, SfType::INTEGER);
    QueryResult {
        kind: StatementKind::Other,
        columns: vec![
            text("file"),
            text("status"),
            integer("rows_parsed"),
            integer("rows_loaded"),
            integer("error_limit"),
            integer("errors_seen"),
            text("first_error"),
            integer("first_error_line"),
            integer("first_error_character"),
            text("first_error_column_name"),
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parquet() -> FileFormat {
        FileFormat {
            kind: FormatType::Parquet,
            ..FileFormat::default()
        }
    }

    #[test]
    fn transformations_map_onto_file_columns() {
        let columns = vec!["a".to_string(), "B c".to_string()];
        assert_eq!(
            transformation("$1:\"a\"", &parquet(), &columns).unwrap(),
            "\"a\""
        );
        assert_eq!(
            transformation("$1:\"B c\"::NUMBER(38, 0)", &parquet(), &columns).unwrap(),
            "CAST(\"B c\" AS DECIMAL(38,0))"
        );
        assert_eq!(
            transformation("$1:missing", &parquet(), &columns).unwrap(),
            "NULL"
        );
        let csv = FileFormat::default();
        let fields = vec!["column0".to_string(), "column1".to_string()];
        assert_eq!(
            transformation("t.$2::DATE AS d", &csv, &fields).unwrap(),
            "CAST(\"column1\" AS DATE)"
        );
        assert_eq!(
            transformation("upper($1)", &csv, &fields).unwrap_err().code,
            "000002"
        );
    }
}
