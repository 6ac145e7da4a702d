//! Describing a statement without running it (the wire protocol's `describeOnly`): the columns
//! its result would have and how many bind variables it takes. Nothing is executed and nothing
//! changes; a query is planned by DuckDB with no rows allowed out.

use sqlparser::ast::Statement;

use super::prepared::Prepared;
use super::{dml, query};
use crate::duckdb_errors;
use crate::error::SfResult;
use crate::result::{Column, QueryResult, StatementKind};
use crate::session::Session;
use crate::stream::Execution;

/// What a statement would return, and what it needs bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Description {
    pub kind: StatementKind,
    pub columns: Vec<Column>,
    pub bind_count: usize,
}

pub(crate) fn describe(
    session: &Session,
    statement: Statement,
    sql: &str,
) -> SfResult<Description> {
    let kind = kind_of(&statement);
    match statement {
        Statement::Query(_) => describe_query(session, query::prepare(session, statement, sql)?),
        Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_) => {
            let Prepared::Dml { duckdb_sql, .. } = dml::prepare(session, statement, sql, kind)?
            else {
                unreachable!("dml::prepare prepares DML");
            };
            Ok(Description {
                kind,
                columns: dml::counts(kind, 0).columns,
                bind_count: bind_count(session, &duckdb_sql)?,
            })
        }
        _ => Ok(Description {
            kind,
            columns: QueryResult::status(kind, "").columns,
            bind_count: 0,
        }),
    }
}

/// A query's columns come from running it with every bind variable NULL and no rows let
/// out, which DuckDB answers from the plan.
fn describe_query(session: &Session, prepared: Prepared) -> SfResult<Description> {
    let Prepared::Select { duckdb_sql, tables } = prepared else {
        unreachable!("query::prepare prepares queries");
    };
    let bind_count = bind_count(session, &duckdb_sql)?;
    let planned_only = format!("SELECT * FROM ({duckdb_sql}) LIMIT 0");
    let nulls = [vec![crate::result::Cell::Null; bind_count]];
    let result = query::run_query(
        session,
        &planned_only,
        StatementKind::Select,
        &tables,
        &mut Execution::bound(&nulls),
    )?;
    Ok(Description {
        kind: StatementKind::Select,
        columns: result.columns,
        bind_count,
    })
}

fn bind_count(session: &Session, duckdb_sql: &str) -> SfResult<usize> {
    let stmt = session
        .conn
        .prepare(duckdb_sql)
        .map_err(|e| duckdb_errors::translate(&e))?;
    Ok(stmt.parameter_count())
}

/// The statement type a statement would report, from its syntax alone.
fn kind_of(statement: &Statement) -> StatementKind {
    match statement {
        Statement::Query(_) => StatementKind::Select,
        Statement::Insert(_) => StatementKind::Insert,
        Statement::Update(_) => StatementKind::Update,
        Statement::Delete(_) => StatementKind::Delete,
        Statement::Merge { .. } => StatementKind::Merge,
        Statement::Use(_) => StatementKind::Use,
        Statement::AlterSession { .. } => StatementKind::AlterSession,
        Statement::StartTransaction { .. }
        | Statement::Commit { .. }
        | Statement::Rollback { .. } => StatementKind::Transaction,
        _ => StatementKind::Ddl,
    }
}
