//! Snowflake identifier resolution: unquoted identifiers fold to upper case, quoted ones keep
//! their case; both reach DuckDB quoted, so DuckDB stores exactly the name Snowflake would.
//!
//! The AST has identifiers in hundreds of places; rather than visit each by hand (and miss
//! some), the statement is walked generically through its serde form. Function names are the
//! one kind of identifier left alone: they are resolved by `functions.rs`, not by the catalog.

use serde_json::Value;
use sqlparser::ast::Statement;

use crate::error::{SfError, SfResult};

/// Folds every identifier of `statement` the Snowflake way.
pub fn fold_identifiers(statement: &mut Statement) -> SfResult<()> {
    let mut tree = serde_json::to_value(&*statement).map_err(SfError::internal)?;
    fold_value(&mut tree);
    *statement = serde_json::from_value(tree).map_err(SfError::internal)?;
    Ok(())
}

fn fold_value(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(fold_value),
        Value::Object(map) => {
            if is_ident(map) {
                fold_ident(map);
                return;
            }
            let function_like =
                map.contains_key("name") && map.contains_key("args") && map.contains_key("over");
            for (key, child) in map.iter_mut() {
                if function_like && key == "name" {
                    continue;
                }
                fold_value(child);
            }
        }
        _ => {}
    }
}

fn is_ident(map: &serde_json::Map<String, Value>) -> bool {
    map.len() == 3
        && map.contains_key("value")
        && map.contains_key("quote_style")
        && map.contains_key("span")
}

fn fold_ident(map: &mut serde_json::Map<String, Value>) {
    let unquoted = map.get("quote_style").is_none_or(Value::is_null);
    // `SET col = DEFAULT` parses as an identifier; unquoted DEFAULT is always the keyword
    // (a column named DEFAULT must be quoted in Snowflake).
    let keyword =
        matches!(map.get("value"), Some(Value::String(v)) if v.eq_ignore_ascii_case("DEFAULT"));
    if unquoted && keyword {
        return;
    }
    if unquoted {
        if let Some(Value::String(name)) = map.get_mut("value") {
            *name = name.to_uppercase();
        }
    }
    map.insert("quote_style".into(), Value::String("\"".into()));
}

/// Snowflake's rule for one identifier outside a statement (USE, SHOW ... LIKE targets...).
pub fn normalize(ident: &sqlparser::ast::Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_uppercase(),
    }
}

/// Quotes a name for DuckDB, doubling embedded quotes.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use sqlparser::dialect::SnowflakeDialect;
    use sqlparser::parser::Parser;

    use super::*;

    fn folded(sql: &str) -> String {
        let mut stmt = Parser::parse_sql(&SnowflakeDialect {}, sql)
            .unwrap()
            .remove(0);
        fold_identifiers(&mut stmt).unwrap();
        stmt.to_string()
    }

    #[test]
    fn unquoted_names_fold_to_upper_case_and_quoted_keep_theirs() {
        assert_eq!(
            folded("select id, \"Name\" from db.s.users u"),
            "SELECT \"ID\", \"Name\" FROM \"DB\".\"S\".\"USERS\" \"U\""
        );
    }

    #[test]
    fn function_names_are_left_for_the_function_mapper() {
        assert_eq!(
            folded("select count(x) from t"),
            "SELECT count(\"X\") FROM \"T\""
        );
    }
}
