//! DuckDB results → Snowflake-typed columns and cells.

use duckdb::core::{LogicalTypeHandle, LogicalTypeId};
use duckdb::types::{TimeUnit, ValueRef};

use crate::result::Cell;
use crate::types::SfType;

/// The Snowflake type of a DuckDB result column. DuckDB's JSON type (an alias of VARCHAR)
/// holds VARIANT, OBJECT and ARRAY values alike.
pub fn sf_type_of(logical: &LogicalTypeHandle) -> SfType {
    if logical.get_alias().as_deref() == Some("JSON") {
        return SfType::Variant;
    }
    match logical.id() {
        LogicalTypeId::Boolean => SfType::Boolean,
        LogicalTypeId::Tinyint
        | LogicalTypeId::Smallint
        | LogicalTypeId::Integer
        | LogicalTypeId::Bigint
        | LogicalTypeId::Hugeint
        | LogicalTypeId::UTinyint
        | LogicalTypeId::USmallint
        | LogicalTypeId::UInteger
        | LogicalTypeId::UBigint
        | LogicalTypeId::UHugeint => SfType::INTEGER,
        LogicalTypeId::Decimal => SfType::Fixed {
            precision: logical.decimal_width(),
            scale: logical.decimal_scale(),
        },
        LogicalTypeId::Float | LogicalTypeId::Double => SfType::Real,
        LogicalTypeId::Date => SfType::Date,
        LogicalTypeId::Time | LogicalTypeId::TimeNs | LogicalTypeId::TimeTZ => SfType::Time,
        LogicalTypeId::Timestamp
        | LogicalTypeId::TimestampS
        | LogicalTypeId::TimestampMs
        | LogicalTypeId::TimestampNs => SfType::TimestampNtz,
        LogicalTypeId::TimestampTZ => SfType::TimestampLtz,
        LogicalTypeId::Blob => SfType::Binary {
            length: crate::types::MAX_BINARY_LENGTH,
        },
        LogicalTypeId::List | LogicalTypeId::Array => SfType::Array,
        LogicalTypeId::Struct | LogicalTypeId::Map => SfType::Object,
        _ => SfType::TEXT,
    }
}

/// Converts one DuckDB value of a column whose Snowflake type is `ty`.
pub fn cell_of(value: ValueRef<'_>, ty: SfType) -> Cell {
    match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Boolean(b) => Cell::Boolean(b),
        ValueRef::TinyInt(i) => integer(i as i128, ty),
        ValueRef::SmallInt(i) => integer(i as i128, ty),
        ValueRef::Int(i) => integer(i as i128, ty),
        ValueRef::BigInt(i) => integer(i as i128, ty),
        ValueRef::HugeInt(i) => integer(i, ty),
        ValueRef::UTinyInt(i) => integer(i as i128, ty),
        ValueRef::USmallInt(i) => integer(i as i128, ty),
        ValueRef::UInt(i) => integer(i as i128, ty),
        ValueRef::UBigInt(i) => integer(i as i128, ty),
        ValueRef::UHugeInt(i) => integer(i.min(i128::MAX as u128) as i128, ty),
        ValueRef::Float(f) => Cell::Float(f as f64),
        ValueRef::Double(f) => Cell::Float(f),
        ValueRef::Decimal(d) => Cell::Decimal {
            value: d.value(),
            scale: d.scale(),
        },
        ValueRef::Timestamp(unit, v) => timestamp(nanos(unit, v), ty),
        ValueRef::Date32(days) => Cell::Date(days),
        ValueRef::Time64(unit, v) => Cell::Time(nanos(unit, v)),
        ValueRef::Text(bytes) => text(String::from_utf8_lossy(bytes).into_owned(), ty),
        ValueRef::Blob(bytes) => Cell::Binary(bytes.to_vec()),
        other => Cell::Json(nested_to_json(other).to_string()),
    }
}

pub(crate) fn integer(value: i128, ty: SfType) -> Cell {
    match ty {
        SfType::Real => Cell::Float(value as f64),
        _ => Cell::Decimal { value, scale: 0 },
    }
}

pub(crate) fn text(value: String, ty: SfType) -> Cell {
    if ty.is_semi_structured() {
        Cell::Json(value)
    } else {
        Cell::Text(value)
    }
}

pub(crate) fn timestamp(epoch_nanos: i64, ty: SfType) -> Cell {
    match ty {
        SfType::TimestampLtz => Cell::TimestampLtz(epoch_nanos),
        SfType::TimestampTz => Cell::TimestampTz {
            epoch_nanos,
            offset_minutes: 0,
        },
        _ => Cell::TimestampNtz(epoch_nanos),
    }
}

fn nanos(unit: TimeUnit, v: i64) -> i64 {
    match unit {
        TimeUnit::Second => v.saturating_mul(1_000_000_000),
        TimeUnit::Millisecond => v.saturating_mul(1_000_000),
        TimeUnit::Microsecond => v.saturating_mul(1_000),
        TimeUnit::Nanosecond => v,
    }
}

/// Nested DuckDB values (LIST, STRUCT, MAP) become JSON, the way Snowflake shows ARRAY and OBJECT.
fn nested_to_json(value: ValueRef<'_>) -> serde_json::Value {
    use duckdb::types::Value;
    fn to_json(v: Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Boolean(b) => b.into(),
            Value::TinyInt(i) => i.into(),
            Value::SmallInt(i) => i.into(),
            Value::Int(i) => i.into(),
            Value::BigInt(i) => i.into(),
            Value::UTinyInt(i) => i.into(),
            Value::USmallInt(i) => i.into(),
            Value::UInt(i) => i.into(),
            Value::UBigInt(i) => i.into(),
            Value::Float(f) => {
                serde_json::Number::from_f64(f as f64).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Double(f) => {
                serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Text(s) => serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s)),
            Value::List(items) | Value::Array(items) => items.into_iter().map(to_json).collect(),
            Value::Struct(fields) => serde_json::Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), to_json(v.clone())))
                    .collect(),
            ),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (plain_string(k.clone()), to_json(v.clone())))
                    .collect(),
            ),
            other => serde_json::Value::String(format!("{other:?}")),
        }
    }
    fn plain_string(v: Value) -> String {
        match v {
            Value::Text(s) => s,
            other => to_json(other).to_string(),
        }
    }
    to_json(value.to_owned())
}
