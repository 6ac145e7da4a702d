//! DuckDB's error messages → Snowflake's codes and wording. Patterns are matched on DuckDB's
//! message text; anything unrecognised keeps DuckDB's detail under a generic code.

use crate::error::SfError;

pub fn translate(err: &duckdb::Error) -> SfError {
    translate_message(&err.to_string())
}

pub fn translate_message(message: &str) -> SfError {
    if let Some(coded) = snowflake_coded(message) {
        return coded;
    }
    let (kind, detail) = message.split_once(": ").unwrap_or(("", message));
    let quoted = first_quoted(detail);
    match kind {
        "Catalog Error" => catalog(detail, quoted),
        "Binder Error" => binder(detail, quoted),
        "Conversion Error" => conversion(detail),
        "Parser Error" => SfError::syntax(format!("syntax error line 1 at position 0 {detail}")),
        "Constraint Error" if detail.contains("NOT NULL") => {
            SfError::new("100072", "22000", "NULL result in a non-nullable column")
        }
        "Constraint Error" => {
            SfError::new("100072", "23000", format!("Constraint violation: {detail}"))
        }
        "Invalid Input Error" if detail.contains("Division by zero") => SfError::division_by_zero(),
        "INTERRUPT Error" => SfError::cancelled(),
        "Out of Range Error" => SfError::new(
            "100039",
            "22003",
            format!("Numeric value out of range: {detail}"),
        ),
        "Permission Error" => SfError::new(
            "003001",
            "42501",
            "SQL access control error:\nInsufficient privileges to operate on this object.",
        ),
        _ => SfError::execution(detail),
    }
}

/// An error Mockhaus' own scalar functions (`udf`) raised with Snowflake's code already in
/// it, `NNNNNN (SSSSS): message`, wherever DuckDB placed it in its message.
fn snowflake_coded(message: &str) -> Option<SfError> {
    let first_line = message.lines().next().unwrap_or(message);
    let bytes = first_line.as_bytes();
    first_line.char_indices().find_map(|(at, _)| {
        let rest = &first_line[at..];
        let code = rest.get(..6)?;
        // `NNNNNN (SSSSS):` is 15 bytes: the code, a space, the state in parentheses, a colon.
        let state = rest.get(6..15)?.strip_prefix(" (")?.strip_suffix("):")?;
        let coded = code.bytes().all(|b| b.is_ascii_digit())
            && state.len() == 5
            && state.bytes().all(|b| b.is_ascii_alphanumeric())
            && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric());
        coded.then(|| {
            let text = rest[15..].trim_start();
            SfError::new(code.to_owned(), state.to_owned(), text.to_owned())
        })
    })
}

fn catalog(detail: &str, name: Option<String>) -> SfError {
    let name = name.unwrap_or_default();
    if detail.contains("does not exist") {
        if detail.starts_with("Schema") {
            return SfError::namespace_not_found("Schema", &name);
        }
        if detail.contains("Function") {
            return SfError::unknown_function(&name);
        }
        if detail.starts_with("Catalog") || detail.contains("database") {
            return SfError::namespace_not_found("Database", &name);
        }
        return SfError::table_not_found("Object", &name);
    }
    if detail.contains("already exists") {
        return SfError::already_exists("Object", &name);
    }
    SfError::execution(detail)
}

fn binder(detail: &str, name: Option<String>) -> SfError {
    if detail.starts_with("Catalog") && detail.contains("does not exist") {
        return SfError::namespace_not_found("Database", &name.unwrap_or_default());
    }
    if detail.contains("not found") || detail.contains("does not have a column") {
        return SfError::invalid_identifier(&name.unwrap_or_default());
    }
    if detail.contains("values were supplied") || detail.contains("columns but") {
        return SfError::new(
            "002020",
            "21S01",
            format!(
                "SQL compilation error:\nInsert value list does not match column list: {detail}"
            ),
        );
    }
    if detail.contains("must appear in the GROUP BY clause") || detail.contains("aggregate") {
        return SfError::new(
            "000979",
            "42601",
            match name {
                Some(name) => {
                    format!("SQL compilation error:\n[{name}] is not a valid group by expression")
                }
                // DuckDB's "Cannot mix aggregates with non-aggregated columns!" names no column.
                None => "SQL compilation error:\nan expression mixes aggregate functions with \
                         columns that are not grouped; it is not a valid group by expression"
                    .to_string(),
            },
        );
    }
    SfError::new(
        "002016",
        "22000",
        format!("SQL compilation error:\n{detail}"),
    )
}

fn conversion(detail: &str) -> SfError {
    if detail.starts_with("Unimplemented type for cast") {
        let detail = detail.lines().next().unwrap_or(detail);
        return SfError::new(
            "002023",
            "22000",
            format!("SQL compilation error:\nUnsupported cast: {detail}"),
        );
    }
    let (value, what) = csv_conversion(detail).unwrap_or_else(|| {
        let value = first_quoted_with(detail, '\'')
            .unwrap_or_else(|| first_quoted(detail).unwrap_or_default());
        // The first line only: the rest quotes the statement, whose text (a `json_extract`,
        // a column named `date`) says nothing about what failed to convert.
        (value, detail.lines().next().unwrap_or(detail).to_string())
    });
    let lower = what.to_ascii_lowercase();
    if lower.contains("timestamp") {
        SfError::timestamp_not_recognized(&value)
    } else if lower.contains("date") {
        SfError::date_not_recognized(&value)
    } else if lower.contains("json") {
        SfError::new("100069", "22P02", format!("Error parsing JSON: {detail}"))
    } else if lower.contains("to decimal") && value.trim().parse::<f64>().is_ok() {
        // A number with more digits than the target precision holds.
        SfError::new(
            "100039",
            "22003",
            format!("Numeric value '{value}' is out of range"),
        )
    } else if lower.contains("bool") {
        SfError::new(
            "100037",
            "22018",
            format!("Boolean value '{value}' is not recognized"),
        )
    } else {
        SfError::numeric_not_recognized(&value)
    }
}

/// A conversion DuckDB's CSV reader made itself (COPY INTO pushes the cast into the reader):
/// the value (double-quoted there) and the line saying what it was converted to.
fn csv_conversion(detail: &str) -> Option<(String, String)> {
    if !detail.starts_with("CSV Error") {
        return None;
    }
    let line = detail
        .lines()
        .find(|l| l.contains("Could not convert string"))?;
    let what = &line[line.find("Could not convert string")?..];
    Some((first_quoted_with(what, '"')?, what.to_string()))
}

/// The object an error is about: "Table with name FOO does not exist!" names it unquoted,
/// and its "Did you mean "X"?" hint must not be taken for it.
fn first_quoted(detail: &str) -> Option<String> {
    let named = detail.split("with name ").nth(1).and_then(|rest| {
        let end = rest.find(" does not exist").or_else(|| rest.find('!'))?;
        Some(rest[..end].to_string())
    });
    named.or_else(|| first_quoted_with(detail, '"'))
}

fn first_quoted_with(detail: &str, quote: char) -> Option<String> {
    let start = detail.find(quote)? + 1;
    let len = detail[start..].find(quote)?;
    Some(detail[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_our_functions_raise_are_kept() {
        let e = translate_message(
            "Invalid Input Error: 100035 (22007): Timestamp 'x' is not recognized",
        );
        assert_eq!((e.code.as_ref(), e.sql_state.as_ref()), ("100035", "22007"));
        assert_eq!(e.message, "Timestamp 'x' is not recognized");
        // Digits inside a word are not a code.
        let plain = translate_message("Invalid Input Error: abc100035 (22007): x");
        assert_eq!(plain.code.as_ref(), "100000");
    }

    #[test]
    fn missing_table_is_002003() {
        let e = translate_message(
            "Catalog Error: Table with name FOO does not exist!\nDid you mean x?",
        );
        assert_eq!((e.code.as_ref(), e.sql_state.as_ref()), ("002003", "42S02"));
        assert!(e.message.contains("'FOO'"));
        let hinted = translate_message(
            "Catalog Error: Table with name T1 does not exist!\nDid you mean \"DB.S.T1_OLD\"?",
        );
        assert!(hinted.message.contains("'T1'"), "{}", hinted.message);
    }

    #[test]
    fn missing_column_is_000904() {
        let e =
            translate_message("Binder Error: Referenced column \"NOPE\" not found in FROM clause!");
        assert_eq!(e.code, "000904");
        assert!(e.message.contains("invalid identifier 'NOPE'"));
    }

    #[test]
    fn bad_number_is_100038() {
        let csv = "Conversion Error: CSV Error on Line: 2\nOriginal Line: x,1\nError when \
                   converting column \"column0\". Could not convert string \"x\" to 'DECIMAL'\n\n\
                   Column column0 is being converted as type DECIMAL";
        assert_eq!(
            translate_message(csv).message,
            "Numeric value 'x' is not recognized"
        );
        let e = translate_message("Conversion Error: Could not convert string 'abc' to INT32");
        assert_eq!((e.code.as_ref(), e.sql_state.as_ref()), ("100038", "22018"));
        let quoting_json = "Conversion Error: Could not convert string 'abc' to DOUBLE\n\n\
                            LINE 1: SELECT CAST(json_extract_string(x, '$') AS DOUBLE)";
        assert_eq!(translate_message(quoting_json).code.as_ref(), "100038");
    }
}
