//! TO_NUMBER / TO_DECIMAL text read with a numeric format model, in Snowflake's lax mode:
//! blanks around the number and between a sign and its digits are skipped, group separators
//! are optional (but must sit where the model puts them), `0` places need their digits, and
//! `|` separates alternative models (`AUTO` is a plain number).

use super::decimal::Digits;
use super::model::{elements, Element};

/// The number `text` holds under `model`, as decimal text; `Ok(None)` when it does not match.
pub(super) fn parse(text: &str, model: &str) -> Result<Option<String>, String> {
    for alternative in model.split('|') {
        if alternative.trim().eq_ignore_ascii_case("AUTO") {
            if let Some(digits) = plain(text) {
                return Ok(Some(digits.text()));
            }
            continue;
        }
        let elements = elements(alternative)?;
        if let Some(value) = with_model(text, &elements) {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

fn with_model(text: &str, elements: &[Element]) -> Option<String> {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if elements
        .iter()
        .any(|e| matches!(e, Element::TextMinimal { .. }))
    {
        return plain(text).map(|d| d.text());
    }
    let text = strip_literals(text, elements)?;
    let (negative, unsigned) = sign(&text, elements)?;
    let unsigned = match elements.contains(&Element::Dollar) {
        true => unsigned.trim_start().strip_prefix('$')?.trim_start(),
        false => unsigned.trim_start(),
    };
    let value = if elements.iter().any(|e| matches!(e, Element::Hex { .. })) {
        hexadecimal(unsigned, elements)?
    } else {
        decimal(unsigned, elements)?
    };
    Some(match negative {
        true if value != "0" => format!("-{value}"),
        _ => value,
    })
}

/// The model's literals (before and after the number) removed from the text.
fn strip_literals(text: &str, elements: &[Element]) -> Option<String> {
    let first = elements
        .iter()
        .position(|e| !matches!(e, Element::Literal(_)))?;
    let last = elements
        .iter()
        .rposition(|e| !matches!(e, Element::Literal(_)))?;
    let literal = |e: &Element| match e {
        Element::Literal(l) => l.clone(),
        _ => String::new(),
    };
    let prefix: String = elements[..first].iter().map(literal).collect();
    let suffix: String = elements[last + 1..].iter().map(literal).collect();
    let lower = text.to_lowercase();
    if !lower.starts_with(&prefix.to_lowercase()) || !lower.ends_with(&suffix.to_lowercase()) {
        return None;
    }
    text.get(prefix.len()..text.len().checked_sub(suffix.len())?)
        .map(str::to_owned)
}

/// The sign, where the model allows one: leading unless S or MI come after the digits.
fn sign<'t>(text: &'t str, elements: &[Element]) -> Option<(bool, &'t str)> {
    let first_digit = elements.iter().position(Element::is_digit)?;
    let sign_at = elements
        .iter()
        .position(|e| matches!(e, Element::Sign | Element::Minus));
    let trailing = sign_at.is_some_and(|at| at > first_digit);
    let text = text.trim();
    if trailing {
        return Some(match text.as_bytes().last()? {
            b'-' => (true, text[..text.len() - 1].trim_end()),
            b'+' => (false, text[..text.len() - 1].trim_end()),
            _ if elements[sign_at?] == Element::Minus => (false, text),
            _ => return None,
        });
    }
    Some(match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ if sign_at.is_some_and(|at| elements[at] == Element::Sign) => return None,
        _ => (false, text),
    })
}

/// Digits with optional group separators and point, checked against the model's places.
fn decimal(text: &str, elements: &[Element]) -> Option<String> {
    let (int_text, frac_text) = match text.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (text, None),
    };
    let point = elements.iter().position(|e| *e == Element::Point);
    let (int_model, frac_model) = match point {
        Some(at) => (&elements[..at], &elements[at + 1..]),
        None => (elements, &elements[elements.len()..]),
    };
    let int_digits = grouped_digits(int_text, int_model)?;
    let frac_digits = frac_text.unwrap_or("");
    if frac_text.is_some() && point.is_none() || !frac_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let places = |model: &[Element]| model.iter().filter(|e| e.is_digit()).count();
    let zeros = |model: &[Element]| model.iter().filter(|e| **e == Element::Zero).count();
    let int_ok = int_digits.len() <= places(int_model)
        && int_digits.len() >= zeros(int_model)
        && (!int_digits.is_empty() || places(int_model) == 0 || elements.contains(&Element::Blank));
    let frac_ok = frac_digits.len() <= places(frac_model) && frac_digits.len() >= zeros(frac_model);
    if !int_ok || !frac_ok {
        return None;
    }
    let text = format!("{int_digits}.{frac_digits}");
    Digits::parse(text.trim_end_matches('.')).map(|d| d.text())
}

/// The integer part's digits; commas are optional, but where present they must be where the
/// model's group separators are (counted in digits from the point).
fn grouped_digits(text: &str, int_model: &[Element]) -> Option<String> {
    let digits: String = text.chars().filter(|c| *c != ',').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !text.contains(',') {
        return Some(digits);
    }
    let model_groups = group_offsets(int_model.iter().map(|e| match e {
        Element::Group => Some(true),
        e if e.is_digit() => Some(false),
        _ => None,
    }));
    let text_groups = group_offsets(text.chars().map(|c| match c {
        ',' => Some(true),
        _ => Some(false),
    }));
    text_groups
        .iter()
        .all(|offset| model_groups.contains(offset))
        .then_some(digits)
}

/// How many digits follow each separator (`true` items) in `items`.
fn group_offsets(items: impl Iterator<Item = Option<bool>>) -> Vec<usize> {
    let items: Vec<bool> = items.flatten().collect();
    let mut offsets = Vec::new();
    let mut digits_after = 0;
    for is_group in items.iter().rev() {
        if *is_group {
            offsets.push(digits_after);
        } else {
            digits_after += 1;
        }
    }
    offsets
}

/// Hexadecimal digits, at most one per model place.
fn hexadecimal(text: &str, elements: &[Element]) -> Option<String> {
    let places = elements.iter().filter(|e| e.is_digit()).count();
    if text.is_empty() || text.len() > places || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(text, 16).ok().map(|v| v.to_string())
}

/// A number without a model: digits, an optional point and fraction, an optional exponent;
/// blanks between a leading sign and the digits are allowed.
fn plain(text: &str) -> Option<Digits> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' | b'+' => (&text[..1], text[1..].trim_start()),
        _ => ("", text),
    };
    Digits::parse(&format!("{sign}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, model: &str) -> Option<String> {
        parse(text, model).unwrap()
    }

    #[test]
    fn the_reference_examples_parse() {
        for text in ["012,345.67", "12,345.67", " 12,345.67"] {
            assert_eq!(read(text, "999,999.99").as_deref(), Some("12345.67"));
        }
        assert_eq!(
            read("012,345.67", "000,000.00").as_deref(),
            Some("12345.67")
        );
        assert_eq!(read("12,345.67", "000,000.00"), None);
        assert_eq!(read(" 12,345.67", "000,000.00"), None);
        assert_eq!(read("-101", "MI999|999MI").as_deref(), Some("-101"));
        assert_eq!(read("102-", "MI999|999MI").as_deref(), Some("-102"));
        assert_eq!(read("103", "MI999|999MI").as_deref(), Some("103"));
        assert_eq!(read("- 0.1", "99.9").as_deref(), Some("-0.1"));
        assert_eq!(read("  - 0.1   ", "TM9").as_deref(), Some("-0.1"));
        assert_eq!(read("$3,741.72", "$9,999.99").as_deref(), Some("3741.72"));
        assert_eq!(read("3,741.72", "9,999.99").as_deref(), Some("3741.72"));
        assert_eq!(read("ae5", "XXX").as_deref(), Some("2789"));
        assert_eq!(read("ae5", "XX"), None);
        assert_eq!(read("aaa", "XXX").as_deref(), Some("2730"));
        assert_eq!(read("1.0", "99.9").as_deref(), Some("1.0"));
    }

    #[test]
    fn separators_must_sit_where_the_model_has_them() {
        assert_eq!(read("12,34.5", "9,999.9"), None);
        assert_eq!(read("1234.5", "9,999.9").as_deref(), Some("1234.5"));
        assert_eq!(read("12x", "999"), None);
    }
}
