//! `CREATE TABLE ... CLONE source` and `CREATE TABLE ... LIKE source`: a new table with the
//! source's columns as DuckDB keeps them (type, NOT NULL, DEFAULT) and Mockhaus's notes on them
//! (declared types, comments) and on the table (keys; a clone also its comment), plus, for a
//! clone, the source's rows.

use super::catalog::QualifiedName;
use crate::error::SfResult;
use crate::metadata::notes::TableNotes;
use crate::rewrite::idents::quote;
use crate::session::Session;

pub(super) struct CopyOf<'a> {
    pub source: &'a QualifiedName,
    /// CLONE copies the rows; LIKE only the definition.
    pub rows: bool,
}

struct SourceColumn {
    name: String,
    duckdb_type: String,
    nullable: bool,
    default: String,
    /// Mockhaus's column note (declared type, comment); empty for none.
    note: String,
}

impl CopyOf<'_> {
    /// Creates `target` with `create` (`CREATE [OR REPLACE] TABLE`); `kind` is TRANSIENT or
    /// TEMPORARY when the statement said so.
    pub fn create(
        &self,
        session: &Session,
        create: &str,
        target: &QualifiedName,
        kind: Option<String>,
    ) -> SfResult<()> {
        let columns = self.columns(session)?;
        let definitions: Vec<String> = columns
            .iter()
            .map(|c| {
                let mut sql = format!("{} {}", quote(&c.name), c.duckdb_type);
                if !c.nullable {
                    sql.push_str(" NOT NULL");
                }
                if !c.default.is_empty() {
                    sql.push_str(&format!(" DEFAULT {}", c.default));
                }
                sql
            })
            .collect();
        session.run_internal(&format!(
            "{create} {} ({})",
            target.duckdb(),
            definitions.join(", ")
        ))?;
        if self.rows {
            session.run_internal(&format!(
                "INSERT INTO {} SELECT * FROM {}",
                target.duckdb(),
                self.source.duckdb()
            ))?;
        }
        for column in columns.iter().filter(|c| !c.note.is_empty()) {
            session.run_internal(&format!(
                "COMMENT ON COLUMN {}.{} IS '{}'",
                target.duckdb(),
                quote(&column.name),
                column.note.replace('\'', "''")
            ))?;
        }
        let source_notes = TableNotes::of(session, self.source)?;
        let notes = TableNotes {
            primary_key: source_notes.primary_key,
            unique_keys: source_notes.unique_keys,
            kind,
            comment: source_notes.comment.filter(|_| self.rows),
            ..TableNotes::created_now()
        };
        notes.record(session, target, false)
    }

    fn columns(&self, session: &Session) -> SfResult<Vec<SourceColumn>> {
        let source = self.source;
        let rows = session.catalog_rows(
            "SELECT column_name, data_type, is_nullable::VARCHAR, column_default, comment \
               FROM duckdb_columns() WHERE database_name = ? AND schema_name = ? AND table_name = ? \
              ORDER BY column_index",
            &[&source.database, &source.schema, &source.name],
            5,
        )?;
        Ok(rows
            .into_iter()
            .map(|mut row| SourceColumn {
                note: std::mem::take(&mut row[4]),
                default: std::mem::take(&mut row[3]),
                nullable: row[2] == "true",
                duckdb_type: std::mem::take(&mut row[1]),
                name: std::mem::take(&mut row[0]),
            })
            .collect())
    }
}
