//! Snowflake's text for date-time and FLOAT values. Snowflake turns a TIMESTAMP into text by
//! its output format (`YYYY-MM-DD HH24:MI:SS.FF3`, with ` TZHTZM` for the zoned kinds) and a
//! TIME by `HH24:MI:SS`, wherever text is made: `::VARCHAR`, TO_VARCHAR, `'x' || ts`,
//! LENGTH(ts), the text dbt's surrogate keys hash; DuckDB writes microseconds and `+00`. A FLOAT with no fraction is written without one (`1`, where DuckDB writes `1.0`).
//!
//! These casts replace DuckDB's own for the whole database, so every conversion to VARCHAR,
//! explicit or made by the rewrite, gives Snowflake's text. A cast sees no session, so it uses
//! the default formats; a TIMESTAMPTZ (TIMESTAMP_LTZ / TZ) is written in UTC with `+0000`,
//! and the rewrite (`session_zone.rs`) names another session zone where it sees the cast.
//! Like DuckDB's, these casts are not implicit: functions still choose their overloads as before.

use duckdb::ffi;

use crate::format;

/// Registers the casts on the database behind `conn`.
pub(crate) fn register(conn: ffi::duckdb_connection) -> Result<(), String> {
    register_cast(
        conn,
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP,
        cast_wall_clock,
    )?;
    register_cast(
        conn,
        ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIMESTAMP_TZ,
        cast_instant,
    )?;
    register_cast(conn, ffi::DUCKDB_TYPE_DUCKDB_TYPE_TIME, cast_time_of_day)?;
    register_cast(conn, ffi::DUCKDB_TYPE_DUCKDB_TYPE_DOUBLE, cast_float)?;
    Ok(())
}

/// A TIMESTAMP_NTZ's text: `2024-01-02 03:04:05.123` (milliseconds, cut, not rounded).
fn wall_clock_text(micros: i64) -> String {
    format::timestamp_micros_string(micros)
}

/// A TIMESTAMP_LTZ's text in UTC: `2024-01-02 03:04:05.123 +0000`.
fn instant_text(micros: i64) -> String {
    format::timestamp_tz_micros_string(micros, 0)
}

/// A TIME's text: `03:04:05` (Snowflake's TIME_OUTPUT_FORMAT shows no fraction).
fn time_of_day_text(micros: i64) -> String {
    format::time_string(micros * 1000)
}

type CastCallback = unsafe extern "C" fn(
    ffi::duckdb_function_info,
    ffi::idx_t,
    ffi::duckdb_vector,
    ffi::duckdb_vector,
) -> bool;

fn register_cast(
    conn: ffi::duckdb_connection,
    source: ffi::DUCKDB_TYPE,
    function: CastCallback,
) -> Result<(), String> {
    // SAFETY: the handles are created, used and destroyed here; DuckDB copies what it keeps.
    unsafe {
        let mut cast = ffi::duckdb_create_cast_function();
        let mut source_type = ffi::duckdb_create_logical_type(source);
        let mut target_type = ffi::duckdb_create_logical_type(ffi::DUCKDB_TYPE_DUCKDB_TYPE_VARCHAR);
        ffi::duckdb_cast_function_set_source_type(cast, source_type);
        ffi::duckdb_cast_function_set_target_type(cast, target_type);
        ffi::duckdb_cast_function_set_implicit_cast_cost(cast, -1);
        ffi::duckdb_cast_function_set_function(cast, Some(function));
        let state = ffi::duckdb_register_cast_function(conn, cast);
        ffi::duckdb_destroy_cast_function(&mut cast);
        ffi::duckdb_destroy_logical_type(&mut source_type);
        ffi::duckdb_destroy_logical_type(&mut target_type);
        if state != ffi::DuckDBSuccess {
            return Err(format!("could not register the text cast of type {source}"));
        }
    }
    Ok(())
}

/// Declares the C callback of a cast whose text is `$text` of each value.
macro_rules! text_cast {
    ($name:ident, $text:path) => {
        unsafe extern "C" fn $name(
            _info: ffi::duckdb_function_info,
            count: ffi::idx_t,
            input: ffi::duckdb_vector,
            output: ffi::duckdb_vector,
        ) -> bool {
            // SAFETY: DuckDB calls a cast with `count` values of the type it was registered
            // for, which is the type `$text` reads, and a VARCHAR output of as many rows.
            unsafe { write_texts(count, input, output, $text) }
        }
    };
}

text_cast!(cast_wall_clock, wall_clock_text);
text_cast!(cast_instant, instant_text);
text_cast!(cast_time_of_day, time_of_day_text);
text_cast!(cast_float, format::float_string);

/// Writes the text of each of the `count` values of `input` (a flat vector: DuckDB
/// flattens a cast's input) into `output`; NULL stays NULL.
///
/// # Safety
/// `input` holds `count` values of type `T`; `output` is a VARCHAR vector of at least
/// `count` rows.
unsafe fn write_texts<T: Copy>(
    count: ffi::idx_t,
    input: ffi::duckdb_vector,
    output: ffi::duckdb_vector,
    text: fn(T) -> String,
) -> bool {
    unsafe {
        let values = ffi::duckdb_vector_get_data(input).cast::<T>();
        let validity = ffi::duckdb_vector_get_validity(input);
        for row in 0..count {
            if !validity.is_null() && !ffi::duckdb_validity_row_is_valid(validity, row) {
                ffi::duckdb_vector_ensure_validity_writable(output);
                ffi::duckdb_validity_set_row_invalid(ffi::duckdb_vector_get_validity(output), row);
                continue;
            }
            let written = text(*values.add(row as usize));
            ffi::duckdb_vector_assign_string_element_len(
                output,
                row,
                written.as_ptr().cast(),
                written.len() as ffi::idx_t,
            );
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_2_2024_030405_123456: i64 = 1_704_164_645_123_456;

    #[test]
    fn a_wall_clock_shows_milliseconds_cut_not_rounded() {
        assert_eq!(
            wall_clock_text(JAN_2_2024_030405_123456 + 900),
            "2024-01-02 03:04:05.124"
        );
        assert_eq!(
            wall_clock_text(JAN_2_2024_030405_123456 - 123_456),
            "2024-01-02 03:04:05.000"
        );
    }

    #[test]
    fn an_instant_shows_utc_offset() {
        assert_eq!(
            instant_text(JAN_2_2024_030405_123456),
            "2024-01-02 03:04:05.123 +0000"
        );
    }

    #[test]
    fn times_before_1970_and_after_9999_keep_their_digits() {
        assert_eq!(wall_clock_text(-1), "1969-12-31 23:59:59.999");
        assert_eq!(
            wall_clock_text(1_579_046_400_000 * 1_000_000),
            "52007-12-28 00:00:00.000"
        );
    }

    #[test]
    fn a_time_of_day_shows_whole_seconds() {
        assert_eq!(time_of_day_text(11_045_123_456), "03:04:05");
        assert_eq!(time_of_day_text(0), "00:00:00");
    }

    #[test]
    fn infinities_are_named() {
        assert_eq!(wall_clock_text(i64::MAX), "infinity");
        assert_eq!(instant_text(-i64::MAX), "-infinity");
    }
}
