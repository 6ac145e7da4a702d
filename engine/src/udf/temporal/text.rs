//! `mockhaus_zoned_text(instant, zone)`: a TIMESTAMP_LTZ's text in a session whose zone is
//! not UTC — its wall clock there and that zone's offset at the instant
//! (`2024-01-01 16:00:00.000 -0800`), as Snowflake's default output format writes it. A cast
//! to VARCHAR sees no session and writes UTC (`crate::text_casts`); the rewrite calls this
//! instead where it sees such a cast (`translate::rewrite::session_zone`).

use std::error::Error;

use chrono_tz::Tz;
use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeId};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;

use super::{signature, ZoneColumn};
use crate::format;

pub struct ZonedText;

impl VScalar for ZonedText {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        let rows = input.len();
        let source = input.flat_vector(0);
        let mut zones = ZoneColumn::new(input.flat_vector(1));
        let mut target = output.flat_vector();
        // SAFETY: the signature makes column 0 a TIMESTAMPTZ (microseconds as i64), read
        // within the chunk's rows.
        let values = unsafe { source.as_slice_with_len::<i64>(rows) };
        let mut nulls = Vec::new();
        for (row, micros) in values.iter().enumerate() {
            match zones.at(row)? {
                Some(zone) if !source.row_is_null(row as u64) => {
                    target.insert(row, zoned_text(zone, *micros).as_str());
                }
                _ => nulls.push(row),
            }
        }
        for row in nulls {
            target.set_null(row);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let arguments = [LogicalTypeId::TimestampTZ, LogicalTypeId::Varchar];
        vec![signature(arguments.into_iter(), LogicalTypeId::Varchar)]
    }
}

/// The instant's wall clock in `zone` with the zone's offset then: `... 16:00:00.000 -0800`.
pub(crate) fn zoned_text(zone: Tz, micros: i64) -> String {
    format::timestamp_tz_micros_string(micros, format::offset_minutes(zone, micros))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_west_of_utc_shows_its_wall_clock_and_negative_offset() {
        // 2024-01-02 00:00:00 UTC is 16:00 the day before in Los Angeles (PST, -08:00).
        let zone: Tz = "America/Los_Angeles".parse().unwrap();
        assert_eq!(
            zoned_text(zone, 1_704_153_600_000_000),
            "2024-01-01 16:00:00.000 -0800"
        );
    }

    #[test]
    fn a_half_hour_zone_and_summer_time_show_their_offsets() {
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        assert_eq!(
            zoned_text(kolkata, 1_704_153_600_000_000),
            "2024-01-02 05:30:00.000 +0530"
        );
        // 2024-07-01 12:00:00 UTC is 05:00 in Los Angeles (PDT, -07:00).
        let los_angeles: Tz = "America/Los_Angeles".parse().unwrap();
        assert_eq!(
            zoned_text(los_angeles, 1_719_835_200_000_000),
            "2024-07-01 05:00:00.000 -0700"
        );
    }
}
