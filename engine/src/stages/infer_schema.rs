//! `TABLE(INFER_SCHEMA(LOCATION => '@stage', FILE_FORMAT => 'format'))`: the columns of the
//! staged Parquet files, as Snowflake types. The call is replaced by a derived table of its
//! rows before the statement runs (as RESULT_SCAN is), so it can be filtered and joined.
//! `write_pandas(..., auto_create_table=True)` creates its table from these rows.

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, Statement, TableAlias, TableFactor, Value,
};

use super::file_format::{FileFormat, FormatType};
use super::reference::StageRef;
use crate::binds::BindRow;
use crate::error::{SfError, SfResult};
use crate::result::{Cell, Column};
use crate::session::Session;
use crate::types::SfType;

/// Whether the text may call INFER_SCHEMA (most do not; skip the walk).
pub(crate) fn may_mention(sql: &str) -> bool {
    crate::session::mentions(sql, b"infer_schema")
}

/// Replaces each INFER_SCHEMA call with its rows. Its `?` arguments take the statement's
/// bind values in order (the call's arguments are the only binds of such a statement).
pub(crate) fn substitute(
    session: &Session,
    statement: &mut Statement,
    binds: &[BindRow],
) -> SfResult<()> {
    let row = super::single_row(binds)?;
    let mut next_bind = 0;
    crate::rewrite::replace_table_factors(statement, |factor| {
        let Some((args, alias)) =
            crate::statements::result_scan::table_function_call(factor, "INFER_SCHEMA")
        else {
            return Ok(None);
        };
        let mut location = None;
        let mut format = None;
        for arg in &args {
            let (name, value) = named_text(arg, row, &mut next_bind)?;
            match name.as_str() {
                "LOCATION" => location = Some(value),
                "FILE_FORMAT" => format = Some(value),
                "FILES" | "IGNORE_CASE" | "MAX_FILE_COUNT" | "MAX_RECORDS_PER_FILE" => {
                    return Err(SfError::unsupported(format!("INFER_SCHEMA's {name}")))
                }
                _ => return Err(invalid_argument(&name)),
            }
        }
        let location = location.ok_or_else(|| invalid_argument("LOCATION"))?;
        let format = format.ok_or_else(|| invalid_argument("FILE_FORMAT"))?;
        rows(session, &location, &format, alias).map(Some)
    })
}

/// A `NAME => '<text>'` argument (or `NAME => ?`), name upper-case.
fn named_text(
    arg: &FunctionArg,
    binds: &[Cell],
    next_bind: &mut usize,
) -> SfResult<(String, String)> {
    let FunctionArg::Named {
        name,
        arg: FunctionArgExpr::Expr(Expr::Value(value)),
        ..
    } = arg
    else {
        return Err(invalid_argument(&arg.to_string()));
    };
    let text = match &value.value {
        Value::SingleQuotedString(text) => text.clone(),
        Value::Placeholder(placeholder) => {
            let index = match placeholder.strip_prefix(':') {
                Some(n) => n
                    .parse::<usize>()
                    .map_err(|_| invalid_argument(placeholder))?,
                None => {
                    *next_bind += 1;
                    *next_bind
                }
            };
            match binds.get(index.wrapping_sub(1)) {
                Some(Cell::Text(text)) => text.clone(),
                _ => return Err(invalid_argument(&name.value)),
            }
        }
        _ => return Err(invalid_argument(&name.value)),
    };
    Ok((name.value.to_uppercase(), text))
}

fn rows(
    session: &Session,
    location: &str,
    format_name: &str,
    alias: Option<&TableAlias>,
) -> SfResult<TableFactor> {
    let options = vec![(
        "FORMAT_NAME".to_string(),
        super::parse::OptionValue::Text(format_name.to_string()),
    )];
    let format = FileFormat::from_options(&super::expand_format_name(session, &options)?)?;
    if format.kind != FormatType::Parquet {
        return Err(SfError::unsupported(
            "INFER_SCHEMA of files other than Parquet",
        ));
    }
    let stage = super::resolve(session, &StageRef::parse(location)?, "infer a schema")?;
    let files = super::files::matching(&stage.dir, &stage.prefix, None)?;
    // Columns in the order first seen, each with the files that hold it.
    let mut found: Vec<(String, String, Vec<String>)> = Vec::new();
    for file in &files {
        let reader = format.reader(&file.absolute);
        let shown = format!("{}{}", stage.listed_prefix, file.relative);
        for (column, ty) in super::file_format::described_columns(session, &reader)? {
            match found.iter_mut().find(|(name, _, _)| *name == column) {
                Some((_, _, holders)) => holders.push(shown.clone()),
                None => found.push((column, snowflake_type(&ty), vec![shown.clone()])),
            }
        }
    }
    let rows: Vec<Vec<Cell>> = found
        .into_iter()
        .enumerate()
        .map(|(order, (name, ty, holders))| {
            let expression = format!("$1:\"{}\"::{ty}", name.replace('"', "\"\""));
            vec![
                Cell::Text(name),
                Cell::Text(ty),
                Cell::Boolean(true),
                Cell::Text(expression),
                Cell::Text(holders.join(", ")),
                Cell::Decimal {
                    value: order as i128,
                    scale: 0,
                },
            ]
        })
        .collect();
    let columns = [
        ("COLUMN_NAME", SfType::TEXT),
        ("TYPE", SfType::TEXT),
        ("NULLABLE", SfType::Boolean),
        ("EXPRESSION", SfType::TEXT),
        ("FILENAMES", SfType::TEXT),
        ("ORDER_ID", SfType::INTEGER),
    ]
    .map(|(name, ty)| Column::new(name, ty));
    crate::statements::result_scan::rows_factor(&columns, &rows, alias)
}

/// The Snowflake type INFER_SCHEMA reports for a Parquet column DuckDB reads as `duckdb`.
fn snowflake_type(duckdb: &str) -> String {
    let upper = duckdb.to_ascii_uppercase();
    if upper.ends_with("[]") {
        return "ARRAY".into();
    }
    if upper.starts_with("STRUCT") || upper.starts_with("MAP") {
        return "OBJECT".into();
    }
    if let Some(args) = upper.strip_prefix("DECIMAL") {
        return format!("NUMBER{}", args.replace(',', ", "));
    }
    match upper.as_str() {
        "TINYINT" | "SMALLINT" | "INTEGER" | "BIGINT" | "HUGEINT" | "UTINYINT" | "USMALLINT"
        | "UINTEGER" | "UBIGINT" => "NUMBER(38, 0)",
        "FLOAT" | "DOUBLE" => "REAL",
        "BOOLEAN" => "BOOLEAN",
        "DATE" => "DATE",
        "TIME" => "TIME(9)",
        "TIMESTAMP WITH TIME ZONE" => "TIMESTAMP_LTZ(9)",
        t if t.starts_with("TIMESTAMP") => "TIMESTAMP_NTZ(9)",
        "BLOB" => "BINARY",
        _ => "TEXT",
    }
    .to_string()
}

fn invalid_argument(name: &str) -> SfError {
    SfError::new(
        "001003",
        "42000",
        format!("SQL compilation error:\ninvalid argument {name} for INFER_SCHEMA"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_types_as_snowflake_names_them() {
        assert_eq!(snowflake_type("BIGINT"), "NUMBER(38, 0)");
        assert_eq!(snowflake_type("DECIMAL(10,2)"), "NUMBER(10, 2)");
        assert_eq!(snowflake_type("TIMESTAMP_NS"), "TIMESTAMP_NTZ(9)");
        assert_eq!(snowflake_type("VARCHAR"), "TEXT");
        assert_eq!(snowflake_type("DOUBLE"), "REAL");
        assert_eq!(snowflake_type("BIGINT[]"), "ARRAY");
    }
}
