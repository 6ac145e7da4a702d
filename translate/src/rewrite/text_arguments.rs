//! Snowflake casts a number, date or timestamp given to a string function to text
//! (`LENGTH(12345)` is 5, `SUBSTR(order_date, 1, 7)` is `2024-01`, `n LIKE '12%'`); DuckDB
//! finds no overload. Here the text arguments of those functions get an explicit
//! `CAST(... AS VARCHAR)`, which DuckDB drops when the argument already is text, and which
//! gives Snowflake's text of a timestamp (`engine/src/text_casts.rs`).
//!
//! Functions that also take BINARY (LENGTH, SUBSTR, the hashes and encodings) would turn a
//! BINARY argument into escaped text by such a cast, so theirs are cast only when the
//! argument is known not to be text or binary: a number or boolean constant, a typed literal,
//! a cast to another type, a column of such a type. Runs after VARIANT coercion
//! (`coercion.rs`), which has made VARIANT arguments their text already.

use sqlparser::ast::{
    CastKind, DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Value,
};

use super::functions::function_name;
use super::ColumnTypes;
use crate::types::SfType;

/// Casts the text arguments of `expr` (a string function call or LIKE) that are not text.
pub(super) fn cast(expr: &mut Expr, columns: &ColumnTypes) {
    match expr {
        Expr::Like { expr: operand, .. }
        | Expr::ILike { expr: operand, .. }
        | Expr::RLike { expr: operand, .. } => as_text(operand, Kind::TextOnly, columns),
        Expr::Substring { expr: operand, .. } => as_text(operand, Kind::TextOrBinary, columns),
        Expr::Trim { expr: operand, .. } => as_text(operand, Kind::TextOnly, columns),
        Expr::Function(func) => function_arguments(func, columns),
        _ => {}
    }
}

#[derive(Clone, Copy)]
enum Kind {
    /// Takes only text: any argument that is not text is cast.
    TextOnly,
    /// Takes text or BINARY: only arguments known to be neither are cast.
    TextOrBinary,
}

/// The text arguments (0-based positions) of each string function, and what else it takes.
fn text_parameters(name: &str) -> Option<(&'static [usize], Kind)> {
    use Kind::{TextOnly, TextOrBinary};
    Some(match name {
        "UPPER" | "LOWER" | "REVERSE" | "SOUNDEX" | "ASCII" | "LEFT" | "RIGHT" | "REPEAT" => {
            (&[0], TextOnly)
        }
        "LTRIM" | "RTRIM" | "TRIM" | "INITCAP" | "SPLIT" | "SPLIT_PART" | "STRTOK"
        | "STRTOK_TO_ARRAY" | "CONTAINS" | "STARTSWITH" | "ENDSWITH" | "CHARINDEX" | "POSITION"
        | "EDITDISTANCE" | "RLIKE" | "ILIKE" | "LIKE" | "REGEXP_LIKE" | "REGEXP_COUNT"
        | "REGEXP_INSTR" | "REGEXP_SUBSTR" | "REGEXP_SUBSTR_ALL" | "LISTAGG" => (&[0, 1], TextOnly),
        "REPLACE" | "TRANSLATE" | "REGEXP_REPLACE" => (&[0, 1, 2], TextOnly),
        "LPAD" | "RPAD" => (&[0, 2], TextOnly),
        "LENGTH" | "LEN" | "SUBSTR" | "SUBSTRING" | "MD5" | "MD5_HEX" | "SHA1" | "SHA1_HEX"
        | "SHA2" | "SHA2_HEX" | "BASE64_ENCODE" | "HEX_ENCODE" => (&[0], TextOrBinary),
        _ => return None,
    })
}

fn function_arguments(func: &mut Function, columns: &ColumnTypes) {
    let Some((positions, kind)) = text_parameters(&function_name(func)) else {
        return;
    };
    let FunctionArguments::List(list) = &mut func.args else {
        return;
    };
    for (position, arg) in list.args.iter_mut().enumerate() {
        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(value)) = arg {
            if positions.contains(&position) {
                as_text(value, kind, columns);
            }
        }
    }
}

fn as_text(operand: &mut Expr, kind: Kind, columns: &ColumnTypes) {
    let needs_cast = match kind {
        Kind::TextOnly => !is_text(operand, columns),
        Kind::TextOrBinary => is_neither_text_nor_binary(operand, columns),
    };
    if needs_cast {
        let value = std::mem::replace(operand, Expr::value(Value::Null));
        *operand = Expr::Cast {
            kind: CastKind::Cast,
            expr: Box::new(value),
            data_type: DataType::Varchar(None),
            format: None,
        };
    }
}

/// Known to be text already (a string literal, a cast to text, a text column): left as written.
fn is_text(expr: &Expr, columns: &ColumnTypes) -> bool {
    match expr {
        Expr::Nested(inner) => is_text(inner, columns),
        Expr::Value(v) => matches!(
            v.value,
            Value::SingleQuotedString(_) | Value::DollarQuotedString(_) | Value::Null
        ),
        Expr::Cast { data_type, .. } => {
            is_text_type(data_type) || matches!(data_type, DataType::JSON)
        }
        _ => matches!(super::column_type(expr, columns), Some(SfType::Text { .. })),
    }
}

fn is_neither_text_nor_binary(expr: &Expr, columns: &ColumnTypes) -> bool {
    match expr {
        Expr::Nested(inner) => is_neither_text_nor_binary(inner, columns),
        Expr::Value(v) => matches!(v.value, Value::Number(..) | Value::Boolean(_)),
        Expr::UnaryOp { expr, .. } => is_neither_text_nor_binary(expr, columns),
        Expr::TypedString(_) => true,
        Expr::Cast { data_type, .. } => {
            !is_text_type(data_type)
                && !is_binary_type(data_type)
                && !matches!(data_type, DataType::JSON)
        }
        _ => super::column_type(expr, columns).is_some_and(|t| {
            !matches!(t, SfType::Text { .. } | SfType::Binary { .. }) && !t.is_semi_structured()
        }),
    }
}

/// Whether a cast makes text (JSON, which DuckDB also keeps as text, is not counted).
pub(super) fn is_text_type(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Varchar(_)
            | DataType::String(_)
            | DataType::Text
            | DataType::Char(_)
            | DataType::Character(_)
            | DataType::CharVarying(_)
            | DataType::CharacterVarying(_)
            | DataType::Nvarchar(_)
    )
}

fn is_binary_type(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Blob(_) | DataType::Binary(_) | DataType::Varbinary(_) | DataType::Bytea
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rewrite::NO_COLUMNS;

    fn rewritten(sql: &str) -> String {
        let mut expr = crate::rewrite::parse_expr(sql).unwrap();
        cast(&mut expr, &NO_COLUMNS);
        expr.to_string()
    }

    #[test]
    fn a_number_or_timestamp_given_to_a_text_function_is_cast() {
        assert_eq!(rewritten("UPPER(1)"), "UPPER(CAST(1 AS VARCHAR))");
        assert_eq!(
            rewritten("SPLIT_PART(n, '.', 1)"),
            "SPLIT_PART(CAST(n AS VARCHAR), '.', 1)"
        );
        assert_eq!(
            rewritten("LPAD(n, 5, 0)"),
            "LPAD(CAST(n AS VARCHAR), 5, CAST(0 AS VARCHAR))"
        );
        assert_eq!(rewritten("n LIKE '12%'"), "CAST(n AS VARCHAR) LIKE '12%'");
        assert_eq!(
            rewritten("LISTAGG(n, ',')"),
            "LISTAGG(CAST(n AS VARCHAR), ',')"
        );
    }

    #[test]
    fn text_is_left_as_written() {
        assert_eq!(rewritten("UPPER('a')"), "UPPER('a')");
        assert_eq!(
            rewritten("UPPER(CAST(x AS VARCHAR))"),
            "UPPER(CAST(x AS VARCHAR))"
        );
    }

    #[test]
    fn a_function_that_takes_binary_casts_only_what_is_known_not_to_be_binary() {
        assert_eq!(rewritten("LENGTH(b)"), "LENGTH(b)");
        assert_eq!(rewritten("LENGTH(12345)"), "LENGTH(CAST(12345 AS VARCHAR))");
        assert_eq!(
            rewritten("MD5(CAST(t AS TIMESTAMP))"),
            "MD5(CAST(CAST(t AS TIMESTAMP) AS VARCHAR))"
        );
        assert_eq!(rewritten("MD5(CAST(t AS BLOB))"), "MD5(CAST(t AS BLOB))");
    }
}
