//! Zone-free forms of TIMESTAMP_LTZ / TIMESTAMP_TZ values for DuckDB's date and time functions,
//! and the session's TIMEZONE applied to them.
//!
//! Mockhaus stores TIMESTAMP_LTZ / TIMESTAMP_TZ as DuckDB's TIMESTAMPTZ, whose date parts,
//! truncation, arithmetic and casts to DATE / TIME live in the ICU extension, which is not
//! compiled in: DuckDB answers `DATE_TRUNC('day', CURRENT_TIMESTAMP())` by trying to install
//! it. The rewrite passes the date and time arguments of those functions through
//! `mockhaus_wall_clock`, which turns a TIMESTAMPTZ into the TIMESTAMP of its wall clock,
//! text into the TIMESTAMP it writes (Snowflake converts text given to a date function to a
//! TIMESTAMP_NTZ) and returns any other date, time or timestamp unchanged, so it can wrap an
//! argument whose type the rewrite does not know. `mockhaus_rezoned(result, argument)` gives a
//! timestamp result back its zone when the argument had one (DATEADD and DATE_TRUNC of a
//! TIMESTAMP_LTZ are TIMESTAMP_LTZ); otherwise it is the result unchanged.
//!
//! Each takes the session's time zone as a last argument when it is not UTC (the rewrite adds
//! it, see `translate::rewrite::session_zone`): the wall clock is then the one in that zone,
//! and `mockhaus_zoned` (`zoned.rs`) reads a wall clock, a date or text in it. Without the
//! argument the zone is UTC and both functions only copy values: a TIMESTAMPTZ and a
//! TIMESTAMP are the same microseconds since the epoch, in UTC.

mod text;
mod zoned;

use std::error::Error;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use duckdb::core::{DataChunkHandle, FlatVector, LogicalTypeHandle, LogicalTypeId};
use duckdb::ffi::duckdb_string_t;
use duckdb::types::DuckString;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;

pub use text::ZonedText;
pub use zoned::Zoned;

/// The types a date or time argument can have, and the type each becomes.
const WALL_CLOCK_TYPES: [(LogicalTypeId, LogicalTypeId); 5] = [
    (LogicalTypeId::TimestampTZ, LogicalTypeId::Timestamp),
    (LogicalTypeId::Timestamp, LogicalTypeId::Timestamp),
    (LogicalTypeId::Date, LogicalTypeId::Date),
    (LogicalTypeId::Time, LogicalTypeId::Time),
    // Text given to a date function is a TIMESTAMP_NTZ, as Snowflake converts it.
    (LogicalTypeId::Varchar, LogicalTypeId::Timestamp),
];

/// The types a date function's result can have.
const RESULT_TYPES: [LogicalTypeId; 3] = [
    LogicalTypeId::Timestamp,
    LogicalTypeId::Date,
    LogicalTypeId::Time,
];

pub struct WallClock;

impl VScalar for WallClock {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        match (
            input.flat_vector(0).logical_type().id(),
            input.num_columns(),
        ) {
            (LogicalTypeId::TimestampTZ, 2) => map_micros(input, output, 1, wall_clock_micros),
            (LogicalTypeId::Varchar, _) => parse_wall_clocks(input, output),
            _ => copy_first_column(input, output),
        }
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        WALL_CLOCK_TYPES
            .iter()
            .flat_map(|(from, to)| {
                [
                    ScalarFunctionSignature::exact(vec![handle(*from)], handle(*to)),
                    ScalarFunctionSignature::exact(
                        vec![handle(*from), handle(LogicalTypeId::Varchar)],
                        handle(*to),
                    ),
                ]
            })
            .collect()
    }
}

pub struct Rezoned;

impl VScalar for Rezoned {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        let zoned = input.flat_vector(1).logical_type().id() == LogicalTypeId::TimestampTZ
            && input.flat_vector(0).logical_type().id() == LogicalTypeId::Timestamp;
        match (zoned, input.num_columns()) {
            (true, 3) => map_micros(input, output, 2, instant_micros),
            _ => copy_first_column(input, output),
        }
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let zoned = (
            vec![LogicalTypeId::Timestamp, LogicalTypeId::TimestampTZ],
            LogicalTypeId::TimestampTZ,
        );
        let unchanged = RESULT_TYPES.iter().flat_map(|result| {
            WALL_CLOCK_TYPES
                .iter()
                .filter(move |(argument, _)| {
                    !(*result == LogicalTypeId::Timestamp
                        && *argument == LogicalTypeId::TimestampTZ)
                })
                .map(move |(argument, _)| (vec![*result, *argument], *result))
        });
        std::iter::once(zoned)
            .chain(unchanged)
            .flat_map(|(arguments, result)| {
                let with_zone = arguments.iter().copied().chain([LogicalTypeId::Varchar]);
                [
                    signature(arguments.iter().copied(), result),
                    signature(with_zone, result),
                ]
            })
            .collect()
    }
}

fn signature(
    arguments: impl Iterator<Item = LogicalTypeId>,
    result: LogicalTypeId,
) -> ScalarFunctionSignature {
    ScalarFunctionSignature::exact(arguments.map(handle).collect(), handle(result))
}

/// `mockhaus_as_instant(x)` / `mockhaus_as_wall_clock(x)`: `x` when it is a TIMESTAMPTZ
/// (`ZONED`) / a TIMESTAMP, else NULL. They take any type, so the rewrite can reach a value
/// of a type known only when DuckDB plans the query (`CASE WHEN typeof(x) = ...`) without a
/// cast, which the session's zone pass would read in the session's zone.
pub struct OfTimestampType<const ZONED: bool>;

impl<const ZONED: bool> OfTimestampType<ZONED> {
    const TYPE: LogicalTypeId = if ZONED {
        LogicalTypeId::TimestampTZ
    } else {
        LogicalTypeId::Timestamp
    };
}

impl<const ZONED: bool> VScalar for OfTimestampType<ZONED> {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        if input.flat_vector(0).logical_type().id() == Self::TYPE {
            return copy_first_column(input, output);
        }
        write_nulls(input.len(), output);
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![signature([LogicalTypeId::Any].into_iter(), Self::TYPE)]
    }
}

/// `mockhaus_date_kept(result, value)`: DATEADD / DATE_TRUNC / ADD_MONTHS of a DATE are a
/// DATE in Snowflake, while DuckDB's date arithmetic gives a TIMESTAMP. When the rewrite
/// cannot tell from the SQL whether the value is a DATE (a bind variable, a CTE's column, a
/// user function), this function decides when DuckDB binds it: one signature per value type,
/// the DATE one returning the result's date, the others the result unchanged.
pub struct DateKept;

impl VScalar for DateKept {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        if input.flat_vector(1).logical_type().id() != LogicalTypeId::Date {
            return copy_first_column(input, output);
        }
        let rows = input.len();
        let source = input.flat_vector(0);
        let mut target = output.flat_vector();
        // SAFETY: with a DATE value the signature's result is a TIMESTAMP (microseconds as
        // i64) and the output a DATE (days as i32), both within the chunk's rows.
        let micros = unsafe { source.as_slice_with_len::<i64>(rows) };
        let days = unsafe { target.as_mut_slice_with_len::<i32>(rows) };
        for (day, micro) in days.iter_mut().zip(micros) {
            *day = micro.div_euclid(MICROS_PER_DAY) as i32;
        }
        for row in (0..rows).filter(|row| source.row_is_null(*row as u64)) {
            target.set_null(row);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        use LogicalTypeId::{Date, Time, Timestamp, TimestampTZ, Varchar};
        [
            (vec![Timestamp, Date], Date),
            (vec![Timestamp, Timestamp], Timestamp),
            (vec![Timestamp, Varchar], Timestamp),
            (vec![Time, Time], Time),
            (vec![TimestampTZ, TimestampTZ], TimestampTZ),
        ]
        .into_iter()
        .map(|(arguments, result)| signature(arguments.into_iter(), result))
        .collect()
    }
}

pub(super) const MICROS_PER_DAY: i64 = 86_400_000_000;

/// `mockhaus_in_zone(instant, zone)`: the instant unchanged. The rewrite reads its wall clock
/// in `zone` rather than the session's (see `translate::rewrite::session_zone`).
pub struct InZone;

impl VScalar for InZone {
    type State = ();

    fn invoke(
        _: &(),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn Error>> {
        copy_first_column(input, output)
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let arguments = [LogicalTypeId::TimestampTZ, LogicalTypeId::Varchar];
        vec![signature(arguments.into_iter(), LogicalTypeId::TimestampTZ)]
    }
}

fn handle(id: LogicalTypeId) -> LogicalTypeHandle {
    id.into()
}

/// The wall clock `zone` shows at an instant (microseconds since the epoch), as microseconds
/// since the epoch of a zone-free TIMESTAMP. Values chrono cannot represent (DuckDB's
/// infinities) stay as they are.
pub(crate) fn wall_clock_micros(zone: Tz, micros: i64) -> Result<i64, String> {
    Ok(match DateTime::<Utc>::from_timestamp_micros(micros) {
        Some(instant) => instant
            .with_timezone(&zone)
            .naive_local()
            .and_utc()
            .timestamp_micros(),
        None => micros,
    })
}

/// The instant a wall clock (a zone-free TIMESTAMP's microseconds) shows in `zone`: the
/// earlier one when the clock repeats, an hour later when the clock skips it.
pub(crate) fn instant_micros(zone: Tz, micros: i64) -> Result<i64, String> {
    match DateTime::<Utc>::from_timestamp_micros(micros) {
        Some(wall) => Ok(super::zones::local_instant(zone, wall.naive_utc())?.timestamp_micros()),
        None => Ok(micros),
    }
}

/// Writes `convert(zone, value)` for each row of an i64 first column (TIMESTAMP or
/// TIMESTAMPTZ microseconds), the zone named by column `zone_column`.
fn map_micros(
    input: &mut DataChunkHandle,
    output: &mut dyn WritableVector,
    zone_column: usize,
    convert: fn(Tz, i64) -> Result<i64, String>,
) -> Result<(), Box<dyn Error>> {
    let rows = input.len();
    let source = input.flat_vector(0);
    let mut zones = ZoneColumn::new(input.flat_vector(zone_column));
    let mut target = output.flat_vector();
    // SAFETY: the signatures give column 0 a TIMESTAMP or TIMESTAMPTZ type (microseconds as
    // i64) and the output one of them; both are read and written within the chunk's rows.
    let values = unsafe { source.as_slice_with_len::<i64>(rows) };
    let written = unsafe { target.as_mut_slice_with_len::<i64>(rows) };
    let mut nulls = Vec::new();
    for (row, value) in values.iter().enumerate() {
        match zones.at(row)? {
            Some(zone) if !source.row_is_null(row as u64) => written[row] = convert(zone, *value)?,
            _ => nulls.push(row),
        }
    }
    for row in nulls {
        target.set_null(row);
    }
    Ok(())
}

/// A VARCHAR column of time zone names, parsed once per distinct name in a chunk (the rewrite
/// passes a constant).
pub(super) struct ZoneColumn<'a> {
    vector: FlatVector<'a>,
    last: Option<(String, Tz)>,
}

impl<'a> ZoneColumn<'a> {
    pub(super) fn new(vector: FlatVector<'a>) -> Self {
        Self { vector, last: None }
    }

    /// The zone of a row, or None for a NULL name.
    pub(super) fn at(&mut self, row: usize) -> Result<Option<Tz>, String> {
        if self.vector.row_is_null(row as u64) {
            return Ok(None);
        }
        // SAFETY: a VARCHAR vector holds string records; `row` is within the chunk.
        let mut record = unsafe { self.vector.as_slice_with_len::<duckdb_string_t>(row + 1)[row] };
        let name = DuckString::new(&mut record).as_str().into_owned();
        if let Some((known, zone)) = &self.last {
            if *known == name {
                return Ok(Some(*zone));
            }
        }
        let zone = super::zones::zone(&name)?;
        self.last = Some((name, zone));
        Ok(Some(zone))
    }
}

/// Copies the first input column to the output: values and NULLs.
/// Text → the TIMESTAMP it writes (`2024-01-15`, `2024-01-15 10:11:12.5`): the wall clock as
/// written, a UTC offset dropped as TO_TIMESTAMP_NTZ drops it; other text is 100035.
fn parse_wall_clocks(
    input: &mut DataChunkHandle,
    output: &mut dyn WritableVector,
) -> Result<(), Box<dyn Error>> {
    let rows = input.len();
    let source = input.flat_vector(0);
    let mut target = output.flat_vector();
    // SAFETY: this signature's input is a VARCHAR (string records) and its output a TIMESTAMP
    // (microseconds as i64), both read and written within the chunk's rows.
    let texts = unsafe { source.as_slice_with_len::<duckdb_string_t>(rows) };
    let written = unsafe { target.as_mut_slice_with_len::<i64>(rows) };
    let mut nulls = Vec::new();
    for (row, record) in texts.iter().enumerate() {
        if source.row_is_null(row as u64) {
            nulls.push(row);
            continue;
        }
        let mut record = *record;
        let text = DuckString::new(&mut record).as_str().into_owned();
        let (wall, _offset) = zoned::parse_timestamp(&text)
            .ok_or_else(|| format!("100035 (22007): Timestamp '{text}' is not recognized"))?;
        written[row] = wall;
    }
    for row in nulls {
        target.set_null(row);
    }
    Ok(())
}

fn write_nulls(rows: usize, output: &mut dyn WritableVector) {
    let mut target = output.flat_vector();
    for row in 0..rows {
        target.set_null(row);
    }
}

fn copy_first_column(
    input: &mut DataChunkHandle,
    output: &mut dyn WritableVector,
) -> Result<(), Box<dyn Error>> {
    let rows = input.len();
    let source = input.flat_vector(0);
    let mut target = output.flat_vector();
    // SAFETY: each arm reads the input as the physical type DuckDB stores for its logical type
    // (DATE: days as i32; TIME, TIMESTAMP, TIMESTAMPTZ: microseconds as i64), within the
    // chunk's rows, and writes the output column of the same physical type (the signatures
    // pair them; no signature copies text).
    unsafe {
        match source.logical_type().id() {
            LogicalTypeId::Date => target.copy(source.as_slice_with_len::<i32>(rows)),
            _ => target.copy(source.as_slice_with_len::<i64>(rows)),
        }
    }
    for row in 0..rows {
        if source.row_is_null(row as u64) {
            target.set_null(row);
        }
    }
    Ok(())
}
