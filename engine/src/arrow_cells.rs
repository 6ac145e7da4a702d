//! DuckDB's Arrow batches back into cells: a kept result whose rows went straight to an Arrow
//! client (see `recent_results`) becomes rows again when a later query scans it. Only the
//! Arrow types DuckDB produces for the columns that path takes appear here.

use duckdb::arrow::array::{Array, AsArray};
use duckdb::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, Time64MicrosecondType, Time64NanosecondType, TimeUnit,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use duckdb::arrow::record_batch::RecordBatch;

use crate::convert::{integer, text, timestamp};
use crate::error::{SfError, SfResult};
use crate::result::{Cell, Column};
use crate::types::SfType;

/// Every row of `batches` as cells typed by `columns`.
pub(crate) fn rows(columns: &[Column], batches: &[RecordBatch]) -> SfResult<Vec<Vec<Cell>>> {
    let mut rows = Vec::new();
    for batch in batches {
        let by_column = columns
            .iter()
            .zip(batch.columns())
            .map(|(column, array)| column_cells(column.sf_type, array.as_ref()))
            .collect::<SfResult<Vec<Vec<Cell>>>>()?;
        let mut iters: Vec<_> = by_column.into_iter().map(Vec::into_iter).collect();
        for _ in 0..batch.num_rows() {
            rows.push(iters.iter_mut().filter_map(Iterator::next).collect());
        }
    }
    Ok(rows)
}

fn column_cells(sf_type: SfType, array: &dyn Array) -> SfResult<Vec<Cell>> {
    let values = (0..array.len())
        .map(|i| {
            if array.is_null(i) {
                Ok(Cell::Null)
            } else {
                cell(sf_type, array, i)
            }
        })
        .collect::<SfResult<Vec<Cell>>>()?;
    Ok(values)
}

/// The `i`th (non-null) value of `array`.
fn cell(sf_type: SfType, array: &dyn Array, i: usize) -> SfResult<Cell> {
    use DataType as D;
    let cell = match array.data_type() {
        D::Boolean => Cell::Boolean(array.as_boolean().value(i)),
        D::Int8 => integer(array.as_primitive::<Int8Type>().value(i).into(), sf_type),
        D::Int16 => integer(array.as_primitive::<Int16Type>().value(i).into(), sf_type),
        D::Int32 => integer(array.as_primitive::<Int32Type>().value(i).into(), sf_type),
        D::Int64 => integer(array.as_primitive::<Int64Type>().value(i).into(), sf_type),
        D::UInt8 => integer(array.as_primitive::<UInt8Type>().value(i).into(), sf_type),
        D::UInt16 => integer(array.as_primitive::<UInt16Type>().value(i).into(), sf_type),
        D::UInt32 => integer(array.as_primitive::<UInt32Type>().value(i).into(), sf_type),
        D::UInt64 => integer(array.as_primitive::<UInt64Type>().value(i).into(), sf_type),
        D::Decimal128(_, scale) => Cell::Decimal {
            value: array.as_primitive::<Decimal128Type>().value(i),
            scale: u8::try_from(*scale).map_err(|_| unexpected(array.data_type()))?,
        },
        D::Float32 => Cell::Float(array.as_primitive::<Float32Type>().value(i).into()),
        D::Float64 => Cell::Float(array.as_primitive::<Float64Type>().value(i)),
        D::Utf8 => text(array.as_string::<i32>().value(i).to_owned(), sf_type),
        D::LargeUtf8 => text(array.as_string::<i64>().value(i).to_owned(), sf_type),
        D::Utf8View => text(array.as_string_view().value(i).to_owned(), sf_type),
        D::Binary => Cell::Binary(array.as_binary::<i32>().value(i).to_vec()),
        D::LargeBinary => Cell::Binary(array.as_binary::<i64>().value(i).to_vec()),
        D::BinaryView => Cell::Binary(array.as_binary_view().value(i).to_vec()),
        D::Date32 => Cell::Date(array.as_primitive::<Date32Type>().value(i)),
        D::Time64(TimeUnit::Microsecond) => {
            Cell::Time(array.as_primitive::<Time64MicrosecondType>().value(i) * 1_000)
        }
        D::Time64(TimeUnit::Nanosecond) => {
            Cell::Time(array.as_primitive::<Time64NanosecondType>().value(i))
        }
        D::Timestamp(unit, _) => timestamp(epoch_nanos(array, *unit, i)?, sf_type),
        other => return Err(unexpected(other)),
    };
    Ok(cell)
}

fn epoch_nanos(array: &dyn Array, unit: TimeUnit, i: usize) -> SfResult<i64> {
    let (value, nanos_per_unit) = match unit {
        TimeUnit::Second => (
            array.as_primitive::<TimestampSecondType>().value(i),
            1_000_000_000,
        ),
        TimeUnit::Millisecond => (
            array.as_primitive::<TimestampMillisecondType>().value(i),
            1_000_000,
        ),
        TimeUnit::Microsecond => (
            array.as_primitive::<TimestampMicrosecondType>().value(i),
            1_000,
        ),
        TimeUnit::Nanosecond => (array.as_primitive::<TimestampNanosecondType>().value(i), 1),
    };
    value.checked_mul(nanos_per_unit).ok_or_else(|| {
        SfError::unsupported("RESULT_SCAN of a timestamp outside the years 1677 to 2262")
    })
}

fn unexpected(data_type: &DataType) -> SfError {
    SfError::unsupported(format!(
        "RESULT_SCAN of a result column of type {data_type}"
    ))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use duckdb::arrow::array::{ArrayRef, Int32Array, StringArray, TimestampMicrosecondArray};
    use duckdb::arrow::datatypes::{Field, Schema};

    use super::*;

    #[test]
    fn batches_become_typed_rows() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("N", DataType::Int32, true),
            Field::new("V", DataType::Utf8, true),
            Field::new("T", DataType::Timestamp(TimeUnit::Microsecond, None), true),
        ]));
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(Int32Array::from(vec![Some(7), None])),
            Arc::new(StringArray::from(vec![Some("{\"a\":1}"), Some("null")])),
            Arc::new(TimestampMicrosecondArray::from(vec![Some(1_500_000), None])),
        ];
        let batch = RecordBatch::try_new(schema, arrays).unwrap();
        let columns = [
            Column::new("N", SfType::INTEGER),
            Column::new("V", SfType::Variant),
            Column::new("T", SfType::TimestampNtz),
        ];
        assert_eq!(
            rows(&columns, &[batch]).unwrap(),
            vec![
                vec![
                    Cell::Decimal { value: 7, scale: 0 },
                    Cell::Json("{\"a\":1}".into()),
                    Cell::TimestampNtz(1_500_000_000),
                ],
                vec![Cell::Null, Cell::Json("null".into()), Cell::Null],
            ]
        );
    }
}
