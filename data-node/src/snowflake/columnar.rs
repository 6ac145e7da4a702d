//! DuckDB's own Arrow batches → Snowflake's Arrow forms, a whole column at a time: the fast
//! path for the Python connector. FIXED becomes its unscaled int64 (or decimal128), TIME and
//! TIMESTAMP_NTZ/LTZ nanosecond int64, TIMESTAMP_TZ the epoch/fraction/timezone struct; text,
//! binary, boolean, date and float keep DuckDB's layout. Columns of any other shape (nested
//! values, intervals...) are not taken, and the query then runs through the row path.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Time64MicrosecondType, Time64NanosecondType, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, Decimal128Array, Int32Array, Int64Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, TimeUnit};
use engine::{Column, SfType};

use super::arrow::{field_metadata, rescale, timestamp_tz_struct};

const NANOS_PER_SEC: i64 = 1_000_000_000;

/// Whether every column can take the columnar path.
pub fn supported(columns: &[Column], schema: &Schema) -> bool {
    columns.len() == schema.fields().len()
        && columns
            .iter()
            .zip(schema.fields())
            .all(|(column, field)| column_supported(column.sf_type, field.data_type()))
}

fn column_supported(sf_type: SfType, data_type: &DataType) -> bool {
    use DataType as D;
    match sf_type {
        SfType::Fixed { .. } => data_type.is_integer() || matches!(data_type, D::Decimal128(..)),
        SfType::Real => data_type.is_floating() || data_type.is_integer(),
        SfType::Boolean => matches!(data_type, D::Boolean),
        SfType::Date => matches!(data_type, D::Date32),
        SfType::Time => matches!(data_type, D::Time64(_)),
        SfType::TimestampNtz | SfType::TimestampLtz | SfType::TimestampTz => {
            matches!(data_type, D::Timestamp(..))
        }
        SfType::Binary { .. } => matches!(data_type, D::Binary | D::LargeBinary | D::BinaryView),
        SfType::Text { .. } | SfType::Variant | SfType::Object | SfType::Array => {
            matches!(data_type, D::Utf8 | D::LargeUtf8 | D::Utf8View)
        }
    }
}

/// One DuckDB batch in Snowflake's forms. `wide[i]` makes FIXED column `i` decimal128 (when
/// one of its values does not fit int64: see `needs_decimal128`).
pub fn to_snowflake(
    columns: &[Column],
    batch: &RecordBatch,
    wide: &[bool],
) -> Result<RecordBatch, ArrowError> {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let array = convert(column.sf_type, batch.column(i), wide[i])?;
        fields.push(
            Field::new(&column.name, array.data_type().clone(), true)
                .with_metadata(field_metadata(column.sf_type)),
        );
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
}

/// Whether a FIXED column of this batch has a value whose unscaled integer at `scale` does not
/// fit int64.
pub fn needs_decimal128(sf_type: SfType, array: &ArrayRef) -> bool {
    let SfType::Fixed { scale, .. } = sf_type else {
        return false;
    };
    match array.data_type() {
        DataType::Decimal128(_, from) => {
            let decimals = array.as_primitive::<Decimal128Type>();
            decimals
                .iter()
                .flatten()
                .any(|v| i64::try_from(rescale(v, *from, scale as i8)).is_err())
        }
        DataType::UInt64 => true,
        _ => scale > 0,
    }
}

fn convert(sf_type: SfType, array: &ArrayRef, wide: bool) -> Result<ArrayRef, ArrowError> {
    Ok(match sf_type {
        SfType::Fixed { precision, scale } => fixed(array, precision, scale, wide)?,
        SfType::Real => arrow_cast::cast(array, &DataType::Float64)?,
        SfType::Time => nanoseconds_of_time(array)?,
        SfType::TimestampNtz | SfType::TimestampLtz => nanoseconds_of_timestamp(array)?,
        SfType::TimestampTz => timestamp_tz(array)?,
        SfType::Binary { .. } => arrow_cast::cast(array, &DataType::Binary)?,
        SfType::Text { .. } | SfType::Variant | SfType::Object | SfType::Array => {
            arrow_cast::cast(array, &DataType::Utf8)?
        }
        SfType::Boolean | SfType::Date => array.clone(),
    })
}

/// FIXED: the unscaled integer at the column's scale.
fn fixed(array: &ArrayRef, precision: u8, scale: u8, wide: bool) -> Result<ArrayRef, ArrowError> {
    let unscaled: Decimal128Array = match array.data_type() {
        DataType::Decimal128(_, from) => {
            let from = *from;
            array
                .as_primitive::<Decimal128Type>()
                .unary(|v| rescale(v, from, scale as i8))
        }
        _ => {
            let integers = arrow_cast::cast(array, &DataType::Decimal128(38, 0))?;
            integers
                .as_primitive::<Decimal128Type>()
                .unary(|v| rescale(v, 0, scale as i8))
        }
    };
    if wide {
        let typed = unscaled.with_precision_and_scale(precision.max(1), scale as i8)?;
        return Ok(Arc::new(typed));
    }
    let narrow: Int64Array = unscaled.unary(|v| v as i64);
    Ok(Arc::new(narrow))
}

fn nanoseconds_of_time(array: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    let nanos: Int64Array = match array.data_type() {
        DataType::Time64(TimeUnit::Microsecond) => array
            .as_primitive::<Time64MicrosecondType>()
            .unary(|v| v * 1_000),
        DataType::Time64(TimeUnit::Nanosecond) => {
            array.as_primitive::<Time64NanosecondType>().unary(|v| v)
        }
        other => {
            return Err(ArrowError::CastError(format!("TIME from {other}")));
        }
    };
    Ok(Arc::new(nanos))
}

/// Nanoseconds since the epoch, the int64 form (scale 9). Instants past what int64
/// nanoseconds hold (after 2262) are a cast error rather than a wrong value.
fn epoch_nanos(array: &ArrayRef) -> Result<Int64Array, ArrowError> {
    let scaled = |factor: i64| {
        move |v: i64| {
            v.checked_mul(factor).ok_or_else(|| {
                ArrowError::CastError(format!("timestamp {v} out of the nanosecond range"))
            })
        }
    };
    match array.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => array
            .as_primitive::<TimestampSecondType>()
            .try_unary(scaled(NANOS_PER_SEC)),
        DataType::Timestamp(TimeUnit::Millisecond, _) => array
            .as_primitive::<TimestampMillisecondType>()
            .try_unary(scaled(1_000_000)),
        DataType::Timestamp(TimeUnit::Microsecond, _) => array
            .as_primitive::<TimestampMicrosecondType>()
            .try_unary(scaled(1_000)),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            Ok(array.as_primitive::<TimestampNanosecondType>().unary(|v| v))
        }
        other => Err(ArrowError::CastError(format!("TIMESTAMP from {other}"))),
    }
}

fn nanoseconds_of_timestamp(array: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    Ok(Arc::new(epoch_nanos(array)?))
}

/// TIMESTAMP_TZ as struct{epoch seconds, fraction nanoseconds, timezone offset + 1440}; the
/// offset is UTC's (stored TIMESTAMP_TZ values keep no offset yet).
fn timestamp_tz(array: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    let nanos = epoch_nanos(array)?;
    let epoch: Int64Array = nanos.unary(|n| n.div_euclid(NANOS_PER_SEC));
    let fraction: Int32Array = nanos.unary(|n| n.rem_euclid(NANOS_PER_SEC) as i32);
    let timezone = Int32Array::from(vec![1440; nanos.len()]);
    timestamp_tz_struct(epoch, fraction, timezone, nanos.nulls().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{Decimal128Builder, TimestampMicrosecondBuilder};
    use arrow_array::StringArray;

    fn batch() -> RecordBatch {
        let mut amounts = Decimal128Builder::new()
            .with_precision_and_scale(12, 2)
            .unwrap();
        amounts.append_value(1234);
        amounts.append_null();
        let mut times = TimestampMicrosecondBuilder::new();
        times.append_value(-1_500_000);
        times.append_value(1_000_000);
        let names = StringArray::from(vec![Some("a"), None]);
        let arrays: Vec<ArrayRef> = vec![
            Arc::new(amounts.finish()),
            Arc::new(times.finish().with_timezone("UTC")),
            Arc::new(names),
        ];
        RecordBatch::try_from_iter(["AMOUNT", "AT", "NAME"].into_iter().zip(arrays)).unwrap()
    }

    fn columns() -> Vec<Column> {
        vec![
            Column::new(
                "AMOUNT",
                SfType::Fixed {
                    precision: 12,
                    scale: 2,
                },
            ),
            Column::new("AT", SfType::TimestampTz),
            Column::new("NAME", SfType::TEXT),
        ]
    }

    #[test]
    fn whole_columns_take_snowflakes_forms() {
        let input = batch();
        assert!(supported(&columns(), &input.schema()));
        let out = to_snowflake(&columns(), &input, &[false, false, false]).unwrap();
        let amounts = out
            .column(0)
            .as_primitive::<arrow_array::types::Int64Type>();
        assert_eq!((amounts.value(0), amounts.is_null(1)), (1234, true));
        assert_eq!(out.schema().field(0).metadata()["scale"], "2");
        let at = out.column(1).as_struct();
        let epoch = at.column(0).as_primitive::<arrow_array::types::Int64Type>();
        let fraction = at.column(1).as_primitive::<arrow_array::types::Int32Type>();
        assert_eq!((epoch.value(0), fraction.value(0)), (-2, 500_000_000));
        assert_eq!(out.column(2).as_string::<i32>().value(0), "a");
    }

    #[test]
    fn wide_decimals_and_unsupported_shapes() {
        let input = batch();
        let out = to_snowflake(&columns(), &input, &[true, false, false]).unwrap();
        assert_eq!(
            out.schema().field(0).data_type(),
            &DataType::Decimal128(12, 2)
        );
        let nested = Schema::new(vec![Field::new(
            "L",
            DataType::List(Arc::new(Field::new("item", DataType::Int32, true))),
            true,
        )]);
        assert!(!supported(&[Column::new("L", SfType::Array)], &nested));
    }
}
