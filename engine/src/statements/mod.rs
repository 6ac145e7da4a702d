//! One handler per statement family. Statements Mockhaus does not emulate fail the way
//! Snowflake fails them; DuckDB-only statements are Snowflake syntax errors.

pub(crate) mod alter_columns;
mod batch_insert;
pub(crate) mod catalog;
mod comments;
pub(crate) use catalog::QualifiedName;
pub(crate) mod describe;
pub(crate) mod dml;
mod merge;
mod multi_insert;
mod namespace;
pub(crate) mod offsets;
mod parameters;
mod positional;
pub(crate) mod prepared;
mod query;
mod quoted_names;
pub(crate) mod result_scan;
pub(crate) mod sequences;
mod table_copies;
mod tables;
pub(crate) mod transactions;
pub(crate) mod user_functions;
pub(crate) mod variables;

use sqlparser::ast::{ObjectType, Statement};

use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;
use crate::stream::Execution;

pub(crate) fn dispatch(
    session: &mut Session,
    statement: Statement,
    sql: &str,
    exec: &mut Execution<'_>,
) -> SfResult<QueryResult> {
    let changes_catalog = !matches!(
        statement,
        Statement::Query(_) | Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_)
    );
    if matches!(
        statement,
        Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_) | Statement::Merge(_)
    ) {
        transactions::implicit_begin(session)?;
    }
    let result = run(session, statement, sql, exec);
    if changes_catalog {
        session.shared.declared.invalidate();
    }
    result
}

/// Runs a statement prepared earlier (see `prepared.rs`).
pub(crate) fn run_prepared(
    session: &Session,
    prepared: &prepared::Prepared,
    exec: &mut Execution<'_>,
) -> SfResult<QueryResult> {
    match prepared {
        prepared::Prepared::Select { duckdb_sql, tables } => {
            query::run_query(session, duckdb_sql, StatementKind::Select, tables, exec)
        }
        prepared::Prepared::Dml {
            duckdb_sql,
            kind,
            target,
        } => {
            let result = dml::run_rewritten(session, duckdb_sql, *kind, exec.binds)?;
            session.record_change(target.as_ref());
            Ok(result)
        }
    }
}

fn run(
    session: &mut Session,
    statement: Statement,
    sql: &str,
    exec: &mut Execution<'_>,
) -> SfResult<QueryResult> {
    let binds = exec.binds;
    let binds_used = matches!(
        statement,
        Statement::Query(_) | Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_)
    );
    if !binds.is_empty() && !binds_used {
        return Err(SfError::unsupported(format!(
            "bind variables in {}",
            first_word(&statement)
        )));
    }
    match statement {
        Statement::Query(_) => query::select(session, statement, sql, exec),
        Statement::Insert(ref insert) if multi_insert::is_multi_table(insert) => {
            if !binds.is_empty() {
                return Err(SfError::unsupported(
                    "bind variables in a multi-table INSERT",
                ));
            }
            multi_insert::run(session, statement, sql)
        }
        Statement::Insert(ref insert) if insert.overwrite => {
            dml::insert_overwrite(session, statement, sql, exec)
        }
        Statement::Insert(_) => dml::run(session, statement, sql, StatementKind::Insert, exec),
        Statement::Update(_) => dml::run(session, statement, sql, StatementKind::Update, exec),
        Statement::Delete(_) => dml::run(session, statement, sql, StatementKind::Delete, exec),
        Statement::Merge(_) => merge::run(session, statement, sql),
        Statement::CreateTable(_) => tables::create_table(session, statement, sql),
        Statement::CreateView(_) => tables::create_view(session, statement, sql),
        Statement::Truncate(truncate) => tables::truncate(session, &truncate),
        Statement::Comment {
            object_type,
            object_name,
            comment,
            if_exists,
        } => comments::comment_on(
            session,
            &object_type,
            &object_name,
            comment.as_deref(),
            if_exists,
        ),
        Statement::AlterTable(_) => tables::alter_table(session, statement, sql),
        Statement::Drop {
            object_type,
            if_exists,
            names,
            ..
        } => match object_type {
            ObjectType::Table | ObjectType::View => {
                tables::drop(session, object_type, if_exists, &names)
            }
            ObjectType::Schema => namespace::drop_schema(session, if_exists, &names),
            ObjectType::Sequence => sequences::drop(session, if_exists, &names),
            ObjectType::Database => namespace::drop_database(session, if_exists, &names),
            other => Err(SfError::unsupported(format!("DROP {other}"))),
        },
        Statement::CreateDatabase {
            db_name,
            if_not_exists,
            or_replace,
            clone: None,
            ..
        } => namespace::create_database(session, &db_name, if_not_exists, or_replace),
        Statement::CreateSchema {
            schema_name,
            if_not_exists,
            or_replace,
            clone: None,
            ..
        } => namespace::create_schema(session, &schema_name, if_not_exists, or_replace),
        Statement::DropFunction(drop) => {
            user_functions::drop(session, drop.if_exists, &drop.func_desc)
        }
        Statement::Use(target) => namespace::use_object(session, &target),
        Statement::StartTransaction { .. } => transactions::begin(session),
        Statement::Commit { .. } => transactions::commit(session),
        Statement::Rollback { .. } => transactions::rollback(session),
        Statement::AlterSession {
            set,
            session_params,
        } => parameters::alter_session(session, set, &session_params),
        Statement::Set(set) => variables::set(session, set),
        other => Err(reject(&other)),
    }
}

/// DuckDB-only statements are not Snowflake SQL at all; other Snowflake statements are
/// reported as not emulated yet.
fn reject(statement: &Statement) -> SfError {
    let first_word = first_word(statement);
    let duckdb_only = matches!(
        statement,
        Statement::Install { .. }
            | Statement::Load { .. }
            | Statement::AttachDatabase { .. }
            | Statement::AttachDuckDBDatabase { .. }
            | Statement::DetachDuckDBDatabase { .. }
            | Statement::CreateMacro { .. }
            | Statement::Copy { .. }
            | Statement::Pragma { .. }
            | Statement::CreateSecret { .. }
    );
    if duckdb_only {
        SfError::syntax(format!(
            "syntax error line 1 at position 0 unexpected '{}'.",
            first_word.split(' ').next().unwrap_or_default()
        ))
    } else {
        SfError::unsupported(first_word)
    }
}

/// The statement's first keyword, upper-case, for messages; for CREATE, the kind of object
/// too (`CREATE STAGE`), past OR REPLACE and the like.
fn first_word(statement: &Statement) -> String {
    let text = statement.to_string();
    let mut words = text.split_whitespace().map(str::to_uppercase);
    let first = words.next().unwrap_or_default();
    if first != "CREATE" {
        return first;
    }
    const MODIFIERS: [&str; 6] = ["OR", "REPLACE", "TEMPORARY", "TEMP", "SECURE", "TRANSIENT"];
    match words.find(|w| !MODIFIERS.contains(&w.as_str())) {
        Some(kind) if kind.chars().all(|c| c.is_ascii_alphabetic() || c == '_') => {
            format!("{first} {kind}")
        }
        _ => first,
    }
}
