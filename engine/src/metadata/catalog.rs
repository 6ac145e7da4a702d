//! What SHOW, DESCRIBE and INFORMATION_SCHEMA report, read from DuckDB's catalog functions
//! (`duckdb_tables()`, `duckdb_columns()`...) and from the notes Mockhaus keeps in comments.

use duckdb::types::Value;

use super::notes::TableNotes;
use crate::declared_types;
use crate::duckdb_errors;
use crate::error::SfResult;
use crate::instance::DEFAULT_CATALOG;
use crate::session::Session;
use crate::types::SfType;

/// Which part of the account a listing covers; `None` means any.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub database: Option<String>,
    pub schema: Option<String>,
    pub table: Option<String>,
}

impl Filter {
    /// Exactly one table or view.
    pub fn table(name: &crate::statements::QualifiedName) -> Filter {
        Filter {
            database: Some(name.database.clone()),
            schema: Some(name.schema.clone()),
            table: Some(name.name.clone()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelationKind {
    Table,
    View,
}

#[derive(Debug, Clone)]
pub(crate) struct Relation {
    pub database: String,
    pub schema: String,
    pub name: String,
    pub kind: RelationKind,
    pub notes: TableNotes,
    /// A view's defining statement.
    pub view_text: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ColumnInfo {
    pub database: String,
    pub schema: String,
    pub table: String,
    pub name: String,
    /// 1-based.
    pub ordinal: i64,
    pub sf_type: SfType,
    pub nullable: bool,
    pub default: Option<String>,
    /// The column's COMMENT.
    pub comment: Option<String>,
}

/// Snowflake databases: every attached DuckDB catalog but DuckDB's own.
pub(crate) fn databases(session: &Session) -> SfResult<Vec<String>> {
    let sql = "SELECT database_name FROM duckdb_databases() \
               WHERE NOT internal AND database_name <> ? AND database_name <> 'temp' \
               ORDER BY database_name";
    let rows = rows(session, sql, &[Value::Text(DEFAULT_CATALOG.into())])?;
    Ok(rows.into_iter().map(|mut r| text(r.remove(0))).collect())
}

/// (database, schema) pairs; DuckDB's `main` schema is not a Snowflake schema.
pub(crate) fn schemas(session: &Session, filter: &Filter) -> SfResult<Vec<(String, String)>> {
    let (clause, params) = where_clause(filter, "database_name", "schema_name", None);
    let sql = format!(
        "SELECT database_name, schema_name FROM duckdb_schemas() \
         WHERE NOT internal AND schema_name <> 'main' AND database_name <> '{DEFAULT_CATALOG}' \
         AND database_name <> 'temp' {clause} ORDER BY database_name, schema_name"
    );
    Ok(rows(session, &sql, &params)?
        .into_iter()
        .map(|mut r| {
            let schema = text(r.remove(1));
            (text(r.remove(0)), schema)
        })
        .collect())
}

/// Tables and views, ordered by database, schema and name.
pub(crate) fn relations(session: &Session, filter: &Filter) -> SfResult<Vec<Relation>> {
    let (clause, params) = where_clause(filter, "database_name", "schema_name", Some("name"));
    let sql = format!(
        "SELECT * FROM (\
           SELECT database_name, schema_name, table_name AS name, 'TABLE' AS kind, comment, \
                  NULL AS sql FROM duckdb_tables() WHERE NOT internal \
           UNION ALL \
           SELECT database_name, schema_name, view_name, 'VIEW', comment, sql \
             FROM duckdb_views() WHERE NOT internal) \
         WHERE database_name <> '{DEFAULT_CATALOG}' AND database_name <> 'temp' {clause} \
         ORDER BY database_name, schema_name, name"
    );
    Ok(rows(session, &sql, &params)?
        .into_iter()
        .map(|r| {
            let mut r = r.into_iter().map(text_or_none);
            let mut next = || r.next().flatten();
            let database = next().unwrap_or_default();
            let schema = next().unwrap_or_default();
            let name = next().unwrap_or_default();
            let kind = match next().as_deref() {
                Some("VIEW") => RelationKind::View,
                _ => RelationKind::Table,
            };
            let notes = TableNotes::parse(next().as_deref());
            let view_text = next();
            Relation {
                database,
                schema,
                name,
                kind,
                view_text: notes.view_text.clone().or(view_text),
                notes,
            }
        })
        .collect())
}

/// Columns of tables and views, in table order then column order. An identity column's
/// default reads as Snowflake prints it (`IDENTITY START 1 INCREMENT 1 ORDER`), not as the
/// hidden sequence behind it.
pub(crate) fn columns(session: &Session, filter: &Filter) -> SfResult<Vec<ColumnInfo>> {
    let mut found = raw_columns(session, filter)?;
    for column in &mut found {
        if let Some(default) = column.default.as_deref() {
            if default.contains(super::IDENTITY_SEQUENCE_PREFIX) {
                column.default = Some(identity_text(session, default)?);
            }
        }
    }
    Ok(found)
}

fn identity_text(session: &Session, default: &str) -> SfResult<String> {
    let sql = "SELECT start_value, increment_by FROM duckdb_sequences() \
               WHERE ? LIKE '%' || sequence_name || '%' AND starts_with(sequence_name, ?)";
    let params = [
        Value::Text(default.to_string()),
        Value::Text(super::IDENTITY_SEQUENCE_PREFIX.to_string()),
    ];
    let found = rows(session, sql, &params)?.into_iter().next();
    let (start, increment) = found
        .map(|r| {
            let mut r = r.into_iter();
            (
                integer(r.next().unwrap_or(Value::Null)),
                integer(r.next().unwrap_or(Value::Null)),
            )
        })
        .unwrap_or((1, 1));
    Ok(format!(
        "IDENTITY START {start} INCREMENT {increment} ORDER"
    ))
}

fn raw_columns(session: &Session, filter: &Filter) -> SfResult<Vec<ColumnInfo>> {
    let (clause, params) = where_clause(filter, "database_name", "schema_name", Some("table_name"));
    let sql = format!(
        "SELECT database_name, schema_name, table_name, column_name, column_index, data_type, \
                is_nullable, column_default, comment \
           FROM duckdb_columns() \
          WHERE NOT internal AND database_name <> '{DEFAULT_CATALOG}' AND database_name <> 'temp' \
                {clause} \
          ORDER BY database_name, schema_name, table_name, column_index"
    );
    Ok(rows(session, &sql, &params)?
        .into_iter()
        .map(|r| {
            let mut r = r.into_iter();
            let mut next = || r.next().unwrap_or(Value::Null);
            let database = text(next());
            let schema = text(next());
            let table = text(next());
            let name = text(next());
            let ordinal = integer(next());
            let storage = text(next());
            let nullable = matches!(next(), Value::Boolean(true));
            let default = text_or_none(next());
            let note = text_or_none(next());
            let declared = note.as_deref().and_then(declared_types::parse_comment);
            let comment = note.as_deref().and_then(declared_types::user_comment);
            ColumnInfo {
                database,
                schema,
                table,
                name,
                ordinal,
                sf_type: declared.unwrap_or_else(|| SfType::of_duckdb_name(&storage)),
                nullable,
                default,
                comment,
            }
        })
        .collect())
}

#[derive(Debug, Clone)]
pub(crate) struct SequenceInfo {
    pub database: String,
    pub schema: String,
    pub name: String,
    pub next_value: i64,
    pub increment: i64,
    pub start: i64,
    pub minimum: i64,
    pub maximum: i64,
}

/// Sequences, ordered by database, schema and name.
pub(crate) fn sequences(session: &Session, filter: &Filter) -> SfResult<Vec<SequenceInfo>> {
    let (clause, params) = where_clause(filter, "database_name", "schema_name", None);
    let sql = format!(
        "SELECT database_name, schema_name, sequence_name, \
                coalesce(last_value + increment_by, start_value), increment_by, start_value, \
                min_value, max_value \
           FROM duckdb_sequences() \
          WHERE database_name <> '{DEFAULT_CATALOG}' AND database_name <> 'temp' {clause} \
                AND NOT starts_with(sequence_name, '{}') \
          ORDER BY database_name, schema_name, sequence_name",
        super::IDENTITY_SEQUENCE_PREFIX
    );
    Ok(rows(session, &sql, &params)?
        .into_iter()
        .map(|r| {
            let mut r = r.into_iter();
            let mut next = || r.next().unwrap_or(Value::Null);
            SequenceInfo {
                database: text(next()),
                schema: text(next()),
                name: text(next()),
                next_value: integer(next()),
                increment: integer(next()),
                start: integer(next()),
                minimum: integer(next()),
                maximum: integer(next()),
            }
        })
        .collect())
}

/// A user-defined function: where it is and its Snowflake signature.
pub(crate) struct UserFunctionInfo {
    pub database: String,
    pub schema: String,
    pub name: String,
    pub signature: crate::statements::user_functions::Signature,
}

/// The user-defined functions (DuckDB macros Mockhaus made: their comment holds a signature).
pub(crate) fn user_functions(
    session: &Session,
    filter: &Filter,
) -> SfResult<Vec<UserFunctionInfo>> {
    let (clause, params) = where_clause(filter, "database_name", "schema_name", None);
    let sql = format!(
        "SELECT database_name, schema_name, function_name, comment \
           FROM duckdb_functions() \
          WHERE function_type IN ('macro', 'table_macro') AND NOT internal \
                AND database_name <> 'temp' {clause} \
          ORDER BY database_name, schema_name, function_name"
    );
    Ok(rows(session, &sql, &params)?
        .into_iter()
        .filter_map(|r| {
            let mut r = r.into_iter();
            let mut next = || text(r.next().unwrap_or(Value::Null));
            let (database, schema, name) = (next(), next(), next());
            let signature = serde_json::from_str(&next()).ok()?;
            Some(UserFunctionInfo {
                database,
                schema,
                name,
                signature,
            })
        })
        .collect())
}

/// A table's exact row count (SHOW TABLES `rows`, INFORMATION_SCHEMA `ROW_COUNT`).
pub(crate) fn row_count(session: &Session, relation: &Relation) -> SfResult<i64> {
    let name = crate::statements::QualifiedName {
        database: relation.database.clone(),
        schema: relation.schema.clone(),
        name: relation.name.clone(),
    };
    let sql = format!("SELECT count(*) FROM {}", name.duckdb());
    Ok(rows(session, &sql, &[])?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .map_or(0, integer))
}

/// The storage size SHOW TABLES and INFORMATION_SCHEMA.TABLES report for a table of `rows`
/// rows. Snowflake reports compressed storage, which Mockhaus has no counterpart for: an
/// estimate of 16 bytes a row, 0 for an empty table as Snowflake shows.
pub(crate) fn approximate_bytes(rows: i64) -> i64 {
    rows * 16
}

/// `AND database = ? AND schema = ? AND name = ?` for the parts the filter names.
fn where_clause(
    filter: &Filter,
    database_column: &str,
    schema_column: &str,
    name_column: Option<&str>,
) -> (String, Vec<Value>) {
    let mut clause = String::new();
    let mut params = Vec::new();
    let parts = [
        (Some(database_column), &filter.database),
        (Some(schema_column), &filter.schema),
        (name_column, &filter.table),
    ];
    for (column, value) in parts {
        if let (Some(column), Some(value)) = (column, value) {
            clause.push_str(&format!(" AND {column} = ?"));
            params.push(Value::Text(value.clone()));
        }
    }
    (clause, params)
}

fn rows(session: &Session, sql: &str, params: &[Value]) -> SfResult<Vec<Vec<Value>>> {
    let translate = |e: duckdb::Error| duckdb_errors::translate(&e);
    let mut stmt = session.conn.prepare(sql).map_err(translate)?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(params.iter()))
        .map_err(translate)?;
    // DuckDB knows a statement's width only once it has run.
    let width = rows.as_ref().map_or(0, |s| s.column_count());
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(translate)? {
        let values = (0..width)
            .map(|i| row.get::<_, Value>(i).map_err(translate))
            .collect::<SfResult<Vec<_>>>()?;
        out.push(values);
    }
    Ok(out)
}

fn text(value: Value) -> String {
    text_or_none(value).unwrap_or_default()
}

fn text_or_none(value: Value) -> Option<String> {
    match value {
        Value::Text(s) => Some(s),
        Value::Null => None,
        other => Some(format!("{other:?}")),
    }
}

fn integer(value: Value) -> i64 {
    match value {
        Value::TinyInt(n) => n.into(),
        Value::SmallInt(n) => n.into(),
        Value::Int(n) => n.into(),
        Value::BigInt(n) => n,
        _ => 0,
    }
}
