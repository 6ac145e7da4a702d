//! ORDER BY over VARIANT values. DuckDB holds a VARIANT as JSON text, and sorting that text
//! puts `10` before `9` and `"b"` after `[1]`; Snowflake sorts the values. A VARIANT sort key
//! (an expression, a path, a VARIANT column) is replaced by the value's sort key
//! (`mockhaus_variant_sort_key`, see the engine's `udf::variant`); so is a key that names a
//! VARIANT output column by its alias or position.

use sqlparser::ast::{Expr, OrderByKind, Query, SelectItem, SetExpr, Value};

use super::coercion::{is_variant, order_by_value};
use super::flatten::FlattenOutputs;
use super::ColumnTypes;
use crate::error::SfResult;

/// Sorts by value the ORDER BY keys of `query` (already rewritten) that name a VARIANT output
/// column (`ORDER BY 2`, `ORDER BY alias`). Keys that are themselves VARIANT expressions were
/// replaced as they were visited.
pub(crate) fn sort_outputs_by_value(
    query: &mut Query,
    columns: &ColumnTypes,
    flatten: &FlattenOutputs,
) -> SfResult<()> {
    let Some(order_by) = &mut query.order_by else {
        return Ok(());
    };
    let OrderByKind::Expressions(keys) = &mut order_by.kind else {
        return Ok(());
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return Ok(());
    };
    for key in keys {
        let Some(output) = named_output(&select.projection, &key.expr) else {
            continue;
        };
        if is_variant(output, columns, flatten) {
            let mut value = output.clone();
            order_by_value(&mut value, columns, flatten)?;
            key.expr = value;
        }
    }
    Ok(())
}

/// The output expression an ORDER BY key names by position or alias.
fn named_output<'a>(projection: &'a [SelectItem], key: &Expr) -> Option<&'a Expr> {
    match key {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => {
                let position: usize = n.parse().ok()?;
                match projection.get(position.checked_sub(1)?)? {
                    SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                        Some(e)
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        Expr::Identifier(name) => projection.iter().find_map(|item| match item {
            SelectItem::ExprWithAlias { expr, alias } if alias.value == name.value => Some(expr),
            _ => None,
        }),
        _ => None,
    }
}
