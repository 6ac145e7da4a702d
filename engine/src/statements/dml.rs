//! INSERT, UPDATE, DELETE: run on DuckDB, answered with Snowflake's count columns.

use sqlparser::ast::Statement;

use super::batch_insert;
use super::prepared::Prepared;
use crate::binds::{self, BindRow};
use crate::duckdb_errors;
use crate::error::SfResult;
use crate::result::{Cell, QueryResult, StatementKind};
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

/// INSERT OVERWRITE: the table's rows are replaced by the inserted ones, atomically (a DELETE
/// and the INSERT in one transaction). Not cached: the prepared form is the plain INSERT.
pub fn insert_overwrite(
    session: &mut Session,
    mut statement: Statement,
    sql: &str,
    exec: &mut Execution<'_>,
) -> SfResult<QueryResult> {
    let Statement::Insert(insert) = &mut statement else {
        unreachable!("dispatched on INSERT OVERWRITE")
    };
    insert.overwrite = false;
    let sqlparser::ast::TableObject::TableName(name) = &insert.table else {
        return Err(crate::error::SfError::unsupported(
            "INSERT OVERWRITE INTO a table function",
        ));
    };
    let table = super::QualifiedName::resolve(session, name, "INSERT")?;
    let prepared = prepare(session, statement, sql, StatementKind::Insert)?;
    let Prepared::Dml {
        duckdb_sql, kind, ..
    } = &prepared
    else {
        unreachable!("dml::prepare prepares DML")
    };
    let replace = || -> SfResult<i64> {
        session.run_internal(&format!("DELETE FROM {}", table.duckdb()))?;
        execute_rows(session, duckdb_sql, &[Vec::new()])
    };
    let changed = if !exec.binds.is_empty() {
        return Err(crate::error::SfError::unsupported(
            "bind variables in INSERT OVERWRITE",
        ));
    } else if session.state.in_transaction {
        replace()?
    } else {
        all_or_nothing(session, replace)?
    };
    session.record_change(Some(&table));
    Ok(counts(*kind, changed))
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
    let target = crate::metadata::last_altered::dml_target(session, &statement);
    super::quoted_names::check(session, &statement)?;
    super::offsets::normalize_insert(session, &mut statement)?;
    let duckdb_sql = session.to_duckdb_sql(statement, sql)?;
    Ok(Prepared::Dml {
        duckdb_sql,
        kind,
        target,
    })
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

/// Runs a rewritten statement without bind values; the rows it changed.
pub(super) fn execute_plain(session: &Session, duckdb_sql: &str) -> SfResult<i64> {
    execute_rows(session, duckdb_sql, &[Vec::new()])
}

/// Runs the statement for each row of values, prepared once; an INSERT of one VALUES row runs
/// for blocks of rows instead (see `batch_insert.rs`). The number of rows changed.
fn execute_rows(session: &Session, duckdb_sql: &str, rows: &[BindRow]) -> SfResult<i64> {
    let mut stmt = prepare_duckdb(session, duckdb_sql)?;
    let needed = stmt.parameter_count();
    if rows.len() > 1 && needed > 0 {
        let block = batch_insert::block_rows(needed).min(rows.len());
        if let Some(block_sql) = batch_insert::repeated(duckdb_sql, needed, block) {
            return execute_blocks(session, duckdb_sql, &block_sql, block, needed, rows);
        }
    }
    rows.iter()
        .map(|row| execute_once(&mut stmt, row, needed))
        .sum()
}

/// Runs full blocks of rows with `block_sql`, then the remaining rows as one smaller block.
fn execute_blocks(
    session: &Session,
    row_sql: &str,
    block_sql: &str,
    block: usize,
    needed: usize,
    rows: &[BindRow],
) -> SfResult<i64> {
    let mut stmt = prepare_duckdb(session, block_sql)?;
    let mut blocks = rows.chunks_exact(block);
    let mut changed = 0;
    for chunk in blocks.by_ref() {
        changed += execute_once(&mut stmt, &chunk.concat(), needed * block)?;
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let rest_sql = batch_insert::repeated(row_sql, needed, rest.len())
            .expect("a statement that repeats for a block repeats for fewer rows");
        let mut rest_stmt = prepare_duckdb(session, &rest_sql)?;
        changed += execute_once(&mut rest_stmt, &rest.concat(), needed * rest.len())?;
    }
    Ok(changed)
}

fn prepare_duckdb<'s>(session: &'s Session, duckdb_sql: &str) -> SfResult<duckdb::Statement<'s>> {
    session
        .conn
        .prepare(duckdb_sql)
        .map_err(|e| duckdb_errors::translate(&e))
}

fn execute_once(stmt: &mut duckdb::Statement<'_>, values: &[Cell], needed: usize) -> SfResult<i64> {
    let values = binds::parameters(values, needed)?;
    let changed = stmt
        .execute(duckdb::params_from_iter(values))
        .map_err(|e| duckdb_errors::translate(&e))?;
    Ok(changed as i64)
}

/// Runs `work` in a transaction of its own: an array-bound statement changes all its rows or
/// none, as in Snowflake.
pub(crate) fn all_or_nothing<T>(
    session: &Session,
    work: impl FnOnce() -> SfResult<T>,
) -> SfResult<T> {
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
