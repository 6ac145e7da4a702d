//! SHOW commands: Snowflake's column sets, scopes and name filters over the catalog.

use sqlparser::ast::ObjectName;

use super::catalog::{self, ColumnInfo, Filter, Relation, RelationKind};
use super::listing::{number, text, text_or_null, timestamp_ms, yes_no, Col, Listing, NameFilter};
use super::notes::KeyNote;
use super::show_account;
use super::{created_on, OWNER};
use crate::commands::{Scope, Show, ShowObjects};
use crate::error::{SfError, SfResult};
use crate::result::{Cell, QueryResult, StatementKind};
use crate::rewrite::idents::normalize;
use crate::session::Session;
use crate::statements::catalog::{database_exists, schema_exists};

pub(crate) fn run(session: &Session, show: &Show) -> SfResult<QueryResult> {
    let names = NameFilter {
        like: show.like.clone(),
        starts_with: show.starts_with.clone(),
        limit: show.limit,
        from: show.from.clone(),
    };
    let result = match show.objects {
        ShowObjects::Databases => databases(session, &names),
        ShowObjects::Schemas => schemas(session, show, &names),
        ShowObjects::Tables | ShowObjects::Views | ShowObjects::Objects => {
            relations(session, show, &names)
        }
        ShowObjects::Columns => columns(session, show, &names),
        ShowObjects::PrimaryKeys | ShowObjects::UniqueKeys => keys(session, show),
        ShowObjects::ImportedKeys => imported_keys(session, show),
        ShowObjects::Sequences => sequences(session, show, &names),
        ShowObjects::Variables => Ok(variables(session, &names)),
        ShowObjects::Parameters => parameters(session, show, &names),
        ShowObjects::UserFunctions => user_functions(session, show, &names),
        ShowObjects::Procedures => Ok(empty(ROUTINE_COLUMNS)),
        ShowObjects::Functions => functions(session, show, &names),
        ShowObjects::Warehouses => Ok(show_account::warehouses(session, &names)),
        ShowObjects::Roles => Ok(show_account::roles(session, &names)),
        ShowObjects::Users => Ok(show_account::users(session, &names)),
    }?;
    Ok(result)
}

fn empty(columns: &[(&str, Col)]) -> QueryResult {
    Listing::new(columns).finish(StatementKind::Show)
}

fn databases(session: &Session, names: &NameFilter) -> SfResult<QueryResult> {
    let mut listing = Listing::new(&[
        ("created_on", Col::Timestamp),
        ("name", Col::Text),
        ("is_default", Col::Text),
        ("is_current", Col::Text),
        ("origin", Col::Text),
        ("owner", Col::Text),
        ("comment", Col::Text),
        ("options", Col::Text),
        ("retention_time", Col::Text),
        ("kind", Col::Text),
        ("budget", Col::Text),
        ("owner_role_type", Col::Text),
        ("object_visibility", Col::Text),
    ]);
    let current = session.state().database.as_deref();
    for name in names.apply(catalog::databases(session)?, |n| n) {
        listing.push(vec![
            created_on(session, None),
            text(&name),
            yes_no(false),
            yes_no(current == Some(name.as_str())),
            text(""),
            text(OWNER),
            text(""),
            text(""),
            text("1"),
            text("STANDARD"),
            Cell::Null,
            text("ROLE"),
            Cell::Null,
        ]);
    }
    Ok(listing.finish(StatementKind::Show))
}

fn schemas(session: &Session, show: &Show, names: &NameFilter) -> SfResult<QueryResult> {
    let filter = match &show.scope {
        Some(Scope::Account) => Filter::default(),
        Some(Scope::Database(Some(name)) | Scope::Named(name)) => Filter {
            database: Some(existing_database(session, name)?),
            ..Default::default()
        },
        None | Some(Scope::Database(None)) => match &session.state().database {
            Some(db) => Filter {
                database: Some(db.clone()),
                ..Default::default()
            },
            None if show.scope.is_none() => Filter::default(),
            None => return Err(SfError::no_current_database("SHOW SCHEMAS")),
        },
        Some(_) => return Err(SfError::unexpected("IN")),
    };
    let mut listing = Listing::new(&[
        ("created_on", Col::Timestamp),
        ("name", Col::Text),
        ("is_default", Col::Text),
        ("is_current", Col::Text),
        ("database_name", Col::Text),
        ("owner", Col::Text),
        ("comment", Col::Text),
        ("options", Col::Text),
        ("retention_time", Col::Text),
        ("owner_role_type", Col::Text),
        ("object_visibility", Col::Text),
    ]);
    let state = session.state();
    let mut found = catalog::schemas(session, &filter)?;
    // Every database has an INFORMATION_SCHEMA; Snowflake lists it with the others.
    let databases: Vec<String> = found.iter().map(|(db, _)| db.clone()).collect();
    for db in databases
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
    {
        found.push((db, "INFORMATION_SCHEMA".into()));
    }
    found.sort();
    for (db, name) in names.apply(found, |(_, n)| n) {
        let current = state.database.as_deref() == Some(db.as_str())
            && state.schema.as_deref() == Some(name.as_str());
        let system = name == "INFORMATION_SCHEMA";
        listing.push(vec![
            created_on(session, None),
            text(&name),
            yes_no(false),
            yes_no(current),
            text(&db),
            text(if system { "" } else { OWNER }),
            text(if system {
                "Views describing the contents of schemas in this database"
            } else {
                ""
            }),
            text(""),
            text("1"),
            text(if system { "" } else { "ROLE" }),
            Cell::Null,
        ]);
    }
    Ok(listing.finish(StatementKind::Show))
}

/// The database a SHOW names; 002003 when it does not exist.
fn existing_database(session: &Session, name: &ObjectName) -> SfResult<String> {
    let db = name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(normalize)
        .unwrap_or_default();
    if database_exists(session, &db)? {
        Ok(db)
    } else {
        Err(SfError::namespace_not_found("Database", &db))
    }
}

/// The database and schema a schema-scoped SHOW covers.
fn object_scope(session: &Session, show: &Show) -> SfResult<Filter> {
    let state = session.state();
    let parts = |name: &ObjectName| -> Vec<String> {
        name.0
            .iter()
            .filter_map(|p| p.as_ident())
            .map(normalize)
            .collect()
    };
    let schema_filter = |db: String, schema: String| -> SfResult<Filter> {
        if !database_exists(session, &db)? {
            return Err(SfError::namespace_not_found("Database", &db));
        }
        if !schema_exists(session, &db, &schema)? {
            return Err(SfError::namespace_not_found(
                "Schema",
                &format!("{db}.{schema}"),
            ));
        }
        Ok(Filter {
            database: Some(db),
            schema: Some(schema),
            table: None,
        })
    };
    let current_db = || {
        state
            .database
            .clone()
            .ok_or_else(|| SfError::no_current_database("SHOW"))
    };
    match &show.scope {
        Some(Scope::Account) => Ok(Filter::default()),
        Some(Scope::Database(Some(name))) => Ok(Filter {
            database: Some(existing_database(session, name)?),
            ..Default::default()
        }),
        Some(Scope::Database(None)) => Ok(Filter {
            database: Some(current_db()?),
            ..Default::default()
        }),
        Some(Scope::Schema(None)) => match &state.schema {
            Some(schema) => schema_filter(current_db()?, schema.clone()),
            None => Err(SfError::no_current_schema("SHOW")),
        },
        Some(Scope::Schema(Some(name))) => match parts(name).as_slice() {
            [schema] => schema_filter(current_db()?, schema.clone()),
            [db, schema] => schema_filter(db.clone(), schema.clone()),
            _ => Err(SfError::syntax(format!("invalid schema name '{name}'"))),
        },
        Some(Scope::Named(name)) => match parts(name).as_slice() {
            [db, schema] => schema_filter(db.clone(), schema.clone()),
            [one] => match &state.database {
                Some(db) if schema_exists(session, db, one)? => {
                    schema_filter(db.clone(), one.clone())
                }
                _ => Ok(Filter {
                    database: Some(existing_database(session, name)?),
                    ..Default::default()
                }),
            },
            _ => table_scope(session, name),
        },
        Some(Scope::Table(name)) => table_scope(session, name),
        // Without IN: the current database, else the account (Snowflake's documented default).
        None => Ok(Filter {
            database: state.database.clone(),
            ..Default::default()
        }),
    }
}

/// One table or view; 002003 when it does not exist.
fn table_scope(session: &Session, name: &ObjectName) -> SfResult<Filter> {
    let table = crate::statements::QualifiedName::resolve(session, name, "SHOW")?;
    let filter = Filter::table(&table);
    if catalog::relations(session, &filter)?.is_empty() {
        return Err(SfError::table_not_found("Table", &table.display()));
    }
    Ok(filter)
}

/// SHOW TABLES tells a transient or temporary table by its `kind`; SHOW OBJECTS gives the
/// object's kind only (TABLE), which dbt-snowflake relies on: it reads any other kind of a
/// table as an external table and drops it as one.
fn relation_kind_name(relation: &Relation, objects: ShowObjects) -> &str {
    match relation.kind {
        RelationKind::View => "VIEW",
        RelationKind::Table if objects == ShowObjects::Tables => {
            relation.notes.kind.as_deref().unwrap_or("TABLE")
        }
        RelationKind::Table => "TABLE",
    }
}

fn relations(session: &Session, show: &Show, names: &NameFilter) -> SfResult<QueryResult> {
    if matches!(show.scope, Some(Scope::Table(_))) {
        return Err(SfError::unexpected("TABLE"));
    }
    let filter = object_scope(session, show)?;
    let found: Vec<Relation> = catalog::relations(session, &filter)?
        .into_iter()
        .filter(|r| match show.objects {
            ShowObjects::Tables => r.kind == RelationKind::Table,
            ShowObjects::Views => r.kind == RelationKind::View,
            _ => true,
        })
        .collect();
    // Snowflake orders by database, schema, then name; the catalog already reads them so.
    let found = names.apply(found, |r| &r.name);
    if show.terse {
        let mut listing = Listing::new(&[
            ("created_on", Col::Timestamp),
            ("name", Col::Text),
            ("kind", Col::Text),
            ("database_name", Col::Text),
            ("schema_name", Col::Text),
        ]);
        for r in &found {
            listing.push(vec![
                created_on(session, r.notes.created_on_ms),
                text(&r.name),
                text(relation_kind_name(r, show.objects)),
                text(&r.database),
                text(&r.schema),
            ]);
        }
        return Ok(listing.finish(StatementKind::Show));
    }
    match show.objects {
        ShowObjects::Views => views(session, &found),
        ShowObjects::Tables => tables(session, &found, TABLE_COLUMNS, show.objects),
        _ => tables(session, &found, OBJECT_COLUMNS, show.objects),
    }
}

/// The order real SHOW TABLES results have (the documentation's table lists `kind` fifth).
const TABLE_COLUMNS: &[(&str, Col)] = &[
    ("created_on", Col::Timestamp),
    ("name", Col::Text),
    ("kind", Col::Text),
    ("database_name", Col::Text),
    ("schema_name", Col::Text),
    ("comment", Col::Text),
    ("cluster_by", Col::Text),
    ("rows", Col::Number),
    ("bytes", Col::Number),
    ("owner", Col::Text),
    ("retention_time", Col::Text),
    ("automatic_clustering", Col::Text),
    ("change_tracking", Col::Text),
    ("search_optimization", Col::Text),
    ("search_optimization_progress", Col::Text),
    ("search_optimization_bytes", Col::Number),
    ("is_external", Col::Text),
    ("enable_schema_evolution", Col::Text),
    ("owner_role_type", Col::Text),
    ("is_event", Col::Text),
    ("budget", Col::Text),
    ("is_hybrid", Col::Text),
    ("is_iceberg", Col::Text),
    ("is_dynamic", Col::Text),
    ("is_immutable", Col::Text),
];

const OBJECT_COLUMNS: &[(&str, Col)] = &[
    ("created_on", Col::Timestamp),
    ("name", Col::Text),
    ("database_name", Col::Text),
    ("schema_name", Col::Text),
    ("kind", Col::Text),
    ("comment", Col::Text),
    ("cluster_by", Col::Text),
    ("rows", Col::Number),
    ("bytes", Col::Number),
    ("owner", Col::Text),
    ("retention_time", Col::Text),
    ("owner_role_type", Col::Text),
    ("is_hybrid", Col::Text),
    ("is_dynamic", Col::Text),
    ("is_iceberg", Col::Text),
];

/// SHOW TABLES / SHOW OBJECTS rows, each column by name: the facts Mockhaus has, then the
/// flags it has no counterpart for, as Snowflake reports them for a plain table.
fn tables(
    session: &Session,
    found: &[Relation],
    columns: &[(&str, Col)],
    objects: ShowObjects,
) -> SfResult<QueryResult> {
    let mut listing = Listing::new(columns);
    for r in found {
        let is_table = r.kind == RelationKind::Table;
        let (rows, bytes) = if is_table {
            table_size(session, r)?
        } else {
            (Cell::Null, Cell::Null)
        };
        let temporary = r.notes.kind.as_deref() == Some("TEMPORARY");
        let row = columns
            .iter()
            .map(|(name, _)| match *name {
                "created_on" => created_on(session, r.notes.created_on_ms),
                "name" => text(&r.name),
                "database_name" => text(&r.database),
                "schema_name" => text(&r.schema),
                "kind" => text(relation_kind_name(r, objects)),
                "comment" => text(r.notes.comment.clone().unwrap_or_default()),
                "cluster_by" => text(""),
                "rows" => rows.clone(),
                "bytes" => bytes.clone(),
                "owner" => text(OWNER),
                "retention_time" => text(if temporary || !is_table { "0" } else { "1" }),
                "automatic_clustering" | "change_tracking" | "search_optimization" => text("OFF"),
                "search_optimization_progress" | "search_optimization_bytes" | "budget" => {
                    Cell::Null
                }
                "owner_role_type" => text("ROLE"),
                _ => text("N"),
            })
            .collect();
        listing.push(row);
    }
    Ok(listing.finish(StatementKind::Show))
}

/// Row count and an estimate of bytes (DuckDB's in-memory tables have no stored size).
fn table_size(session: &Session, relation: &Relation) -> SfResult<(Cell, Cell)> {
    let count = catalog::row_count(session, relation)?;
    Ok((number(count), number(catalog::approximate_bytes(count))))
}

fn views(session: &Session, found: &[Relation]) -> SfResult<QueryResult> {
    let mut listing = Listing::new(&[
        ("created_on", Col::Timestamp),
        ("name", Col::Text),
        ("reserved", Col::Text),
        ("database_name", Col::Text),
        ("schema_name", Col::Text),
        ("owner", Col::Text),
        ("comment", Col::Text),
        ("text", Col::Text),
        ("is_secure", Col::Text),
        ("is_materialized", Col::Text),
        ("owner_role_type", Col::Text),
        ("change_tracking", Col::Text),
    ]);
    for r in found {
        listing.push(vec![
            created_on(session, r.notes.created_on_ms),
            text(&r.name),
            text(""),
            text(&r.database),
            text(&r.schema),
            text(OWNER),
            text(r.notes.comment.clone().unwrap_or_default()),
            text_or_null(r.view_text.clone()),
            text(if r.notes.secure { "true" } else { "false" }),
            text("false"),
            text("ROLE"),
            text("OFF"),
        ]);
    }
    Ok(listing.finish(StatementKind::Show))
}

fn columns(session: &Session, show: &Show, names: &NameFilter) -> SfResult<QueryResult> {
    let filter = object_scope(session, show)?;
    let found: Vec<ColumnInfo> = catalog::columns(session, &filter)?;
    let mut listing = Listing::new(&[
        ("table_name", Col::Text),
        ("schema_name", Col::Text),
        ("column_name", Col::Text),
        ("data_type", Col::Text),
        ("null?", Col::Text),
        ("default", Col::Text),
        ("kind", Col::Text),
        ("expression", Col::Text),
        ("comment", Col::Text),
        ("database_name", Col::Text),
        ("autoincrement", Col::Text),
        ("schema_evolution_record", Col::Text),
    ]);
    for c in names.apply(found, |c| &c.name) {
        listing.push(vec![
            text(&c.table),
            text(&c.schema),
            text(&c.name),
            text(super::data_type_json(c.sf_type, c.nullable)),
            text(if c.nullable { "true" } else { "false" }),
            text(c.default.clone().unwrap_or_default()),
            text("COLUMN"),
            text(""),
            text(c.comment.clone().unwrap_or_default()),
            text(&c.database),
            text(""),
            Cell::Null,
        ]);
    }
    Ok(listing.finish(StatementKind::Show))
}

const KEY_COLUMNS: &[(&str, Col)] = &[
    ("created_on", Col::Timestamp),
    ("database_name", Col::Text),
    ("schema_name", Col::Text),
    ("table_name", Col::Text),
    ("column_name", Col::Text),
    ("key_sequence", Col::Number),
    ("constraint_name", Col::Text),
    ("rely", Col::Text),
    ("comment", Col::Text),
];

/// SHOW PRIMARY KEYS / UNIQUE KEYS: one row per key column, from the table's notes.
fn keys(session: &Session, show: &Show) -> SfResult<QueryResult> {
    let filter = object_scope(session, show)?;
    let mut listing = Listing::new(KEY_COLUMNS);
    for r in catalog::relations(session, &filter)? {
        let keys: Vec<&KeyNote> = if show.objects == ShowObjects::PrimaryKeys {
            r.notes.primary_key.iter().collect()
        } else {
            r.notes.unique_keys.iter().collect()
        };
        for key in keys {
            for (i, column) in key.columns.iter().enumerate() {
                listing.push(vec![
                    created_on(session, r.notes.created_on_ms),
                    text(&r.database),
                    text(&r.schema),
                    text(&r.name),
                    text(column),
                    number(i as i64 + 1),
                    text(&key.name),
                    text("false"),
                    Cell::Null,
                ]);
            }
        }
    }
    Ok(listing.finish(StatementKind::Show))
}

/// SHOW IMPORTED KEYS: foreign keys are not recorded yet, so there are none to list.
fn imported_keys(session: &Session, show: &Show) -> SfResult<QueryResult> {
    object_scope(session, show)?;
    Ok(empty(&[
        ("created_on", Col::Timestamp),
        ("pk_database_name", Col::Text),
        ("pk_schema_name", Col::Text),
        ("pk_table_name", Col::Text),
        ("pk_column_name", Col::Text),
        ("fk_database_name", Col::Text),
        ("fk_schema_name", Col::Text),
        ("fk_table_name", Col::Text),
        ("fk_column_name", Col::Text),
        ("key_sequence", Col::Number),
        ("update_rule", Col::Text),
        ("delete_rule", Col::Text),
        ("fk_name", Col::Text),
        ("pk_name", Col::Text),
        ("deferrability", Col::Text),
        ("rely", Col::Text),
        ("comment", Col::Text),
    ]))
}

const SEQUENCE_COLUMNS: &[(&str, Col)] = &[
    ("created_on", Col::Timestamp),
    ("name", Col::Text),
    ("schema_name", Col::Text),
    ("database_name", Col::Text),
    ("next_value", Col::Number),
    ("interval", Col::Number),
    ("owner", Col::Text),
    ("owner_role_type", Col::Text),
    ("comment", Col::Text),
    ("ordered", Col::Text),
];

/// SHOW PROCEDURES' columns: SHOW FUNCTIONS' first fourteen.
const ROUTINE_COLUMNS: &[(&str, Col)] = show_account::FUNCTION_COLUMNS.split_at(14).0;

/// SHOW USER FUNCTIONS: the SQL functions made by CREATE FUNCTION, with SHOW FUNCTIONS'
/// columns.
fn user_functions(session: &Session, show: &Show, names: &NameFilter) -> SfResult<QueryResult> {
    let filter = object_scope(session, show)?;
    Ok(function_listing(
        user_function_rows(session, &filter)?,
        names,
    ))
}

/// SHOW FUNCTIONS: the built-in functions and the user functions (in the account, or within
/// IN's scope), one list by name, as Snowflake lists them.
fn functions(session: &Session, show: &Show, names: &NameFilter) -> SfResult<QueryResult> {
    let filter = match show.scope {
        Some(_) => object_scope(session, show)?,
        None => Filter::default(),
    };
    let mut rows = show_account::builtin_function_rows(session);
    rows.extend(user_function_rows(session, &filter)?);
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(function_listing(rows, names))
}

fn function_listing(rows: Vec<(String, Vec<Cell>)>, names: &NameFilter) -> QueryResult {
    let mut listing = Listing::new(show_account::FUNCTION_COLUMNS);
    for (_, row) in names.apply(rows, |(name, _)| name) {
        listing.push(row);
    }
    listing.finish(StatementKind::Show)
}

/// One SHOW FUNCTIONS row per user function within `filter`, with its name.
fn user_function_rows(session: &Session, filter: &Filter) -> SfResult<Vec<(String, Vec<Cell>)>> {
    let mut rows = Vec::new();
    for f in catalog::user_functions(session, filter)? {
        let signature = &f.signature;
        let row = show_account::function_row(
            session,
            show_account::FunctionRow {
                name: &f.name,
                schema: &f.schema,
                catalog: &f.database,
                builtin: false,
                aggregate: false,
                table: signature.is_table(),
                secure: signature.secure,
                arguments: signature.arguments.len() as i64,
                signature: signature.display(&f.name),
                description: signature
                    .comment
                    .as_deref()
                    .unwrap_or("user-defined function"),
            },
        );
        rows.push((f.name.clone(), row));
    }
    Ok(rows)
}

/// SHOW VARIABLES: the session's variables, by name.
fn variables(session: &Session, names: &NameFilter) -> QueryResult {
    let mut listing = Listing::new(&[
        ("session_id", Col::Number),
        ("created_on", Col::Timestamp),
        ("updated_on", Col::Timestamp),
        ("name", Col::Text),
        ("value", Col::Text),
        ("type", Col::Text),
        ("comment", Col::Text),
    ]);
    let found: Vec<_> = session.state().variables.iter().collect();
    for (name, variable) in names.apply(found, |(name, _)| name) {
        listing.push(vec![
            number(0),
            timestamp_ms(variable.created_on_ms),
            timestamp_ms(variable.updated_on_ms),
            text(name),
            text_or_null(variable.display.clone()),
            text(&variable.type_name),
            text(""),
        ]);
    }
    listing.finish(StatementKind::Show)
}

/// SHOW PARAMETERS [LIKE ...] [IN SESSION | ACCOUNT | USER]: the session parameters Mockhaus
/// knows, with the session's ALTER SESSION values at level SESSION (IN SESSION, the default);
/// IN ACCOUNT / USER give the defaults. Object parameters (IN DATABASE, TABLE ...) are 000002.
fn parameters(session: &Session, show: &Show, names: &NameFilter) -> SfResult<QueryResult> {
    let with_session = match &show.scope {
        None => true,
        Some(Scope::Account) => false,
        Some(Scope::Named(name)) if name.0.len() == 1 => {
            match name.0[0]
                .as_ident()
                .map(normalize)
                .unwrap_or_default()
                .as_str()
            {
                "SESSION" => true,
                "USER" => false,
                other => return Err(SfError::unsupported(format!("SHOW PARAMETERS IN {other}"))),
            }
        }
        Some(_) => return Err(SfError::unsupported("SHOW PARAMETERS of an object")),
    };
    let no_overrides = std::collections::BTreeMap::new();
    let overrides = if with_session {
        &session.state().parameters
    } else {
        &no_overrides
    };
    let mut listing = Listing::new(&[
        ("key", Col::Text),
        ("value", Col::Text),
        ("default", Col::Text),
        ("level", Col::Text),
        ("description", Col::Text),
        ("type", Col::Text),
    ]);
    let listed = crate::session_parameters::listed(overrides);
    for p in names.apply(listed, |p| &p.name) {
        listing.push(vec![
            text(&p.name),
            text(parameter_text(&p.value)),
            text(parameter_text(&p.default)),
            text(if p.set_in_session { "SESSION" } else { "" }),
            text(""),
            text(match p.default {
                serde_json::Value::Bool(_) => "BOOLEAN",
                serde_json::Value::Number(_) => "NUMBER",
                _ => "STRING",
            }),
        ]);
    }
    Ok(listing.finish(StatementKind::Show))
}

/// A parameter's value as SHOW PARAMETERS shows it: `true`, `3600`, text unquoted.
fn parameter_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// SHOW SEQUENCES: DuckDB's sequences, with the value NEXTVAL would give next.
fn sequences(session: &Session, show: &Show, names: &NameFilter) -> SfResult<QueryResult> {
    let filter = object_scope(session, show)?;
    let mut listing = Listing::new(SEQUENCE_COLUMNS);
    for s in names.apply(catalog::sequences(session, &filter)?, |s| &s.name) {
        listing.push(vec![
            created_on(session, None),
            text(&s.name),
            text(&s.schema),
            text(&s.database),
            number(s.next_value),
            number(s.increment),
            text(OWNER),
            text("ROLE"),
            text(""),
            text("N"),
        ]);
    }
    Ok(listing.finish(StatementKind::Show))
}
