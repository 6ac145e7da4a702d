//! Numbers as sign and decimal digits: exact for DECIMAL text, and for the shortest text of a
//! DOUBLE, so that format models round and place digits without binary surprises.

/// A finite number: `int` without leading zeros (empty for a zero integer part), `frac` as
/// written (trailing zeros kept: they are the value's scale).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Digits {
    pub negative: bool,
    pub int: Vec<u8>,
    pub frac: Vec<u8>,
}

/// What a number's text holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Number {
    Finite(Digits),
    /// Infinity or NaN, as DuckDB writes them.
    NotFinite(String),
}

impl Number {
    /// `-12.391`, `3987.000`, `1.5e-07`, `inf`, `nan`... (DuckDB's text of a number).
    pub fn parse(text: &str) -> Option<Number> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        if [
            "inf",
            "-inf",
            "+inf",
            "infinity",
            "-infinity",
            "nan",
            "-nan",
        ]
        .contains(&lower.as_str())
        {
            return Some(Number::NotFinite(text.to_owned()));
        }
        Digits::parse(text).map(Number::Finite)
    }
}

impl Digits {
    pub fn parse(text: &str) -> Option<Digits> {
        let (negative, rest) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], rest[at + 1..].parse::<i32>().ok()?),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return None;
        }
        let mut digits = Digits {
            negative,
            int: int.bytes().map(|b| b - b'0').collect(),
            frac: frac.bytes().map(|b| b - b'0').collect(),
        };
        digits.shift(exponent);
        digits.trim_int();
        Some(digits)
    }

    /// Multiplies by 10^exponent, moving digits across the decimal point.
    fn shift(&mut self, exponent: i32) {
        if exponent > 0 {
            for _ in 0..exponent {
                let moved = if self.frac.is_empty() {
                    0
                } else {
                    self.frac.remove(0)
                };
                self.int.push(moved);
            }
        } else {
            for _ in 0..exponent.unsigned_abs() {
                let moved = self.int.pop().unwrap_or(0);
                self.frac.insert(0, moved);
            }
        }
    }

    fn trim_int(&mut self) {
        let leading = self.int.iter().take_while(|d| **d == 0).count();
        self.int.drain(..leading);
    }

    pub fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.iter().all(|d| *d == 0)
    }

    /// Rounds (half away from zero) or pads to exactly `places` fraction digits.
    pub fn round_to(&mut self, places: usize) {
        if self.frac.len() <= places {
            self.frac.resize(places, 0);
            return;
        }
        let round_up = self.frac[places] >= 5;
        self.frac.truncate(places);
        if round_up {
            self.increment();
        }
    }

    /// Adds one unit in the last fraction place.
    fn increment(&mut self) {
        for digit in self.frac.iter_mut().rev().chain(self.int.iter_mut().rev()) {
            if *digit == 9 {
                *digit = 0;
            } else {
                *digit += 1;
                return;
            }
        }
        self.int.insert(0, 1);
    }

    /// The integer value of a number already rounded to no fraction digits.
    pub fn integer(&self) -> Option<i128> {
        let magnitude = self.int.iter().try_fold(0i128, |acc, d| {
            acc.checked_mul(10)?.checked_add(i128::from(*d))
        })?;
        Some(if self.negative { -magnitude } else { magnitude })
    }

    /// The decimal text (`-12.30`, `0.5`, `7`).
    pub fn text(&self) -> String {
        let mut out = String::new();
        if self.negative && !self.is_zero() {
            out.push('-');
        }
        if self.int.is_empty() {
            out.push('0');
        }
        out.extend(self.int.iter().map(|d| char::from(b'0' + d)));
        if !self.frac.is_empty() {
            out.push('.');
            out.extend(self.frac.iter().map(|d| char::from(b'0' + d)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(text: &str) -> Digits {
        Digits::parse(text).unwrap()
    }

    #[test]
    fn text_round_trips_and_exponents_move_the_point() {
        for text in [
            "-12.391",
            "0.000",
            "3987",
            "0.5",
            "123456789012345678901234567890.12",
        ] {
            assert_eq!(digits(text).text(), text);
        }
        assert_eq!(digits("1.5e-3").text(), "0.0015");
        assert_eq!(digits("1.25E+2").text(), "125");
        assert!(Digits::parse("1.2.3").is_none() && Digits::parse("-").is_none());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let rounded = |text: &str, places| {
            let mut d = digits(text);
            d.round_to(places);
            d.text()
        };
        assert_eq!(rounded("-12.391", 1), "-12.4");
        assert_eq!(rounded("9.95", 1), "10.0");
        assert_eq!(rounded("0.05", 1), "0.1");
        assert_eq!(rounded("1.2", 3), "1.200");
        assert_eq!(rounded("-0.04", 1), "0.0");
    }
}
