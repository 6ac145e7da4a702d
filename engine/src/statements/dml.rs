//! INSERT, UPDATE, DELETE: run on DuckDB, answered with Snowflake's count columns.

use sqlparser::ast::Statement;

use super::prepared::Prepared;
use crate::duckdb_errors;
use crate::error::SfResult;
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

pub fn run(
    session: &mut Session,
    mut statement: Statement,
    sql: &str,
    kind: StatementKind,
) -> SfResult<QueryResult> {
    let action = format!("{kind:?}").to_uppercase();
    super::catalog::require_context_for_names(session, &statement, &action)?;
    super::quoted_names::check(session, &statement)?;
    super::offsets::normalize_insert(session, &mut statement)?;
    let duckdb_sql = session.to_duckdb_sql(statement, sql)?;
    let prepared = Prepared::Dml { duckdb_sql, kind };
    session.remember(sql, prepared.clone());
    super::run_prepared(session, &prepared)
}

/// Runs a rewritten DML statement and reports Snowflake's count columns.
pub(crate) fn run_rewritten(
    session: &Session,
    duckdb_sql: &str,
    kind: StatementKind,
) -> SfResult<QueryResult> {
    let changed = session
        .conn
        .execute(duckdb_sql, [])
        .map_err(|e| duckdb_errors::translate(&e))? as i64;
    Ok(match kind {
        StatementKind::Insert => QueryResult::counts(kind, &[("number of rows inserted", changed)]),
        StatementKind::Update => QueryResult::counts(
            kind,
            &[
                ("number of rows updated", changed),
                ("number of multi-joined rows updated", 0),
            ],
        ),
        _ => QueryResult::counts(kind, &[("number of rows deleted", changed)]),
    })
}
