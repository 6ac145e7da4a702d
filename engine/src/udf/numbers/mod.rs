//! Numeric SQL format models (Snowflake's "SQL format models" reference): TO_CHAR of a number
//! with a model (`mockhaus_format_number`) and TO_NUMBER / TO_DECIMAL of text with one
//! (`mockhaus_parse_number`). Numbers arrive as DuckDB's text of the value, so DECIMALs keep
//! every digit. Supported: `9 0 . D , G $ B S MI FM FX _`, quoted and symbol literals,
//! hexadecimal `X` models, the text-minimal `TM9 TME TM`, and `|` / `AUTO` alternatives when
//! parsing (laxly). The exponent elements `EE...` and `%` are refused as unsupported.

mod decimal;
mod model;
mod parse;
mod print;

use decimal::Number;

/// `mockhaus_format_number(value_text, model)`.
pub(super) fn format_number(args: &[Option<String>]) -> Result<Option<String>, String> {
    let [Some(value), Some(model)] = args else {
        return Ok(None);
    };
    let number = Number::parse(value).ok_or_else(|| {
        coded(
            "100038",
            "22018",
            &format!("Numeric value '{value}' is not recognized"),
        )
    })?;
    let elements = model::elements(model).map_err(|what| unsupported(&what))?;
    print::print(&number, &elements)
        .map(Some)
        .map_err(|what| unsupported(&what))
}

/// `mockhaus_parse_number(text, model, on_mismatch)`: the decimal text of the number, or
/// (`on_mismatch` = 'null') NULL / ('error') Snowflake's 100140 when the text does not match.
pub(super) fn parse_number(args: &[Option<String>]) -> Result<Option<String>, String> {
    let [Some(text), Some(model), on_mismatch] = args else {
        return Ok(None);
    };
    match parse::parse(text, model).map_err(|what| unsupported(&what))? {
        Some(value) => Ok(Some(value)),
        None if on_mismatch.as_deref() == Some("null") => Ok(None),
        None => Err(coded(
            "100140",
            "22007",
            &format!("Can't parse '{text}' as number with format '{model}'"),
        )),
    }
}

/// An error the engine reports with Snowflake's code (see `duckdb_errors`).
fn coded(code: &str, state: &str, message: &str) -> String {
    format!("{code} ({state}): {message}")
}

fn unsupported(what: &str) -> String {
    coded(
        "000002",
        "0A000",
        &format!("Unsupported feature 'numeric format models with {what}'."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_char(value: &str, model: &str) -> String {
        format_number(&[Some(value.into()), Some(model.into())])
            .unwrap()
            .unwrap()
    }

    #[test]
    fn sign_positions_follow_the_reference_table() {
        let table = [
            ("99", " 12", " -7"),
            ("S99", "+12", " -7"),
            ("99S", "12+", " 7-"),
            ("MI99", " 12", "- 7"),
            ("99MI", "12 ", " 7-"),
            ("$99", " $12", " -$7"),
            ("FM99", "12", "-7"),
        ];
        for (model, twelve, minus_seven) in table {
            assert_eq!(to_char("12", model), twelve, "{model}");
            assert_eq!(to_char("-7", model), minus_seven, "{model}");
        }
    }

    #[test]
    fn the_reference_output_examples() {
        let cases = [
            (
                "999,999.999",
                [
                    "       1.2  ",
                    "     123.456",
                    "   1,234.56 ",
                    "-123,456.789",
                ],
            ),
            (
                "S000,000.000",
                [
                    "+000,001.200",
                    "+000,123.456",
                    "+001,234.560",
                    "-123,456.789",
                ],
            ),
            (
                "S999,999.999",
                [
                    "      +1.2  ",
                    "    +123.456",
                    "  +1,234.56 ",
                    "-123,456.789",
                ],
            ),
            (
                "FM999,999.999",
                ["1.2", "123.456", "1,234.56", "-123,456.789"],
            ),
        ];
        for (model, expected) in cases {
            for (value, want) in ["1.2", "123.456", "1234.56", "-123456.789"]
                .iter()
                .zip(expected)
            {
                assert_eq!(to_char(value, model), want, "{value} {model}");
            }
        }
        assert_eq!(to_char("-123.45", "999.99MI"), "123.45-");
        assert_eq!(to_char("12", "\">\"99\"<\""), "> 12<");
    }

    #[test]
    fn the_to_char_reference_table() {
        let models = ["$99.0", "B9,999.0", "TME", "TM9", "0XXX", "S0XXX"];
        let rows = [
            (
                "-12.391",
                [
                    "-$12.4",
                    "   -12.4",
                    "-1.2391E1",
                    "-12.391",
                    "FFF4",
                    "-000C",
                ],
            ),
            (
                "0.000",
                ["  $0.0", "      .0", "0E0", "0.000", "0000", "+0000"],
            ),
            (
                "-1.000",
                [" -$1.0", "    -1.0", "-1E0", "-1.000", "FFFF", "-0001"],
            ),
            (
                "0.100",
                ["  $0.1", "      .1", "1E-1", "0.100", "0000", "+0000"],
            ),
            (
                "0.010",
                ["  $0.0", "      .0", "1E-2", "0.010", "0000", "+0000"],
            ),
            (
                "3987.000",
                [" $##.#", " 3,987.0", "3.987E3", "3987.000", "0F93", "+0F93"],
            ),
            (
                "1.111",
                ["  $1.1", "     1.1", "1.111E0", "1.111", "0001", "+0001"],
            ),
        ];
        for (value, expected) in rows {
            for (model, want) in models.iter().zip(expected) {
                let wrapped = format!("\">\"{model}\"<\"");
                assert_eq!(
                    to_char(value, &wrapped),
                    format!(">{want}<"),
                    "{value} {model}"
                );
            }
        }
    }

    #[test]
    fn mismatches_and_unsupported_elements_are_coded() {
        let parse = |text: &str, model: &str, on: &str| {
            parse_number(&[Some(text.into()), Some(model.into()), Some(on.into())])
        };
        assert!(parse("ae5", "XX", "error")
            .unwrap_err()
            .starts_with("100140 (22007)"));
        assert_eq!(parse("ae5", "XX", "null").unwrap(), None);
        let unsupported = format_number(&[Some("1".into()), Some("9.9EEEE".into())]);
        assert!(unsupported.unwrap_err().starts_with("000002 (0A000)"));
    }
}
