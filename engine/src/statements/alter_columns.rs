//! The ALTER TABLE forms parsed by `commands/alter_table.rs`: table properties (COMMENT kept,
//! the rest accepted) and column changes (type, nullability, default sequence, comment).
//! All of one statement's changes apply or none do, as in Snowflake.

use super::catalog::{relation_kind, QualifiedName, RelationKind};
use super::dml::all_or_nothing;
use super::transactions::implicit_commit;
use crate::commands::{AlterTable, AlterTableAction, ColumnAction, ColumnChange};
use crate::declared_types;
use crate::error::{SfError, SfResult};
use crate::metadata::catalog::{self, ColumnInfo, Filter};
use crate::result::{QueryResult, StatementKind};
use crate::rewrite::idents::{normalize, quote};
use crate::session::Session;
use crate::types::SfType;

pub fn alter_table(session: &mut Session, alter: &AlterTable) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let done = || QueryResult::status(StatementKind::Ddl, "Statement executed successfully.");
    let table = QualifiedName::resolve(session, &alter.name, "ALTER TABLE")?;
    if relation_kind(session, &table)? != Some(RelationKind::Table) {
        if alter.if_exists {
            return Ok(done());
        }
        return Err(SfError::table_not_found("Table", &table.display()));
    }
    let session = &*session;
    all_or_nothing(session, || match &alter.action {
        AlterTableAction::Properties {
            comment: Some(comment),
        } => super::comments::set_relation_comment(session, &table, false, comment.as_deref()),
        AlterTableAction::Properties { comment: None } => Ok(()),
        AlterTableAction::Columns(changes) => changes
            .iter()
            .try_for_each(|change| change_column(session, &table, change)),
    })?;
    Ok(done())
}

fn change_column(session: &Session, table: &QualifiedName, change: &ColumnChange) -> SfResult<()> {
    let name = normalize(&change.column);
    let column = existing_column(session, table, &name)?;
    let alter = |clause: &str| {
        session.run_internal(&format!(
            "ALTER TABLE {} ALTER COLUMN {} {clause}",
            table.duckdb(),
            quote(&name)
        ))
    };
    match &change.action {
        ColumnAction::DropDefault => alter("DROP DEFAULT"),
        ColumnAction::SetNotNull => alter("SET NOT NULL"),
        ColumnAction::DropNotNull => alter("DROP NOT NULL"),
        ColumnAction::SetDefaultSequence(sequence) => {
            let sequence = QualifiedName::resolve(session, sequence, "ALTER TABLE")?;
            alter(&format!(
                "SET DEFAULT nextval('{}')",
                sequence.duckdb().replace('\'', "''")
            ))
        }
        ColumnAction::SetType(written) => {
            let wanted = SfType::parse(written)?;
            check_type_change(&column, wanted)?;
            if wanted.duckdb_type() != column.sf_type.duckdb_type() {
                alter(&format!("SET DATA TYPE {}", wanted.duckdb_type()))?;
            }
            declared_types::declare(session, table, &name, wanted)
        }
        ColumnAction::Comment(comment) => {
            declared_types::set_user_comment(session, table, &name, comment.as_deref())
        }
        ColumnAction::Ignored => Ok(()),
    }
}

pub(super) fn existing_column(
    session: &Session,
    table: &QualifiedName,
    name: &str,
) -> SfResult<ColumnInfo> {
    let filter = Filter::table(table);
    catalog::columns(session, &filter)?
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| SfError::invalid_identifier(name))
}

/// Snowflake changes a column's type only within its kind: a longer (never shorter) text or
/// binary, a number of another precision (same scale; values must fit, which DuckDB's
/// conversion checks), or a synonym of the same type.
fn check_type_change(column: &ColumnInfo, wanted: SfType) -> SfResult<()> {
    let allowed = match (column.sf_type, wanted) {
        (SfType::Text { length: old }, SfType::Text { length: new })
        | (SfType::Binary { length: old }, SfType::Binary { length: new }) => new >= old,
        (SfType::Fixed { scale: old, .. }, SfType::Fixed { scale: new, .. }) => old == new,
        (old, new) => old == new,
    };
    if allowed {
        return Ok(());
    }
    Err(SfError::new(
        "002108",
        "22000",
        format!(
            "SQL compilation error:\ncannot change column {} from type {} to {}",
            column.name, column.sf_type, wanted
        ),
    ))
}
