//! Name resolution against the session's current database and schema, and existence checks
//! against DuckDB's catalog.

use sqlparser::ast::ObjectName;

use crate::error::{SfError, SfResult};
use crate::rewrite::idents::{normalize, quote};
use crate::session::Session;

/// A fully resolved `DATABASE.SCHEMA.NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct QualifiedName {
    pub database: String,
    pub schema: String,
    pub name: String,
}

impl QualifiedName {
    /// Resolves a one-, two- or three-part name; `action` names the statement for 090105/090106.
    pub fn resolve(session: &Session, name: &ObjectName, action: &str) -> SfResult<QualifiedName> {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| p.as_ident().map(normalize).unwrap_or_else(|| p.to_string()))
            .collect();
        let state = session.state();
        let current_db = || {
            state
                .database
                .clone()
                .ok_or_else(|| SfError::no_current_database(action))
        };
        let current_schema = || {
            state
                .schema
                .clone()
                .ok_or_else(|| SfError::no_current_schema(action))
        };
        let (database, schema, name) = match parts.as_slice() {
            [n] => (current_db()?, current_schema()?, n.clone()),
            [s, n] => (current_db()?, s.clone(), n.clone()),
            [d, s, n] => (d.clone(), s.clone(), n.clone()),
            _ => return Err(SfError::syntax(format!("invalid object name '{name}'"))),
        };
        Ok(QualifiedName {
            database,
            schema,
            name,
        })
    }

    /// The name quoted for DuckDB.
    pub fn duckdb(&self) -> String {
        format!(
            "{}.{}.{}",
            quote(&self.database),
            quote(&self.schema),
            quote(&self.name)
        )
    }

    /// As Snowflake prints it in messages.
    pub fn display(&self) -> String {
        format!("{}.{}.{}", self.database, self.schema, self.name)
    }
}

/// What a relation name refers to in DuckDB's catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelationKind {
    Table,
    View,
}

pub(crate) fn relation_kind(
    session: &Session,
    name: &QualifiedName,
) -> SfResult<Option<RelationKind>> {
    let sql = "SELECT table_type FROM information_schema.tables \
               WHERE table_catalog = ? AND table_schema = ? AND table_name = ?";
    let kind: Option<String> =
        query_optional(session, sql, &[&name.database, &name.schema, &name.name])?;
    Ok(kind.map(|k| {
        if k == "VIEW" {
            RelationKind::View
        } else {
            RelationKind::Table
        }
    }))
}

pub(crate) fn database_exists(session: &Session, database: &str) -> SfResult<bool> {
    let sql =
        "SELECT database_name FROM duckdb_databases() WHERE database_name = ? AND NOT internal";
    Ok(query_optional(session, sql, &[database])?.is_some())
}

pub(crate) fn schema_exists(session: &Session, database: &str, schema: &str) -> SfResult<bool> {
    let sql =
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? AND schema_name = ?";
    Ok(query_optional(session, sql, &[database, schema])?.is_some())
}

fn query_optional(session: &Session, sql: &str, params: &[&str]) -> SfResult<Option<String>> {
    Ok(session
        .catalog_rows(sql, params, 1)?
        .into_iter()
        .next()
        .and_then(|row| row.into_iter().next()))
}

/// Snowflake refuses unqualified object names when the session has no current database
/// (090105) or schema (090106); CTE names are not objects and need neither.
pub(crate) fn require_context_for_names(
    session: &Session,
    statement: &sqlparser::ast::Statement,
    action: &str,
) -> SfResult<()> {
    use std::ops::ControlFlow;

    use sqlparser::ast::{visit_relations, Visit, Visitor};

    struct CteNames(Vec<String>);
    impl Visitor for CteNames {
        type Break = ();
        fn pre_visit_query(&mut self, query: &sqlparser::ast::Query) -> ControlFlow<()> {
            if let Some(with) = &query.with {
                self.0
                    .extend(with.cte_tables.iter().map(|cte| normalize(&cte.alias.name)));
            }
            ControlFlow::Continue(())
        }
    }

    let state = session.state();
    if state.database.is_some() && state.schema.is_some() {
        return Ok(());
    }
    let mut ctes = CteNames(Vec::new());
    let _ = statement.visit(&mut ctes);
    let mut missing: Option<SfError> = None;
    let _ = visit_relations(statement, |name| {
        let parts = name.0.len();
        let is_cte = parts == 1
            && name.0[0]
                .as_ident()
                .is_some_and(|i| ctes.0.contains(&normalize(i)));
        if !is_cte && parts <= 2 && state.database.is_none() {
            missing = Some(SfError::no_current_database(action));
            return ControlFlow::Break(());
        }
        if !is_cte && parts == 1 && state.schema.is_none() {
            missing = Some(SfError::no_current_schema(action));
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    missing.map_or(Ok(()), Err)
}
