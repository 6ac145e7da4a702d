//! Rendering cells as text (Snowflake's default output formats) and as plain JSON values.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike};

use crate::result::Cell;

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// An exact decimal as text with exactly `scale` fractional digits (`12.30`).
pub fn decimal_string(value: i128, scale: u8) -> String {
    if scale == 0 {
        return value.to_string();
    }
    let digits = value.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{int}.{frac}")
}

/// A float as Snowflake prints one (`1.5`, `1e+100`, `NaN`, `inf`).
pub fn float_string(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else if value != 0.0 && (value.abs() >= 1e15 || value.abs() < 1e-5) {
        let text = format!("{value:e}");
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        }
    } else {
        value.to_string()
    }
}

pub fn date_string(days: i32) -> String {
    NaiveDate::from_num_days_from_ce_opt(days + 719_163)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("<date {days}>"))
}

pub fn time_string(nanos: i64) -> String {
    let secs = nanos.div_euclid(NANOS_PER_SEC) as u32;
    let frac = nanos.rem_euclid(NANOS_PER_SEC) as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(secs, frac)
        .map(|t| t.format("%H:%M:%S").to_string())
        .unwrap_or_else(|| format!("<time {nanos}>"))
}

/// `YYYY-MM-DD HH24:MI:SS.FF3` for the wall-clock time `epoch_nanos` read as UTC.
pub fn timestamp_string(epoch_nanos: i64) -> String {
    timestamp_micros_string(epoch_nanos.div_euclid(1000))
}

/// [`timestamp_string`] of microseconds (DuckDB's unit), which reach years past 9999.
pub fn timestamp_micros_string(epoch_micros: i64) -> String {
    let Some(time) = DateTime::from_timestamp_micros(epoch_micros).map(|t| t.naive_utc()) else {
        // DuckDB's infinite timestamps; no Snowflake value is out of chrono's range.
        return if epoch_micros > 0 {
            "infinity"
        } else {
            "-infinity"
        }
        .to_string();
    };
    // Not chrono's `%Y`, which signs years past 9999; Snowflake writes their digits.
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.nanosecond() / 1_000_000
    )
}

/// A timestamp with its offset: `YYYY-MM-DD HH24:MI:SS.FF3 +hhmm`.
pub fn timestamp_tz_string(epoch_nanos: i64, offset_minutes: i32) -> String {
    timestamp_tz_micros_string(epoch_nanos.div_euclid(1000), offset_minutes)
}

/// [`timestamp_tz_string`] of microseconds.
pub fn timestamp_tz_micros_string(epoch_micros: i64, offset_minutes: i32) -> String {
    if DateTime::from_timestamp_micros(epoch_micros).is_none() {
        return timestamp_micros_string(epoch_micros);
    }
    let local = epoch_micros + offset_minutes as i64 * 60_000_000;
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let abs = offset_minutes.abs();
    format!(
        "{} {sign}{:02}{:02}",
        timestamp_micros_string(local),
        abs / 60,
        abs % 60
    )
}

/// The text a person sees for a cell (CLI tables); `None` for SQL NULL.
pub fn display(cell: &Cell) -> Option<String> {
    Some(match cell {
        Cell::Null => return None,
        Cell::Boolean(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Decimal { value, scale } => decimal_string(*value, *scale),
        Cell::Float(f) => float_string(*f),
        Cell::Text(s) | Cell::Json(s) => s.clone(),
        Cell::Binary(bytes) => hex::encode_upper(bytes),
        Cell::Date(days) => date_string(*days),
        Cell::Time(nanos) => time_string(*nanos),
        Cell::TimestampNtz(nanos) => timestamp_string(*nanos),
        Cell::TimestampLtz(nanos) => timestamp_tz_string(*nanos, 0),
        Cell::TimestampTz {
            epoch_nanos,
            offset_minutes,
        } => timestamp_tz_string(*epoch_nanos, *offset_minutes),
    })
}

/// As [`display`], with TIMESTAMP_LTZ values shown in a session's TIMEZONE (None or a name
/// the time zone database does not know: UTC), as Snowflake shows them.
pub fn display_in_zone(cell: &Cell, zone: Option<&str>) -> Option<String> {
    match (
        cell,
        zone.and_then(|name| crate::udf::zones::zone(name).ok()),
    ) {
        (Cell::TimestampLtz(nanos), Some(zone)) => {
            let micros = nanos.div_euclid(1000);
            Some(timestamp_tz_string(*nanos, offset_minutes(zone, micros)))
        }
        _ => display(cell),
    }
}

/// The UTC offset of `zone` at an instant (microseconds since the epoch), in minutes.
pub(crate) fn offset_minutes(zone: chrono_tz::Tz, epoch_micros: i64) -> i32 {
    use chrono::{Offset, TimeZone};
    let Some(instant) = DateTime::from_timestamp_micros(epoch_micros) else {
        return 0;
    };
    let instant = instant.naive_utc();
    zone.offset_from_utc_datetime(&instant)
        .fix()
        .local_minus_utc()
        / 60
}

/// A cell as a plain JSON value (Mockhaus' REST API): numbers stay numbers where JSON can
/// hold them exactly, temporal values are ISO-like text, semi-structured values are JSON.
pub fn to_json(cell: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match cell {
        Cell::Null => Value::Null,
        Cell::Boolean(b) => Value::Bool(*b),
        Cell::Decimal { value, scale: 0 } if i64::try_from(*value).is_ok() => {
            Value::from(*value as i64)
        }
        Cell::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| Value::String(float_string(*f)), Value::Number),
        Cell::Json(text) => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
        }
        other => Value::String(display(other).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(decimal_string(1230, 2), "12.30");
        assert_eq!(decimal_string(-5, 2), "-0.05");
        assert_eq!(decimal_string(42, 0), "42");
    }

    #[test]
    fn temporal_values_use_snowflake_defaults() {
        assert_eq!(date_string(17636), "2018-04-15");
        assert_eq!(time_string(15_329_123_456_000), "04:15:29");
        assert_eq!(
            timestamp_string(1_365_123_723_123_456_000),
            "2013-04-05 01:02:03.123"
        );
        assert_eq!(timestamp_tz_string(0, 540), "1970-01-01 09:00:00.000 +0900");
    }
}
