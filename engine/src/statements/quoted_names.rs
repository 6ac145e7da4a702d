//! Quoted identifiers are case-sensitive in Snowflake but DuckDB resolves every name without
//! regard to case, so `"name"` would silently find a column `NAME`. Before a query or DML
//! runs, each quoted name with lower-case letters must exist with exactly that spelling
//! (or be defined by the statement itself, as an alias or CTE); otherwise it is Snowflake's
//! 000904 (columns) or 002003 (tables).

use std::collections::HashSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, Ident, ObjectName, Query, SelectItem, SetExpr, Statement, TableFactor, Visit, Visitor,
};

use crate::error::{SfError, SfResult};
use crate::session::Session;

pub fn check(session: &Session, statement: &Statement) -> SfResult<()> {
    let mut names = QuotedNames::default();
    let _ = statement.visit(&mut names);
    for column in names.columns.difference(&names.defined) {
        if !exists(
            session,
            "SELECT column_name FROM duckdb_columns() WHERE column_name = ? AND NOT internal LIMIT 1",
            column,
        )? {
            return Err(SfError::invalid_identifier(&format!("\"{column}\"")));
        }
    }
    for table in names.tables.difference(&names.defined) {
        let sql = "SELECT table_name FROM duckdb_tables() WHERE table_name = ? AND NOT internal \
                   UNION ALL SELECT view_name FROM duckdb_views() WHERE view_name = ? AND NOT internal LIMIT 1";
        if !exists(session, sql, table)? {
            return Err(SfError::table_not_found("Object", &format!("\"{table}\"")));
        }
    }
    Ok(())
}

fn exists(session: &Session, sql: &str, name: &str) -> SfResult<bool> {
    let params = vec![name; sql.matches('?').count()];
    Ok(!session.catalog_rows(sql, &params, 1)?.is_empty())
}

/// Quoted, not-all-upper-case names used as columns and tables, and names the statement defines.
#[derive(Default)]
struct QuotedNames {
    columns: HashSet<String>,
    tables: HashSet<String>,
    defined: HashSet<String>,
}

fn case_sensitive(ident: &Ident) -> Option<String> {
    (ident.quote_style == Some('"') && ident.value != ident.value.to_uppercase())
        .then(|| ident.value.clone())
}

impl Visitor for QuotedNames {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.defined.insert(cte.alias.name.value.clone());
                self.defined
                    .extend(cte.alias.columns.iter().map(|c| c.name.value.clone()));
            }
        }
        if let SetExpr::Select(select) = query.body.as_ref() {
            for item in &select.projection {
                if let SelectItem::ExprWithAlias { alias, .. } = item {
                    self.defined.insert(alias.value.clone());
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        let alias = match factor {
            TableFactor::Table { alias, .. } | TableFactor::Derived { alias, .. } => alias.as_ref(),
            _ => None,
        };
        if let Some(alias) = alias {
            self.defined.insert(alias.name.value.clone());
            self.defined
                .extend(alias.columns.iter().map(|c| c.name.value.clone()));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        if let Some(name) = relation
            .0
            .last()
            .and_then(|part| part.as_ident())
            .and_then(case_sensitive)
        {
            self.tables.insert(name);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        let column = match expr {
            Expr::Identifier(ident) => Some(ident),
            Expr::CompoundIdentifier(parts) => parts.last(),
            _ => None,
        };
        if let Some(name) = column.and_then(case_sensitive) {
            self.columns.insert(name);
        }
        ControlFlow::Continue(())
    }
}
