//! Implicit casts of VARIANT values (Snowflake's coercion). A path (`v:a`), GET, PARSE_JSON
//! and the like become DuckDB JSON, and DuckDB treats JSON as its text: `v:a || 'y'` would
//! keep the quotes of a JSON string, `LENGTH(v:a)` count them, `v:a = 'x'` try to parse `x`
//! as JSON and `v:a + 1` find no operator. Snowflake instead casts the VARIANT to what the
//! operator or function needs: a string's own text where text is wanted, a number where a
//! number is; and a text constant beside a VARIANT (COALESCE's fallback, a compared string)
//! becomes a VARIANT string.
//!
//! Runs on each expression after its operands were rewritten, so "is a VARIANT" means the
//! operand's DuckDB form is known to produce JSON (`semi_structured::is_json_valued`), is a
//! column the statement's tables declare VARIANT, OBJECT or ARRAY, or is FLATTEN's VALUE or
//! THIS. A bare `VALUE` / `THIS` is only cast to text (with a type check as it runs); an
//! untyped lambda parameter is not recognised. Numbers are DOUBLE: the exact type Snowflake
//! gives a VARIANT in arithmetic is not documented where Mockhaus could check it.

use sqlparser::ast::{
    BinaryOperator, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    InTarget, ObjectName, UnaryOperator, Value,
};

use super::flatten::FlattenOutputs;
use super::functions::function_name;
use super::semi_structured::is_json_valued;
use super::{parse_expr, ColumnTypes};
use crate::error::SfResult;

/// Functions that take text: a VARIANT argument is cast to its text.
const TEXT_FUNCTIONS: &[&str] = &[
    "ASCII",
    "BASE64_ENCODE",
    "CHARINDEX",
    "CONCAT",
    "CONCAT_WS",
    "CONTAINS",
    "EDITDISTANCE",
    "ENDSWITH",
    "HEX_ENCODE",
    "ILIKE",
    "INITCAP",
    "INSTR",
    "LEFT",
    "LEN",
    "LENGTH",
    "LOWER",
    "LPAD",
    "LTRIM",
    "MD5",
    "MD5_HEX",
    "POSITION",
    "REGEXP_COUNT",
    "REGEXP_INSTR",
    "REGEXP_LIKE",
    "REGEXP_REPLACE",
    "REGEXP_SUBSTR",
    "REPEAT",
    "REPLACE",
    "REVERSE",
    "RIGHT",
    "RLIKE",
    "RPAD",
    "RTRIM",
    "SHA1",
    "SHA1_HEX",
    "SHA2",
    "SHA2_HEX",
    "SOUNDEX",
    "SPLIT",
    "SPLIT_PART",
    "STARTSWITH",
    "STRTOK",
    "SUBSTR",
    "SUBSTRING",
    "TRANSLATE",
    "TRIM",
    "UPPER",
];

/// Functions that take numbers: a VARIANT argument is cast to a number.
const NUMBER_FUNCTIONS: &[&str] = &[
    "ABS",
    "AVG",
    "CBRT",
    "CEIL",
    "CEILING",
    "EXP",
    "FLOOR",
    "LN",
    "LOG",
    "MOD",
    "POW",
    "POWER",
    "ROUND",
    "SIGN",
    "SQRT",
    "SQUARE",
    "STDDEV",
    "STDDEV_POP",
    "STDDEV_SAMP",
    "SUM",
    "VARIANCE",
    "VAR_POP",
    "VAR_SAMP",
];

/// Functions whose result joins their arguments: beside a VARIANT, a text constant becomes
/// a VARIANT string (DuckDB would parse it as JSON text).
const JOINING_FUNCTIONS: &[&str] = &["COALESCE", "IFNULL", "NVL"];

/// Casts the VARIANT operands of `expr` (already rewritten) as Snowflake coerces them;
/// `columns` tells which column names hold VARIANT, OBJECT or ARRAY values.
pub(crate) fn coerce(
    expr: &mut Expr,
    columns: &ColumnTypes,
    flatten: &FlattenOutputs,
) -> SfResult<()> {
    Coercion { columns, flatten }.expr(expr)
}

/// An ORDER BY (or window ORDER BY) key that is a VARIANT sorts by its value, not its JSON
/// text (which puts 10 before 9): it becomes the value's sort key.
pub(crate) fn order_by_value(
    key: &mut Expr,
    columns: &ColumnTypes,
    flatten: &FlattenOutputs,
) -> SfResult<()> {
    Coercion { columns, flatten }.as_sort_key(key)
}

/// Whether `expr` (already rewritten) is known to hold a VARIANT, OBJECT or ARRAY value.
pub(crate) fn is_variant(expr: &Expr, columns: &ColumnTypes, flatten: &FlattenOutputs) -> bool {
    Coercion { columns, flatten }.is_variant(expr)
}

struct Coercion<'a> {
    columns: &'a ColumnTypes,
    /// The statement's FLATTEN calls: `alias.VALUE` and `alias.THIS` are VARIANT.
    flatten: &'a FlattenOutputs,
}

impl Coercion<'_> {
    /// Whether the (rewritten) operand is known to hold a semi-structured value.
    fn is_variant(&self, expr: &Expr) -> bool {
        is_json_valued(expr)
            || super::column_type(expr, self.columns).is_some_and(|t| t.is_semi_structured())
            || self.is_flatten_output(expr)
    }

    /// A bare `VALUE` or `THIS` in a statement that calls FLATTEN: most likely FLATTEN's
    /// VARIANT column, but a table of the statement could have a column of that name (its
    /// columns are not all known here), so the cast this gets checks the type as it runs.
    fn may_be_flatten_output(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Identifier(name) if self.flatten.any
            && matches!(name.value.as_str(), "VALUE" | "THIS"))
            && !self.is_variant(expr)
    }

    fn is_flatten_output(&self, expr: &Expr) -> bool {
        let Expr::CompoundIdentifier(parts) = expr else {
            return false;
        };
        match parts.as_slice() {
            [alias, column] => {
                matches!(column.value.as_str(), "VALUE" | "THIS")
                    && self.flatten.aliases.contains(&alias.value)
            }
            _ => false,
        }
    }

    fn expr(&self, expr: &mut Expr) -> SfResult<()> {
        match expr {
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right),
            Expr::UnaryOp {
                op: UnaryOperator::Minus | UnaryOperator::Plus,
                expr: operand,
            } => self.as_number(operand),
            Expr::Like { expr: operand, .. }
            | Expr::ILike { expr: operand, .. }
            | Expr::RLike { expr: operand, .. }
            | Expr::SimilarTo { expr: operand, .. } => self.as_text(operand),
            Expr::In {
                expr: operand,
                target: InTarget::List(list),
                ..
            } => self.compared_with(operand, list.iter()),
            Expr::Between {
                expr: operand,
                low,
                high,
                ..
            } => self.compared_with(operand, [low.as_ref(), high.as_ref()].into_iter()),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                if let Some(operand) = operand {
                    self.compared_with(operand, conditions.iter().map(|when| &when.condition))?;
                }
                let results = conditions
                    .iter_mut()
                    .map(|when| &mut when.result)
                    .chain(else_result.iter_mut().map(|e| e.as_mut()));
                self.join(results.collect())
            }
            // Functions sqlparser parses into forms of their own.
            Expr::Substring { expr: operand, .. } | Expr::Trim { expr: operand, .. } => {
                self.as_text(operand)
            }
            Expr::Position {
                expr: operand,
                r#in,
            } => {
                self.as_text(operand)?;
                self.as_text(r#in)
            }
            Expr::Ceil { expr: operand, .. } | Expr::Floor { expr: operand, .. } => {
                self.as_number(operand)
            }
            Expr::Function(func) => {
                self.extreme(func)?;
                self.arguments(func)
            }
            _ => Ok(()),
        }
    }

    fn binary(&self, left: &mut Expr, op: &BinaryOperator, right: &mut Expr) -> SfResult<()> {
        use BinaryOperator as B;
        match op {
            B::Plus | B::Minus | B::Multiply | B::Divide | B::Modulo => {
                self.as_number(left)?;
                self.as_number(right)
            }
            B::StringConcat => {
                self.as_text(left)?;
                self.as_text(right)
            }
            B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq => {
                if self.is_variant(left) && self.is_variant(right) {
                    // Two VARIANTs compare as values (1 = 1.0, 9 < 10), not as JSON text.
                    self.as_sort_key(left)?;
                    self.as_sort_key(right)
                } else if self.is_variant(left) || self.may_be_flatten_output(left) {
                    self.compared_with(left, std::iter::once(&*right))
                } else {
                    self.compared_with(right, std::iter::once(&*left))
                }
            }
            _ => Ok(()),
        }
    }

    /// A VARIANT compared with constants is compared as what they are: text with text
    /// constants, a number with number constants. Anything else is left to DuckDB.
    fn compared_with<'e>(
        &self,
        operand: &mut Expr,
        others: impl Iterator<Item = &'e Expr>,
    ) -> SfResult<()> {
        let others: Vec<&Expr> = others.collect();
        if others.is_empty() {
            return Ok(());
        }
        if self.may_be_flatten_output(operand) && others.iter().all(|e| is_text_constant(e)) {
            return self.as_text(operand);
        }
        if !self.is_variant(operand) {
            return Ok(());
        }
        if others.iter().all(|e| is_text_constant(e)) {
            self.as_text(operand)
        } else if others.iter().all(|e| is_number_constant(e)) {
            // TRY_CAST: a VARIANT that holds no number is simply not equal (no error).
            self.as_number_with(operand, "TRY_CAST")
        } else {
            Ok(())
        }
    }

    fn arguments(&self, func: &mut Function) -> SfResult<()> {
        let name = function_name(func);
        let coerce_arg: fn(&Self, &mut Expr) -> SfResult<()> =
            if TEXT_FUNCTIONS.contains(&name.as_str()) {
                Self::as_text
            } else if NUMBER_FUNCTIONS.contains(&name.as_str()) {
                Self::as_number
            } else if JOINING_FUNCTIONS.contains(&name.as_str()) {
                return self.join(argument_exprs(func).collect());
            } else if name == "IFF" {
                return self.join(argument_exprs(func).skip(1).collect());
            } else {
                return Ok(());
            };
        argument_exprs(func).try_for_each(|arg| coerce_arg(self, arg))
    }
}

impl Coercion<'_> {
    /// MIN / MAX of a VARIANT pick the value with the least / greatest sort key (as MIN_BY /
    /// MAX_BY), so numbers compare as numbers; the result stays the VARIANT itself.
    fn extreme(&self, func: &mut Function) -> SfResult<()> {
        let by = match function_name(func).as_str() {
            "MIN" => "MIN_BY",
            "MAX" => "MAX_BY",
            _ => return Ok(()),
        };
        let FunctionArguments::List(list) = &mut func.args else {
            return Ok(());
        };
        let value = match list.args.as_slice() {
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(value))] if self.is_variant(value) => {
                value.clone()
            }
            _ => return Ok(()),
        };
        let mut key = value;
        self.as_sort_key(&mut key)?;
        list.args
            .push(FunctionArg::Unnamed(FunctionArgExpr::Expr(key)));
        func.name = ObjectName::from(vec![Ident::new(by)]);
        Ok(())
    }

    fn as_sort_key(&self, operand: &mut Expr) -> SfResult<()> {
        if self.is_variant(operand) {
            *operand = parse_expr(&format!(
                "mockhaus_variant_sort_key(CAST({operand} AS VARCHAR))"
            ))?;
        }
        Ok(())
    }
}

fn argument_exprs(func: &mut Function) -> impl Iterator<Item = &mut Expr> {
    let args = match &mut func.args {
        sqlparser::ast::FunctionArguments::List(list) => list.args.iter_mut().collect(),
        _ => Vec::new(),
    };
    args.into_iter().filter_map(|arg| match arg {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
        | FunctionArg::Named {
            arg: FunctionArgExpr::Expr(e),
            ..
        } => Some(e),
        _ => None,
    })
}

impl Coercion<'_> {
    /// Values that make one result: if any is a VARIANT, text constants become VARIANT strings.
    fn join(&self, values: Vec<&mut Expr>) -> SfResult<()> {
        if !values.iter().any(|e| self.is_variant(e)) {
            return Ok(());
        }
        for value in values {
            if is_text_constant(value) {
                *value = parse_expr(&format!("to_json({value})"))?;
            }
        }
        Ok(())
    }

    /// A VARIANT operand as its text: a JSON string's own characters, anything else its JSON.
    fn as_text(&self, operand: &mut Expr) -> SfResult<()> {
        if self.is_variant(operand) {
            *operand = parse_expr(&format!("json_extract_string({operand}, '$')"))?;
        } else if self.may_be_flatten_output(operand) {
            // DuckDB folds `typeof` when it plans the query: no per-row cost.
            *operand = parse_expr(&format!(
                "(CASE WHEN typeof({operand}) = 'JSON' \
                 THEN json_extract_string({operand}, '$') ELSE CAST({operand} AS VARCHAR) END)"
            ))?;
        }
        Ok(())
    }

    /// A VARIANT operand as a number (an error for text that is not one, as in Snowflake).
    fn as_number(&self, operand: &mut Expr) -> SfResult<()> {
        self.as_number_with(operand, "CAST")
    }

    fn as_number_with(&self, operand: &mut Expr, cast: &str) -> SfResult<()> {
        if self.is_variant(operand) {
            *operand = parse_expr(&format!(
                "{cast}(json_extract_string({operand}, '$') AS DOUBLE)"
            ))?;
        }
        Ok(())
    }
}

fn is_text_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Nested(inner) => is_text_constant(inner),
        Expr::Value(v) => matches!(
            v.value,
            Value::SingleQuotedString(_) | Value::DollarQuotedString(_)
        ),
        _ => false,
    }
}

fn is_number_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Nested(inner) => is_number_constant(inner),
        Expr::UnaryOp { expr, .. } => is_number_constant(expr),
        Expr::Value(v) => matches!(v.value, Value::Number(..)),
        _ => false,
    }
}
