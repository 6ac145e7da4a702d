//! VARIANT paths and casts: `v:a.b[0]`, `v['key.with.dots']`, `v:a::string`.

use sqlparser::ast::{DataType, Expr, JsonPath, JsonPathElem, Value};

use super::functions::function_name;
use crate::error::{SfError, SfResult};

/// `value:path` → `json_extract(value, '$.path')`, which keeps the result a JSON value.
pub fn json_access(value: &Expr, path: &JsonPath) -> SfResult<Expr> {
    let mut json_path = String::from("$");
    for elem in &path.path {
        match elem {
            JsonPathElem::Dot { key, .. } => push_key(&mut json_path, key),
            JsonPathElem::Bracket { key } | JsonPathElem::ColonBracket { key } => match key {
                Expr::Value(v) => match &v.value {
                    Value::Number(n, _) => json_path.push_str(&format!("[{n}]")),
                    Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                        push_key(&mut json_path, s)
                    }
                    other => {
                        return Err(SfError::unsupported(format!(
                            "VARIANT path element {other}"
                        )))
                    }
                },
                other => {
                    return Err(SfError::unsupported(format!(
                        "VARIANT path element {other}"
                    )))
                }
            },
        }
    }
    super::parse_expr(&format!(
        "json_extract({value}, '{}')",
        json_path.replace('\'', "''")
    ))
}

fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        path.push_str(&format!(".\"{}\"", key.replace('"', "\\\"")));
    }
}

/// A cast to VARIANT/OBJECT/ARRAY wraps the value as JSON (a string becomes a JSON string).
pub fn to_variant(inner: &Expr, duck_type: &DataType) -> String {
    if is_json_valued(inner) {
        format!("CAST({inner} AS {duck_type})")
    } else {
        format!("CAST(to_json({inner}) AS {duck_type})")
    }
}

/// When a JSON-valued expression is cast to a scalar, Snowflake unwraps the JSON value
/// (`'"abc"'` → `abc`); this returns that unwrapped text expression.
pub fn variant_scalar_source(inner: &Expr) -> Option<String> {
    if is_json_valued(inner) {
        Some(format!("json_extract_string({inner}, '$')"))
    } else {
        None
    }
}

/// Whether the rewritten expression is known to produce JSON.
pub(crate) fn is_json_valued(expr: &Expr) -> bool {
    match expr {
        Expr::Function(f) => matches!(
            function_name(f).as_str(),
            "JSON_EXTRACT" | "JSON" | "TO_JSON"
        ),
        Expr::Cast { data_type, .. } => data_type.to_string() == "JSON",
        Expr::Nested(inner) => is_json_valued(inner),
        _ => false,
    }
}
