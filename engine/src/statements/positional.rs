//! `$1`-style positional column references in queries: `SELECT $1, $2 FROM t` names t's
//! columns by position (and `FROM VALUES ...`'s COLUMN1, COLUMN2...). A query block whose FROM
//! is one table or VALUES list resolves its `$n` to that relation's n-th column; a bare `$n`
//! in the select list keeps `$n` as its result name, as in Snowflake. Blocks are resolved
//! innermost first, so a subquery's `$n` refers to its own FROM.

use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions_mut, Expr, Ident, Query, SelectItem, SetExpr, Statement, TableFactor, Value,
    VisitMut, VisitorMut,
};

use super::catalog::QualifiedName;
use crate::error::{SfError, SfResult};
use crate::metadata::catalog::{self, Filter};
use crate::session::Session;

/// Whether the text may hold a positional reference (most do not; skip the walk).
pub(crate) fn may_hold(sql: &str) -> bool {
    sql.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'$' && w[1].is_ascii_digit())
}

pub(crate) fn resolve(session: &Session, statement: &mut Statement) -> SfResult<()> {
    let mut resolver = Resolver {
        session,
        error: None,
    };
    let _ = statement.visit(&mut resolver);
    resolver.error.map_or(Ok(()), Err)
}

struct Resolver<'a> {
    session: &'a Session,
    error: Option<SfError>,
}

impl VisitorMut for Resolver<'_> {
    type Break = ();

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        match resolve_block(self.session, query) {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => {
                self.error = Some(err);
                ControlFlow::Break(())
            }
        }
    }
}

fn resolve_block(session: &Session, query: &mut Query) -> SfResult<()> {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return Ok(());
    };
    if !holds_positional(select.as_ref()) && !query.order_by.as_ref().is_some_and(holds_positional)
    {
        return Ok(());
    }
    let [from] = select.from.as_slice() else {
        return Ok(());
    };
    if !from.joins.is_empty() {
        return Ok(());
    }
    let Some((qualifier, columns)) = relation_columns(session, &from.relation)? else {
        return Ok(());
    };
    let column_at = |text: &str| -> SfResult<Expr> {
        let n: usize = text[1..]
            .parse()
            .map_err(|_| SfError::invalid_identifier(text))?;
        let name = n
            .checked_sub(1)
            .and_then(|i| columns.get(i))
            .ok_or_else(|| SfError::invalid_identifier(text))?;
        let column = Ident::with_quote('"', name.clone());
        Ok(match &qualifier {
            Some(q) => Expr::CompoundIdentifier(vec![q.clone(), column]),
            None => Expr::Identifier(column),
        })
    };
    // A bare `$n` in the select list keeps `$n` as its name.
    for item in &mut select.projection {
        if let SelectItem::UnnamedExpr(expr) = item {
            if let Some(text) = positional(expr) {
                let alias = Ident::with_quote('"', text.clone());
                *item = SelectItem::ExprWithAlias {
                    expr: column_at(&text)?,
                    alias,
                };
            }
        }
    }
    let mut error = None;
    let mut replace = |expr: &mut Expr| {
        if let Some(text) = positional(expr) {
            match column_at(&text) {
                Ok(column) => *expr = column,
                Err(err) => {
                    error = Some(err);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    };
    let _ = visit_expressions_mut(select.as_mut(), &mut replace);
    if let Some(order_by) = &mut query.order_by {
        let _ = visit_expressions_mut(order_by, &mut replace);
    }
    error.map_or(Ok(()), Err)
}

fn holds_positional<V: sqlparser::ast::Visit>(node: &V) -> bool {
    let mut found = false;
    let _ = sqlparser::ast::visit_expressions(node, |expr| {
        if positional(expr).is_some() {
            found = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found
}

/// `$n` as written, when the expression is one.
fn positional(expr: &Expr) -> Option<String> {
    let Expr::Value(value) = expr else {
        return None;
    };
    match &value.value {
        Value::Placeholder(text)
            if text.len() > 1
                && text.starts_with('$')
                && text[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(text.clone())
        }
        _ => None,
    }
}

/// The relation's column names in order, and the name to qualify them with (its alias).
fn relation_columns(
    session: &Session,
    relation: &TableFactor,
) -> SfResult<Option<(Option<Ident>, Vec<String>)>> {
    match relation {
        TableFactor::Table {
            name,
            alias,
            args: None,
            ..
        } => {
            let table = QualifiedName::resolve(session, name, "SELECT")?;
            let filter = Filter::table(&table);
            let columns: Vec<String> = catalog::columns(session, &filter)?
                .into_iter()
                .map(|c| c.name)
                .collect();
            if columns.is_empty() {
                return Ok(None);
            }
            Ok(Some((alias.as_ref().map(|a| a.name.clone()), columns)))
        }
        TableFactor::Derived {
            subquery, alias, ..
        } => {
            let qualifier = alias.as_ref().map(|a| a.name.clone());
            let renamed = alias.as_ref().is_some_and(|a| !a.columns.is_empty());
            if let Some(names) = aliased_columns(subquery.body.as_ref()).filter(|_| !renamed) {
                return Ok(Some((qualifier, names)));
            }
            let SetExpr::Values(values) = subquery.body.as_ref() else {
                return Ok(None);
            };
            let width = values.rows.first().map_or(0, |row| row.len());
            let named: Vec<String> = alias
                .as_ref()
                .map(|a| a.columns.iter().map(|c| c.name.value.clone()).collect())
                .unwrap_or_default();
            let columns = (1..=width)
                .map(|i| {
                    named
                        .get(i - 1)
                        .cloned()
                        .unwrap_or_else(|| format!("COLUMN{i}"))
                })
                .collect();
            Ok(Some((alias.as_ref().map(|a| a.name.clone()), columns)))
        }
        _ => Ok(None),
    }
}

/// The column names of a derived table's SELECT whose every item is named with AS (as the
/// rows standing in for RESULT_SCAN are); `None` for any other shape.
fn aliased_columns(body: &SetExpr) -> Option<Vec<String>> {
    let SetExpr::Select(select) = body else {
        return None;
    };
    select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
            _ => None,
        })
        .collect()
}
