//! MERGE: run by DuckDB's own MERGE INTO, with `RETURNING merge_action` so each changed row
//! says what happened to it; the answer is Snowflake's count columns for the kinds of clause
//! the statement has (inserted, updated, deleted).

use sqlparser::ast::{MergeAction, Statement};

use crate::duckdb_errors;
use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

pub fn run(session: &mut Session, statement: Statement, sql: &str) -> SfResult<QueryResult> {
    super::catalog::require_context_for_names(session, &statement, "MERGE")?;
    super::quoted_names::check(session, &statement)?;
    let Statement::Merge(merge) = &statement else {
        unreachable!("dispatched on Merge")
    };
    let has = |wanted: fn(&MergeAction) -> bool| merge.clauses.iter().any(|c| wanted(&c.action));
    let reported = [
        (
            "number of rows inserted",
            "INSERT",
            has(|a| matches!(a, MergeAction::Insert(_))),
        ),
        (
            "number of rows updated",
            "UPDATE",
            has(|a| matches!(a, MergeAction::Update(_))),
        ),
        (
            "number of rows deleted",
            "DELETE",
            has(|a| matches!(a, MergeAction::Delete { .. })),
        ),
    ];
    if merge.output.is_some() {
        return Err(SfError::unsupported("MERGE ... OUTPUT"));
    }
    let target = crate::metadata::last_altered::dml_target(session, &statement);
    let duckdb_sql = session.to_duckdb_sql(statement, sql)?;
    let actions = changed_rows(session, &format!("{duckdb_sql} RETURNING merge_action"))?;
    session.record_change(target.as_ref());
    let counts: Vec<(&str, i64)> = reported
        .iter()
        .filter(|(_, _, present)| *present)
        .map(|(column, action, _)| {
            let n = actions.iter().filter(|a| a.as_str() == *action).count();
            (*column, n as i64)
        })
        .collect();
    Ok(QueryResult::counts(StatementKind::Merge, &counts))
}

/// What happened to each changed row: INSERT, UPDATE or DELETE.
fn changed_rows(session: &Session, duckdb_sql: &str) -> SfResult<Vec<String>> {
    let translate = |e: duckdb::Error| duckdb_errors::translate(&e);
    let mut stmt = session.conn.prepare(duckdb_sql).map_err(translate)?;
    let mut rows = stmt.query([]).map_err(translate)?;
    let mut actions = Vec::new();
    while let Some(row) = rows.next().map_err(translate)? {
        actions.push(row.get::<_, String>(0).map_err(translate)?);
    }
    Ok(actions)
}
