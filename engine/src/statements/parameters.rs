//! ALTER SESSION SET / UNSET: session parameters kept per session and reported to clients
//! with every result, so that client-side rendering (TIMEZONE, output formats) follows them.

use sqlparser::ast::helpers::key_value_options::{KeyValueOptionKind, KeyValueOptions};
use sqlparser::ast::Value;

use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::session::Session;

/// Parameters whose effect Mockhaus does not emulate and would silently differ if accepted.
const REFUSED: &[&str] = &[];

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
            let value = match name.as_str() {
                "AUTOCOMMIT" => boolean_parameter(&name, value)?,
                "TIMEZONE" => time_zone_parameter(&name, value)?,
                _ => value,
            };
            session.state.parameters.insert(name, value);
        } else {
            session.state.parameters.remove(&name);
        }
    }
    // Turning AUTOCOMMIT (back) on commits the transaction it left open.
    let names_autocommit = params
        .options
        .iter()
        .any(|o| o.option_name.eq_ignore_ascii_case("AUTOCOMMIT"));
    if names_autocommit && super::transactions::autocommit(session) {
        super::transactions::implicit_commit(session)?;
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

/// A boolean parameter's value: TRUE / FALSE, written bare or quoted.
fn boolean_parameter(name: &str, value: serde_json::Value) -> SfResult<serde_json::Value> {
    let parsed = match &value {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        serde_json::Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    parsed
        .map(serde_json::Value::Bool)
        .ok_or_else(|| SfError::syntax(format!("invalid value [{value}] for parameter '{name}'")))
}

/// TIMEZONE takes a name from the IANA time zone database. Clients render TIMESTAMP_LTZ values
/// in it, so an unknown name would fail every later fetch of one: refuse it here, as Snowflake
/// does.
fn time_zone_parameter(name: &str, value: serde_json::Value) -> SfResult<serde_json::Value> {
    let known = value
        .as_str()
        .is_some_and(|zone| crate::udf::zones::zone(zone).is_ok());
    if known {
        Ok(value)
    } else {
        let shown = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        Err(SfError::syntax(format!(
            "invalid value [{shown}] for parameter '{name}'"
        )))
    }
}
