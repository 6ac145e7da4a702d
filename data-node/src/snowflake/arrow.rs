//! Results in the wire protocol's Arrow form (protocol reference §3.8): an Arrow IPC *stream*,
//! base64-encoded in `rowsetBase64`, one field per column carrying Snowflake's metadata
//! (`logicalType`, `precision`, `scale`, `charLength`, `byteLength`) and the physical type the
//! drivers expect for it. Several record batches, so clients that read batch by batch
//! (`fetch_arrow_batches`) get more than one.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int32Builder,
    Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, Int32Array, Int64Array, RecordBatch, StructArray};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema};
use base64::Engine as _;
use engine::{Cell, Column, QueryResult, SfError, SfType};

/// Rows per record batch.
pub const BATCH_ROWS: usize = 65_536;
const NANOS_PER_SEC: i64 = 1_000_000_000;

/// The `rowsetBase64` of a result; an empty string when there are no rows, as clients expect.
pub fn rowset_base64(result: &QueryResult) -> Result<String, SfError> {
    if result.rows.is_empty() {
        return Ok(String::new());
    }
    let stream = ipc_stream(&result.columns, &result.rows)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(stream))
}

/// The rows as one Arrow IPC stream: schema, one record batch per `BATCH_ROWS` rows, end.
pub fn ipc_stream(columns: &[Column], rows: &[Vec<Cell>]) -> Result<Vec<u8>, SfError> {
    encode_stream(columns, rows).map_err(arrow_failure)
}

fn arrow_failure(err: ArrowError) -> SfError {
    SfError::internal(format!("encoding the result as Arrow: {err}"))
}

/// Record batches that share one schema, as one IPC stream.
pub fn ipc_of_batches(batches: &[RecordBatch]) -> Result<Vec<u8>, SfError> {
    write_batches(batches).map_err(arrow_failure)
}

fn write_batches(batches: &[RecordBatch]) -> Result<Vec<u8>, ArrowError> {
    let schema = batches[0].schema();
    let mut writer = StreamWriter::try_new(Vec::new(), &schema)?;
    for batch in batches {
        writer.write(batch)?;
    }
    writer.into_inner()
}

fn encode_stream(columns: &[Column], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ArrowError> {
    // Every batch of a stream shares its schema, so a FIXED column is decimal128 in all of
    // them as soon as one value does not fit int64.
    let wide: Vec<bool> = (0..columns.len())
        .map(|i| needs_decimal128(columns[i].sf_type, rows.iter().map(|row| &row[i])))
        .collect();
    let batches: Vec<RecordBatch> = rows
        .chunks(BATCH_ROWS)
        .map(|chunk| record_batch(columns, chunk, &wide))
        .collect::<Result<_, _>>()?;
    write_batches(&batches)
}

fn record_batch(
    columns: &[Column],
    rows: &[Vec<Cell>],
    wide: &[bool],
) -> Result<RecordBatch, ArrowError> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let cells: Vec<&Cell> = rows.iter().map(|row| &row[i]).collect();
            let array = column_array(column.sf_type, &cells, wide[i])?;
            let field = Field::new(&column.name, array.data_type().clone(), true)
                .with_metadata(field_metadata(column.sf_type));
            Ok((field, array))
        })
        .collect::<Result<Vec<_>, ArrowError>>()?
        .into_iter()
        .unzip();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
}

/// Snowflake's field metadata; drivers parse the numbers with `stoi`/`parseInt`, so every key
/// is present with a number.
pub(super) fn field_metadata(sf_type: SfType) -> HashMap<String, String> {
    let (precision, scale, length, byte_length) = sf_type.wire_dimensions();
    let number = |n: Option<u32>| n.unwrap_or(0).to_string();
    let mut metadata = HashMap::from([
        (
            "logicalType".to_string(),
            sf_type.wire_name().to_ascii_uppercase(),
        ),
        ("precision".to_string(), number(precision)),
        ("scale".to_string(), number(scale)),
        ("charLength".to_string(), number(length)),
        ("byteLength".to_string(), number(byte_length)),
    ]);
    if sf_type == SfType::TimestampTz {
        // The three-field form: epoch seconds, nanoseconds, offset.
        metadata.insert("byteLength".to_string(), "16".to_string());
    }
    metadata
}

fn column_array(sf_type: SfType, cells: &[&Cell], wide: bool) -> Result<ArrayRef, ArrowError> {
    Ok(match sf_type {
        SfType::Fixed { precision, scale } => fixed(precision, scale, cells, wide)?,
        SfType::Real => {
            let mut builder = Float64Builder::with_capacity(cells.len());
            for cell in cells {
                builder.append_option(match cell {
                    Cell::Float(f) => Some(*f),
                    Cell::Decimal { value, scale } => {
                        Some(*value as f64 / 10f64.powi(*scale as i32))
                    }
                    _ => None,
                });
            }
            Arc::new(builder.finish())
        }
        SfType::Boolean => {
            let mut builder = BooleanBuilder::with_capacity(cells.len());
            for cell in cells {
                builder.append_option(match cell {
                    Cell::Boolean(b) => Some(*b),
                    _ => None,
                });
            }
            Arc::new(builder.finish())
        }
        SfType::Date => {
            let mut builder = Date32Builder::with_capacity(cells.len());
            for cell in cells {
                builder.append_option(match cell {
                    Cell::Date(days) => Some(*days),
                    _ => None,
                });
            }
            Arc::new(builder.finish())
        }
        SfType::Time | SfType::TimestampNtz | SfType::TimestampLtz => {
            // Scale 9: nanoseconds since midnight or since the epoch.
            let mut builder = Int64Builder::with_capacity(cells.len());
            for cell in cells {
                builder.append_option(match cell {
                    Cell::Time(n) | Cell::TimestampNtz(n) | Cell::TimestampLtz(n) => Some(*n),
                    Cell::TimestampTz { epoch_nanos, .. } => Some(*epoch_nanos),
                    _ => None,
                });
            }
            Arc::new(builder.finish())
        }
        SfType::TimestampTz => timestamp_tz(cells)?,
        SfType::Binary { .. } => {
            let mut builder = BinaryBuilder::with_capacity(cells.len(), 0);
            for cell in cells {
                match cell {
                    Cell::Binary(bytes) => builder.append_value(bytes),
                    _ => builder.append_null(),
                }
            }
            Arc::new(builder.finish())
        }
        SfType::Text { .. } | SfType::Variant | SfType::Object | SfType::Array => {
            let mut builder = StringBuilder::with_capacity(cells.len(), 0);
            for cell in cells {
                match cell {
                    Cell::Text(s) | Cell::Json(s) => builder.append_value(s),
                    Cell::Null => builder.append_null(),
                    other => builder
                        .append_value(super::encode::cell(other).as_str().unwrap_or_default()),
                }
            }
            Arc::new(builder.finish())
        }
    })
}

/// Whether a FIXED column has a value whose unscaled integer does not fit int64.
fn needs_decimal128<'a>(sf_type: SfType, mut cells: impl Iterator<Item = &'a Cell>) -> bool {
    let SfType::Fixed { scale, .. } = sf_type else {
        return false;
    };
    cells.any(|cell| match cell {
        Cell::Decimal { value, scale: s } => {
            i64::try_from(rescale(*value, *s as i8, scale as i8)).is_err()
        }
        _ => false,
    })
}

/// FIXED holds the unscaled integer: int64, or decimal128 when the column is `wide`.
fn fixed(precision: u8, scale: u8, cells: &[&Cell], wide: bool) -> Result<ArrayRef, ArrowError> {
    let unscaled: Vec<Option<i128>> = cells
        .iter()
        .map(|cell| match cell {
            Cell::Decimal { value, scale: s } => Some(rescale(*value, *s as i8, scale as i8)),
            _ => None,
        })
        .collect();
    if !wide {
        let values: Int64Array = unscaled.iter().map(|v| v.map(|v| v as i64)).collect();
        return Ok(Arc::new(values));
    }
    let mut builder = Decimal128Builder::with_capacity(cells.len())
        .with_precision_and_scale(precision.max(1), scale as i8)?;
    for value in unscaled {
        builder.append_option(value);
    }
    Ok(Arc::new(builder.finish()))
}

/// `value` × 10^-`from` expressed with `to` decimal places.
/// `value` × 10^-`from` expressed with `to` decimal places (Arrow's decimal scales are i8).
pub(super) fn rescale(value: i128, from: i8, to: i8) -> i128 {
    match from.cmp(&to) {
        std::cmp::Ordering::Equal => value,
        std::cmp::Ordering::Less => value * 10i128.pow((to - from) as u32),
        std::cmp::Ordering::Greater => value / 10i128.pow((from - to) as u32),
    }
}

/// TIMESTAMP_TZ as struct{epoch: seconds, fraction: nanoseconds, timezone: offset + 1440}.
fn timestamp_tz(cells: &[&Cell]) -> Result<ArrayRef, ArrowError> {
    let mut epoch = Int64Builder::with_capacity(cells.len());
    let mut fraction = Int32Builder::with_capacity(cells.len());
    let mut timezone = Int32Builder::with_capacity(cells.len());
    let mut valid = Vec::with_capacity(cells.len());
    for cell in cells {
        let parts = match cell {
            Cell::TimestampTz {
                epoch_nanos,
                offset_minutes,
            } => Some((*epoch_nanos, *offset_minutes)),
            Cell::TimestampLtz(n) | Cell::TimestampNtz(n) => Some((*n, 0)),
            _ => None,
        };
        let (nanos, offset) = parts.unwrap_or((0, 0));
        epoch.append_value(nanos.div_euclid(NANOS_PER_SEC));
        fraction.append_value(nanos.rem_euclid(NANOS_PER_SEC) as i32);
        timezone.append_value(offset + 1440);
        valid.push(parts.is_some());
    }
    timestamp_tz_struct(
        epoch.finish(),
        fraction.finish(),
        timezone.finish(),
        Some(valid.into()),
    )
}

/// Snowflake's three-field TIMESTAMP_TZ: epoch seconds, nanoseconds, offset minutes + 1440.
pub(super) fn timestamp_tz_struct(
    epoch: Int64Array,
    fraction: Int32Array,
    timezone: Int32Array,
    nulls: Option<arrow_buffer::NullBuffer>,
) -> Result<ArrayRef, ArrowError> {
    let fields = Fields::from(vec![
        Field::new("epoch", DataType::Int64, false),
        Field::new("fraction", DataType::Int32, false),
        Field::new("timezone", DataType::Int32, false),
    ]);
    let children: Vec<ArrayRef> = vec![Arc::new(epoch), Arc::new(fraction), Arc::new(timezone)];
    Ok(Arc::new(StructArray::try_new(fields, children, nulls)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_ipc::reader::StreamReader;

    fn decode(encoded: &str) -> Vec<RecordBatch> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        StreamReader::try_new(std::io::Cursor::new(bytes), None)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn fields_carry_snowflake_metadata_and_physical_types() {
        let result = QueryResult {
            kind: engine::StatementKind::Select,
            columns: vec![
                Column::new(
                    "N",
                    SfType::Fixed {
                        precision: 10,
                        scale: 2,
                    },
                ),
                Column::new("BIG", SfType::INTEGER),
                Column::new("TZ", SfType::TimestampTz),
            ],
            rows: vec![vec![
                Cell::Decimal {
                    value: 1234,
                    scale: 2,
                },
                Cell::Decimal {
                    value: i128::from(i64::MAX) * 10,
                    scale: 0,
                },
                Cell::TimestampTz {
                    epoch_nanos: -1_500_000_000,
                    offset_minutes: 540,
                },
            ]],
        };
        let batches = decode(&rowset_base64(&result).unwrap());
        let schema = batches[0].schema();
        let n = schema.field(0);
        assert_eq!(n.data_type(), &DataType::Int64);
        assert_eq!(n.metadata()["logicalType"], "FIXED");
        assert_eq!(n.metadata()["scale"], "2");
        assert_eq!(schema.field(1).data_type(), &DataType::Decimal128(38, 0));
        let tz = batches[0]
            .column(2)
            .as_any()
            .downcast_ref::<StructArray>()
            .unwrap();
        let epoch = tz.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
        let fraction = tz.column(1).as_any().downcast_ref::<Int32Array>().unwrap();
        let zone = tz.column(2).as_any().downcast_ref::<Int32Array>().unwrap();
        assert_eq!(
            (epoch.value(0), fraction.value(0), zone.value(0)),
            (-2, 500_000_000, 1980)
        );
    }

    #[test]
    fn large_results_are_several_batches_and_empty_ones_an_empty_string() {
        let rows = (0..BATCH_ROWS as i128 + 1)
            .map(|i| vec![Cell::Decimal { value: i, scale: 0 }])
            .collect();
        let result = QueryResult {
            kind: engine::StatementKind::Select,
            columns: vec![Column::new("I", SfType::INTEGER)],
            rows,
        };
        assert_eq!(decode(&rowset_base64(&result).unwrap()).len(), 2);
        let empty = QueryResult {
            rows: Vec::new(),
            ..result
        };
        assert_eq!(rowset_base64(&empty).unwrap(), "");
    }
}
