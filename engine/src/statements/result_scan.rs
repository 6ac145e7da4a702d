//! `TABLE(RESULT_SCAN(...))` inside a larger statement (filters, joins, CREATE TABLE ... AS,
//! INSERT ... SELECT): each call is replaced by a derived table holding the earlier result's
//! rows, typed as that result's columns, so the rest of the statement runs unchanged. The
//! rows come from the account's kept results (`recent_results`); statements naming
//! RESULT_SCAN are never cached, since the same text may name another query next time.
//!
//! The argument is a query id string, a query index (`-1` the session's latest query, `1`
//! its first), `LAST_QUERY_ID([n])`, or nothing (the latest query). Result columns with the
//! same name get `_1`, `_2`... suffixes after the first, so each can be named.

use std::collections::HashMap;

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, Statement, TableAlias,
    TableFactor, UnaryOperator, Value,
};

use crate::error::{SfError, SfResult};
use crate::format;
use crate::recent_results::{Kept, KeptResult, KeptRows, MAX_ROWS};
use crate::result::{Cell, Column};
use crate::session::Session;
use crate::types::SfType;

/// Whether the text may call RESULT_SCAN (most do not; skip the walk).
pub(crate) fn may_mention(sql: &str) -> bool {
    crate::session::mentions(sql, b"result_scan")
}

/// Replaces every RESULT_SCAN table function of `statement` with the rows it names.
pub(crate) fn substitute(session: &Session, statement: &mut Statement) -> SfResult<()> {
    crate::rewrite::replace_table_factors(statement, |factor| {
        let Some((args, alias)) = table_function_call(factor, "RESULT_SCAN") else {
            return Ok(None);
        };
        let query_id = query_id(session, target(&args)?)?;
        match session.shared.recent_results.get(&query_id) {
            Some(Kept::Result(kept)) => derived(&kept, alias).map(Some),
            Some(Kept::TooLarge) => Err(SfError::unsupported(format!(
                "RESULT_SCAN inside a larger query of a result over {MAX_ROWS} rows \
                 (SELECT * FROM TABLE(RESULT_SCAN(...)) alone returns it)"
            ))),
            None => Err(not_found(&query_id)),
        }
    })
}

/// The arguments and alias of a call of the table function `function` (RESULT_SCAN,
/// INFER_SCHEMA), written `TABLE(F(...))` or `F(...)`.
pub(crate) fn table_function_call<'f>(
    factor: &'f TableFactor,
    function: &str,
) -> Option<(Vec<FunctionArg>, Option<&'f TableAlias>)> {
    match factor {
        TableFactor::Function {
            name, args, alias, ..
        } if is_named(name, function) => Some((args.clone(), alias.as_ref())),
        TableFactor::TableFunction {
            expr: Expr::Function(f),
            alias,
        } if is_named(&f.name, function) => {
            let args = match &f.args {
                FunctionArguments::List(list) => list.args.clone(),
                _ => Vec::new(),
            };
            Some((args, alias.as_ref()))
        }
        _ => None,
    }
}

fn is_named(name: &ObjectName, function: &str) -> bool {
    name.0.len() == 1
        && name
            .to_string()
            .trim_matches('"')
            .eq_ignore_ascii_case(function)
}

/// Which earlier query a call names.
#[derive(Debug, PartialEq)]
enum Target {
    Id(String),
    /// A position in the session's history, as LAST_QUERY_ID numbers them.
    Position(i64),
}

fn target(args: &[FunctionArg]) -> SfResult<Target> {
    match args {
        [] => Ok(Target::Position(-1)),
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(expr))] => target_of(expr),
        _ => Err(invalid_argument()),
    }
}

fn target_of(expr: &Expr) -> SfResult<Target> {
    match expr {
        Expr::Nested(inner) => target_of(inner),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(id) => Ok(Target::Id(id.clone())),
            _ => integer(expr).map(Target::Position),
        },
        Expr::UnaryOp { .. } => integer(expr).map(Target::Position),
        Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("LAST_QUERY_ID") => {
            match &f.args {
                FunctionArguments::None => Ok(Target::Position(-1)),
                FunctionArguments::List(list) => match list.args.as_slice() {
                    [] => Ok(Target::Position(-1)),
                    [FunctionArg::Unnamed(FunctionArgExpr::Expr(n))] => {
                        integer(n).map(Target::Position)
                    }
                    _ => Err(invalid_argument()),
                },
                FunctionArguments::Subquery(_) => Err(invalid_argument()),
            }
        }
        _ => Err(invalid_argument()),
    }
}

/// An integer constant, possibly signed.
fn integer(expr: &Expr) -> SfResult<i64> {
    match expr {
        Expr::Nested(inner) => integer(inner),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => integer(expr).map(|n| -n),
        Expr::UnaryOp {
            op: UnaryOperator::Plus,
            expr,
        } => integer(expr),
        Expr::Value(v) => match &v.value {
            Value::Number(text, _) => text.parse().map_err(|_| invalid_argument()),
            _ => Err(invalid_argument()),
        },
        _ => Err(invalid_argument()),
    }
}

fn query_id(session: &Session, target: Target) -> SfResult<String> {
    match target {
        Target::Id(id) => Ok(id),
        Target::Position(position) => {
            crate::query_history::read_history(&session.query_history(), |history| {
                history.nth(position).map(str::to_owned)
            })
            .ok_or_else(|| {
                SfError::new(
                    "000709",
                    "02000",
                    format!("Statement not found: the session has no query at position {position}"),
                )
            })
        }
    }
}

fn invalid_argument() -> SfError {
    SfError::new(
        "002141",
        "42601",
        "SQL compilation error:\ninvalid argument for table function RESULT_SCAN: \
         expected a query id string, a query index or LAST_QUERY_ID()",
    )
}

fn not_found(query_id: &str) -> SfError {
    SfError::new("000709", "02000", format!("Statement {query_id} not found"))
}

/// The derived table standing in for one call.
fn derived(kept: &KeptResult, alias: Option<&TableAlias>) -> SfResult<TableFactor> {
    let arrow_rows;
    let rows = match &kept.rows {
        KeptRows::Cells(rows) => rows,
        KeptRows::Arrow(batches) => {
            arrow_rows = crate::arrow_cells::rows(&kept.columns, batches)?;
            &arrow_rows
        }
    };
    rows_factor(&kept.columns, rows, alias)
}

/// A derived table holding `rows`, typed as `columns` (also INFER_SCHEMA's result).
pub(crate) fn rows_factor(
    columns: &[Column],
    rows: &[Vec<Cell>],
    alias: Option<&TableAlias>,
) -> SfResult<TableFactor> {
    let select = select_sql(columns, rows);
    let alias = alias.map(|a| format!(" {a}")).unwrap_or_default();
    crate::rewrite::parse_table_factor(&format!("SELECT * FROM ({select}){alias}"))
}

/// `SELECT <typed C0> AS "name", ... FROM (VALUES ...)` (see `rows_select`). Every value
/// travels as text and is converted to its column's type in the projection, so NULLs and
/// values mix freely in VALUES.
fn select_sql(columns: &[Column], rows: &[Vec<Cell>]) -> String {
    let names = unique_names(columns);
    let projection: Vec<String> = columns
        .iter()
        .zip(&names)
        .enumerate()
        .map(|(i, (column, name))| {
            let name = name.replace('"', "\"\"");
            format!("{} AS \"{name}\"", typed(&format!("C{i}"), column.sf_type))
        })
        .collect();
    let literals = rows
        .iter()
        .map(|row| row.iter().map(literal).collect())
        .collect();
    crate::metadata::information_schema::rows_select(&projection, literals)
}

/// The columns' names, with `_1`, `_2`... after a repeated name.
fn unique_names(columns: &[Column]) -> Vec<String> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    columns
        .iter()
        .map(|column| {
            let count = seen.entry(column.name.as_str()).or_default();
            let name = match *count {
                0 => column.name.clone(),
                n => format!("{}_{n}", column.name),
            };
            *count += 1;
            name
        })
        .collect()
}

/// The text value `c` converted to `sf_type`, in Snowflake SQL.
fn typed(c: &str, sf_type: SfType) -> String {
    match sf_type {
        SfType::Variant => format!("PARSE_JSON({c})"),
        SfType::Object => format!("CAST(PARSE_JSON({c}) AS OBJECT)"),
        SfType::Array => format!("CAST(PARSE_JSON({c}) AS ARRAY)"),
        SfType::Binary { .. } => format!("HEX_DECODE_BINARY({c})"),
        SfType::Fixed { precision, scale } => {
            format!("CAST({c} AS NUMBER({precision},{scale}))")
        }
        SfType::Real => format!("CAST({c} AS FLOAT)"),
        SfType::Text { length } => format!("CAST({c} AS VARCHAR({length}))"),
        SfType::Boolean => format!("CAST({c} AS BOOLEAN)"),
        SfType::Date => format!("CAST({c} AS DATE)"),
        SfType::Time => format!("CAST({c} AS TIME)"),
        SfType::TimestampNtz => format!("CAST({c} AS TIMESTAMP_NTZ)"),
        SfType::TimestampLtz => format!("CAST({c} AS TIMESTAMP_LTZ)"),
        SfType::TimestampTz => format!("CAST({c} AS TIMESTAMP_TZ)"),
    }
}

/// A cell as a string literal holding its exact value (NULL stays NULL).
fn literal(cell: &Cell) -> String {
    let text = match cell {
        Cell::Null => return "NULL".into(),
        Cell::Time(nanos) => precise(*nanos, "%H:%M:%S%.9f"),
        Cell::TimestampNtz(nanos) => precise(*nanos, "%Y-%m-%d %H:%M:%S%.9f"),
        Cell::TimestampLtz(nanos) => precise(*nanos, "%Y-%m-%d %H:%M:%S%.9f +00:00"),
        Cell::TimestampTz {
            epoch_nanos,
            offset_minutes,
        } => {
            let local = epoch_nanos + i64::from(*offset_minutes) * 60_000_000_000;
            let sign = if *offset_minutes < 0 { '-' } else { '+' };
            let (hours, minutes) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
            let wall = precise(local, "%Y-%m-%d %H:%M:%S%.9f");
            format!("{wall} {sign}{hours:02}:{minutes:02}")
        }
        other => format::display(other).unwrap_or_default(),
    };
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// Nanoseconds since the epoch (or since midnight, for a time) in `pattern`, to the
/// nanosecond.
fn precise(nanos: i64, pattern: &str) -> String {
    const NANOS_PER_SEC: i64 = 1_000_000_000;
    chrono::DateTime::from_timestamp(
        nanos.div_euclid(NANOS_PER_SEC),
        nanos.rem_euclid(NANOS_PER_SEC) as u32,
    )
    .map(|t| t.naive_utc().format(pattern).to_string())
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed_target(sql: &str) -> SfResult<Target> {
        let statement = crate::rewrite::parse(sql).unwrap().pop().unwrap();
        let mut found = None;
        crate::rewrite::replace_table_factors(&mut statement.clone(), |factor| {
            if let Some((args, _)) = table_function_call(factor, "RESULT_SCAN") {
                found = Some(target(&args));
            }
            Ok(None)
        })
        .unwrap();
        found.expect("a RESULT_SCAN call")
    }

    #[test]
    fn every_argument_form_names_a_query() {
        let id = "01b2c3d4-0000-1234-0000-000000000001";
        assert_eq!(
            parsed_target(&format!("select 1 from table(result_scan('{id}'))")).unwrap(),
            Target::Id(id.into())
        );
        for (written, position) in [
            ("result_scan()", -1),
            ("result_scan(-2)", -2),
            ("result_scan(3)", 3),
            ("RESULT_SCAN(LAST_QUERY_ID())", -1),
            ("result_scan(last_query_id(-3))", -3),
        ] {
            let sql = format!("select * from table({written}) where 1 = 1");
            assert_eq!(parsed_target(&sql).unwrap(), Target::Position(position));
        }
        let err = parsed_target("select * from table(result_scan(x))").unwrap_err();
        assert_eq!(err.code, "002141");
    }

    #[test]
    fn repeated_names_are_numbered() {
        let columns: Vec<Column> = ["A", "B", "A", "A"]
            .iter()
            .map(|n| Column::new(*n, SfType::INTEGER))
            .collect();
        assert_eq!(unique_names(&columns), ["A", "B", "A_1", "A_2"]);
    }

    #[test]
    fn literals_keep_full_precision() {
        assert_eq!(
            literal(&Cell::TimestampNtz(1_500_000_001)),
            "'1970-01-01 00:00:01.500000001'"
        );
        assert_eq!(
            literal(&Cell::TimestampTz {
                epoch_nanos: 0,
                offset_minutes: -90
            }),
            "'1969-12-31 22:30:00.000000000 -01:30'"
        );
        assert_eq!(literal(&Cell::Text("it's".into())), "'it''s'");
        assert_eq!(literal(&Cell::Null), "NULL");
    }
}
