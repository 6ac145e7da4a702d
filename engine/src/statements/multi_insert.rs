//! Multi-table INSERT: `INSERT [OVERWRITE] ALL INTO t1 ... INTO t2 ... <query>` and the
//! conditional `INSERT [OVERWRITE] {ALL | FIRST} WHEN c THEN INTO ... [ELSE INTO ...] <query>`.
//!
//! The source query runs once, into a temporary table of the session; each INTO clause is
//! then an ordinary INSERT ... SELECT from it, filtered by its WHEN condition (for FIRST, also
//! by the failure of every earlier condition; for ELSE, of all of them). Everything runs in
//! one transaction, so the statement inserts all its rows or none.

use sqlparser::ast::{
    Insert, MultiTableInsertIntoClause, MultiTableInsertType, MultiTableInsertValue, Statement,
};

use super::{dml, QualifiedName};
use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

/// Where the source rows wait while the INTO clauses run (a DuckDB temporary table, visible
/// to this session only).
const STAGING: &str = "__MOCKHAUS_MULTI_INSERT_SOURCE";

/// Whether `insert` is a multi-table INSERT.
pub(crate) fn is_multi_table(insert: &Insert) -> bool {
    insert.multi_table_insert_type.is_some()
}

/// One INTO clause with the condition under which a source row goes into it.
struct Target<'a> {
    clause: &'a MultiTableInsertIntoClause,
    condition: Option<String>,
}

pub(crate) fn run(session: &mut Session, statement: Statement, sql: &str) -> SfResult<QueryResult> {
    let Statement::Insert(insert) = &statement else {
        unreachable!("dispatched on a multi-table INSERT")
    };
    let Some(source) = &insert.source else {
        return Err(SfError::syntax("a multi-table INSERT needs a subquery"));
    };
    let targets = targets(insert)?;
    let staged = super::query::prepare(session, Statement::Query(source.clone()), sql)?;
    let super::prepared::Prepared::Select { duckdb_sql, .. } = staged else {
        unreachable!("query::prepare prepares a query")
    };
    let work = || insert_all(session, insert.overwrite, &duckdb_sql, &targets);
    let counts = if session.state.in_transaction {
        work()?
    } else {
        dml::all_or_nothing(session, work)?
    };
    let columns: Vec<(String, i64)> = counts
        .into_iter()
        .map(|(table, n)| (format!("number of rows inserted into {table}"), n))
        .collect();
    let borrowed: Vec<(&str, i64)> = columns.iter().map(|(c, n)| (c.as_str(), *n)).collect();
    Ok(QueryResult::counts(StatementKind::Insert, &borrowed))
}

/// The INTO clauses in order, each with its condition as Snowflake SQL.
fn targets(insert: &Insert) -> SfResult<Vec<Target<'_>>> {
    let first = matches!(
        insert.multi_table_insert_type,
        Some(MultiTableInsertType::First)
    );
    let mut targets: Vec<Target<'_>> = insert
        .multi_table_into_clauses
        .iter()
        .map(|clause| Target {
            clause,
            condition: None,
        })
        .collect();
    let holds = |c: &str| format!("coalesce(({c}), FALSE)");
    let mut earlier: Vec<String> = Vec::new();
    for when in &insert.multi_table_when_clauses {
        let this = holds(&when.condition.to_string());
        let condition = if first && !earlier.is_empty() {
            format!("{this} AND NOT ({})", earlier.join(" OR "))
        } else {
            this.clone()
        };
        targets.extend(when.into_clauses.iter().map(|clause| Target {
            clause,
            condition: Some(condition.clone()),
        }));
        earlier.push(this);
    }
    if let Some(clauses) = &insert.multi_table_else_clause {
        let none = format!("NOT ({})", earlier.join(" OR "));
        targets.extend(clauses.iter().map(|clause| Target {
            clause,
            condition: Some(none.clone()),
        }));
    }
    if targets.is_empty() {
        return Err(SfError::syntax("a multi-table INSERT needs an INTO clause"));
    }
    Ok(targets)
}

/// Stages the source rows, then runs every INTO clause; the rows inserted per target table,
/// in the order the tables first appear.
fn insert_all(
    session: &Session,
    overwrite: bool,
    source_sql: &str,
    targets: &[Target<'_>],
) -> SfResult<Vec<(String, i64)>> {
    session.run_internal(&format!(
        "CREATE OR REPLACE TEMPORARY TABLE \"{STAGING}\" AS {source_sql}"
    ))?;
    let result = insert_staged(session, overwrite, targets);
    let _ = session.run_internal(&format!("DROP TABLE IF EXISTS temp.\"{STAGING}\""));
    result
}

fn insert_staged(
    session: &Session,
    overwrite: bool,
    targets: &[Target<'_>],
) -> SfResult<Vec<(String, i64)>> {
    let mut counts: Vec<(String, i64)> = Vec::new();
    let mut cleared: Vec<String> = Vec::new();
    for target in targets {
        let table = QualifiedName::resolve(session, &target.clause.table_name, "INSERT")?;
        if overwrite && !cleared.contains(&table.duckdb()) {
            session.run_internal(&format!("DELETE FROM {}", table.duckdb()))?;
            cleared.push(table.duckdb());
        }
        let inserted = insert_one(session, target)?;
        match counts.iter_mut().find(|(name, _)| *name == table.name) {
            Some((_, n)) => *n += inserted,
            None => counts.push((table.name.clone(), inserted)),
        }
    }
    Ok(counts)
}

/// `INSERT INTO t [(cols)] SELECT <values or *> FROM staging [WHERE condition]`, as Snowflake
/// SQL through the ordinary INSERT path.
fn insert_one(session: &Session, target: &Target<'_>) -> SfResult<i64> {
    let clause = target.clause;
    let columns = if clause.columns.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = clause.columns.iter().map(|c| c.to_string()).collect();
        format!(" ({})", names.join(", "))
    };
    let values = match &clause.values {
        None => "*".to_string(),
        Some(values) => values
            .values
            .iter()
            .map(|v| match v {
                MultiTableInsertValue::Expr(e) => Ok(e.to_string()),
                MultiTableInsertValue::Default => Err(SfError::unsupported(
                    "DEFAULT in the VALUES of a multi-table INSERT",
                )),
            })
            .collect::<SfResult<Vec<_>>>()?
            .join(", "),
    };
    let filter = target
        .condition
        .as_ref()
        .map(|c| format!(" WHERE {c}"))
        .unwrap_or_default();
    let sql = format!(
        "INSERT INTO {}{columns} SELECT {values} FROM \"{STAGING}\"{filter}",
        clause.table_name
    );
    let statement = crate::rewrite::parse(&sql)?
        .pop()
        .ok_or_else(|| SfError::internal("empty INSERT"))?;
    let prepared = dml::prepare(session, statement, &sql, StatementKind::Insert)?;
    let super::prepared::Prepared::Dml {
        duckdb_sql, target, ..
    } = prepared
    else {
        unreachable!("dml::prepare prepares DML")
    };
    let inserted = dml::execute_plain(session, &duckdb_sql)?;
    session.record_change(target.as_ref());
    Ok(inserted)
}
