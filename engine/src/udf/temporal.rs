//! Zone-free forms of TIMESTAMP_LTZ / TIMESTAMP_TZ values for DuckDB's date and time functions.
//!
//! Mockhaus stores TIMESTAMP_LTZ / TIMESTAMP_TZ as DuckDB's TIMESTAMPTZ, whose date parts,
//! truncation, arithmetic and casts to DATE / TIME live in the ICU extension, which is not
//! compiled in: DuckDB answers `DATE_TRUNC('day', CURRENT_TIMESTAMP())` by trying to install
//! it. The rewrite passes the date and time arguments of those functions through
//! `mockhaus_wall_clock`, which turns a TIMESTAMPTZ into the TIMESTAMP of its UTC wall clock
//! (the engine's time zone: session time zones are not applied inside it) and returns any
//! other date, time, timestamp or text value unchanged, so it can wrap an argument whose type
//! the rewrite does not know. `mockhaus_rezoned(result, argument)` gives a timestamp result
//! back its zone when the argument had one (DATEADD and DATE_TRUNC of a TIMESTAMP_LTZ are
//! TIMESTAMP_LTZ); otherwise it is the result unchanged.
//!
//! Both only copy values: a TIMESTAMPTZ and a TIMESTAMP are the same microseconds since the
//! epoch, in UTC.

use std::error::Error;

use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::ffi::duckdb_string_t;
use duckdb::types::DuckString;
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;

/// The types a date or time argument can have, and the type each becomes.
const WALL_CLOCK_TYPES: [(LogicalTypeId, LogicalTypeId); 5] = [
    (LogicalTypeId::TimestampTZ, LogicalTypeId::Timestamp),
    (LogicalTypeId::Timestamp, LogicalTypeId::Timestamp),
    (LogicalTypeId::Date, LogicalTypeId::Date),
    (LogicalTypeId::Time, LogicalTypeId::Time),
    (LogicalTypeId::Varchar, LogicalTypeId::Varchar),
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
        copy_first_column(input, output)
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        WALL_CLOCK_TYPES
            .iter()
            .map(|(from, to)| ScalarFunctionSignature::exact(vec![handle(*from)], handle(*to)))
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
        copy_first_column(input, output)
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let zoned = ScalarFunctionSignature::exact(
            vec![
                handle(LogicalTypeId::Timestamp),
                handle(LogicalTypeId::TimestampTZ),
            ],
            handle(LogicalTypeId::TimestampTZ),
        );
        let unchanged = RESULT_TYPES.iter().flat_map(|result| {
            WALL_CLOCK_TYPES
                .iter()
                .filter(move |(argument, _)| {
                    !(*result == LogicalTypeId::Timestamp
                        && *argument == LogicalTypeId::TimestampTZ)
                })
                .map(move |(argument, _)| {
                    ScalarFunctionSignature::exact(
                        vec![handle(*result), handle(*argument)],
                        handle(*result),
                    )
                })
        });
        std::iter::once(zoned).chain(unchanged).collect()
    }
}

fn handle(id: LogicalTypeId) -> LogicalTypeHandle {
    id.into()
}

/// Copies the first input column to the output: values and NULLs.
fn copy_first_column(
    input: &mut DataChunkHandle,
    output: &mut dyn WritableVector,
) -> Result<(), Box<dyn Error>> {
    let rows = input.len();
    let source = input.flat_vector(0);
    let mut target = output.flat_vector();
    // SAFETY: each arm reads the input as the physical type DuckDB stores for its logical type
    // (DATE: days as i32; TIME, TIMESTAMP, TIMESTAMPTZ: microseconds as i64; VARCHAR: string
    // records), within the chunk's rows, and writes the output column of the same physical
    // type (the signatures pair them).
    unsafe {
        match source.logical_type().id() {
            LogicalTypeId::Date => target.copy(source.as_slice_with_len::<i32>(rows)),
            LogicalTypeId::Varchar => {
                for (row, value) in source
                    .as_slice_with_len::<duckdb_string_t>(rows)
                    .iter()
                    .enumerate()
                {
                    if !source.row_is_null(row as u64) {
                        let mut value = *value;
                        target.insert(row, DuckString::new(&mut value).as_bytes());
                    }
                }
            }
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
