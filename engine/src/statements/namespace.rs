//! Databases and schemas: each Snowflake database is its own DuckDB catalog (an attached
//! in-memory database) created with a PUBLIC schema; CREATE makes the new object current.

use sqlparser::ast::{ObjectName, SchemaName, Use};

use super::catalog::{database_exists, schema_exists};
use super::transactions::implicit_commit;
use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::rewrite::idents::{normalize, quote};
use crate::session::Session;

const PUBLIC: &str = "PUBLIC";

fn parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|p| p.as_ident().map(normalize).unwrap_or_else(|| p.to_string()))
        .collect()
}

fn single_name(name: &ObjectName) -> SfResult<String> {
    match parts(name).as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(SfError::syntax(format!("invalid database name '{name}'"))),
    }
}

pub fn create_database(
    session: &mut Session,
    name: &ObjectName,
    if_not_exists: bool,
    or_replace: bool,
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let db = single_name(name)?;
    if database_exists(session, &db)? {
        if if_not_exists {
            return Ok(already_exists(&db));
        }
        if !or_replace {
            return Err(SfError::already_exists("Object", &db));
        }
        detach(session, &db)?;
    }
    session.run_internal(&format!("ATTACH ':memory:' AS {}", quote(&db)))?;
    session.run_internal(&format!("CREATE SCHEMA {}.{}", quote(&db), quote(PUBLIC)))?;
    session.state.database = Some(db.clone());
    session.state.schema = Some(PUBLIC.into());
    session.sync_search_path()?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("Database {db} successfully created."),
    ))
}

pub fn drop_database(
    session: &mut Session,
    if_exists: bool,
    names: &[ObjectName],
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let db = single_name(
        names
            .first()
            .ok_or_else(|| SfError::syntax("DROP DATABASE needs a name"))?,
    )?;
    if !database_exists(session, &db)? {
        if if_exists {
            return Ok(already_dropped(&db));
        }
        return Err(SfError::namespace_not_found("Database", &db));
    }
    detach(session, &db)?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("{db} successfully dropped."),
    ))
}

fn detach(session: &mut Session, db: &str) -> SfResult<()> {
    if session.state.database.as_deref() == Some(db) {
        session.state.database = None;
        session.state.schema = None;
        session.sync_search_path()?;
    }
    session.run_internal(&format!("DETACH {}", quote(db)))
}

pub fn create_schema(
    session: &mut Session,
    name: &SchemaName,
    if_not_exists: bool,
    or_replace: bool,
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let SchemaName::Simple(name) = name else {
        return Err(SfError::unsupported("CREATE SCHEMA ... AUTHORIZATION"));
    };
    let (db, schema) = schema_target(session, name, "CREATE SCHEMA")?;
    if schema_exists(session, &db, &schema)? {
        if if_not_exists {
            return Ok(already_exists(&schema));
        }
        if !or_replace {
            return Err(SfError::already_exists("Object", &schema));
        }
        session.run_internal(&format!(
            "DROP SCHEMA {}.{} CASCADE",
            quote(&db),
            quote(&schema)
        ))?;
    }
    session.run_internal(&format!("CREATE SCHEMA {}.{}", quote(&db), quote(&schema)))?;
    session.state.database = Some(db);
    session.state.schema = Some(schema.clone());
    session.sync_search_path()?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("Schema {schema} successfully created."),
    ))
}

pub fn drop_schema(
    session: &mut Session,
    if_exists: bool,
    names: &[ObjectName],
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let name = names
        .first()
        .ok_or_else(|| SfError::syntax("DROP SCHEMA needs a name"))?;
    let (db, schema) = schema_target(session, name, "DROP SCHEMA")?;
    if !schema_exists(session, &db, &schema)? {
        if if_exists {
            return Ok(already_dropped(&schema));
        }
        return Err(SfError::namespace_not_found(
            "Schema",
            &format!("{db}.{schema}"),
        ));
    }
    if session.state.database.as_deref() == Some(db.as_str())
        && session.state.schema.as_deref() == Some(&schema)
    {
        session.state.schema = None;
        session.sync_search_path()?;
    }
    session.run_internal(&format!(
        "DROP SCHEMA {}.{} CASCADE",
        quote(&db),
        quote(&schema)
    ))?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("{schema} successfully dropped."),
    ))
}

/// `[db.]schema` resolved against the current database.
fn schema_target(session: &Session, name: &ObjectName, action: &str) -> SfResult<(String, String)> {
    match parts(name).as_slice() {
        [schema] => {
            let db = session
                .state
                .database
                .clone()
                .ok_or_else(|| SfError::no_current_database(action))?;
            Ok((db, schema.clone()))
        }
        [db, schema] => {
            if !database_exists(session, db)? {
                return Err(SfError::namespace_not_found("Database", db));
            }
            Ok((db.clone(), schema.clone()))
        }
        _ => Err(SfError::syntax(format!("invalid schema name '{name}'"))),
    }
}

pub fn use_object(session: &mut Session, target: &Use) -> SfResult<QueryResult> {
    match target {
        Use::Database(name) => use_database(session, &single_name(name)?)?,
        Use::Schema(name) => use_schema(session, name)?,
        Use::Object(name) if parts(name).len() == 1 => use_database(session, &single_name(name)?)?,
        Use::Object(name) => use_schema(session, name)?,
        Use::Warehouse(name) => session.state.warehouse = Some(single_name(name)?),
        Use::Role(name) => session.state.role = single_name(name)?,
        Use::SecondaryRoles(_) => {}
        other => return Err(SfError::unsupported(other.to_string())),
    }
    Ok(QueryResult::status(
        StatementKind::Use,
        "Statement executed successfully.",
    ))
}

fn use_database(session: &mut Session, db: &str) -> SfResult<()> {
    if !database_exists(session, db)? {
        return Err(SfError::namespace_not_found("Database", db));
    }
    session.state.database = Some(db.to_string());
    session.state.schema = schema_exists(session, db, PUBLIC)?.then(|| PUBLIC.to_string());
    session.sync_search_path()
}

fn use_schema(session: &mut Session, name: &ObjectName) -> SfResult<()> {
    let (db, schema) = schema_target(session, name, "USE SCHEMA")?;
    if !schema_exists(session, &db, &schema)? {
        return Err(SfError::namespace_not_found(
            "Schema",
            &format!("{db}.{schema}"),
        ));
    }
    session.state.database = Some(db);
    session.state.schema = Some(schema);
    session.sync_search_path()
}

pub(super) fn already_exists(name: &str) -> QueryResult {
    QueryResult::status(
        StatementKind::Ddl,
        format!("{name} already exists, statement succeeded."),
    )
}

pub(super) fn already_dropped(name: &str) -> QueryResult {
    QueryResult::status(
        StatementKind::Ddl,
        format!("Drop statement executed successfully ({name} already dropped)."),
    )
}
