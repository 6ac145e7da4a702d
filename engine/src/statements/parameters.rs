//! ALTER SESSION SET / UNSET: session parameters kept per session and reported to clients
//! with every result, so that client-side rendering (TIMEZONE, output formats) follows them.

use sqlparser::ast::helpers::key_value_options::{KeyValueOptionKind, KeyValueOptions};
use sqlparser::ast::Value;

use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

/// Parameters whose effect Mockhaus does not emulate and would silently differ if accepted.
const REFUSED: &[&str] = &["AUTOCOMMIT"];

pub fn alter_session(
    session: &mut Session,
    set: bool,
    params: &KeyValueOptions,
) -> SfResult<QueryResult> {
    for option in &params.options {
        let name = option.option_name.to_uppercase();
        if REFUSED.contains(&name.as_str()) {
            return Err(SfError::unsupported(format!("ALTER SESSION {name}")));
        }
        if set {
            let value = match &option.option_value {
                KeyValueOptionKind::Single(v) => json_value(&v.value),
                _ => {
                    return Err(SfError::syntax(format!(
                        "invalid value for parameter '{name}'"
                    )))
                }
            };
            session.state.parameters.insert(name, value);
        } else {
            session.state.parameters.remove(&name);
        }
    }
    Ok(QueryResult::status(
        StatementKind::AlterSession,
        "Statement executed successfully.",
    ))
}

fn json_value(value: &Value) -> serde_json::Value {
    match value {
        Value::Boolean(b) => serde_json::Value::Bool(*b),
        Value::Number(n, _) => n
            .parse::<i64>()
            .map(Into::into)
            .unwrap_or_else(|_| n.to_string().into()),
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone().into(),
        other => other.to_string().into(),
    }
}
