//! Time zone conversion by the IANA time zone database (chrono-tz; DuckDB's ICU extension is
//! not compiled in).

use std::str::FromStr;

use chrono::{Duration, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// CONVERT_TIMEZONE(source_tz, target_tz, wall clock): the wall clock in `target_tz` at the
/// instant the wall clock shows in `source_tz`. Arguments and result are text; the time is
/// DuckDB's TIMESTAMP text (`2024-03-10 02:30:00[.ffffff]`).
pub(super) fn convert_timezone(args: &[Option<String>]) -> Result<Option<String>, String> {
    let [Some(source), Some(target), Some(time)] = args else {
        return Ok(None);
    };
    let source = zone(source)?;
    let target = zone(target)?;
    let wall = NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S%.f")
        .map_err(|e| format!("Timestamp '{time}' is not recognized: {e}"))?;
    let instant = local_instant(source, wall)?;
    let converted = instant.with_timezone(&target).naive_local();
    Ok(Some(converted.format("%Y-%m-%d %H:%M:%S%.f").to_string()))
}

/// A time zone by its IANA name, in any case (`America/Los_Angeles`, `utc`).
pub(crate) fn zone(name: &str) -> Result<Tz, String> {
    let name = name.trim();
    Tz::from_str(name)
        .ok()
        .or_else(|| {
            chrono_tz::TZ_VARIANTS
                .iter()
                .find(|tz| tz.name().eq_ignore_ascii_case(name))
                .copied()
        })
        .ok_or_else(|| format!("Unknown timezone: '{name}'"))
}

/// The instant a wall clock shows in `zone`: the earlier one when the clock repeats (the end
/// of daylight saving time); a time the clock skips is read as the instant an hour later.
pub(crate) fn local_instant(zone: Tz, wall: NaiveDateTime) -> Result<chrono::DateTime<Tz>, String> {
    zone.from_local_datetime(&wall)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(wall + Duration::hours(1)))
                .earliest()
        })
        .ok_or_else(|| format!("no instant for {wall} in {}", zone.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(source: &str, target: &str, time: &str) -> String {
        convert_timezone(&[Some(source.into()), Some(target.into()), Some(time.into())])
            .expect("converts")
            .expect("not null")
    }

    #[test]
    fn converts_wall_clocks_between_zones() {
        // Snowflake's documented example: noon in Los Angeles is 21:00 in Warsaw.
        assert_eq!(
            convert(
                "America/Los_Angeles",
                "Europe/Warsaw",
                "2019-01-01 12:00:00"
            ),
            "2019-01-01 21:00:00"
        );
        assert_eq!(
            convert("utc", "America/New_York", "2024-07-01 12:00:00.5"),
            "2024-07-01 08:00:00.500"
        );
    }

    #[test]
    fn unknown_zones_and_nulls() {
        let err = convert_timezone(&[
            Some("Mars/Olympus".into()),
            Some("UTC".into()),
            Some("2024-01-01 00:00:00".into()),
        ])
        .expect_err("unknown zone");
        assert!(err.contains("Mars/Olympus"), "{err}");
        assert_eq!(
            convert_timezone(&[None, Some("UTC".into()), None]),
            Ok(None)
        );
    }
}
