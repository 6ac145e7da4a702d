//! Numbers and text through SQL format models: TO_CHAR / TO_VARCHAR of a number with a
//! numeric model (`'999,990.00'`), and TO_NUMBER / TO_DECIMAL / TO_NUMERIC (and their TRY_
//! forms) in all their shapes: `(expr)`, `(expr, precision[, scale])`, `(expr, 'format')`,
//! `(expr, 'format', precision[, scale])`. The models themselves are applied by the engine's
//! `mockhaus_format_number` / `mockhaus_parse_number` functions, on the number's exact text.

use crate::error::{SfError, SfResult};

/// `TO_CHAR(number, 'model')`.
pub(super) fn to_char(value: &str, model: &str) -> String {
    format!("mockhaus_format_number(CAST({value} AS VARCHAR), {model})")
}

/// A quoted format model made of numeric elements only (`'999.99'`, `'$9,990.00'`,
/// `'FM0000'`, `'TM9'`), as opposed to a date and time model.
pub(super) fn is_numeric_model(text: &str) -> bool {
    let Some(model) = text
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
    else {
        return false;
    };
    // Double-quoted literals ("...") say nothing about the kind of model.
    let unquoted: String = model.split('"').step_by(2).collect();
    let upper = unquoted.to_ascii_uppercase();
    let has_digit_element = upper.contains(['9', '0', 'X']) || upper.contains("TM");
    let numeric_only = upper
        .chars()
        .all(|c| "90.,DGSMIFEXBTU$ _;:-=/()|".contains(c));
    has_digit_element && numeric_only
}

/// TO_NUMBER and its family; `try_` for the TRY_ forms (NULL instead of an error).
pub(super) fn to_number(name: &str, args: &[String], try_: bool) -> SfResult<String> {
    let value = args.first().ok_or_else(|| super::wrong_arity(name, 0, 1))?;
    let (model, sizes) = match args.get(1) {
        Some(second) if second.starts_with('\'') => (Some(second.as_str()), &args[2..]),
        _ => (None, &args[1..]),
    };
    if sizes.len() > 2 {
        return Err(super::wrong_arity(name, args.len(), 1));
    }
    let precision = sizes
        .first()
        .map(|p| size(name, p))
        .transpose()?
        .unwrap_or(38);
    let scale = sizes
        .get(1)
        .map(|s| size(name, s))
        .transpose()?
        .unwrap_or(0);
    if !(1..=38).contains(&precision) || scale > precision {
        return Err(SfError::new(
            "001003",
            "42000",
            format!(
                "SQL compilation error:\ninvalid precision or scale for {name}: \
                 ({precision}, {scale})"
            ),
        ));
    }
    let cast = if try_ { "TRY_CAST" } else { "CAST" };
    let text = match model {
        Some(model) => {
            let on_mismatch = if try_ { "'null'" } else { "'error'" };
            format!("mockhaus_parse_number(CAST({value} AS VARCHAR), {model}, {on_mismatch})")
        }
        None => value.clone(),
    };
    Ok(format!("{cast}({text} AS DECIMAL({precision},{scale}))"))
}

/// A precision or scale argument: Snowflake takes integer constants.
fn size(name: &str, text: &str) -> SfResult<u32> {
    text.trim().parse().map_err(|_| {
        SfError::unsupported(format!(
            "{name} with a precision or scale that is not an integer constant ({text})"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_to_number() {
        let call = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            to_number("TO_NUMBER", &args, false)
        };
        assert_eq!(call(&["x"]).unwrap(), "CAST(x AS DECIMAL(38,0))");
        assert_eq!(call(&["x", "10"]).unwrap(), "CAST(x AS DECIMAL(10,0))");
        assert_eq!(call(&["x", "10", "2"]).unwrap(), "CAST(x AS DECIMAL(10,2))");
        assert_eq!(
            call(&["x", "'9.99'", "5", "2"]).unwrap(),
            "CAST(mockhaus_parse_number(CAST(x AS VARCHAR), '9.99', 'error') AS DECIMAL(5,2))"
        );
        assert_eq!(call(&["x", "39"]).unwrap_err().code, "001003");
        assert_eq!(call(&["x", "5", "6"]).unwrap_err().code, "001003");
        assert_eq!(call(&["x", "y"]).unwrap_err().code, "000002");
        let tried = to_number("TRY_TO_NUMBER", &["x".into(), "'9'".into()], true).unwrap();
        assert!(tried.starts_with("TRY_CAST(mockhaus_parse_number(") && tried.contains("'null'"));
    }

    #[test]
    fn numeric_models_are_told_from_date_models() {
        for model in [
            "'999.99'",
            "'$9,990.00'",
            "'FM0000'",
            "'TM9'",
            "'XXXX'",
            "'S9.9EEEE'",
        ] {
            assert!(is_numeric_model(model), "{model}");
        }
        for model in ["'YYYY-MM-DD'", "'HH24:MI'", "'DD'", "999"] {
            assert!(!is_numeric_model(model), "{model}");
        }
    }
}
