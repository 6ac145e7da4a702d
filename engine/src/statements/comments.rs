//! COMMENT [IF EXISTS] ON TABLE | VIEW | COLUMN | SCHEMA | DATABASE ... IS '...'.
//!
//! A table's or view's comment goes into its notes (`metadata/notes.rs`), where SHOW and
//! INFORMATION_SCHEMA read it. Comments on columns, schemas and databases are accepted and not
//! kept (DuckDB has no place Mockhaus reads them back from yet).

use sqlparser::ast::{CommentObject, ObjectName};

use super::catalog::{relation_kind, RelationKind};
use super::QualifiedName;
use crate::error::{SfError, SfResult};
use crate::metadata::notes::TableNotes;
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

pub(crate) fn comment_on(
    session: &Session,
    object_type: &CommentObject,
    name: &ObjectName,
    comment: Option<&str>,
    if_exists: bool,
) -> SfResult<QueryResult> {
    let done = || QueryResult::status(StatementKind::Ddl, "Statement executed successfully.");
    let wanted = match object_type {
        CommentObject::Table => RelationKind::Table,
        CommentObject::View => RelationKind::View,
        CommentObject::Column | CommentObject::Schema | CommentObject::Database => {
            return Ok(done())
        }
        other => return Err(SfError::unsupported(format!("COMMENT ON {other}"))),
    };
    let relation = QualifiedName::resolve(session, name, "COMMENT")?;
    match relation_kind(session, &relation)? {
        Some(kind) if kind == wanted => {}
        _ if if_exists => return Ok(done()),
        _ => {
            let what = if wanted == RelationKind::View {
                "View"
            } else {
                "Table"
            };
            return Err(SfError::table_not_found(what, &relation.display()));
        }
    }
    let current = session.catalog_rows(
        "SELECT comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ? \
         UNION ALL SELECT comment FROM duckdb_views() WHERE database_name = ? AND schema_name = ? AND view_name = ?",
        &[
            &relation.database,
            &relation.schema,
            &relation.name,
            &relation.database,
            &relation.schema,
            &relation.name,
        ],
        1,
    )?;
    let mut notes = TableNotes::parse(current.first().map(|row| row[0].as_str()));
    notes.comment = comment.map(str::to_string);
    notes.record(session, &relation, wanted == RelationKind::View)?;
    Ok(done())
}
