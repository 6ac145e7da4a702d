//! Sequences: CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] (parsed in `commands.rs`, since
//! sqlparser knows neither OR REPLACE nor `START = n`), DROP SEQUENCE, and `seq.NEXTVAL`
//! (rewritten to DuckDB's `nextval`, see `rewrite/mod.rs`). DuckDB keeps the sequences.

use sqlparser::ast::ObjectName;

use super::namespace::{already_dropped, already_exists};
use super::transactions::implicit_commit;
use super::QualifiedName;
use crate::commands::CreateSequence;
use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

pub fn create(session: &mut Session, create: &CreateSequence) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let name = QualifiedName::resolve(session, &create.name, "CREATE SEQUENCE")?;
    super::tables::ensure_namespace(session, &name)?;
    if exists(session, &name)? {
        if create.if_not_exists {
            return Ok(already_exists(&name.name));
        }
        if !create.or_replace {
            return Err(SfError::already_exists("Object", &name.name));
        }
    }
    create_in_duckdb(session, &name, create.start, create.increment)?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("Sequence {} successfully created.", name.name),
    ))
}

pub fn drop(session: &mut Session, if_exists: bool, names: &[ObjectName]) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let mut last = String::new();
    for object in names {
        let name = QualifiedName::resolve(session, object, "DROP SEQUENCE")?;
        if !exists(session, &name)? {
            if if_exists {
                return Ok(already_dropped(&name.name));
            }
            return Err(SfError::table_not_found("Sequence", &name.display()));
        }
        session.run_internal(&format!("DROP SEQUENCE {}", name.duckdb()))?;
        last = name.name;
    }
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("{last} successfully dropped."),
    ))
}

/// Creates (or replaces) the DuckDB sequence. Snowflake sequences run over the whole 64-bit
/// range in either direction; DuckDB's default bounds would stop a descending one below zero.
pub(crate) fn create_in_duckdb(
    session: &Session,
    name: &QualifiedName,
    start: i64,
    increment: i64,
) -> SfResult<()> {
    session.run_internal(&format!(
        "CREATE OR REPLACE SEQUENCE {} START WITH {start} INCREMENT BY {increment} \
         MINVALUE -9223372036854775807 MAXVALUE 9223372036854775807",
        name.duckdb()
    ))
}

fn exists(session: &Session, name: &QualifiedName) -> SfResult<bool> {
    let sql = "SELECT sequence_name FROM duckdb_sequences() \
               WHERE database_name = ? AND schema_name = ? AND sequence_name = ?";
    Ok(!session
        .catalog_rows(sql, &[&name.database, &name.schema, &name.name], 1)?
        .is_empty())
}
