//! The `bindings` of a query-request (protocol reference §3.2), decoded into typed values.
//! Keys are 1-based positions; each value is `{"type": <Snowflake type>, "value": ...}` where
//! the value is text in the type's wire encoding, null, or (array binding) a list of those.

use engine::{BindRow, Cell, SfError};
use serde_json::{Map, Value};

/// One row of values, or one row per element of array bindings.
pub fn decode(bindings: &Map<String, Value>) -> Result<Vec<BindRow>, SfError> {
    let columns = positional(bindings)?;
    let row_count = array_length(&columns)?;
    let Some(row_count) = row_count else {
        let row = columns
            .iter()
            .map(|(ty, value)| decode_value(ty, value))
            .collect::<Result<BindRow, SfError>>()?;
        return Ok(vec![row]);
    };
    (0..row_count)
        .map(|i| {
            columns
                .iter()
                .map(|(ty, value)| decode_value(ty, &value[i]))
                .collect()
        })
        .collect()
}

/// The `(type, value)` of each binding in position order; every position from 1 up must be
/// present.
fn positional(bindings: &Map<String, Value>) -> Result<Vec<(String, Value)>, SfError> {
    let mut slots: Vec<Option<(String, Value)>> = vec![None; bindings.len()];
    for (key, binding) in bindings {
        let position = key
            .parse::<usize>()
            .ok()
            .filter(|p| (1..=bindings.len()).contains(p))
            .ok_or_else(|| SfError::unsupported(format!("named bind variable '{key}'")))?;
        let ty = binding
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("TEXT")
            .to_ascii_uppercase();
        let value = binding.get("value").cloned().unwrap_or(Value::Null);
        slots[position - 1] = Some((ty, value));
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(i, slot)| slot.ok_or_else(|| not_set(i + 1)))
        .collect()
}

fn not_set(position: usize) -> SfError {
    SfError::new(
        "002049",
        "42601",
        format!("SQL compilation error: error line 0 at position -1\nBind variable :{position} not set."),
    )
}

/// `Some(n)` when the bindings are arrays of `n` values each (array binding), `None` when
/// they are single values; a mix, or arrays of different lengths, is an error.
fn array_length(columns: &[(String, Value)]) -> Result<Option<usize>, SfError> {
    let lengths: Vec<Option<usize>> = columns
        .iter()
        .map(|(_, value)| value.as_array().map(Vec::len))
        .collect();
    if lengths.iter().all(Option::is_none) {
        return Ok(None);
    }
    match lengths[0] {
        Some(n) if lengths.iter().all(|l| *l == Some(n)) => Ok(Some(n)),
        _ => Err(SfError::new(
            "002050",
            "22000",
            "Array bind values must all be arrays of the same length.",
        )),
    }
}

/// One value in its type's wire encoding.
fn decode_value(ty: &str, value: &Value) -> Result<Cell, SfError> {
    let text = match value {
        Value::Null => return Ok(Cell::Null),
        Value::String(s) => s.clone(),
        // Some clients send numbers and booleans as JSON rather than text.
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        other => other.to_string(),
    };
    match ty {
        "FIXED" => fixed(&text),
        "REAL" => text
            .trim()
            .parse::<f64>()
            .map(Cell::Float)
            .map_err(|_| SfError::numeric_not_recognized(&text)),
        "BOOLEAN" => boolean(&text),
        "DATE" => date(&text),
        "TIME" => integer(&text).map(Cell::Time),
        "TIMESTAMP_NTZ" => integer(&text).map(Cell::TimestampNtz),
        "TIMESTAMP_LTZ" => integer(&text).map(Cell::TimestampLtz),
        "TIMESTAMP_TZ" => timestamp_tz(&text),
        "BINARY" => hex::decode(text.trim()).map(Cell::Binary).map_err(|_| {
            SfError::new(
                "100115",
                "22000",
                format!("The following string is not a legal hex-encoded value: '{text}'"),
            )
        }),
        "VARIANT" | "OBJECT" | "ARRAY" => Ok(Cell::Json(text)),
        "ANY" | "TEXT" => Ok(Cell::Text(text)),
        other => Err(SfError::unsupported(format!("bind type {other}"))),
    }
}

/// Decimal text (`-12.340`, `1e3`) as an exact number; exponents outside what 38 digits
/// hold are numeric errors.
fn fixed(text: &str) -> Result<Cell, SfError> {
    let invalid = || SfError::numeric_not_recognized(text);
    let trimmed = text.trim();
    let (mantissa, exponent) = match trimmed.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().map_err(|_| invalid())?),
        None => (trimmed, 0),
    };
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(invalid());
    }
    let mut scale = fraction.len() as i32 - exponent;
    let mut unscaled: i128 = format!("{whole}{fraction}")
        .parse()
        .map_err(|_| invalid())?;
    while scale < 0 {
        unscaled = unscaled.checked_mul(10).ok_or_else(invalid)?;
        scale += 1;
    }
    if scale > 37 {
        return Err(invalid());
    }
    Ok(Cell::Decimal {
        value: if negative { -unscaled } else { unscaled },
        scale: scale as u8,
    })
}

fn boolean(text: &str) -> Result<Cell, SfError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "t" | "yes" | "y" | "on" => Ok(Cell::Boolean(true)),
        "false" | "0" | "f" | "no" | "n" | "off" => Ok(Cell::Boolean(false)),
        _ => Err(SfError::new(
            "100037",
            "22018",
            format!("Boolean value '{text}' is not recognized"),
        )),
    }
}

fn integer(text: &str) -> Result<i64, SfError> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| SfError::timestamp_not_recognized(text))
}

/// Epoch milliseconds at midnight UTC; the Python connector's bulk path switches to
/// nanoseconds for large values.
fn date(text: &str) -> Result<Cell, SfError> {
    const MS_PER_DAY: i64 = 86_400_000;
    const NANOSECOND_THRESHOLD: i64 = 31_536_000_000_000;
    let raw = text
        .trim()
        .parse::<i64>()
        .map_err(|_| SfError::date_not_recognized(text))?;
    let millis = if raw.abs() >= NANOSECOND_THRESHOLD {
        raw.div_euclid(1_000_000)
    } else {
        raw
    };
    Ok(Cell::Date(millis.div_euclid(MS_PER_DAY) as i32))
}

/// `"<epoch nanoseconds> <offset minutes + 1440>"`.
fn timestamp_tz(text: &str) -> Result<Cell, SfError> {
    let invalid = || SfError::timestamp_not_recognized(text);
    let (nanos, offset) = text.trim().split_once(' ').ok_or_else(invalid)?;
    let epoch_nanos = nanos.parse::<i64>().map_err(|_| invalid())?;
    let encoded_offset = offset.trim().parse::<i32>().map_err(|_| invalid())?;
    Ok(Cell::TimestampTz {
        epoch_nanos,
        offset_minutes: encoded_offset - 1440,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(binding: Value) -> Cell {
        let bindings = json!({ "1": binding });
        decode(bindings.as_object().unwrap())
            .unwrap()
            .remove(0)
            .remove(0)
    }

    #[test]
    fn each_type_decodes_from_its_wire_encoding() {
        let decimal = |value, scale| Cell::Decimal { value, scale };
        assert_eq!(one(json!({"type": "FIXED", "value": "10"})), decimal(10, 0));
        assert_eq!(
            one(json!({"type": "FIXED", "value": "-12.340"})),
            decimal(-12340, 3)
        );
        assert_eq!(
            one(json!({"type": "FIXED", "value": "1e3"})),
            decimal(1000, 0)
        );
        assert_eq!(
            one(json!({"type": "REAL", "value": "1.5"})),
            Cell::Float(1.5)
        );
        assert_eq!(
            one(json!({"type": "BOOLEAN", "value": "true"})),
            Cell::Boolean(true)
        );
        assert_eq!(
            one(json!({"type": "DATE", "value": "1523750400000"})),
            Cell::Date(17636)
        );
        assert_eq!(
            one(json!({"type": "TIME", "value": "15329123456000"})),
            Cell::Time(15_329_123_456_000)
        );
        assert_eq!(
            one(json!({"type": "TIMESTAMP_TZ", "value": "1365123723123456000 1980"})),
            Cell::TimestampTz {
                epoch_nanos: 1_365_123_723_123_456_000,
                offset_minutes: 540
            }
        );
        assert_eq!(
            one(json!({"type": "BINARY", "value": "414243"})),
            Cell::Binary(b"ABC".to_vec())
        );
        assert_eq!(one(json!({"type": "ANY", "value": null})), Cell::Null);
        assert_eq!(one(json!({"type": "FIXED", "value": 7})), decimal(7, 0));
    }

    #[test]
    fn array_bindings_become_rows_and_bad_shapes_are_errors() {
        let bindings = json!({
            "2": {"type": "TEXT", "value": ["a", null]},
            "1": {"type": "FIXED", "value": ["1", "2"]},
        });
        let rows = decode(bindings.as_object().unwrap()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1],
            vec![Cell::Decimal { value: 2, scale: 0 }, Cell::Null]
        );

        let ragged =
            json!({"1": {"type": "FIXED", "value": ["1"]}, "2": {"type": "TEXT", "value": "x"}});
        assert_eq!(
            decode(ragged.as_object().unwrap()).unwrap_err().code,
            "002050"
        );
        let named = json!({"name": {"type": "TEXT", "value": "x"}});
        assert_eq!(
            decode(named.as_object().unwrap()).unwrap_err().code,
            "000002"
        );
        let bad_number = json!({"1": {"type": "FIXED", "value": "12abc"}});
        assert_eq!(
            decode(bad_number.as_object().unwrap()).unwrap_err().code,
            "100038"
        );
    }
}
