//! Snowflake's NUMBER result types for division and AVG. DuckDB divides into a DOUBLE; Snowflake gives
//! a NUMBER whose scale comes from the operands' (docs: "Scale and precision in arithmetic
//! operations"): leading digits L1 + S2, scale max(S1, min(S1 + 6, 12)), rounded. `1/2` is
//! 0.500000. The operands' types are inferred from what the statement shows: numeric literals,
//! casts to NUMBER, columns whose types the engine passes in, and sums, differences and
//! products of those. Anything else (a FLOAT, a function's result) keeps DuckDB's DOUBLE.

use sqlparser::ast::{
    BinaryOperator, DataType, ExactNumberInfo, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArguments, UnaryOperator, Value,
};

use super::ColumnTypes;
use crate::error::SfResult;
use crate::types::SfType;

/// Fixed-point types: precision and scale.
pub type Fixed = (u8, u8);

const MAX_PRECISION: u8 = 38;

/// The type of `left / right` when both operands are fixed-point.
pub(crate) fn division_type(left: &Expr, right: &Expr, columns: &ColumnTypes) -> Option<Fixed> {
    let (p1, s1) = fixed_type(left, columns)?;
    let (_, s2) = fixed_type(right, columns)?;
    let scale = quotient_scale(s1);
    let leading = p1.saturating_sub(s1).saturating_add(s2);
    Some((leading.saturating_add(scale).min(MAX_PRECISION), scale))
}

/// The scale of a quotient whose dividend has scale `s1`.
fn quotient_scale(s1: u8) -> u8 {
    s1.max((s1 + 6).min(12))
}

/// Prepares an aggregate `AVG(x)` (not a window) and returns the scale its result takes.
/// Snowflake's average of fixed-point values is a NUMBER with a quotient's scale (the
/// reference's examples: the AVG of an INT column is 1.800000, of a NUMBER(10,5) column
/// 5.85000000000), where DuckDB's is a DOUBLE; and text is averaged as numbers (DuckDB has no
/// AVG of VARCHAR), so a text argument is cast to DOUBLE here (an error for text that is no
/// number, as in Snowflake).
pub(crate) fn prepare_average(func: &mut Function, columns: &ColumnTypes) -> SfResult<Option<u8>> {
    if func.over.is_some() || !super::functions::function_name(func).eq("AVG") {
        return Ok(None);
    }
    let FunctionArguments::List(list) = &mut func.args else {
        return Ok(None);
    };
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_mut_slice() else {
        return Ok(None);
    };
    if let Some(SfType::Text { .. }) = super::column_type(arg, columns) {
        *arg = super::parse_expr(&format!("CAST({arg} AS DOUBLE)"))?;
        return Ok(None);
    }
    Ok(fixed_type(arg, columns).map(|(_, scale)| quotient_scale(scale)))
}

/// The fixed-point type of an expression, when it can be told from the expression alone.
pub(crate) fn fixed_type(expr: &Expr, columns: &ColumnTypes) -> Option<Fixed> {
    match expr {
        Expr::Nested(inner) => fixed_type(inner, columns),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => fixed_type(expr, columns),
        Expr::Value(value) => match &value.value {
            Value::Number(text, _) => literal_type(text),
            _ => None,
        },
        Expr::Cast { data_type, .. } => cast_type(data_type),
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
            match super::column_type(expr, columns)? {
                SfType::Fixed { precision, scale } => Some((precision, scale)),
                _ => None,
            }
        }
        Expr::BinaryOp { left, op, right } => {
            let (p1, s1) = fixed_type(left, columns)?;
            let (p2, s2) = fixed_type(right, columns)?;
            // Saturating: a cast written with a scale above its precision is refused later.
            let (l1, l2) = (p1.saturating_sub(s1), p2.saturating_sub(s2));
            let (leading, scale) = match op {
                BinaryOperator::Plus | BinaryOperator::Minus => (l1.max(l2) + 1, s1.max(s2)),
                BinaryOperator::Multiply => (l1 + l2, (s1 + s2).min(s1.max(s2).max(12))),
                _ => return None,
            };
            let scale = scale.min(MAX_PRECISION);
            Some((leading.saturating_add(scale).min(MAX_PRECISION), scale))
        }
        _ => None,
    }
}

/// `12` is NUMBER(2,0), `2.50` NUMBER(3,2); a number with an exponent is a FLOAT.
fn literal_type(text: &str) -> Option<Fixed> {
    if text.contains(['e', 'E']) {
        return None;
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole = whole.trim_start_matches('0');
    let digits = |s: &str| u8::try_from(s.len()).ok();
    let scale = digits(fraction)?;
    let precision = (digits(whole)? + scale).max(1);
    (precision <= MAX_PRECISION).then_some((precision, scale))
}

fn cast_type(data_type: &DataType) -> Option<Fixed> {
    let number = |info: &ExactNumberInfo| match info {
        ExactNumberInfo::None => Some((MAX_PRECISION, 0)),
        ExactNumberInfo::Precision(p) => Some((u8::try_from(*p).ok()?, 0)),
        ExactNumberInfo::PrecisionAndScale(p, s) => {
            Some((u8::try_from(*p).ok()?, u8::try_from(*s).ok()?))
        }
    };
    match data_type {
        DataType::Decimal(info) | DataType::Numeric(info) | DataType::Dec(info) => number(info),
        DataType::Int(_)
        | DataType::Integer(_)
        | DataType::BigInt(_)
        | DataType::SmallInt(_)
        | DataType::TinyInt(_) => Some((MAX_PRECISION, 0)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(sql: &str) -> Expr {
        crate::rewrite::parse_expr(sql).expect("an expression")
    }

    #[test]
    fn literals_and_casts() {
        let none = ColumnTypes::new();
        assert_eq!(fixed_type(&expr("1"), &none), Some((1, 0)));
        assert_eq!(fixed_type(&expr("100000000"), &none), Some((9, 0)));
        assert_eq!(fixed_type(&expr("2.50"), &none), Some((3, 2)));
        assert_eq!(fixed_type(&expr("1e3"), &none), None);
        assert_eq!(
            fixed_type(&expr("CAST(x AS DECIMAL(10,2))"), &none),
            Some((10, 2))
        );
        assert_eq!(fixed_type(&expr("x"), &none), None);
    }

    #[test]
    fn division_follows_snowflakes_rule() {
        let columns = ColumnTypes::from([(
            "AMOUNT".to_string(),
            SfType::Fixed {
                precision: 10,
                scale: 2,
            },
        )]);
        // Snowflake reports 1 / 100000000 as NUMBER(7,6).
        assert_eq!(
            division_type(&expr("1"), &expr("100000000"), &columns),
            Some((7, 6))
        );
        assert_eq!(
            division_type(&expr("AMOUNT"), &expr("3"), &columns),
            Some((16, 8))
        );
        assert_eq!(division_type(&expr("1.5"), &expr("x"), &columns), None);
    }
}
