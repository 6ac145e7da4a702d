//! SELECT (and anything else that returns rows): run on DuckDB, typed back into Snowflake's
//! type system column by column.

use sqlparser::ast::Statement;

use super::prepared::Prepared;
use super::QualifiedName;
use crate::binds;
use crate::convert::{cell_of, sf_type_of};
use crate::declared_types;
use crate::duckdb_errors;
use crate::error::{SfError, SfResult};
use crate::metadata::information_schema;
use crate::result::{Column, QueryResult, StatementKind};
use crate::rewrite::ColumnTypes;
use crate::session::Session;
use crate::stream::{Execution, RowCollector, RowsWent};
use crate::types::SfType;

pub fn select(
    session: &mut Session,
    statement: Statement,
    sql: &str,
    exec: &mut Execution<'_>,
) -> SfResult<QueryResult> {
    // INFORMATION_SCHEMA rows and GET_DDL texts are read when the statement is prepared:
    // never reuse them.
    let calls_get_ddl =
        crate::metadata::ddl::may_mention(sql) && crate::metadata::ddl::mentioned(&statement);
    let cacheable = !information_schema::referenced(&statement) && !calls_get_ddl;
    let prepared = prepare(session, statement, sql)?;
    if cacheable {
        session.remember(sql, prepared.clone());
    }
    super::run_prepared(session, &prepared, exec)
}

/// Checks a query against the catalog and rewrites it for DuckDB, without running it.
pub(super) fn prepare(
    session: &Session,
    mut statement: Statement,
    sql: &str,
) -> SfResult<Prepared> {
    if super::positional::may_hold(sql) {
        super::positional::resolve(session, &mut statement)?;
    }
    if crate::metadata::ddl::may_mention(sql) {
        crate::metadata::ddl::substitute(session, &mut statement)?;
    }
    information_schema::substitute(session, &mut statement)?;
    super::catalog::require_context_for_names(session, &statement, "SELECT")?;
    super::quoted_names::check(session, &statement)?;
    let tables = referenced_tables(session, &statement);
    let column_types = column_types(session, &tables, sql)?;
    let duckdb_sql = session.to_duckdb_sql_typed(statement, sql, &column_types)?;
    Ok(Prepared::Select { duckdb_sql, tables })
}

/// The column types of `tables`, for the rewrites that depend on an operand's type (read
/// only when the text divides, may call a date function or one that takes text or BINARY,
/// or in a session whose time zone is not UTC). A name two tables type differently is left
/// out.
fn column_types(session: &Session, tables: &[QualifiedName], sql: &str) -> SfResult<ColumnTypes> {
    let mut found = ColumnTypes::new();
    let lower = sql.to_ascii_lowercase();
    let typed_rewrite = [
        "/",
        "dateadd",
        "trunc",
        "timestampadd",
        "timeadd",
        "add_months",
        "avg",
        // A number or date given to LENGTH / SUBSTR / a hash or encoding is cast to text
        // (`text_arguments`).
        "len",
        "substr",
        "md5",
        "sha",
        "_encode",
        // A text column given to a date function is read as a timestamp (`wall_clock`).
        "date",
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "week",
        "quarter",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
        // Comparisons with TIMESTAMP_LTZ columns read text in the session's zone.
        || session
            .state
            .time_zone()
            .is_some_and(|zone| !crate::rewrite::session_zone::is_utc(zone));
    // VARIANT columns are coerced like VARIANT paths (`coercion` in the rewrite); the
    // per-account declarations cache knows them without a catalog read.
    let declared = declarations(session, tables)?;
    let semi_structured = |decl: &declared_types::TableDeclarations| {
        decl.iter()
            .filter(|(_, t)| t.is_semi_structured())
            .map(|(name, t)| (name.clone(), *t))
            .collect::<Vec<_>>()
    };
    let variant_columns: Vec<_> = declared.iter().flat_map(semi_structured).collect();
    if !typed_rewrite && (variant_columns.is_empty() || tables.len() == 1) {
        // One table: its column names are unambiguous.
        found.extend(variant_columns);
        return Ok(found);
    }
    let mut conflicting = Vec::new();
    for table in tables {
        let filter = crate::metadata::catalog::Filter::table(table);
        for column in crate::metadata::catalog::columns(session, &filter)? {
            match found.insert(column.name.clone(), column.sf_type) {
                Some(earlier) if earlier != column.sf_type => conflicting.push(column.name),
                _ => {}
            }
        }
    }
    for name in conflicting {
        found.remove(&name);
    }
    Ok(found)
}

/// The tables and views a statement names, resolved; names that do not resolve are left out.
fn referenced_tables(session: &Session, statement: &Statement) -> Vec<QualifiedName> {
    let mut tables = Vec::new();
    let _ = sqlparser::ast::visit_relations(statement, |name| {
        if let Ok(table) = QualifiedName::resolve(session, name, "SELECT") {
            tables.push(table);
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    tables
}

/// Runs DuckDB SQL and converts every row; the declared column types of `tables` may make
/// the result's types more precise (see `declared_types.rs`). A stream whose sink takes
/// columnar batches gets DuckDB's Arrow batches instead, with no per-value work.
pub(crate) fn run_query(
    session: &Session,
    duckdb_sql: &str,
    kind: StatementKind,
    tables: &[QualifiedName],
    exec: &mut Execution<'_>,
) -> SfResult<QueryResult> {
    let translate = |e: duckdb::Error| duckdb_errors::translate(&e);
    let mut stmt = session.conn.prepare(duckdb_sql).map_err(translate)?;
    let values = match exec.binds {
        [] => binds::parameters(&[], stmt.parameter_count())?,
        [row] => binds::parameters(row, stmt.parameter_count())?,
        _ => return Err(SfError::unsupported("array binding of a query")),
    };
    // Read before the execution: no other statement may run on the connection while a
    // streaming result is open.
    let declared = declarations(session, tables)?;
    // A streaming execution: DuckDB produces the result chunk by chunk as it is read, rather
    // than materialising it first. (The iterator `stream_arrow` returns panics on a fetch
    // error, so batches are read with `step` and rows with `Rows`, which report errors.)
    drop(
        stmt.stream_arrow(duckdb::params_from_iter(values))
            .map_err(translate)?,
    );
    if let Some(streaming) = exec.streaming.as_mut() {
        if streaming.sink.wants_columnar() {
            let columns = typed_columns(&stmt, &declared)?;
            if streaming.sink.accepts(&columns, &stmt.schema()) {
                let mut copy = BatchCopy::new(exec.copy_rows);
                while let Some(array) = stmt.step().map_err(translate)? {
                    let batch = duckdb::arrow::record_batch::RecordBatch::from(&array);
                    copy.add(&batch);
                    streaming.sink.columnar_batch(&columns, batch)?;
                }
                exec.rows_went = copy.finish();
                return Ok(QueryResult {
                    kind,
                    columns,
                    rows: Vec::new(),
                });
            }
            // Not taken: the same open result is read row by row below.
        }
    }
    let columns = typed_columns(&stmt, &declared)?;
    let mut rows = stmt.raw_query();
    let mut collector = RowCollector::new(exec.streaming.as_mut());
    while let Some(row) = rows.next().map_err(translate)? {
        let cells = columns
            .iter()
            .enumerate()
            .map(|(i, column)| Ok(cell_of(row.get_ref(i).map_err(translate)?, column.sf_type)))
            .collect::<SfResult<Vec<_>>>()?;
        collector.push(&columns, cells)?;
    }
    let streamed = collector.streamed();
    let rows = collector.finish(&columns)?;
    if streamed {
        exec.rows_went = RowsWent::Streamed;
    }
    Ok(QueryResult {
        kind,
        columns,
        rows,
    })
}

/// A copy of the Arrow batches a query hands its sink, while they hold few enough rows to
/// keep for RESULT_SCAN (the batches share their buffers: copying costs no row data).
struct BatchCopy {
    batches: Option<Vec<duckdb::arrow::record_batch::RecordBatch>>,
    rows: usize,
}

impl BatchCopy {
    fn new(wanted: bool) -> Self {
        Self {
            batches: wanted.then(Vec::new),
            rows: 0,
        }
    }

    fn add(&mut self, batch: &duckdb::arrow::record_batch::RecordBatch) {
        self.rows += batch.num_rows();
        if self.rows > crate::recent_results::MAX_ROWS {
            self.batches = None;
        }
        if let Some(batches) = &mut self.batches {
            batches.push(batch.clone());
        }
    }

    fn finish(self) -> RowsWent {
        self.batches.map_or(RowsWent::Streamed, RowsWent::Columnar)
    }
}

/// The declared column types of `tables` (see `declared_types.rs`); cached per account.
fn declarations(
    session: &Session,
    tables: &[QualifiedName],
) -> SfResult<Vec<declared_types::TableDeclarations>> {
    tables
        .iter()
        .map(|table| session.shared.declared.of_table(session, table))
        .collect()
}

/// The Snowflake columns of an executed statement, refined by `declared`.
fn typed_columns(
    executed: &duckdb::Statement<'_>,
    declared: &[declared_types::TableDeclarations],
) -> SfResult<Vec<Column>> {
    let translate = |e: duckdb::Error| duckdb_errors::translate(&e);
    let mut columns = (0..executed.column_count())
        .map(|i| {
            let name = executed.column_name(i).map_err(translate)?.clone();
            Ok(Column::new(
                name,
                sf_type_of(&executed.column_logical_type(i)),
            ))
        })
        .collect::<SfResult<Vec<Column>>>()?;
    if !declared.is_empty() && columns.iter().any(|c| refinable(c.sf_type)) {
        declared_types::refine(&mut columns, declared);
    }
    Ok(columns)
}

/// Result types a declaration can make more precise.
fn refinable(sf_type: SfType) -> bool {
    matches!(
        sf_type,
        SfType::Text { .. } | SfType::Variant | SfType::TimestampLtz | SfType::Binary { .. }
    )
}
