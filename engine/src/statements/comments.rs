//! COMMENT [IF EXISTS] ON TABLE | VIEW | COLUMN | SCHEMA | DATABASE ... IS '...'.
//!
//! A table's or view's comment goes into its notes (`metadata/notes.rs`), a column's into its
//! column note (`declared_types.rs`), where SHOW, DESCRIBE and INFORMATION_SCHEMA read them.
//! Comments on schemas and databases are accepted and not kept.

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
        CommentObject::Column => return column_comment(session, name, comment, if_exists),
        CommentObject::Schema | CommentObject::Database => return Ok(done()),
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
    set_relation_comment(session, &relation, wanted == RelationKind::View, comment)?;
    Ok(done())
}

/// `COMMENT ON COLUMN [db.][schema.]table.column IS '...'`.
fn column_comment(
    session: &Session,
    name: &ObjectName,
    comment: Option<&str>,
    if_exists: bool,
) -> SfResult<QueryResult> {
    let done = || QueryResult::status(StatementKind::Ddl, "Statement executed successfully.");
    let Some((column, table)) = name.0.split_last() else {
        return Err(SfError::unexpected("COLUMN"));
    };
    let table = QualifiedName::resolve(session, &ObjectName(table.to_vec()), "COMMENT")?;
    if relation_kind(session, &table)? != Some(RelationKind::Table) {
        if if_exists {
            return Ok(done());
        }
        return Err(SfError::table_not_found("Table", &table.display()));
    }
    let Some(column) = column.as_ident().map(crate::rewrite::idents::normalize) else {
        return Err(SfError::unexpected(&column.to_string()));
    };
    // 000904 when the table has no such column.
    super::alter_columns::existing_column(session, &table, &column)?;
    crate::declared_types::set_user_comment(session, &table, &column, comment)?;
    Ok(done())
}

/// Sets (or with `None` removes) a table's or view's comment, kept in its notes.
pub(super) fn set_relation_comment(
    session: &Session,
    relation: &QualifiedName,
    view: bool,
    comment: Option<&str>,
) -> SfResult<()> {
    let mut notes = TableNotes::of(session, relation)?;
    notes.comment = comment.map(str::to_string);
    notes.record(session, relation, view)
}
