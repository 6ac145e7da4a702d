//! ARRAY functions that need VARIANT ordering or multiset semantics: ARRAY_SORT,
//! ARRAY_MIN / ARRAY_MAX, ARRAY_DISTINCT / ARRAY_INTERSECTION / ARRAY_EXCEPT.
//!
//! Arrays arrive as JSON text. Numbers compare numerically and strings by code point; across
//! types the order is numbers, strings, booleans, arrays, objects (Snowflake does not document
//! a cross-type order). A JSON null is Mockhaus's form of a NULL element.

use std::cmp::Ordering;

use serde_json::Value;

fn parse_array(text: &str, function: &str) -> Result<Vec<Value>, String> {
    match serde_json::from_str(text) {
        Ok(Value::Array(items)) => Ok(items),
        _ => Err(format!(
            "Invalid argument types for function '{function}': expected ARRAY"
        )),
    }
}

fn to_text(items: &[Value]) -> Result<Option<String>, String> {
    serde_json::to_string(items)
        .map(Some)
        .map_err(|e| e.to_string())
}

fn type_rank(value: &Value) -> u8 {
    match value {
        Value::Null => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Bool(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// The order of two non-null elements.
fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .map(|(p, q)| compare(p, q))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| x.len().cmp(&y.len())),
        _ => type_rank(a)
            .cmp(&type_rank(b))
            .then_with(|| a.to_string().cmp(&b.to_string())),
    }
}

/// ARRAY_SORT(array, ascending, nulls_first); `nulls_first` of `default` means the default
/// for the direction (last ascending, first descending).
pub fn array_sort(args: &[Option<String>]) -> Result<Option<String>, String> {
    let (Some(array), Some(ascending)) = (&args[0], &args[1]) else {
        return Ok(None);
    };
    let ascending = ascending.eq_ignore_ascii_case("true");
    let nulls_first = match args[2].as_deref() {
        Some("default") | None => !ascending,
        Some(flag) => flag.eq_ignore_ascii_case("true"),
    };
    let items = parse_array(array, "ARRAY_SORT")?;
    let (nulls, mut values): (Vec<Value>, Vec<Value>) = items.into_iter().partition(Value::is_null);
    values.sort_by(|a, b| {
        let order = compare(a, b);
        if ascending {
            order
        } else {
            order.reverse()
        }
    });
    let sorted = if nulls_first {
        nulls.into_iter().chain(values).collect::<Vec<_>>()
    } else {
        values.into_iter().chain(nulls).collect()
    };
    to_text(&sorted)
}

/// A sort key for one VARIANT (JSON text): keys compare, as text, in the order `compare`
/// gives the values, so ORDER BY, MIN and MAX of a VARIANT can sort on the key. A type
/// rank comes first; a number is then its f64's bits made order-preserving (sign bit set for
/// positives, all bits flipped for negatives) in hexadecimal, a string its own text, a boolean
/// `0`/`1`, an array or object its JSON text. A JSON null has no key: it sorts with SQL NULLs
/// (as ARRAY_SORT treats it). Integers past 2^53 order as their nearest doubles.
pub fn sort_key(args: &[Option<String>]) -> Result<Option<String>, String> {
    let Some(text) = &args[0] else {
        return Ok(None);
    };
    let value: Value = serde_json::from_str(text)
        .map_err(|_| "Invalid argument: expected a VARIANT to order by".to_string())?;
    let rank = type_rank(&value);
    let payload = match &value {
        Value::Null => return Ok(None),
        Value::Number(n) => ordered_bits(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        Value::Bool(b) => u8::from(*b).to_string(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
    };
    Ok(Some(format!("{rank}{payload}")))
}

/// `x`'s bits as 16 hexadecimal digits that sort as the numbers do.
fn ordered_bits(x: f64) -> String {
    let bits = x.to_bits();
    let ordered = if x.is_sign_negative() {
        !bits
    } else {
        bits | (1 << 63)
    };
    format!("{ordered:016x}")
}

/// ARRAY_MIN / ARRAY_MAX (`args[1]` is `min` or `max`): the extreme non-null element, NULL
/// for an array without one.
pub fn array_extreme(args: &[Option<String>]) -> Result<Option<String>, String> {
    let (Some(array), Some(which)) = (&args[0], &args[1]) else {
        return Ok(None);
    };
    let items = parse_array(array, "ARRAY_MIN / ARRAY_MAX")?;
    let values = items.iter().filter(|v| !v.is_null());
    let extreme = if which == "max" {
        values.max_by(|a, b| compare(a, b))
    } else {
        values.min_by(|a, b| compare(a, b))
    };
    Ok(extreme.map(Value::to_string))
}

/// ARRAY_DISTINCT (`distinct`, second argument ignored), ARRAY_INTERSECTION (`intersection`)
/// and ARRAY_EXCEPT (`except`), with Snowflake's multiset counting: an element present twice
/// in both arrays is in their intersection twice. Order follows the first array.
pub fn array_set_op(args: &[Option<String>]) -> Result<Option<String>, String> {
    let (Some(first), Some(second), Some(op)) = (&args[0], &args[1], &args[2]) else {
        return Ok(None);
    };
    let first = parse_array(first, "ARRAY_INTERSECTION")?;
    let mut available = if op == "distinct" {
        Vec::new()
    } else {
        parse_array(second, "ARRAY_INTERSECTION")?
    };
    let mut seen: Vec<Value> = Vec::new();
    let mut out = Vec::new();
    for item in first {
        let keep = match op.as_str() {
            "distinct" => !seen.contains(&item),
            _ => {
                let found = available.iter().position(|v| *v == item);
                if let Some(index) = found {
                    available.swap_remove(index);
                }
                (op == "intersection") == found.is_some()
            }
        };
        if keep {
            seen.push(item.clone());
            out.push(item);
        }
    }
    to_text(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(json: &str) -> String {
        sort_key(&[Some(json.to_string())]).unwrap().unwrap()
    }

    #[test]
    fn sort_keys_order_numbers_by_value_then_types_by_rank() {
        let ascending = [
            "-1e10",
            "-2.5",
            "-0.5",
            "0",
            "0.25",
            "9",
            "10",
            "100.5",
            "\"10\"",
            "\"9\"",
            "\"a\"",
            "false",
            "true",
            "[1]",
            "{\"a\":1}",
        ];
        let keys: Vec<String> = ascending.iter().map(|v| key(v)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(sort_key(&[Some("null".into())]).unwrap(), None);
        assert_eq!(sort_key(&[None]).unwrap(), None);
    }

    fn call(f: super::super::RowFn, args: &[Option<&str>]) -> Option<String> {
        let args: Vec<Option<String>> = args.iter().map(|a| a.map(str::to_string)).collect();
        f(&args).unwrap()
    }

    #[test]
    fn sorts_numbers_numerically_with_nulls_placed() {
        let sorted = call(array_sort, &[Some("[20,null,0,10,9]"), Some("true"), None]);
        assert_eq!(sorted.as_deref(), Some("[0,9,10,20,null]"));
        let sorted = call(array_sort, &[Some("[20,null,0]"), Some("false"), None]);
        assert_eq!(sorted.as_deref(), Some("[null,20,0]"));
    }

    #[test]
    fn set_operations_count_duplicates() {
        let both = call(
            array_set_op,
            &[Some("[1,1,2,3]"), Some("[1,1,1,3]"), Some("intersection")],
        );
        assert_eq!(both.as_deref(), Some("[1,1,3]"));
        let except = call(
            array_set_op,
            &[Some("[1,1,2,3]"), Some("[1,3]"), Some("except")],
        );
        assert_eq!(except.as_deref(), Some("[1,2]"));
        let distinct = call(
            array_set_op,
            &[Some(r#"["b","a","b"]"#), Some("[]"), Some("distinct")],
        );
        assert_eq!(distinct.as_deref(), Some(r#"["b","a"]"#));
    }
}
