//! Results in the wire protocol's JSON form: `rowtype` metadata and a `rowset` whose cells
//! are all strings (or null), encoded per type as the drivers decode them (protocol §3.5).

use engine::format::decimal_string;
use engine::{Cell, Column, QueryResult, SessionState};
use serde_json::{json, Value};

const NANOS_PER_SEC: i64 = 1_000_000_000;

pub fn rowtype(columns: &[Column], state: &SessionState) -> Value {
    let database = state.database.clone().unwrap_or_default();
    let schema = state.schema.clone().unwrap_or_default();
    columns
        .iter()
        .map(|column| {
            let (precision, scale, length, byte_length) = column.sf_type.wire_dimensions();
            json!({
                "name": column.name,
                "database": database,
                "schema": schema,
                "table": "",
                "type": column.sf_type.wire_name(),
                "byteLength": byte_length,
                "length": length,
                "precision": precision,
                "scale": scale,
                "nullable": column.nullable,
                "collation": null,
            })
        })
        .collect()
}

pub fn rowset(result: &QueryResult) -> Value {
    result
        .rows
        .iter()
        .map(|row| Value::Array(row.iter().map(cell).collect()))
        .collect()
}

/// One cell as the drivers decode it.
pub fn cell(value: &Cell) -> Value {
    let text = match value {
        Cell::Null => return Value::Null,
        Cell::Boolean(b) => if *b { "1" } else { "0" }.to_string(),
        Cell::Decimal { value, scale } => decimal_string(*value, *scale),
        Cell::Float(f) => float(*f),
        Cell::Text(s) | Cell::Json(s) => s.clone(),
        Cell::Binary(bytes) => hex::encode_upper(bytes),
        Cell::Date(days) => days.to_string(),
        Cell::Time(nanos) | Cell::TimestampNtz(nanos) | Cell::TimestampLtz(nanos) => {
            seconds(*nanos)
        }
        Cell::TimestampTz {
            epoch_nanos,
            offset_minutes,
        } => {
            format!("{} {}", seconds(*epoch_nanos), offset_minutes + 1440)
        }
    };
    Value::String(text)
}

fn float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else {
        format!("{f:?}")
    }
}

/// `seconds.nanoseconds` with exactly 9 fractional digits; the sign covers both parts.
fn seconds(nanos: i64) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.unsigned_abs();
    format!(
        "{sign}{}.{:09}",
        abs / NANOS_PER_SEC as u64,
        abs % NANOS_PER_SEC as u64
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_follow_the_protocol_encoding() {
        assert_eq!(cell(&Cell::Boolean(true)), "1");
        assert_eq!(
            cell(&Cell::Decimal {
                value: 1235,
                scale: 2
            }),
            "12.35"
        );
        assert_eq!(cell(&Cell::Date(17636)), "17636");
        assert_eq!(
            cell(&Cell::TimestampNtz(1_365_123_723_123_456_000)),
            "1365123723.123456000"
        );
        assert_eq!(cell(&Cell::TimestampNtz(-1_500_000_000)), "-1.500000000");
        assert_eq!(
            cell(&Cell::TimestampTz {
                epoch_nanos: 0,
                offset_minutes: 540
            }),
            "0.000000000 1980"
        );
        assert_eq!(cell(&Cell::Binary(vec![0xab, 0x01])), "AB01");
        assert_eq!(cell(&Cell::Null), Value::Null);
    }
}
