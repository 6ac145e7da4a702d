//! Session variables in statements: `$name` becomes the variable's value, as a typed literal,
//! before anything else is rewritten. `$1`-style positional column references are not
//! variables and are left to the bind-variable pass.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions_mut, Expr, Statement, Value};

use crate::error::{SfError, SfResult};

/// A session variable: its value as a Snowflake literal of its type, and how it displays.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionVariable {
    /// Snowflake SQL that evaluates to the value with its type (`CAST('2024-01-01' AS DATE)`).
    pub literal: String,
    /// The value as SHOW VARIABLES prints it (NULL as None).
    pub display: Option<String>,
    /// The wire type name (`fixed`, `text`...).
    pub type_name: String,
    pub created_on_ms: i64,
    pub updated_on_ms: i64,
}

pub type Variables = BTreeMap<String, SessionVariable>;

/// Replaces every `$name` in `statement` with its value.
pub fn substitute(statement: &mut Statement, variables: &Variables) -> SfResult<()> {
    let mut error = None;
    let _ = visit_expressions_mut(statement, |expr| {
        let Some(name) = variable_name(expr) else {
            return ControlFlow::Continue(());
        };
        let replacement = match variables.get(&name) {
            Some(variable) => super::parse_expr(&variable.literal),
            None => Err(not_found(&name)),
        };
        match replacement {
            Ok(value) => {
                *expr = Expr::Nested(Box::new(value));
                ControlFlow::Continue(())
            }
            Err(err) => {
                error = Some(err);
                ControlFlow::Break(())
            }
        }
    });
    error.map_or(Ok(()), Err)
}

/// `$name` (not `$1`) → `NAME`; variable names fold like identifiers.
fn variable_name(expr: &Expr) -> Option<String> {
    let Expr::Value(value) = expr else {
        return None;
    };
    let Value::Placeholder(text) = &value.value else {
        return None;
    };
    let name = text.strip_prefix('$')?;
    let first = name.chars().next()?;
    (!first.is_ascii_digit()).then(|| name.to_uppercase())
}

/// Snowflake's error for a variable the session has not set.
pub fn not_found(name: &str) -> SfError {
    SfError::new(
        "002211",
        "02000",
        format!("SQL compilation error:\nSession variable '${name}' does not exist"),
    )
}
