//! Date and time functions over TIMESTAMP_LTZ / TIMESTAMP_TZ values. Those are DuckDB
//! TIMESTAMPTZ values, whose date parts, truncation, arithmetic and DATE / TIME casts need the
//! ICU extension, which is not compiled in. A date or time argument that is not a literal
//! (its type is not known here), or a bind variable, passes through the engine's
//! `mockhaus_wall_clock`: a TIMESTAMPTZ becomes its UTC wall clock as a TIMESTAMP, text the
//! TIMESTAMP it writes, any other value is unchanged. A
//! function whose result is a timestamp of the argument's kind (DATEADD, DATE_TRUNC,
//! ADD_MONTHS, TRUNC with a date part) gets the zone back through
//! `mockhaus_rezoned(result, argument)`. An argument of DuckDB's NULL type (`SELECT NULL AS d`
//! in a CTE) matches every overload of `mockhaus_wall_clock` equally, and DuckDB refuses the
//! call as ambiguous (002016); a typed NULL (`NULL::DATE`) or a NULL literal is fine.

use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, TimezoneInfo, Value,
};

use super::function_name;
use crate::error::SfResult;
use crate::rewrite::{parse_expr, ColumnTypes};
use crate::types::SfType;

pub(crate) const WALL_CLOCK: &str = "mockhaus_wall_clock";
pub(crate) const REZONED: &str = "mockhaus_rezoned";
/// `mockhaus_in_zone(instant, 'zone')`: the instant, whose wall clock is read in `zone` rather
/// than the session's (a TIMESTAMP_TZ at a known offset; see `session_zone`).
pub(crate) const IN_ZONE: &str = "mockhaus_in_zone";

/// The positions of a date or time function's date and time arguments.
fn temporal_positions(name: &str, func: &Function) -> &'static [usize] {
    match name {
        // TRUNC(value, 'part') truncates a date or timestamp; TRUNC(number, scale) a number.
        "TRUNC" | "TRUNCATE" if super::is_date_truncation(func) => &[0],
        "YEAR" | "MONTH" | "DAY" | "HOUR" | "MINUTE" | "SECOND" | "QUARTER" | "DAYNAME"
        | "MONTHNAME" | "DAYOFMONTH" | "DAYOFWEEK" | "DAYOFWEEKISO" | "DAYOFYEAR" | "WEEK"
        | "WEEKISO" | "WEEKOFYEAR" | "YEAROFWEEK" | "YEAROFWEEKISO" | "LAST_DAY" | "NEXT_DAY"
        | "PREVIOUS_DAY" | "ADD_MONTHS" => &[0],
        "DATE_TRUNC" | "DATE_PART" => &[1],
        "DATEADD" | "TIMESTAMPADD" | "TIMEADD" => &[2],
        "DATEDIFF" | "TIMESTAMPDIFF" | "TIMEDIFF" => &[1, 2],
        "MONTHS_BETWEEN" => &[0, 1],
        _ => &[],
    }
}

/// Functions whose result is a timestamp of the kind of their (single) temporal argument.
fn keeps_zone(name: &str) -> bool {
    matches!(
        name,
        "DATEADD" | "TIMESTAMPADD" | "TIMEADD" | "DATE_TRUNC" | "ADD_MONTHS" | "TRUNC" | "TRUNCATE"
    )
}

/// Wraps the function's non-literal date and time arguments in `mockhaus_wall_clock`, and
/// makes text arguments TIMESTAMP_NTZ (`text_as_timestamp`). Returns the argument to give the
/// result's zone back from, for functions that keep it.
pub(super) fn wrap_arguments(
    name: &str,
    func: &mut Function,
    columns: &ColumnTypes,
) -> SfResult<Option<Expr>> {
    let positions = temporal_positions(name, func);
    if positions.is_empty() {
        return Ok(None);
    }
    let FunctionArguments::List(list) = &mut func.args else {
        return Ok(None);
    };
    let mut zone_source = None;
    for &position in positions {
        let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))) = list.args.get_mut(position)
        else {
            continue;
        };
        if let Some(data_type) = text_type(arg, columns) {
            cast_text(arg, data_type);
            continue;
        }
        if crate::rewrite::is_string_literal(arg) {
            // Text of another shape ('March 5, 2024', or `'a' || 'b'` folded): read as a
            // timestamp when it runs (100035 when it is not one), as a text expression is;
            // DuckDB cannot choose an overload for a bare literal.
            *arg = parse_expr(&format!("{WALL_CLOCK}({arg})"))?;
            continue;
        }
        if !may_be_zoned(arg) && !is_bind_variable(arg) {
            continue;
        }
        zone_source = Some(arg.clone());
        *arg = parse_expr(&format!("{WALL_CLOCK}({arg})"))?;
    }
    Ok(zone_source.filter(|_| keeps_zone(name)))
}

/// The type text given to a date function is read as: a string literal that starts with a
/// date (`'2024-01-15'`, `'2024-01-15 10:00:00'`) or a text column of the statement's tables
/// is a TIMESTAMP_NTZ (`DATEADD(day, 1, '2024-01-15')` is `2024-01-16 00:00:00.000`), a
/// literal time of day (`'10:11:12'`) a TIME. DuckDB cannot choose among its overloads for
/// text. Other literals are left to DuckDB.
fn text_type(arg: &Expr, columns: &ColumnTypes) -> Option<DataType> {
    let timestamp = DataType::Timestamp(None, TimezoneInfo::None);
    match arg {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(text) if matches_shape(text, "dddd-dd-dd") => Some(timestamp),
            Value::SingleQuotedString(text) if matches_shape(text, "dd:dd") => {
                Some(DataType::Time(None, TimezoneInfo::None))
            }
            _ => None,
        },
        _ => matches!(
            crate::rewrite::column_type(arg, columns),
            Some(SfType::Text { .. })
        )
        .then_some(timestamp),
    }
}

/// Whether `text` starts with `shape`, where `d` stands for any digit.
fn matches_shape(text: &str, shape: &str) -> bool {
    let text = text.trim_start().as_bytes();
    text.len() >= shape.len()
        && shape.bytes().zip(text).all(|(want, got)| match want {
            b'd' => got.is_ascii_digit(),
            _ => want == *got,
        })
}

fn cast_text(arg: &mut Expr, data_type: DataType) {
    let text = std::mem::replace(arg, Expr::value(Value::Null));
    *arg = Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(text),
        data_type,
        format: None,
    };
}

/// `result` with the zone of `source` when it had one.
pub(super) fn rezoned(result: &Expr, source: &Expr) -> SfResult<Expr> {
    parse_expr(&format!("{REZONED}({result}, {source})"))
}

/// Whether a value could be a TIMESTAMPTZ: anything but a literal, a placeholder or a typed
/// literal of a zone-free type. (A literal stays as it is so that DuckDB still sees its type.)
pub(crate) fn may_be_zoned(expr: &Expr) -> bool {
    match expr {
        Expr::Value(_) | Expr::TypedString(_) => false,
        Expr::Nested(inner) => may_be_zoned(inner),
        _ => true,
    }
}

/// A bind variable's value may be text, a date or a timestamp: it goes through the wall-clock
/// function like a value of unknown type.
fn is_bind_variable(expr: &Expr) -> bool {
    matches!(expr, Expr::Value(v) if matches!(v.value, Value::Placeholder(_)))
}

/// Whether a (rewritten) expression is a call of `name` (one of the names above).
pub(crate) fn is_call(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Function(f) if function_name(f).eq_ignore_ascii_case(name))
}

/// The argument as it was before `wrap_arguments`, for the rewrite's type checks.
pub(super) fn unwrapped(expr: &Expr) -> &Expr {
    match expr {
        Expr::Function(f) if function_name(f).eq_ignore_ascii_case(WALL_CLOCK) => match &f.args {
            FunctionArguments::List(list) => match list.args.as_slice() {
                [FunctionArg::Unnamed(FunctionArgExpr::Expr(inner))] => inner,
                _ => expr,
            },
            _ => expr,
        },
        _ => expr,
    }
}

/// `value + INTERVAL ...` / `value - INTERVAL ...`: DuckDB adds intervals to a TIMESTAMPTZ
/// with ICU; the sum is taken on the wall clock and given the value's zone back.
pub(crate) fn shifted(value: &Expr, op: &BinaryOperator, interval: &Expr) -> SfResult<Expr> {
    parse_expr(&format!(
        "{REZONED}(({WALL_CLOCK}({value}) {op} {interval}), {value})"
    ))
}

/// What an epoch part (EPOCH_SECOND...) reads: the instant, as its UTC wall clock in any
/// session (a zone argument, so `session_zone` leaves it as it is).
pub(crate) fn instant_source(inner: &Expr) -> String {
    if may_be_zoned(inner) {
        format!("{WALL_CLOCK}({inner}, 'UTC')")
    } else {
        inner.to_string()
    }
}

/// `CAST(x AS DATE)` and `CAST(x AS TIME)` of a TIMESTAMPTZ also need ICU: the value to cast.
pub(crate) fn cast_source(inner: &Expr) -> String {
    if may_be_zoned(inner) {
        format!("{WALL_CLOCK}({inner})")
    } else {
        inner.to_string()
    }
}
