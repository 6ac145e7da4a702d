//! TO_CHAR of a number with a numeric format model: fixed-position models (9 0 . , $ B S MI),
//! hexadecimal ones (X, 0, with S or MI) and text-minimal ones (TM9, TME, TM).

use super::decimal::{Digits, Number};
use super::model::{Element, Minimal};

pub(super) fn print(number: &Number, elements: &[Element]) -> Result<String, String> {
    let minimal = elements.iter().find_map(|e| match e {
        Element::TextMinimal { kind, upper } => Some((*kind, *upper)),
        _ => None,
    });
    if let Some((kind, upper)) = minimal {
        let text = text_minimal(number, kind, upper);
        return Ok(with_literals(
            elements,
            |e| matches!(e, Element::TextMinimal { .. }),
            &text,
        ));
    }
    if !elements.iter().any(Element::is_digit) {
        return Err("a numeric format model without digits".into());
    }
    let compact = compact(elements);
    let text = if elements.iter().any(|e| matches!(e, Element::Hex { .. })) {
        hexadecimal(number, elements, compact)
    } else {
        fixed(number, elements, compact)
    };
    Ok(text)
}

/// Whether FM makes the output compact (toggled before the first digit).
fn compact(elements: &[Element]) -> bool {
    let toggles = elements
        .iter()
        .take_while(|e| !e.is_digit())
        .filter(|e| **e == Element::FillMode)
        .count();
    toggles % 2 == 1
}

/// `text` in place of the elements `is_number` picks, the model's literals around it.
fn with_literals(elements: &[Element], is_number: impl Fn(&Element) -> bool, text: &str) -> String {
    let mut out = String::new();
    let mut placed = false;
    for element in elements {
        match element {
            Element::Literal(literal) => out.push_str(literal),
            e if is_number(e) && !placed => {
                out.push_str(text);
                placed = true;
            }
            _ => {}
        }
    }
    out
}

/// TM9 (positional), TME (scientific) or TM (the shorter).
fn text_minimal(number: &Number, kind: Minimal, upper: bool) -> String {
    let digits = match number {
        Number::Finite(digits) => digits,
        Number::NotFinite(text) => return text.clone(),
    };
    let positional = digits.text();
    let scientific = scientific(digits, if upper { 'E' } else { 'e' });
    match kind {
        Minimal::Positional => positional,
        Minimal::Scientific => scientific,
        Minimal::Shorter if scientific.len() < positional.len() => scientific,
        Minimal::Shorter => positional,
    }
}

/// One integer digit, no trailing zeros, the exponent without `+`: `-1.2391E1`, `0E0`.
fn scientific(digits: &Digits, letter: char) -> String {
    let all: Vec<u8> = digits.int.iter().chain(&digits.frac).copied().collect();
    let Some(first) = all.iter().position(|d| *d != 0) else {
        return format!("0{letter}0");
    };
    let exponent = digits.int.len() as i64 - 1 - first as i64;
    let significant = &all[first..];
    let last = significant.iter().rposition(|d| *d != 0).unwrap_or(0);
    let mut out = String::new();
    if digits.negative {
        out.push('-');
    }
    out.push(char::from(b'0' + significant[0]));
    if last > 0 {
        out.push('.');
        out.extend(significant[1..=last].iter().map(|d| char::from(b'0' + d)));
    }
    out.push(letter);
    out.push_str(&exponent.to_string());
    out
}

/// Where the sign goes.
#[derive(Clone, Copy, PartialEq)]
enum SignAt {
    /// A blank or `-` just before the first printed digit.
    Default,
    /// S before the digits: `+`/`-` just before the first printed digit.
    LeadingS,
    /// S or MI at its own position.
    Fixed,
}

/// A fixed-position decimal model.
fn fixed(number: &Number, elements: &[Element], compact: bool) -> String {
    let first_digit = elements.iter().position(Element::is_digit).unwrap_or(0);
    let frac_places = elements
        .iter()
        .skip_while(|e| **e != Element::Point)
        .filter(|e| e.is_digit())
        .count();
    let int_places = elements.iter().filter(|e| e.is_digit()).count() - frac_places;
    let (digits, overflow) = match number {
        Number::Finite(digits) => {
            let mut digits = digits.clone();
            digits.round_to(frac_places);
            let overflow = digits.int.len() > int_places;
            (digits, overflow)
        }
        Number::NotFinite(_) => (Digits::parse("0").expect("zero"), true),
    };
    let negative = digits.negative && !digits.is_zero();
    let sign_at = match elements
        .iter()
        .position(|e| matches!(e, Element::Sign | Element::Minus))
    {
        None => SignAt::Default,
        Some(at) if at < first_digit && elements[at] == Element::Sign => SignAt::LeadingS,
        Some(_) => SignAt::Fixed,
    };
    let body = body(&digits, elements, int_places, overflow);
    let mut floating = String::new();
    match sign_at {
        SignAt::Default => floating.push(if negative { '-' } else { ' ' }),
        SignAt::LeadingS => floating.push(if negative { '-' } else { '+' }),
        SignAt::Fixed => {}
    }
    if elements.contains(&Element::Dollar) {
        floating.push('$');
    }
    let blanks = body.len() - body.trim_start_matches(' ').len();
    let number_text = format!(
        "{}{floating}{}",
        " ".repeat(blanks),
        body.trim_start_matches(' ')
    );
    let mut out = String::new();
    for (i, element) in elements.iter().enumerate() {
        match element {
            Element::Literal(literal) => out.push_str(literal),
            _ if i == first_digit => out.push_str(&number_text),
            Element::Sign if sign_at == SignAt::Fixed => out.push(if negative { '-' } else { '+' }),
            Element::Minus => out.push(if negative { '-' } else { ' ' }),
            _ => {}
        }
    }
    if compact {
        out = compacted(&out, elements);
    }
    out
}

/// Removes the blanks numeric elements printed (literals keep theirs).
fn compacted(text: &str, elements: &[Element]) -> String {
    let literal_blanks = elements
        .iter()
        .any(|e| matches!(e, Element::Literal(l) if l.contains(' ')));
    if literal_blanks {
        // Rare: keep the literals' blanks by trimming only the number's edges.
        return text.trim().to_owned();
    }
    text.replace(' ', "")
}

/// The digits, group separators and point, in model order (blanks for unprinted digits).
fn body(digits: &Digits, elements: &[Element], int_places: usize, overflow: bool) -> String {
    let zero_int = digits.int.is_empty();
    let blank_zero = elements.contains(&Element::Blank);
    let mut out = String::new();
    let mut int_seen = 0;
    let mut frac_seen = 0;
    let mut in_fraction = false;
    let mut printed = false;
    let mut zeros_forced = false;
    let last_needed = last_needed_fraction(digits, elements);
    for element in elements {
        match element {
            Element::Point => {
                in_fraction = true;
                out.push('.');
            }
            Element::Group if !in_fraction => out.push(if printed || overflow { ',' } else { ' ' }),
            Element::Group => out.push(','),
            Element::Nine | Element::Zero if overflow => out.push('#'),
            Element::Nine | Element::Zero if in_fraction => {
                let digit = digits.frac[frac_seen];
                let shown = frac_seen <= last_needed.unwrap_or(0) && last_needed.is_some();
                out.push(if shown { char::from(b'0' + digit) } else { ' ' });
                frac_seen += 1;
            }
            e @ (Element::Nine | Element::Zero) => {
                zeros_forced |= *e == Element::Zero;
                let offset = int_places - digits.int.len();
                let last_place = int_seen + 1 == int_places;
                if int_seen >= offset {
                    out.push(char::from(b'0' + digits.int[int_seen - offset]));
                    printed = true;
                } else if zeros_forced || (zero_int && last_place && !blank_zero) {
                    out.push('0');
                    printed = true;
                } else {
                    out.push(' ');
                }
                int_seen += 1;
            }
            _ => {}
        }
    }
    out
}

/// The last fraction place that prints a digit: a non-zero digit or a `0` element; the `9`
/// places after it print blanks (trailing zeros are not shown).
fn last_needed_fraction(digits: &Digits, elements: &[Element]) -> Option<usize> {
    let fraction: Vec<&Element> = elements
        .iter()
        .skip_while(|e| **e != Element::Point)
        .filter(|e| e.is_digit())
        .collect();
    (0..fraction.len())
        .rev()
        .find(|&i| digits.frac[i] != 0 || *fraction[i] == Element::Zero)
}

/// A hexadecimal model: the value rounded to an integer; without S or MI a negative value
/// prints as its two's complement in the digits available.
fn hexadecimal(number: &Number, elements: &[Element], compact: bool) -> String {
    let places = elements.iter().filter(|e| e.is_digit()).count();
    let signed = elements
        .iter()
        .any(|e| matches!(e, Element::Sign | Element::Minus));
    let value = match number {
        Number::Finite(digits) => {
            let mut digits = digits.clone();
            digits.round_to(0);
            digits.integer()
        }
        Number::NotFinite(_) => None,
    };
    let capacity = 16i128.checked_pow(places as u32);
    let shown = match (value, capacity) {
        (Some(v), Some(cap)) if signed && v.abs() < cap => Some(v.abs()),
        (Some(v), Some(cap)) if !signed && v >= 0 && v < cap => Some(v),
        (Some(v), Some(cap)) if !signed && v < 0 && -v <= cap => Some(cap + v),
        _ => None,
    };
    let negative = value.is_some_and(|v| v < 0);
    let hex = shown.map(|v| format!("{v:x}"));
    let mut out = String::new();
    let mut seen = 0;
    let mut zeros_forced = false;
    for (i, element) in elements.iter().enumerate() {
        match element {
            Element::Literal(literal) => out.push_str(literal),
            Element::Sign => out.push(if negative { '-' } else { '+' }),
            Element::Minus => out.push(if negative { '-' } else { ' ' }),
            e if e.is_digit() => {
                zeros_forced |= *e == Element::Zero;
                let upper = elements[i..].iter().find_map(|e| match e {
                    Element::Hex { upper } => Some(*upper),
                    _ => None,
                });
                out.push(hex_place(
                    hex.as_deref(),
                    places,
                    seen,
                    zeros_forced,
                    upper.unwrap_or(true),
                ));
                seen += 1;
            }
            _ => {}
        }
    }
    if compact {
        out = compacted(&out, elements);
    }
    out
}

fn hex_place(
    hex: Option<&str>,
    places: usize,
    seen: usize,
    zeros_forced: bool,
    upper: bool,
) -> char {
    let Some(hex) = hex else {
        return '#';
    };
    let offset = places - hex.len();
    let c = if seen >= offset {
        hex.as_bytes()[seen - offset] as char
    } else if zeros_forced || seen + 1 == places {
        '0'
    } else {
        ' '
    };
    if upper {
        c.to_ascii_uppercase()
    } else {
        c
    }
}
