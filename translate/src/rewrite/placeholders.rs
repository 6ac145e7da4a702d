//! Bind variables. Snowflake clients write `?` (qmark) or `:n` (numeric); DuckDB gets `$n`
//! for both, so a rewrite that repeats an expression (division, for one) repeats the same
//! parameter rather than adding a new one. `?`s are numbered in the order they appear in
//! the text, which is the order clients send their values in.

use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions, visit_expressions_mut, Expr, Statement, Value};
use sqlparser::tokenizer::Location;

use crate::error::{SfError, SfResult};

/// Rewrites every bind variable of `statement` to `$n` and returns how many values the
/// statement needs (the highest `n`).
pub fn number(statement: &mut Statement) -> SfResult<usize> {
    let qmarks = qmark_positions(statement);
    let mut needed = qmarks.len();
    let mut error = None;
    let _ = visit_expressions_mut(statement, |expr| {
        let Expr::Value(value) = expr else {
            return ControlFlow::Continue(());
        };
        let Value::Placeholder(text) = &value.value else {
            return ControlFlow::Continue(());
        };
        let index = match text.as_str() {
            "?" => qmarks
                .binary_search(&value.span.start)
                .map(|i| i + 1)
                .map_err(|_| SfError::internal("a bind variable without a position")),
            numbered => numbered_index(numbered),
        };
        match index {
            Ok(index) => {
                needed = needed.max(index);
                value.value = Value::Placeholder(format!("${index}"));
                ControlFlow::Continue(())
            }
            Err(err) => {
                error = Some(err);
                ControlFlow::Break(())
            }
        }
    });
    match error {
        Some(err) => Err(err),
        None => Ok(needed),
    }
}

/// Where each `?` starts, in text order.
fn qmark_positions(statement: &Statement) -> Vec<Location> {
    let mut positions = Vec::new();
    let _ = visit_expressions(statement, |expr| {
        if let Expr::Value(value) = expr {
            if matches!(&value.value, Value::Placeholder(p) if p == "?") {
                positions.push(value.span.start);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    positions.sort();
    positions.dedup();
    positions
}

/// `:3` → 3. Named variables (`:name`) and `$n` positional column references are not
/// bind variables Mockhaus accepts.
fn numbered_index(text: &str) -> SfResult<usize> {
    if let Some(digits) = text.strip_prefix(':') {
        return match digits.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(SfError::unsupported(format!(
                "named bind variable '{text}'"
            ))),
        };
    }
    if text.starts_with('$') {
        return Err(SfError::unsupported(format!(
            "positional column reference '{text}'"
        )));
    }
    Err(SfError::syntax(format!(
        "syntax error line 1 at position 0 unexpected '{text}'."
    )))
}
