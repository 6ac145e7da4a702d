//! SET / UNSET of session variables. A SET evaluates each value once, when it runs, and keeps
//! it as a typed literal; statements then read it as `$name` (see `rewrite/variables.rs`).

use sqlparser::ast::{Expr, ObjectName, Set};

use crate::error::{SfError, SfResult};
use crate::format;
use crate::result::{Cell, QueryResult, StatementKind};
use crate::rewrite::idents::normalize;
use crate::rewrite::variables::SessionVariable;
use crate::session::Session;
use crate::types::SfType;

/// Snowflake's limit on the size of a variable's value.
const MAX_VALUE_BYTES: usize = 256;

pub fn set(session: &mut Session, set: Set) -> SfResult<QueryResult> {
    let (names, values) = match set {
        Set::SingleAssignment {
            variable, values, ..
        } => (vec![variable], values),
        Set::ParenthesizedAssignments { variables, values } => (variables, values),
        other => return Err(SfError::unsupported(format!("{other}"))),
    };
    if names.len() != values.len() {
        return Err(SfError::syntax(format!(
            "Number of variables ({}) does not match the number of values ({}).",
            names.len(),
            values.len()
        )));
    }
    // Every value is evaluated before any variable changes: `SET (a, b) = ($b, $a)` swaps.
    let evaluated = values
        .iter()
        .map(|value| evaluate(session, value))
        .collect::<SfResult<Vec<_>>>()?;
    let now = chrono::Utc::now().timestamp_millis();
    for (name, (literal, display, sf_type)) in names.iter().zip(evaluated) {
        let name = variable_name(name)?;
        let created_on_ms = session
            .state
            .variables
            .get(&name)
            .map_or(now, |v| v.created_on_ms);
        let variable = SessionVariable {
            literal,
            display,
            type_name: sf_type.wire_name().to_string(),
            created_on_ms,
            updated_on_ms: now,
        };
        session.state.variables.insert(name, variable);
    }
    Ok(done())
}

pub fn unset(session: &mut Session, names: &[ObjectName]) -> SfResult<QueryResult> {
    for name in names {
        let name = variable_name(name)?;
        if session.state.variables.remove(&name).is_none() {
            return Err(crate::rewrite::variables::not_found(&name));
        }
    }
    Ok(done())
}

fn done() -> QueryResult {
    QueryResult::status(StatementKind::Other, "Statement executed successfully.")
}

fn variable_name(name: &ObjectName) -> SfResult<String> {
    match name.0.as_slice() {
        [part] => part
            .as_ident()
            .map(normalize)
            .ok_or_else(|| SfError::syntax(format!("invalid variable name '{name}'"))),
        _ => Err(SfError::syntax(format!("invalid variable name '{name}'"))),
    }
}

/// Runs `SELECT <value>` and keeps the one value it gives as (literal, display, type).
fn evaluate(session: &mut Session, value: &Expr) -> SfResult<(String, Option<String>, SfType)> {
    let result = session.execute(&format!("SELECT {value}"))?;
    let (Some(column), Some(cell)) = (
        result.columns.first(),
        result.rows.first().and_then(|r| r.first()),
    ) else {
        return Err(SfError::internal("a SET value without a result"));
    };
    let display = format::display(cell);
    if display.as_ref().is_some_and(|d| d.len() > MAX_VALUE_BYTES) {
        return Err(SfError::new(
            "002212",
            "22000",
            format!("Assignment to '{value}' not done because value exceeds size limit for variables. Its size is {}; the limit is {MAX_VALUE_BYTES} (internal storage size in bytes).", display.as_ref().map_or(0, |d| d.len())),
        ));
    }
    Ok((literal(cell, column.sf_type), display, column.sf_type))
}

/// Snowflake SQL that gives back `cell` with its type.
fn literal(cell: &Cell, sf_type: SfType) -> String {
    let quoted = |text: &str| format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"));
    match cell {
        Cell::Null => format!("CAST(NULL AS {sf_type})"),
        Cell::Boolean(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Cell::Text(text) => quoted(text),
        Cell::Json(json) => format!("PARSE_JSON({})", quoted(json)),
        Cell::Binary(bytes) => format!("TO_BINARY('{}', 'HEX')", hex::encode_upper(bytes)),
        other => {
            let text = format::display(other).unwrap_or_default();
            format!("CAST({} AS {sf_type})", quoted(&text))
        }
    }
}
