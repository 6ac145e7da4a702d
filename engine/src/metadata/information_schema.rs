//! `<database>.INFORMATION_SCHEMA.<view>`: each reference in a query is replaced by a derived
//! table holding the view's rows, read from the catalog when the statement is prepared, so
//! the rest of the query (joins, filters, projections) runs on DuckDB unchanged. Statements
//! that read INFORMATION_SCHEMA are never cached (`referenced`), so every run sees the
//! catalog as it is.

use std::ops::ControlFlow;

use sqlparser::ast::{Ident, ObjectName, Statement, TableAlias, TableFactor, Visit, Visitor};

use super::catalog::{self, ColumnInfo, Filter, RelationKind};
use super::listing::{number, text, text_or_null, Col};
use super::{created_on, OWNER};
use crate::error::{SfError, SfResult};
use crate::format;
use crate::result::Cell;
use crate::rewrite::idents::normalize;
use crate::session::Session;
use crate::types::SfType;

/// Whether a statement reads any INFORMATION_SCHEMA view.
pub(crate) fn referenced(statement: &Statement) -> bool {
    struct Finder(bool);
    impl Visitor for Finder {
        type Break = ();
        fn pre_visit_relation(&mut self, name: &ObjectName) -> ControlFlow<()> {
            if view_of(name).is_some() {
                self.0 = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        }
    }
    let mut finder = Finder(false);
    let _ = statement.visit(&mut finder);
    finder.0
}

/// Replaces every INFORMATION_SCHEMA view reference with its rows.
pub(crate) fn substitute(session: &Session, statement: &mut Statement) -> SfResult<()> {
    crate::rewrite::replace_table_factors(statement, |factor| {
        let TableFactor::Table {
            name,
            alias,
            args: None,
            ..
        } = factor
        else {
            return Ok(None);
        };
        let Some((database, view)) = view_of(name) else {
            return Ok(None);
        };
        let alias = alias.clone().unwrap_or_else(|| TableAlias {
            explicit: true,
            // Quoted: view names like TABLES are keywords.
            name: Ident::with_quote('"', view.clone()),
            columns: Vec::new(),
            at: None,
        });
        derived(session, database, &view, alias).map(Some)
    })
}

/// (database named, view) when `name` is `[db.]INFORMATION_SCHEMA.view`.
fn view_of(name: &ObjectName) -> Option<(Option<String>, String)> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| p.as_ident().map(normalize))
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [schema, view] if schema == "INFORMATION_SCHEMA" => Some((None, view.clone())),
        [db, schema, view] if schema == "INFORMATION_SCHEMA" => {
            Some((Some(db.clone()), view.clone()))
        }
        _ => None,
    }
}

/// The derived table standing in for one view.
fn derived(
    session: &Session,
    database: Option<String>,
    view: &str,
    alias: TableAlias,
) -> SfResult<TableFactor> {
    let database = match database {
        Some(db) => db,
        None => session
            .state()
            .database
            .clone()
            .ok_or_else(|| SfError::no_current_database("SELECT"))?,
    };
    if !crate::statements::catalog::database_exists(session, &database)? {
        return Err(SfError::namespace_not_found("Database", &database));
    }
    let (columns, rows) = match view {
        "DATABASES" => databases(session)?,
        "SCHEMATA" => schemata(session, &database)?,
        "TABLES" => tables(session, &database)?,
        "COLUMNS" => columns(session, &database)?,
        "VIEWS" => views(session, &database)?,
        "TABLE_CONSTRAINTS" => table_constraints(session, &database)?,
        "SEQUENCES" => sequences(session, &database)?,
        "FUNCTIONS" => functions(session, &database)?,
        other => return Err(SfError::unsupported(format!("INFORMATION_SCHEMA.{other}"))),
    };
    let alias = TableAlias {
        explicit: false,
        ..alias
    };
    crate::rewrite::parse_table_factor(&format!(
        "SELECT * FROM ({}) {alias}",
        select_sql(columns, &rows)
    ))
}

/// `SELECT CAST(c1 AS type) AS NAME, ... FROM (VALUES ...)`, or no rows of the same shape.
fn select_sql(columns: &[(&str, Col)], rows: &[Vec<Cell>]) -> String {
    let projection: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (name, col))| {
            let ty = match col {
                Col::Text => "VARCHAR",
                Col::Number => "NUMBER(38,0)",
                Col::Timestamp => "TIMESTAMP_LTZ",
            };
            format!("CAST(C{i} AS {ty}) AS {name}")
        })
        .collect();
    debug_assert!(rows.iter().all(|row| row.len() == columns.len()));
    let literals = rows
        .iter()
        .map(|row| row.iter().map(literal).collect())
        .collect();
    rows_select(&projection, literals)
}

/// `SELECT <projection> FROM (VALUES <rows>) AS V(C0, C1...)`: the projection reads the
/// placeholders C0, C1...; with no rows, the same shape from one row of text NULLs, filtered
/// out. Also the rows standing in for RESULT_SCAN (`statements/result_scan.rs`).
pub(crate) fn rows_select(projection: &[String], rows: Vec<Vec<String>>) -> String {
    let placeholders: Vec<String> = (0..projection.len()).map(|i| format!("C{i}")).collect();
    if rows.is_empty() {
        let nulls: Vec<String> = placeholders
            .iter()
            .map(|c| format!("CAST(NULL AS VARCHAR) AS {c}"))
            .collect();
        return format!(
            "SELECT {} FROM (SELECT {}) WHERE FALSE",
            projection.join(", "),
            nulls.join(", ")
        );
    }
    let values: Vec<String> = rows
        .into_iter()
        .map(|row| format!("({})", row.join(", ")))
        .collect();
    format!(
        "SELECT {} FROM (VALUES {}) AS V({})",
        projection.join(", "),
        values.join(", "),
        placeholders.join(", ")
    )
}

fn literal(cell: &Cell) -> String {
    match cell {
        Cell::Null => "NULL".into(),
        Cell::Decimal { value, .. } => value.to_string(),
        Cell::TimestampLtz(nanos) => {
            format!("'{}'", format::timestamp_string(*nanos))
        }
        other => {
            let text = format::display(other).unwrap_or_default();
            format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
        }
    }
}

fn yes_no(value: bool) -> Cell {
    text(if value { "YES" } else { "NO" })
}

type View = (&'static [(&'static str, Col)], Vec<Vec<Cell>>);

fn database_filter(database: &str) -> Filter {
    Filter {
        database: Some(database.to_string()),
        ..Default::default()
    }
}

fn databases(session: &Session) -> SfResult<View> {
    const COLUMNS: &[(&str, Col)] = &[
        ("DATABASE_NAME", Col::Text),
        ("DATABASE_OWNER", Col::Text),
        ("IS_TRANSIENT", Col::Text),
        ("COMMENT", Col::Text),
        ("CREATED", Col::Timestamp),
        ("LAST_ALTERED", Col::Timestamp),
        ("RETENTION_TIME", Col::Number),
        ("TYPE", Col::Text),
        ("OWNER_ROLE_TYPE", Col::Text),
    ];
    let rows = catalog::databases(session)?
        .into_iter()
        .map(|name| {
            vec![
                text(name),
                text(OWNER),
                yes_no(false),
                Cell::Null,
                created_on(session, None),
                created_on(session, None),
                number(1),
                text("STANDARD"),
                text("ROLE"),
            ]
        })
        .collect();
    Ok((COLUMNS, rows))
}

fn schemata(session: &Session, database: &str) -> SfResult<View> {
    const COLUMNS: &[(&str, Col)] = &[
        ("CATALOG_NAME", Col::Text),
        ("SCHEMA_NAME", Col::Text),
        ("SCHEMA_OWNER", Col::Text),
        ("IS_TRANSIENT", Col::Text),
        ("IS_MANAGED_ACCESS", Col::Text),
        ("RETENTION_TIME", Col::Number),
        ("DEFAULT_CHARACTER_SET_CATALOG", Col::Text),
        ("DEFAULT_CHARACTER_SET_SCHEMA", Col::Text),
        ("DEFAULT_CHARACTER_SET_NAME", Col::Text),
        ("SQL_PATH", Col::Text),
        ("CREATED", Col::Timestamp),
        ("LAST_ALTERED", Col::Timestamp),
        ("COMMENT", Col::Text),
    ];
    let mut names: Vec<String> = catalog::schemas(session, &database_filter(database))?
        .into_iter()
        .map(|(_, schema)| schema)
        .collect();
    names.push("INFORMATION_SCHEMA".into());
    names.sort();
    let rows = names
        .into_iter()
        .map(|schema| {
            let system = schema == "INFORMATION_SCHEMA";
            vec![
                text(database),
                text(&schema),
                if system { Cell::Null } else { text(OWNER) },
                yes_no(false),
                yes_no(false),
                number(1),
                Cell::Null,
                Cell::Null,
                Cell::Null,
                Cell::Null,
                created_on(session, None),
                created_on(session, None),
                if system {
                    text("Views describing the contents of schemas in this database")
                } else {
                    Cell::Null
                },
            ]
        })
        .collect();
    Ok((COLUMNS, rows))
}

fn tables(session: &Session, database: &str) -> SfResult<View> {
    const COLUMNS: &[(&str, Col)] = &[
        ("TABLE_CATALOG", Col::Text),
        ("TABLE_SCHEMA", Col::Text),
        ("TABLE_NAME", Col::Text),
        ("TABLE_OWNER", Col::Text),
        ("TABLE_TYPE", Col::Text),
        ("IS_TRANSIENT", Col::Text),
        ("CLUSTERING_KEY", Col::Text),
        ("ROW_COUNT", Col::Number),
        ("BYTES", Col::Number),
        ("RETENTION_TIME", Col::Number),
        ("SELF_REFERENCING_COLUMN_NAME", Col::Text),
        ("REFERENCE_GENERATION", Col::Text),
        ("USER_DEFINED_TYPE_CATALOG", Col::Text),
        ("USER_DEFINED_TYPE_SCHEMA", Col::Text),
        ("USER_DEFINED_TYPE_NAME", Col::Text),
        ("IS_INSERTABLE_INTO", Col::Text),
        ("IS_TYPED", Col::Text),
        ("COMMIT_ACTION", Col::Text),
        ("CREATED", Col::Timestamp),
        ("LAST_ALTERED", Col::Timestamp),
        ("LAST_DDL", Col::Timestamp),
        ("LAST_DDL_BY", Col::Text),
        ("AUTO_CLUSTERING_ON", Col::Text),
        ("COMMENT", Col::Text),
        ("IS_TEMPORARY", Col::Text),
        ("IS_ICEBERG", Col::Text),
        ("IS_DYNAMIC", Col::Text),
        ("IS_IMMUTABLE", Col::Text),
        ("IS_HYBRID", Col::Text),
    ];
    let user = session.state().user.clone();
    let mut rows = Vec::new();
    for r in catalog::relations(session, &database_filter(database))? {
        let is_table = r.kind == RelationKind::Table;
        let kind = r.notes.kind.as_deref();
        let (row_count, bytes) = if is_table {
            let count = catalog::row_count(session, &r)?;
            (number(count), number(catalog::approximate_bytes(count)))
        } else {
            (Cell::Null, Cell::Null)
        };
        // DML moves LAST_ALTERED; DDL (a new creation time) moves it too.
        let changed_ms = session
            .shared
            .last_altered
            .of(&r.database, &r.schema, &r.name);
        let last_altered = created_on(session, changed_ms.max(r.notes.created_on_ms));
        let created_on = created_on(session, r.notes.created_on_ms);
        rows.push(vec![
            text(&r.database),
            text(&r.schema),
            text(&r.name),
            text(OWNER),
            text(match (is_table, kind) {
                (false, _) => "VIEW",
                (true, Some("TEMPORARY")) => "TEMPORARY TABLE",
                (true, _) => "BASE TABLE",
            }),
            yes_no(kind == Some("TRANSIENT")),
            Cell::Null,
            row_count,
            bytes,
            number(if is_table { 1 } else { 0 }),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            yes_no(is_table),
            yes_no(is_table),
            Cell::Null,
            created_on.clone(),
            last_altered,
            created_on,
            text(&user),
            text("NO"),
            text_or_null(r.notes.comment.clone()),
            yes_no(kind == Some("TEMPORARY")),
            yes_no(false),
            yes_no(false),
            yes_no(false),
            yes_no(false),
        ]);
    }
    Ok((COLUMNS, rows))
}

fn columns(session: &Session, database: &str) -> SfResult<View> {
    const COLUMNS: &[(&str, Col)] = &[
        ("TABLE_CATALOG", Col::Text),
        ("TABLE_SCHEMA", Col::Text),
        ("TABLE_NAME", Col::Text),
        ("COLUMN_NAME", Col::Text),
        ("ORDINAL_POSITION", Col::Number),
        ("COLUMN_DEFAULT", Col::Text),
        ("IS_NULLABLE", Col::Text),
        ("DATA_TYPE", Col::Text),
        ("CHARACTER_MAXIMUM_LENGTH", Col::Number),
        ("CHARACTER_OCTET_LENGTH", Col::Number),
        ("NUMERIC_PRECISION", Col::Number),
        ("NUMERIC_PRECISION_RADIX", Col::Number),
        ("NUMERIC_SCALE", Col::Number),
        ("DATETIME_PRECISION", Col::Number),
        ("INTERVAL_TYPE", Col::Text),
        ("INTERVAL_PRECISION", Col::Text),
        ("CHARACTER_SET_CATALOG", Col::Text),
        ("CHARACTER_SET_SCHEMA", Col::Text),
        ("CHARACTER_SET_NAME", Col::Text),
        ("COLLATION_CATALOG", Col::Text),
        ("COLLATION_SCHEMA", Col::Text),
        ("COLLATION_NAME", Col::Text),
        ("DOMAIN_CATALOG", Col::Text),
        ("DOMAIN_SCHEMA", Col::Text),
        ("DOMAIN_NAME", Col::Text),
        ("UDT_CATALOG", Col::Text),
        ("UDT_SCHEMA", Col::Text),
        ("UDT_NAME", Col::Text),
        ("SCOPE_CATALOG", Col::Text),
        ("SCOPE_SCHEMA", Col::Text),
        ("SCOPE_NAME", Col::Text),
        ("MAXIMUM_CARDINALITY", Col::Text),
        ("DTD_IDENTIFIER", Col::Text),
        ("IS_SELF_REFERENCING", Col::Text),
        ("IS_IDENTITY", Col::Text),
        ("IDENTITY_GENERATION", Col::Text),
        ("IDENTITY_START", Col::Text),
        ("IDENTITY_INCREMENT", Col::Text),
        ("IDENTITY_MAXIMUM", Col::Text),
        ("IDENTITY_MINIMUM", Col::Text),
        ("IDENTITY_CYCLE", Col::Text),
        ("IDENTITY_ORDERED", Col::Text),
        ("SCHEMA_EVOLUTION_RECORD", Col::Text),
        ("COMMENT", Col::Text),
        ("DATA_TYPE_ALIAS", Col::Text),
        ("EXPRESSION", Col::Text),
        ("KIND", Col::Text),
    ];
    let rows = catalog::columns(session, &database_filter(database))?
        .into_iter()
        .map(column_row)
        .collect();
    Ok((COLUMNS, rows))
}

fn column_row(c: ColumnInfo) -> Vec<Cell> {
    let mut row = vec![
        text(&c.database),
        text(&c.schema),
        text(&c.table),
        text(&c.name),
        number(c.ordinal),
        text_or_null(c.default.clone()),
        yes_no(c.nullable),
    ];
    row.extend(type_cells(c.sf_type));
    // DATETIME_PRECISION through DTD_IDENTIFIER: Snowflake leaves these NULL.
    row.extend(std::iter::repeat_n(Cell::Null, 20));
    row.push(yes_no(false)); // IS_SELF_REFERENCING
    row.push(yes_no(false)); // IS_IDENTITY
    row.extend(std::iter::repeat_n(Cell::Null, 8)); // IDENTITY_* and SCHEMA_EVOLUTION_RECORD
    row.extend([
        text_or_null(c.comment.clone()),
        Cell::Null,
        Cell::Null,
        text("COLUMN"),
    ]);
    row
}

fn views(session: &Session, database: &str) -> SfResult<View> {
    const COLUMNS: &[(&str, Col)] = &[
        ("TABLE_CATALOG", Col::Text),
        ("TABLE_SCHEMA", Col::Text),
        ("TABLE_NAME", Col::Text),
        ("TABLE_OWNER", Col::Text),
        ("VIEW_DEFINITION", Col::Text),
        ("CHECK_OPTION", Col::Text),
        ("IS_UPDATABLE", Col::Text),
        ("INSERTABLE_INTO", Col::Text),
        ("IS_SECURE", Col::Text),
        ("CREATED", Col::Timestamp),
        ("LAST_ALTERED", Col::Timestamp),
        ("LAST_DDL", Col::Timestamp),
        ("LAST_DDL_BY", Col::Text),
        ("COMMENT", Col::Text),
    ];
    let user = session.state().user.clone();
    let rows = catalog::relations(session, &database_filter(database))?
        .into_iter()
        .filter(|r| r.kind == RelationKind::View)
        .map(|r| {
            let created_on = created_on(session, r.notes.created_on_ms);
            vec![
                text(&r.database),
                text(&r.schema),
                text(&r.name),
                text(OWNER),
                text_or_null(r.view_text.clone()),
                text("NONE"),
                yes_no(false),
                yes_no(false),
                yes_no(r.notes.secure),
                created_on.clone(),
                created_on.clone(),
                created_on,
                text(&user),
                text_or_null(r.notes.comment.clone()),
            ]
        })
        .collect();
    Ok((COLUMNS, rows))
}

fn table_constraints(session: &Session, database: &str) -> SfResult<View> {
    const COLUMNS: &[(&str, Col)] = &[
        ("CONSTRAINT_CATALOG", Col::Text),
        ("CONSTRAINT_SCHEMA", Col::Text),
        ("CONSTRAINT_NAME", Col::Text),
        ("TABLE_CATALOG", Col::Text),
        ("TABLE_SCHEMA", Col::Text),
        ("TABLE_NAME", Col::Text),
        ("CONSTRAINT_TYPE", Col::Text),
        ("IS_DEFERRABLE", Col::Text),
        ("INITIALLY_DEFERRED", Col::Text),
        ("ENFORCED", Col::Text),
        ("COMMENT", Col::Text),
        ("CREATED", Col::Timestamp),
        ("LAST_ALTERED", Col::Timestamp),
        ("RELY", Col::Text),
    ];
    let mut rows = Vec::new();
    for r in catalog::relations(session, &database_filter(database))? {
        let keys = r
            .notes
            .primary_key
            .iter()
            .map(|k| ("PRIMARY KEY", k))
            .chain(r.notes.unique_keys.iter().map(|k| ("UNIQUE", k)));
        for (kind, key) in keys {
            let created_on = created_on(session, r.notes.created_on_ms);
            rows.push(vec![
                text(&r.database),
                text(&r.schema),
                text(&key.name),
                text(&r.database),
                text(&r.schema),
                text(&r.name),
                text(kind),
                yes_no(false),
                yes_no(false),
                yes_no(false),
                Cell::Null,
                created_on.clone(),
                created_on,
                yes_no(false),
            ]);
        }
    }
    Ok((COLUMNS, rows))
}

/// DATA_TYPE and its CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, NUMERIC_PRECISION,
/// NUMERIC_PRECISION_RADIX and NUMERIC_SCALE, as the COLUMNS and FUNCTIONS views give them.
fn type_cells(sf_type: SfType) -> [Cell; 6] {
    let (max_length, octet_length) = match sf_type {
        SfType::Text { length } => (
            number(length.into()),
            number(
                length
                    .saturating_mul(4)
                    .min(crate::types::MAX_TEXT_LENGTH)
                    .into(),
            ),
        ),
        SfType::Binary { length } => (number(length.into()), number(length.into())),
        _ => (Cell::Null, Cell::Null),
    };
    let (precision, radix, scale) = match sf_type {
        SfType::Fixed { precision, scale } => {
            (number(precision.into()), number(10), number(scale.into()))
        }
        _ => (Cell::Null, Cell::Null, Cell::Null),
    };
    let data_type = match sf_type {
        SfType::Fixed { .. } => "NUMBER".to_string(),
        SfType::Real => "FLOAT".to_string(),
        other => other.wire_name().to_uppercase(),
    };
    [
        text(data_type),
        max_length,
        octet_length,
        precision,
        radix,
        scale,
    ]
}

/// The sequences of a database (the hidden ones behind identity columns left out, as
/// Snowflake does not list those either).
fn sequences(session: &Session, database: &str) -> SfResult<View> {
    let rows = catalog::sequences(session, &database_filter(database))?
        .into_iter()
        .map(|s| {
            vec![
                text(&s.database),
                text(&s.schema),
                text(&s.name),
                text(OWNER),
                text("NUMBER"),
                number(38),
                number(10),
                number(0),
                text(s.start.to_string()),
                text(s.minimum.to_string()),
                text(s.maximum.to_string()),
                text(s.next_value.to_string()),
                text(s.increment.to_string()),
                text("NO"),
                created_on(session, None),
                created_on(session, None),
                text("NO"),
                Cell::Null,
            ]
        })
        .collect();
    Ok((SEQUENCE_COLUMNS, rows))
}

/// The database's SQL user-defined functions.
fn functions(session: &Session, database: &str) -> SfResult<View> {
    let rows = catalog::user_functions(session, &database_filter(database))?
        .into_iter()
        .map(|f| {
            let signature = &f.signature;
            let mut row = vec![
                text(&f.database),
                text(&f.schema),
                text(&f.name),
                text(OWNER),
                text(signature.argument_signature()),
            ];
            match SfType::parse(&signature.returns) {
                Ok(sf_type) if !signature.is_table() => row.extend(type_cells(sf_type)),
                _ => {
                    row.push(text(signature.returns_display()));
                    row.extend(std::iter::repeat_n(Cell::Null, 5));
                }
            }
            row.extend([
                text("SQL"),
                text(&signature.body),
                text(if signature.immutable {
                    "IMMUTABLE"
                } else {
                    "VOLATILE"
                }),
                yes_no(!signature.strict),
                yes_no(signature.secure),
                created_on(session, None),
                created_on(session, None),
                text_or_null(signature.comment.clone()),
            ]);
            row
        })
        .collect();
    Ok((FUNCTION_COLUMNS, rows))
}

/// The FUNCTIONS view's columns Mockhaus fills (Snowflake's view has more, about external
/// and non-SQL functions).
const FUNCTION_COLUMNS: &[(&str, Col)] = &[
    ("FUNCTION_CATALOG", Col::Text),
    ("FUNCTION_SCHEMA", Col::Text),
    ("FUNCTION_NAME", Col::Text),
    ("FUNCTION_OWNER", Col::Text),
    ("ARGUMENT_SIGNATURE", Col::Text),
    ("DATA_TYPE", Col::Text),
    ("CHARACTER_MAXIMUM_LENGTH", Col::Number),
    ("CHARACTER_OCTET_LENGTH", Col::Number),
    ("NUMERIC_PRECISION", Col::Number),
    ("NUMERIC_PRECISION_RADIX", Col::Number),
    ("NUMERIC_SCALE", Col::Number),
    ("FUNCTION_LANGUAGE", Col::Text),
    ("FUNCTION_DEFINITION", Col::Text),
    ("VOLATILITY", Col::Text),
    ("IS_NULL_CALL", Col::Text),
    ("IS_SECURE", Col::Text),
    ("CREATED", Col::Timestamp),
    ("LAST_ALTERED", Col::Timestamp),
    ("COMMENT", Col::Text),
];

const SEQUENCE_COLUMNS: &[(&str, Col)] = &[
    ("SEQUENCE_CATALOG", Col::Text),
    ("SEQUENCE_SCHEMA", Col::Text),
    ("SEQUENCE_NAME", Col::Text),
    ("SEQUENCE_OWNER", Col::Text),
    ("DATA_TYPE", Col::Text),
    ("NUMERIC_PRECISION", Col::Number),
    ("NUMERIC_PRECISION_RADIX", Col::Number),
    ("NUMERIC_SCALE", Col::Number),
    ("START_VALUE", Col::Text),
    ("MINIMUM_VALUE", Col::Text),
    ("MAXIMUM_VALUE", Col::Text),
    ("NEXT_VALUE", Col::Text),
    ("INCREMENT", Col::Text),
    ("CYCLE_OPTION", Col::Text),
    ("CREATED", Col::Timestamp),
    ("LAST_ALTERED", Col::Timestamp),
    ("ORDERED", Col::Text),
    ("COMMENT", Col::Text),
];
