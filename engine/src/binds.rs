//! Values bound to a statement's bind variables. A bound value is a [`Cell`]: the same typed
//! value a result holds, so a value read from Snowflake can be bound back unchanged. Values
//! reach DuckDB as typed parameters, never as SQL text.

use duckdb::types::{Decimal, TimeUnit, Value};

use crate::error::{SfError, SfResult};
use crate::result::Cell;

/// The values for one execution, in parameter order (`?` in text order, or `:1`, `:2`, ...).
pub type BindRow = Vec<Cell>;

/// DuckDB's form of a bound value. Time zones are not kept: DuckDB's TIMESTAMP parameter is
/// the instant in UTC, which is what a TIMESTAMP_LTZ or TIMESTAMP_TZ column stores.
pub(crate) fn to_duckdb(cell: &Cell) -> SfResult<Value> {
    Ok(match cell {
        Cell::Null => Value::Null,
        Cell::Boolean(b) => Value::Boolean(*b),
        Cell::Decimal { value, scale } => Value::Decimal(
            Decimal::new(38, *scale, *value)
                .map_err(|e| SfError::numeric_not_recognized(&format!("{value}e-{scale}: {e}")))?,
        ),
        Cell::Float(f) => Value::Double(*f),
        Cell::Text(s) | Cell::Json(s) => Value::Text(s.clone()),
        Cell::Binary(bytes) => Value::Blob(bytes.clone()),
        Cell::Date(days) => Value::Date32(*days),
        Cell::Time(nanos) => Value::Time64(TimeUnit::Nanosecond, *nanos),
        Cell::TimestampNtz(nanos) | Cell::TimestampLtz(nanos) => {
            Value::Timestamp(TimeUnit::Nanosecond, *nanos)
        }
        Cell::TimestampTz { epoch_nanos, .. } => {
            Value::Timestamp(TimeUnit::Nanosecond, *epoch_nanos)
        }
    })
}

/// The first `needed` values of `row` for DuckDB; fewer than needed is Snowflake's 002049.
/// Values past those the statement uses are ignored.
pub(crate) fn parameters(row: &[Cell], needed: usize) -> SfResult<Vec<Value>> {
    if row.len() < needed {
        return Err(SfError::new(
            "002049",
            "42601",
            format!(
                "SQL compilation error: error line 0 at position -1\nBind variable :{} not set.",
                row.len() + 1
            ),
        ));
    }
    row[..needed].iter().map(to_duckdb).collect()
}
