//! What Snowflake reports about a table that DuckDB does not keep: its constraints (Snowflake
//! records but does not enforce them, so Mockhaus does not create them in DuckDB), its kind
//! (TRANSIENT, TEMPORARY), comment and creation time. Kept as JSON in the DuckDB table's
//! COMMENT, so it is transactional, follows renames and vanishes with the table.

use serde::{Deserialize, Serialize};
use sqlparser::ast::{
    ColumnOption, CommentDef, CreateTable, CreateTableOptions, Expr, Ident, IndexColumn, SqlOption,
    TableConstraint,
};

use crate::rewrite::idents::normalize;

use crate::error::SfResult;
use crate::session::Session;
use crate::statements::QualifiedName;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct TableNotes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<KeyNote>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique_keys: Vec<KeyNote>,
    /// TRANSIENT or TEMPORARY; a plain table has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_on_ms: Option<i64>,
    /// A view's statement as the user wrote it (DuckDB keeps only its rewritten form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view_text: Option<String>,
    /// A SECURE view (SHOW VIEWS' `is_secure`, INFORMATION_SCHEMA.VIEWS' IS_SECURE).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secure: bool,
}

/// A declared key: its constraint name (Snowflake names unnamed ones `SYS_CONSTRAINT_<uuid>`)
/// and its columns in key order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct KeyNote {
    pub name: String,
    pub columns: Vec<String>,
}

impl KeyNote {
    pub fn new(name: Option<String>, columns: Vec<String>) -> KeyNote {
        let name = name.unwrap_or_else(|| format!("SYS_CONSTRAINT_{}", uuid::Uuid::new_v4()));
        KeyNote { name, columns }
    }
}

impl TableNotes {
    /// Notes from a DuckDB comment; anything else (no comment, foreign text) is no notes.
    pub fn parse(comment: Option<&str>) -> TableNotes {
        comment
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default()
    }

    /// The notes of an existing table or view (none when it has none).
    pub fn of(session: &Session, relation: &QualifiedName) -> SfResult<TableNotes> {
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
        Ok(TableNotes::parse(
            current.first().map(|row| row[0].as_str()),
        ))
    }

    /// Notes for an object created now.
    pub fn created_now() -> TableNotes {
        TableNotes {
            created_on_ms: Some(chrono::Utc::now().timestamp_millis()),
            ..Default::default()
        }
    }

    /// What a CREATE TABLE declares: its kind, comment and keys (column and table constraints).
    pub fn from_create(create: &CreateTable) -> TableNotes {
        let mut notes = TableNotes::created_now();
        notes.kind = if create.temporary {
            Some("TEMPORARY".into())
        } else if create.transient {
            Some("TRANSIENT".into())
        } else {
            None
        };
        notes.comment = create
            .comment
            .as_ref()
            .or_else(|| table_comment(&create.table_options))
            .map(|c| c.to_string());
        for column in &create.columns {
            let key = || KeyNote::new(None, vec![normalize(&column.name)]);
            for option in &column.options {
                match &option.option {
                    ColumnOption::PrimaryKey(_) => notes.primary_key = Some(key()),
                    ColumnOption::Unique(_) => notes.unique_keys.push(key()),
                    _ => {}
                }
            }
        }
        for constraint in &create.constraints {
            match constraint {
                TableConstraint::PrimaryKey(pk) => {
                    notes.primary_key = Some(key_note(pk.name.as_ref(), &pk.columns));
                }
                TableConstraint::Unique(unique) => notes
                    .unique_keys
                    .push(key_note(unique.name.as_ref(), &unique.columns)),
                _ => {}
            }
        }
        notes
    }

    /// Writes the notes into the table's (or view's) DuckDB comment.
    pub fn record(&self, session: &Session, relation: &QualifiedName, view: bool) -> SfResult<()> {
        let json = serde_json::to_string(self).unwrap_or_default();
        session.run_internal(&format!(
            "COMMENT ON {} {} IS '{}'",
            if view { "VIEW" } else { "TABLE" },
            relation.duckdb(),
            json.replace('\'', "''")
        ))
    }
}

fn key_note(name: Option<&Ident>, columns: &[IndexColumn]) -> KeyNote {
    let columns = columns
        .iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(ident) => normalize(ident),
            other => other.to_string(),
        })
        .collect();
    KeyNote::new(name.map(normalize), columns)
}

/// Snowflake's `COMMENT = '...'` table option (sqlparser keeps it among the plain options).
fn table_comment(options: &CreateTableOptions) -> Option<&CommentDef> {
    let (CreateTableOptions::Plain(options) | CreateTableOptions::With(options)) = options else {
        return None;
    };
    options.iter().find_map(|option| match option {
        SqlOption::Comment(comment) => Some(comment),
        _ => None,
    })
}
