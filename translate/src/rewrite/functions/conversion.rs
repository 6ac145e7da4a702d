//! TO_DATE / TO_TIME / TO_TIMESTAMP[_NTZ] in their three shapes: a string or temporal value
//! (a cast), a string with a format model (parsed with it), and a number of seconds,
//! milliseconds, microseconds or nanoseconds since the epoch (by magnitude, or by an
//! explicit scale), which Snowflake also accepts as a string of digits.

use sqlparser::ast::{Expr, Value};

use crate::error::SfResult;
use crate::rewrite::dates::format_model;

/// The DuckDB type each function produces.
pub(super) fn target_type(name: &str) -> &'static str {
    match name {
        "TO_DATE" | "DATE" => "DATE",
        "TO_TIME" | "TIME" => "TIME",
        "TO_TIMESTAMP_LTZ" | "TO_TIMESTAMP_TZ" => "TIMESTAMPTZ",
        _ => "TIMESTAMP",
    }
}

/// `name(args...)`; `first` is the first argument as written, to tell numbers from text.
pub(super) fn to_datetime(name: &str, args: &[String], first: Option<&Expr>) -> SfResult<String> {
    let target = target_type(name);
    let value = &args[0];
    if let Some(second) = args.get(1) {
        if is_number_literal(second) {
            return Ok(cast_epoch(&epoch_scaled(value, second), target));
        }
        let format = format_model(second)?;
        return Ok(format!(
            "CAST(strptime(CAST({value} AS VARCHAR), {format}) AS {target})"
        ));
    }
    if target == "TIME" {
        // A TIMESTAMP_LTZ's time is read from its wall clock (see `wall_clock`).
        let source = first.map_or_else(|| value.clone(), super::wall_clock::cast_source);
        return Ok(format!("CAST({source} AS TIME)"));
    }
    Ok(match first.map(literal_kind) {
        Some(Literal::Number) => cast_epoch(
            &epoch_by_magnitude(&format!("CAST({value} AS DOUBLE)")),
            target,
        ),
        Some(Literal::Text { digits_only: true }) => cast_epoch(
            &epoch_by_magnitude(&format!("CAST({value} AS DOUBLE)")),
            target,
        ),
        Some(Literal::Text { digits_only: false }) => format!("CAST({value} AS {target})"),
        // Only known when it runs: numbers and digit strings are epochs, the rest is cast as
        // text (every temporal type and string casts from its text form). A large FLOAT's
        // text has an exponent (`1.7e+15`).
        Some(Literal::Other) | None => {
            let text = if target == "TIMESTAMPTZ" {
                exact_text(value)
            } else {
                wall_clock_text(value, first)
            };
            format!(
                "(CASE WHEN regexp_full_match({text}, '-?[0-9]+(\\.[0-9]*)?(e[+-]?[0-9]+)?') THEN {epoch} \
                 ELSE CAST({text} AS {target}) END)",
                epoch = cast_epoch(
                    &epoch_by_magnitude(&format!("CAST({text} AS DOUBLE)")),
                    target
                )
            )
        }
    })
}

/// The text of a value about to become a DATE or TIMESTAMP_NTZ: a TIMESTAMP_LTZ's is its wall
/// clock's (see `wall_clock`). Its type is only known when the query is planned, and the
/// wall-clock function takes no numbers (epochs), so the TIMESTAMPTZ branch reaches the value
/// through `mockhaus_as_instant`, which binds for every type; DuckDB drops the branch that does
/// not apply. A value fixed in a zone (CONVERT_TIMEZONE's `mockhaus_in_zone`) keeps that zone.
fn wall_clock_text(value: &str, written: Option<&Expr>) -> String {
    let wall_clock = super::wall_clock::WALL_CLOCK;
    if written.is_some_and(|e| super::wall_clock::is_call(e, super::wall_clock::IN_ZONE)) {
        return format!("strftime({wall_clock}({value}), {MICROSECONDS})");
    }
    format!(
        "(CASE WHEN typeof({value}) = 'TIMESTAMP WITH TIME ZONE' \
         THEN strftime({wall_clock}(mockhaus_as_instant({value})), {MICROSECONDS}) \
         ELSE {} END)",
        exact_text(value)
    )
}

/// A TIMESTAMP's text to the microsecond (a TIMESTAMPTZ's in UTC). A cast to VARCHAR gives
/// Snowflake's text, which shows milliseconds (`engine/src/text_casts.rs`); text read back
/// into a timestamp must not lose the rest. No casts to timestamps: they bind for every type
/// only as TRY_CASTs, which the session's zone pass would read in the session's zone.
fn exact_text(value: &str) -> String {
    let wall_clock = super::wall_clock::WALL_CLOCK;
    format!(
        "(CASE typeof({value}) \
         WHEN 'TIMESTAMP' THEN strftime(mockhaus_as_wall_clock({value}), {MICROSECONDS}) \
         WHEN 'TIMESTAMP WITH TIME ZONE' \
         THEN strftime({wall_clock}(mockhaus_as_instant({value}), 'UTC'), {MICROSECONDS}) || '+00' \
         ELSE CAST({value} AS VARCHAR) END)"
    )
}

/// DuckDB's strftime format of a wall clock to the microsecond.
pub(super) const MICROSECONDS: &str = "'%Y-%m-%d %H:%M:%S.%f'";

enum Literal {
    Number,
    Text { digits_only: bool },
    Other,
}

fn literal_kind(expr: &Expr) -> Literal {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(..) => Literal::Number,
            Value::SingleQuotedString(s) => Literal::Text {
                digits_only: !s.is_empty() && s.trim().chars().all(|c| c.is_ascii_digit()),
            },
            _ => Literal::Other,
        },
        Expr::UnaryOp { expr, .. } => match literal_kind(expr) {
            Literal::Number => Literal::Number,
            _ => Literal::Other,
        },
        _ => Literal::Other,
    }
}

fn is_number_literal(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// Microseconds since the epoch, from a value whose unit Snowflake infers by its size:
/// below 31536000000 seconds, then milliseconds, microseconds, and nanoseconds.
fn epoch_by_magnitude(value: &str) -> String {
    format!(
        "(CASE WHEN abs({v}) < 31536000000 THEN {v} * 1000000 \
         WHEN abs({v}) < 31536000000000 THEN {v} * 1000 \
         WHEN abs({v}) < 31536000000000000 THEN {v} ELSE {v} / 1000 END)",
        v = value
    )
}

/// Microseconds since the epoch from a number in units of 10^-scale seconds.
fn epoch_scaled(value: &str, scale: &str) -> String {
    format!("(CAST({value} AS DOUBLE) * power(10, 6 - {scale}))")
}

fn cast_epoch(micros: &str, target: &str) -> String {
    format!("CAST(make_timestamp(CAST({micros} AS BIGINT)) AS {target})")
}
