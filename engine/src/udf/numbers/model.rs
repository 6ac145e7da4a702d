//! A numeric format model read into its elements (Snowflake's "SQL format models").

/// One element of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Element {
    /// `9`: a digit; leading (and trailing fraction) zeros print as blanks.
    Nine,
    /// `0`: a digit; zeros print.
    Zero,
    /// `X` / `x`: a hexadecimal digit, upper or lower case.
    Hex {
        upper: bool,
    },
    /// `.` or `D` after a digit.
    Point,
    /// `,` or `G` after a digit.
    Group,
    Dollar,
    /// `B`: a zero integer part prints as blanks.
    Blank,
    /// `S`: `+` or `-`.
    Sign,
    /// `MI`: blank or `-`.
    Minus,
    /// `FM`: toggles fill (fixed width) and compact output.
    FillMode,
    /// `FX`: toggles lax and exact parsing (Mockhaus parses laxly either way).
    Exact,
    /// `TM9`, `TME`, `TM`: text-minimal output; `upper` is the case of the exponent letter.
    TextMinimal {
        kind: Minimal,
        upper: bool,
    },
    Literal(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Minimal {
    Positional,
    Scientific,
    Shorter,
}

impl Element {
    pub fn is_digit(&self) -> bool {
        matches!(self, Element::Nine | Element::Zero | Element::Hex { .. })
    }
}

/// The elements of `model`, or the reason it is not one Mockhaus reads.
pub(super) fn elements(model: &str) -> Result<Vec<Element>, String> {
    let chars: Vec<char> = model.chars().collect();
    let mut out: Vec<Element> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..]
            .iter()
            .take(3)
            .collect::<String>()
            .to_ascii_uppercase();
        let after_digit = out.last().is_some_and(Element::is_digit);
        let (element, width) = match chars[i] {
            '"' => {
                let (text, width) = quoted(&chars[i..])?;
                (Some(Element::Literal(text)), width)
            }
            '9' => (Some(Element::Nine), 1),
            '0' => (Some(Element::Zero), 1),
            'X' | 'x' => (
                Some(Element::Hex {
                    upper: chars[i] == 'X',
                }),
                1,
            ),
            '.' if after_digit => (Some(Element::Point), 1),
            ',' if after_digit => (Some(Element::Group), 1),
            'D' | 'd' => (Some(Element::Point), 1),
            'G' | 'g' => (Some(Element::Group), 1),
            '$' => (Some(Element::Dollar), 1),
            'B' | 'b' => (Some(Element::Blank), 1),
            'S' | 's' => (Some(Element::Sign), 1),
            '_' => (None, 1),
            c @ ('.' | ',' | ';' | ':' | '-' | '=' | '/' | '(' | ')' | ' ') => {
                (Some(Element::Literal(c.to_string())), 1)
            }
            'T' | 't' if rest.starts_with("TM") => {
                let upper = chars[i] == 'T';
                match rest.as_str() {
                    "TM9" => (Some(minimal(Minimal::Positional, upper)), 3),
                    "TME" => (Some(minimal(Minimal::Scientific, upper)), 3),
                    _ => (Some(minimal(Minimal::Shorter, upper)), 2),
                }
            }
            _ if rest.starts_with("MI") => (Some(Element::Minus), 2),
            _ if rest.starts_with("FM") => (Some(Element::FillMode), 2),
            _ if rest.starts_with("FX") => (Some(Element::Exact), 2),
            'E' | 'e' if rest.starts_with("EE") => {
                return Err("the exponent elements EE...EEEEE".into())
            }
            other => return Err(format!("the format element '{other}'")),
        };
        out.extend(element);
        i += width;
    }
    Ok(out)
}

fn minimal(kind: Minimal, upper: bool) -> Element {
    Element::TextMinimal { kind, upper }
}

/// A double-quoted literal at the start of `chars` (`""` stands for one quote): its text and
/// how many characters it took.
fn quoted(chars: &[char]) -> Result<(String, usize), String> {
    let mut text = String::new();
    let mut i = 1;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('"', Some('"')) => {
                text.push('"');
                i += 2;
            }
            ('"', _) => return Ok((text, i + 1)),
            (c, _) => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err("an unterminated quoted literal".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Element::*;

    #[test]
    fn models_read_into_elements() {
        assert_eq!(
            elements("FM$9,990.00").unwrap(),
            vec![FillMode, Dollar, Nine, Group, Nine, Nine, Zero, Point, Zero, Zero]
        );
        assert_eq!(
            elements("\">\"S0xXX\"<\"\"\"").unwrap(),
            vec![
                Literal(">".into()),
                Sign,
                Zero,
                Hex { upper: false },
                Hex { upper: true },
                Hex { upper: true },
                Literal("<\"".into()),
            ]
        );
        assert_eq!(elements("999MI").unwrap()[3], Minus);
        assert_eq!(
            elements("tme").unwrap(),
            vec![minimal(Minimal::Scientific, false)]
        );
        // A period not after a digit is a literal.
        assert_eq!(elements(".99").unwrap()[0], Literal(".".into()));
        assert!(elements("9.9EEEE").is_err());
        assert!(elements("99Q").is_err());
    }
}
