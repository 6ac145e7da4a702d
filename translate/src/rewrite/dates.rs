//! Date and time parts, DATEADD/DATE_TRUNC and Snowflake format models.

use sqlparser::ast::{DataType, Expr};

use super::functions::function_name;
use crate::error::{SfError, SfResult};

/// A Snowflake date or time part, after resolving its many aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

impl DatePart {
    pub fn duckdb_name(&self) -> &'static str {
        match self {
            DatePart::Year => "year",
            DatePart::Quarter => "quarter",
            DatePart::Month => "month",
            DatePart::Week => "week",
            DatePart::Day => "day",
            DatePart::Hour => "hour",
            DatePart::Minute => "minute",
            DatePart::Second => "second",
            DatePart::Millisecond => "millisecond",
            DatePart::Microsecond => "microsecond",
            DatePart::Nanosecond => "nanosecond",
        }
    }

    /// Parts whose arithmetic keeps a DATE a DATE in Snowflake.
    fn is_date_level(&self) -> bool {
        matches!(
            self,
            DatePart::Year | DatePart::Quarter | DatePart::Month | DatePart::Week | DatePart::Day
        )
    }

    /// A DuckDB interval of `n` of this part.
    fn interval(&self, n: &str) -> String {
        let n = format!("CAST({n} AS BIGINT)");
        match self {
            DatePart::Year => format!("to_years({n})"),
            DatePart::Quarter => format!("to_months(3 * {n})"),
            DatePart::Month => format!("to_months({n})"),
            DatePart::Week => format!("to_days(7 * {n})"),
            DatePart::Day => format!("to_days({n})"),
            DatePart::Hour => format!("to_hours({n})"),
            DatePart::Minute => format!("to_minutes({n})"),
            DatePart::Second => format!("to_seconds({n})"),
            DatePart::Millisecond => format!("to_milliseconds({n})"),
            DatePart::Microsecond => format!("to_microseconds({n})"),
            DatePart::Nanosecond => format!("to_microseconds(CAST({n} / 1000 AS BIGINT))"),
        }
    }
}

/// The epoch parts (EPOCH_SECOND...), which count from the instant, not from a wall clock.
pub fn is_epoch_part(written: &str) -> bool {
    written
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_uppercase()
        .starts_with("EPOCH")
}

/// Resolves a part written as an identifier (`day`, folded to `"DAY"`) or a string (`'day'`).
/// DATE_PART's parts that only extract (no DATEADD or DATE_TRUNC by them): the epoch in
/// several units and the day and week numbers; `None` for the common parts.
pub fn extraction_only_part(written: &str, value: &str) -> Option<String> {
    let name = written
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_uppercase();
    let sql = match name.as_str() {
        "EPOCH_SECOND" | "EPOCH" | "EPOCH_SECONDS" => {
            format!("CAST(floor(epoch({value})) AS BIGINT)")
        }
        "EPOCH_MILLISECOND" | "EPOCH_MILLISECONDS" => format!("epoch_ms({value})"),
        "EPOCH_MICROSECOND" | "EPOCH_MICROSECONDS" => format!("epoch_us({value})"),
        "EPOCH_NANOSECOND" | "EPOCH_NANOSECONDS" => format!("(epoch_us({value}) * 1000)"),
        "DAYOFWEEK" | "WEEKDAY" | "DOW" | "DW" => format!("dayofweek({value})"),
        "DAYOFWEEKISO" | "WEEKDAY_ISO" | "DOW_ISO" | "DW_ISO" => format!("isodow({value})"),
        "DAYOFYEAR" | "YEARDAY" | "DOY" | "DY" => format!("dayofyear({value})"),
        "WEEKISO" | "WEEK_ISO" | "WEEKOFYEARISO" | "WEEKOFYEAR_ISO" => format!("week({value})"),
        "YEAROFWEEK" | "YEAROFWEEKISO" => format!("isoyear({value})"),
        _ => return None,
    };
    Some(sql)
}

pub fn date_part(written: &str) -> SfResult<DatePart> {
    let name = written
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_uppercase();
    let part = match name.as_str() {
        "YEAR" | "Y" | "YY" | "YYY" | "YYYY" | "YR" | "YEARS" | "YRS" => DatePart::Year,
        "QUARTER" | "Q" | "QTR" | "QTRS" | "QUARTERS" => DatePart::Quarter,
        "MONTH" | "MM" | "MON" | "MONS" | "MONTHS" => DatePart::Month,
        "WEEK" | "W" | "WK" | "WEEKOFYEAR" | "WOY" | "WY" | "WEEKS" => DatePart::Week,
        "DAY" | "D" | "DD" | "DAYS" | "DAYOFMONTH" => DatePart::Day,
        "HOUR" | "H" | "HH" | "HR" | "HOURS" | "HRS" => DatePart::Hour,
        "MINUTE" | "M" | "MI" | "MIN" | "MINUTES" | "MINS" => DatePart::Minute,
        "SECOND" | "S" | "SEC" | "SECONDS" | "SECS" => DatePart::Second,
        "MILLISECOND" | "MS" | "MSEC" | "MILLISECONDS" => DatePart::Millisecond,
        "MICROSECOND" | "US" | "USEC" | "MICROSECONDS" => DatePart::Microsecond,
        "NANOSECOND" | "NS" | "NSEC" | "NANOSEC" | "NSECOND" | "NANOSECONDS" | "NANOSECS" => {
            DatePart::Nanosecond
        }
        _ => {
            return Err(SfError::new(
                "002015",
                "22023",
                format!(
                "SQL compilation error:\ninvalid value [{name}] for parameter 'date or time part'"
            ),
            ))
        }
    };
    Ok(part)
}

/// DATEADD(part, n, value): DATE stays DATE for date-level parts, as in Snowflake.
pub fn dateadd(
    part: DatePart,
    n: &str,
    value: &str,
    original: Option<&Expr>,
    columns: &super::ColumnTypes,
) -> SfResult<String> {
    let sum = format!("({value} + {})", part.interval(n));
    if !part.is_date_level() {
        return Ok(sum);
    }
    Ok(date_kept(sum, value, original, columns))
}

/// A date function's result, a DATE when its value is one: by a cast when the SQL shows the
/// value is a DATE, through `mockhaus_date_kept` (which DuckDB resolves by the value's type)
/// when its type is known only to DuckDB, unchanged for a literal (text is a TIMESTAMP_NTZ).
fn date_kept(
    result: String,
    value: &str,
    original: Option<&Expr>,
    columns: &super::ColumnTypes,
) -> String {
    match original {
        Some(e) if is_date_expr(e, columns) => format!("CAST({result} AS DATE)"),
        Some(e) if type_known_only_to_duckdb(e, columns) => {
            format!("{DATE_KEPT}({result}, {value})")
        }
        _ => result,
    }
}

/// The engine's function that keeps a date function's result a DATE for a DATE value.
const DATE_KEPT: &str = "mockhaus_date_kept";

/// Neither a literal nor a column whose declared type the rewrite knows.
fn type_known_only_to_duckdb(expr: &Expr, columns: &super::ColumnTypes) -> bool {
    match expr {
        Expr::Value(v) => matches!(v.value, sqlparser::ast::Value::Placeholder(_)),
        Expr::TypedString(_) => false,
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
            super::column_type(expr, columns).is_none()
        }
        Expr::Nested(inner) => type_known_only_to_duckdb(inner, columns),
        _ => true,
    }
}

/// DATE_TRUNC(part, value): DATE stays DATE, as in Snowflake.
/// ADD_MONTHS: like DATEADD by months, except that the last day of a month stays the last
/// day of the resulting month (Feb 29 + 1 month is Mar 31).
pub fn add_months(
    value: &str,
    months: &str,
    original: Option<&Expr>,
    columns: &super::ColumnTypes,
) -> SfResult<String> {
    let is_last_day = format!("CAST({value} AS DATE) = last_day({value})");
    if original.is_some_and(|e| is_date_expr(e, columns)) {
        let sum = dateadd(DatePart::Month, months, value, original, columns)?;
        return Ok(format!(
            "(CASE WHEN {is_last_day} THEN last_day({sum}) ELSE {sum} END)"
        ));
    }
    let sum = format!("({value} + {})", DatePart::Month.interval(months));
    let shifted = format!(
        "(CASE WHEN {is_last_day} THEN {sum} + to_days(day(last_day({sum})) - day({sum})) \
         ELSE {sum} END)"
    );
    Ok(date_kept(shifted, value, original, columns))
}

pub fn date_trunc(
    part: DatePart,
    value: &str,
    original: Option<&Expr>,
    columns: &super::ColumnTypes,
) -> String {
    let truncated = format!("date_trunc('{}', {value})", part.duckdb_name());
    date_kept(truncated, value, original, columns)
}

/// Whether an expression is a DATE by its form (casts, literals, date functions) or is a
/// column the statement's tables declare DATE.
fn is_date_expr(expr: &Expr, columns: &super::ColumnTypes) -> bool {
    match expr {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
            super::column_type(expr, columns) == Some(crate::types::SfType::Date)
        }
        Expr::Cast { data_type, .. } => {
            matches!(data_type, DataType::Date) || data_type.to_string() == "DATE"
        }
        Expr::TypedString(ts) => matches!(ts.data_type, DataType::Date),
        Expr::Nested(inner) => is_date_expr(inner, columns),
        Expr::Function(f) => matches!(
            function_name(f).as_str(),
            "TO_DATE" | "DATE" | "CURRENT_DATE" | "LAST_DAY"
        ),
        _ => false,
    }
}

/// A Snowflake format model ('YYYY-MM-DD HH24:MI:SS') as a DuckDB strftime pattern literal.
pub fn format_model(literal: &str) -> SfResult<String> {
    let model = literal
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .ok_or_else(|| SfError::unsupported("a non-literal format model"))?;
    const TOKENS: &[(&str, &str)] = &[
        ("YYYY", "%Y"),
        ("YY", "%y"),
        ("MMMM", "%B"),
        ("MON", "%b"),
        ("MM", "%m"),
        ("DD", "%d"),
        ("DY", "%a"),
        ("HH24", "%H"),
        ("HH12", "%I"),
        ("HH", "%I"),
        ("MI", "%M"),
        ("SS", "%S"),
        ("FF9", "%n"),
        ("FF6", "%f"),
        ("FF3", "%g"),
        ("FF", "%n"),
        ("AM", "%p"),
        ("PM", "%p"),
        ("TZH:TZM", "%z"),
    ];
    let mut out = String::new();
    let mut rest = model;
    'outer: while !rest.is_empty() {
        let upper = rest.to_ascii_uppercase();
        for (token, pattern) in TOKENS {
            if upper.starts_with(token) {
                out.push_str(pattern);
                rest = &rest[token.len()..];
                continue 'outer;
            }
        }
        let ch = rest.chars().next().unwrap_or_default();
        if ch == '%' {
            out.push_str("%%");
        } else if ch == '\'' {
            out.push_str("''");
        } else {
            out.push(ch);
        }
        rest = &rest[ch.len_utf8()..];
    }
    Ok(format!("'{out}'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_aliases_resolve() {
        assert_eq!(date_part("\"DD\"").unwrap(), DatePart::Day);
        assert_eq!(date_part("'month'").unwrap(), DatePart::Month);
        assert!(date_part("fortnight").is_err());
    }

    #[test]
    fn format_models_become_strftime() {
        assert_eq!(
            format_model("'YYYY-MM-DD HH24:MI:SS'").unwrap(),
            "'%Y-%m-%d %H:%M:%S'"
        );
        assert_eq!(format_model("'DD/MM/YY'").unwrap(), "'%d/%m/%y'");
    }
}
