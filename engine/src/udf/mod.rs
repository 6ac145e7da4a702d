//! Scalar functions written in Rust and registered in each account's DuckDB database, for
//! Snowflake functions no DuckDB expression reproduces faithfully (SOUNDEX, STRTOK, VARIANT
//! ordering...). They are named `mockhaus_*`; the rewriter emits them from templates, and a
//! tenant who writes one directly gets Snowflake's "Unknown function" like for any other
//! non-Snowflake name.
//!
//! Each function reads its arguments as text (DuckDB casts JSON, numbers and booleans to
//! VARCHAR on the way in) and returns text or NULL per row; the SQL around the call casts
//! the result to the Snowflake type.

use std::error::Error;
use std::sync::Arc;

use duckdb::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use duckdb::arrow::datatypes::DataType;
use duckdb::vscalar::{ArrowFunctionSignature, VArrowScalar};
use duckdb::Connection;

mod numbers;
mod regexp;
mod strings;
mod temporal;
mod variant;
pub(crate) mod zones;

/// A row-at-a-time text function: `None` arguments are SQL NULLs.
type RowFn = fn(&[Option<String>]) -> Result<Option<String>, String>;

/// Registers every Mockhaus function on the database behind `conn`.
pub fn register(conn: &Connection) -> duckdb::Result<()> {
    conn.register_scalar_function::<Soundex>("mockhaus_soundex")?;
    conn.register_scalar_function::<Initcap>("mockhaus_initcap")?;
    conn.register_scalar_function::<Strtok>("mockhaus_strtok")?;
    conn.register_scalar_function::<StrtokToArray>("mockhaus_strtok_to_array")?;
    conn.register_scalar_function::<ArraySort>("mockhaus_array_sort")?;
    conn.register_scalar_function::<ArrayExtreme>("mockhaus_array_extreme")?;
    conn.register_scalar_function::<ArraySetOp>("mockhaus_array_set_op")?;
    conn.register_scalar_function::<VariantSortKey>("mockhaus_variant_sort_key")?;
    conn.register_scalar_function::<RegexpSubstr>("mockhaus_regexp_substr")?;
    conn.register_scalar_function::<RegexpInstr>("mockhaus_regexp_instr")?;
    conn.register_scalar_function::<RegexpCount>("mockhaus_regexp_count")?;
    conn.register_scalar_function::<RegexpReplace>("mockhaus_regexp_replace")?;
    conn.register_scalar_function::<RegexpLike>("mockhaus_regexp_like")?;
    conn.register_scalar_function::<RegexpSubstrAll>("mockhaus_regexp_substr_all")?;
    conn.register_scalar_function::<ConvertTimezone>("mockhaus_convert_timezone")?;
    conn.register_scalar_function::<FormatNumber>("mockhaus_format_number")?;
    conn.register_scalar_function::<ParseNumber>("mockhaus_parse_number")?;
    conn.register_scalar_function::<temporal::WallClock>("mockhaus_wall_clock")?;
    conn.register_scalar_function::<temporal::DateKept>("mockhaus_date_kept")?;
    conn.register_scalar_function::<temporal::Rezoned>("mockhaus_rezoned")?;
    conn.register_scalar_function::<temporal::Zoned<false>>("mockhaus_zoned")?;
    conn.register_scalar_function::<temporal::Zoned<true>>("mockhaus_try_zoned")?;
    conn.register_scalar_function::<temporal::InZone>("mockhaus_in_zone")?;
    conn.register_scalar_function::<temporal::ZonedText>("mockhaus_zoned_text")?;
    conn.register_scalar_function::<temporal::OfTimestampType<true>>("mockhaus_as_instant")?;
    conn.register_scalar_function::<temporal::OfTimestampType<false>>("mockhaus_as_wall_clock")?;
    Ok(())
}

/// Declares a text function of `$arity` VARCHAR arguments backed by a `RowFn`.
macro_rules! text_function {
    ($name:ident, $arity:expr, $body:path) => {
        struct $name;
        impl VArrowScalar for $name {
            type State = ();
            fn invoke(_: &(), input: RecordBatch) -> Result<ArrayRef, Box<dyn Error>> {
                map_rows(&input, $body)
            }
            fn signatures() -> Vec<ArrowFunctionSignature> {
                vec![ArrowFunctionSignature::exact(
                    vec![DataType::Utf8; $arity],
                    DataType::Utf8,
                )]
            }
        }
    };
}

text_function!(Soundex, 1, strings::soundex);
text_function!(Initcap, 2, strings::initcap);
text_function!(Strtok, 3, strings::strtok);
text_function!(StrtokToArray, 2, strings::strtok_to_array);
text_function!(ArraySort, 3, variant::array_sort);
text_function!(ArrayExtreme, 2, variant::array_extreme);
text_function!(ArraySetOp, 3, variant::array_set_op);
text_function!(VariantSortKey, 1, variant::sort_key);
text_function!(RegexpSubstr, 6, regexp::substr);
text_function!(RegexpInstr, 7, regexp::instr);
text_function!(RegexpCount, 4, regexp::count);
text_function!(RegexpReplace, 6, regexp::replace);
text_function!(RegexpLike, 3, regexp::like);
text_function!(RegexpSubstrAll, 6, regexp::substr_all);
text_function!(ConvertTimezone, 3, zones::convert_timezone);
text_function!(FormatNumber, 2, numbers::format_number);
text_function!(ParseNumber, 3, numbers::parse_number);

/// Applies `f` to every row of `input`.
fn map_rows(input: &RecordBatch, f: RowFn) -> Result<ArrayRef, Box<dyn Error>> {
    let columns = input.columns();
    let mut out: Vec<Option<String>> = Vec::with_capacity(input.num_rows());
    let mut args = Vec::with_capacity(columns.len());
    for row in 0..input.num_rows() {
        args.clear();
        for column in columns {
            args.push(text_at(column, row)?);
        }
        out.push(f(&args)?);
    }
    Ok(Arc::new(StringArray::from(out)))
}

fn text_at(column: &ArrayRef, row: usize) -> Result<Option<String>, String> {
    if column.is_null(row) {
        return Ok(None);
    }
    let text = match column.data_type() {
        DataType::Utf8 => column.as_string::<i32>().value(row).to_string(),
        DataType::LargeUtf8 => column.as_string::<i64>().value(row).to_string(),
        DataType::Utf8View => column.as_string_view().value(row).to_string(),
        other => return Err(format!("unexpected argument type {other}")),
    };
    Ok(Some(text))
}
