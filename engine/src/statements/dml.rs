//! INSERT, UPDATE, DELETE: run on DuckDB, answered with Snowflake's count columns.

use sqlparser::ast::Statement;

use super::prepared::Prepared;
use crate::binds::{self, BindRow};
use crate::duckdb_errors;
use crate::error::SfResult;
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;
use crate::stream::Execution;

pub fn run(
    session: &mut Session,
    statement: Statement,
    sql: &str,
    kind: StatementKind,
    exec: &mut Execution<'_>,
) -> SfResult<QueryResult> {
    let prepared = prepare(session, statement, sql, kind)?;
    session.remember(sql, prepared.clone());
    super::run_prepared(session, &prepared, exec)
}

/// Checks a DML statement against the catalog and rewrites it for DuckDB, without running it.
pub(super) fn prepare(
    session: &Session,
    mut statement: Statement,
    sql: &str,
    kind: StatementKind,
) -> SfResult<Prepared> {
    let action = format!("{kind:?}").to_uppercase();
    super::catalog::require_context_for_names(session, &statement, &action)?;
    super::quoted_names::check(session, &statement)?;
    super::offsets::normalize_insert(session, &mut statement)?;
    let duckdb_sql = session.to_duckdb_sql(statement, sql)?;
    Ok(Prepared::Dml { duckdb_sql, kind })
}

/// Runs a rewritten DML statement and reports Snowflake's count columns.
pub(crate) fn run_rewritten(
    session: &Session,
    duckdb_sql: &str,
    kind: StatementKind,
    binds: &[BindRow],
) -> SfResult<QueryResult> {
    let changed = match binds {
        [] => execute_rows(session, duckdb_sql, &[Vec::new()])?,
        [_] => execute_rows(session, duckdb_sql, binds)?,
        _ if session.state.in_transaction => execute_rows(session, duckdb_sql, binds)?,
        _ => all_or_nothing(session, || execute_rows(session, duckdb_sql, binds))?,
    };
    Ok(counts(kind, changed))
}

/// Snowflake's count columns for a DML statement that changed `changed` rows.
pub(crate) fn counts(kind: StatementKind, changed: i64) -> QueryResult {
    match kind {
        StatementKind::Insert => QueryResult::counts(kind, &[("number of rows inserted", changed)]),
        StatementKind::Update => QueryResult::counts(
            kind,
            &[
                ("number of rows updated", changed),
                ("number of multi-joined rows updated", 0),
            ],
        ),
        _ => QueryResult::counts(kind, &[("number of rows deleted", changed)]),
    }
}

/// Prepares the statement once and runs it for each row of values; the number of rows changed.
fn execute_rows(session: &Session, duckdb_sql: &str, rows: &[BindRow]) -> SfResult<i64> {
    let translate = |e: duckdb::Error| duckdb_errors::translate(&e);
    let mut stmt = session.conn.prepare(duckdb_sql).map_err(translate)?;
    let needed = stmt.parameter_count();
    let mut changed = 0;
    for row in rows {
        let values = binds::parameters(row, needed)?;
        changed += stmt
            .execute(duckdb::params_from_iter(values))
            .map_err(translate)? as i64;
    }
    Ok(changed)
}

/// Runs `work` in a transaction of its own: an array-bound statement changes all its rows or
/// none, as in Snowflake.
fn all_or_nothing(session: &Session, work: impl FnOnce() -> SfResult<i64>) -> SfResult<i64> {
    session.run_internal("BEGIN TRANSACTION")?;
    match work() {
        Ok(changed) => {
            session.run_internal("COMMIT")?;
            Ok(changed)
        }
        Err(err) => {
            let _ = session.run_internal("ROLLBACK");
            Err(err)
        }
    }
}
