//! `mockhaus_zoned(value, zone)` / `mockhaus_try_zoned(value, zone)`: a value made a
//! TIMESTAMP_LTZ in a session whose TIMEZONE is not UTC, which is what a cast to TIMESTAMPTZ
//! would do with ICU's time zone set. A TIMESTAMPTZ is already an instant; a TIMESTAMP is a
//! wall clock in `zone`, a DATE its midnight there; text with a UTC offset (`+02:00`,
//! ` +0200`, `Z`) names its instant, text without one is a wall clock in `zone`. Text that is
//! no timestamp is Snowflake's 100035, or NULL for the `try` form (TRY_CAST).

use std::error::Error;

use chrono::{NaiveDate, NaiveDateTime};
use duckdb::core::{DataChunkHandle, LogicalTypeId};
use duckdb::ffi::duckdb_string_t;
use duckdb::types::DuckString;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;

use super::{copy_first_column, handle, instant_micros, map_micros, ZoneColumn, MICROS_PER_DAY};

/// `LENIENT`: text that is no timestamp gives NULL rather than an error.
pub struct Zoned<const LENIENT: bool>;

impl<const LENIENT: bool> VScalar for Zoned<LENIENT> {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        match input.flat_vector(0).logical_type().id() {
            LogicalTypeId::TimestampTZ => copy_first_column(input, output),
            LogicalTypeId::Timestamp => map_micros(input, output, 1, instant_micros),
            LogicalTypeId::Date => write_rows(input, output, |source, row| {
                // SAFETY: a DATE vector holds days since the epoch as i32.
                let days = unsafe { source.as_slice_with_len::<i32>(row + 1)[row] };
                Ok(Some((i64::from(days) * MICROS_PER_DAY, None)))
            }),
            _ => write_rows(input, output, |source, row| {
                // SAFETY: the remaining signature gives a VARCHAR: string records.
                let mut record =
                    unsafe { source.as_slice_with_len::<duckdb_string_t>(row + 1)[row] };
                let text = DuckString::new(&mut record).as_str().into_owned();
                match parse_timestamp(&text) {
                    Some(parsed) => Ok(Some(parsed)),
                    None if LENIENT => Ok(None),
                    None => Err(format!(
                        "100035 (22007): Timestamp '{text}' is not recognized"
                    )),
                }
            }),
        }
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        [
            LogicalTypeId::TimestampTZ,
            LogicalTypeId::Timestamp,
            LogicalTypeId::Date,
            LogicalTypeId::Varchar,
        ]
        .into_iter()
        .map(|from| {
            ScalarFunctionSignature::exact(
                vec![handle(from), handle(LogicalTypeId::Varchar)],
                handle(LogicalTypeId::TimestampTZ),
            )
        })
        .collect()
    }
}

/// A row's value: microseconds since the epoch of a wall clock, and the UTC offset in seconds
/// it was written with, if any (None: a wall clock in the session's zone).
type WallClock = (i64, Option<i64>);

/// Writes the instant of each row's wall clock: `read` gives it (None: NULL).
fn write_rows(
    input: &mut DataChunkHandle,
    output: &mut dyn WritableVector,
    read: impl Fn(&duckdb::core::FlatVector<'_>, usize) -> Result<Option<WallClock>, String>,
) -> Result<(), Box<dyn Error>> {
    let rows = input.len();
    let source = input.flat_vector(0);
    let mut zones = ZoneColumn::new(input.flat_vector(1));
    let mut target = output.flat_vector();
    // SAFETY: the output is a TIMESTAMPTZ: microseconds as i64, written within the chunk.
    let written = unsafe { target.as_mut_slice_with_len::<i64>(rows) };
    let mut nulls = Vec::new();
    for (row, slot) in written.iter_mut().enumerate() {
        let zone = zones.at(row)?;
        let value = match zone {
            Some(_) if !source.row_is_null(row as u64) => read(&source, row)?,
            _ => None,
        };
        match (value, zone) {
            (Some((wall, Some(offset))), _) => *slot = wall - offset * 1_000_000,
            (Some((wall, None)), Some(zone)) => *slot = instant_micros(zone, wall)?,
            _ => nulls.push(row),
        }
    }
    for row in nulls {
        target.set_null(row);
    }
    Ok(())
}

/// Timestamp text as DuckDB and Snowflake write it: `2024-01-15`, `2024-01-15 12:34[:56[.f]]`
/// (or `T` between), optionally followed by a UTC offset.
pub(crate) fn parse_timestamp(text: &str) -> Option<WallClock> {
    let (stamp, offset) = split_offset(text.trim())?;
    let wall = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(stamp, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(stamp, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0)
    })?;
    Some((wall.and_utc().timestamp_micros(), offset))
}

/// The text before its UTC offset, and the offset in seconds (`Z`, `+05`, `+0530`, `+05:30`,
/// with or without a space before it). The date's own hyphens come before position 10.
fn split_offset(text: &str) -> Option<(&str, Option<i64>)> {
    if let Some(stamp) = text.strip_suffix(['Z', 'z']) {
        return Some((stamp.trim_end(), Some(0)));
    }
    let Some(sign_at) = text.rfind(['+', '-']).filter(|at| *at >= 10) else {
        return Some((text, None));
    };
    let digits: String = text[sign_at + 1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (
            digits[..2].parse::<i64>().ok()?,
            digits[2..].parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    let sign = if text.as_bytes()[sign_at] == b'-' {
        -1
    } else {
        1
    };
    Some((
        text[..sign_at].trim_end(),
        Some(sign * (hours * 3600 + minutes * 60)),
    ))
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp;

    fn micros(text: &str) -> i64 {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
            .unwrap()
            .and_utc()
            .timestamp_micros()
    }

    #[test]
    fn reads_wall_clocks_and_offsets() {
        let noon = micros("2024-01-15 12:34:56");
        assert_eq!(parse_timestamp("2024-01-15 12:34:56"), Some((noon, None)));
        assert_eq!(parse_timestamp("2024-01-15T12:34:56"), Some((noon, None)));
        assert_eq!(
            parse_timestamp(" 2024-01-15 12:34:56 +05:30"),
            Some((noon, Some(19_800)))
        );
        assert_eq!(
            parse_timestamp("2024-01-15 12:34:56-0800"),
            Some((noon, Some(-28_800)))
        );
        assert_eq!(
            parse_timestamp("2024-01-15 12:34:56+02"),
            Some((noon, Some(7_200)))
        );
        assert_eq!(
            parse_timestamp("2024-01-15 12:34:56Z"),
            Some((noon, Some(0)))
        );
        assert_eq!(
            parse_timestamp("2024-01-15 12:34:56.5"),
            Some((noon + 500_000, None))
        );
        assert_eq!(
            parse_timestamp("2024-01-15"),
            Some((micros("2024-01-15 00:00:00"), None))
        );
    }

    #[test]
    fn refuses_what_is_no_timestamp() {
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2024-01-15 12:34:56 +5"), None);
        assert_eq!(parse_timestamp("2024-13-15"), None);
    }
}
