//! Declared Snowflake column types that DuckDB's storage type cannot tell apart:
//! VARCHAR(n) vs VARCHAR, OBJECT/ARRAY vs VARIANT (all JSON), TIMESTAMP_TZ vs TIMESTAMP_LTZ,
//! BINARY(n). They are kept where DuckDB keeps column metadata transactionally, in the
//! column's COMMENT (`{"sf_type": "VARCHAR(10)"}`), so they follow renames and vanish with
//! the column. Result columns that come straight from such a column report the declared type.
//! The same JSON keeps the column's Snowflake COMMENT (`{"comment": "..."}`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use crate::error::SfResult;
use crate::rewrite::idents::quote;
use crate::session::Session;
use crate::statements::QualifiedName;
use crate::types::SfType;

/// Declared types of one table's columns, by column name.
pub(crate) type TableDeclarations = HashMap<String, SfType>;

/// Per-account cache of declared types, invalidated by any DDL of the account.
#[derive(Default)]
pub(crate) struct DeclaredTypes {
    generation: AtomicU64,
    /// The generation the cached tables were read at, and the tables.
    cache: Mutex<(u64, HashMap<QualifiedName, TableDeclarations>)>,
}

impl DeclaredTypes {
    /// Called after every DDL statement: cached declarations may be stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Changes with every DDL of the account.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The declared types of one table's columns (only those that need declaring).
    pub fn of_table(
        &self,
        session: &Session,
        table: &QualifiedName,
    ) -> SfResult<TableDeclarations> {
        let generation = self.generation.load(Ordering::Acquire);
        {
            let mut cache = self.cache.lock();
            if cache.0 != generation {
                *cache = (generation, HashMap::new());
            }
            if let Some(found) = cache.1.get(table) {
                return Ok(found.clone());
            }
        }
        let loaded = load(session, table)?;
        let mut cache = self.cache.lock();
        if cache.0 == generation {
            cache.1.insert(table.clone(), loaded.clone());
        }
        Ok(loaded)
    }
}

/// The declared types of a table's columns, and its JSON columns as VARIANT (so that the
/// rewrite can tell VARIANT columns without reading the whole catalog: see `coercion`).
fn load(session: &Session, table: &QualifiedName) -> SfResult<TableDeclarations> {
    let sql = "SELECT column_name, comment, data_type FROM duckdb_columns() \
               WHERE database_name = ? AND schema_name = ? AND table_name = ? \
               AND (comment IS NOT NULL OR data_type = 'JSON')";
    let rows = session.catalog_rows(sql, &[&table.database, &table.schema, &table.name], 3)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let declared = parse_comment(&row[1]);
            let sf_type = declared.or_else(|| (row[2] == "JSON").then_some(SfType::Variant))?;
            Some((row[0].clone(), sf_type))
        })
        .collect())
}

/// What Mockhaus keeps in a column's DuckDB comment.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ColumnNote {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sf_type: Option<String>,
    /// The Snowflake COMMENT of the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

impl ColumnNote {
    fn parse(comment: &str) -> ColumnNote {
        serde_json::from_str(comment).unwrap_or_default()
    }
}

/// The declared type a column's DuckDB comment holds.
pub(crate) fn parse_comment(comment: &str) -> Option<SfType> {
    SfType::parse(ColumnNote::parse(comment).sf_type.as_deref()?).ok()
}

/// The Snowflake COMMENT a column's DuckDB comment holds.
pub(crate) fn user_comment(comment: &str) -> Option<String> {
    ColumnNote::parse(comment).comment
}

/// Whether a declared type must be recorded: DuckDB's storage type alone would report another.
pub(crate) fn needs_declaring(sf_type: SfType) -> bool {
    sf_type != reported_for_storage(sf_type)
}

/// What a column of this type reports when nothing is declared.
fn reported_for_storage(sf_type: SfType) -> SfType {
    match sf_type {
        SfType::Text { .. } => SfType::TEXT,
        SfType::Binary { .. } => SfType::Binary {
            length: crate::types::MAX_BINARY_LENGTH,
        },
        SfType::Object | SfType::Array => SfType::Variant,
        SfType::TimestampTz => SfType::TimestampLtz,
        other => other,
    }
}

/// Records a column's declared type in its comment (none when its storage type tells it).
pub(crate) fn declare(
    session: &Session,
    table: &QualifiedName,
    column: &str,
    sf_type: SfType,
) -> SfResult<()> {
    update_note(session, table, column, |note| {
        note.sf_type = needs_declaring(sf_type).then(|| sf_type.to_string());
    })
}

/// Sets (or with `None` removes) a column's Snowflake COMMENT.
pub(crate) fn set_user_comment(
    session: &Session,
    table: &QualifiedName,
    column: &str,
    comment: Option<&str>,
) -> SfResult<()> {
    update_note(session, table, column, |note| {
        note.comment = comment.map(str::to_string);
    })
}

fn update_note(
    session: &Session,
    table: &QualifiedName,
    column: &str,
    change: impl FnOnce(&mut ColumnNote),
) -> SfResult<()> {
    let sql = "SELECT comment FROM duckdb_columns() \
               WHERE database_name = ? AND schema_name = ? AND table_name = ? AND column_name = ?";
    let current = session.catalog_rows(
        sql,
        &[&table.database, &table.schema, &table.name, column],
        1,
    )?;
    let mut note = current
        .first()
        .map(|row| ColumnNote::parse(&row[0]))
        .unwrap_or_default();
    change(&mut note);
    let comment = if note.sf_type.is_none() && note.comment.is_none() {
        "NULL".to_string()
    } else {
        let json = serde_json::to_string(&note).unwrap_or_default();
        format!("'{}'", json.replace('\'', "''"))
    };
    session.run_internal(&format!(
        "COMMENT ON COLUMN {}.{} IS {comment}",
        table.duckdb(),
        quote(column),
    ))
}

/// Refines result column types: a result column named like exactly one declared column of
/// the statement's tables, with the same storage, takes the declared type.
pub(crate) fn refine(columns: &mut [crate::result::Column], declared: &[TableDeclarations]) {
    for column in columns.iter_mut() {
        // Only declarations the storage type cannot tell (not the plain VARIANT entries).
        let mut candidates = declared
            .iter()
            .filter_map(|table| table.get(&column.name))
            .filter(|t| needs_declaring(**t));
        let (Some(first), None) = (candidates.next(), candidates.next()) else {
            continue;
        };
        if reported_for_storage(*first) == column.sf_type {
            column.sf_type = *first;
        }
    }
}
