//! Snowflake window functions DuckDB lacks, in terms of the ones it has:
//! RATIO_TO_REPORT(x) OVER (w) is x over SUM(x) OVER (w), NULL when that sum is 0, and
//! CONDITIONAL_TRUE_EVENT(c) OVER (w) counts the rows up to this one where c holds, and
//! CONDITIONAL_CHANGE_EVENT(x) OVER (w) counts how often x changed up to this row (NULLs
//! skipped), from the list of x's values so far, since window functions do not nest.

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName,
    WindowFrame, WindowFrameBound, WindowFrameUnits, WindowType,
};

use super::{check_arity, plain_args};
use crate::error::{SfError, SfResult};
use crate::rewrite::parse_expr;

/// Whether `name` is one of the window functions this module rewrites.
pub(super) fn is_emulated_window(name: &str) -> bool {
    matches!(
        name,
        "RATIO_TO_REPORT" | "CONDITIONAL_TRUE_EVENT" | "CONDITIONAL_CHANGE_EVENT"
    )
}

pub(super) fn rewrite(name: &str, func: &Function) -> SfResult<Expr> {
    let args = plain_args(func, name)?;
    check_arity(name, args.len(), 1, 1)?;
    let Some(over) = &func.over else {
        return Err(SfError::new(
            "002062",
            "42601",
            format!(
                "SQL compilation error:\nWindow function type [{name}] requires an OVER clause."
            ),
        ));
    };
    let mut sum = func.clone();
    sum.name = ObjectName::from(vec![Ident::new("sum")]);
    if name == "RATIO_TO_REPORT" {
        let sql = format!("({} / nullif({sum}, 0))", args[0]);
        return parse_expr(&sql);
    }
    let counted = if name == "CONDITIONAL_CHANGE_EVENT" {
        sum.name = ObjectName::from(vec![Ident::new("list")]);
        parse_expr(&args[0])?
    } else {
        parse_expr(&format!("CASE WHEN {} THEN 1 ELSE 0 END", args[0]))?
    };
    sum.args = match &func.args {
        FunctionArguments::List(list) => {
            let mut list = list.clone();
            list.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(counted))];
            FunctionArguments::List(list)
        }
        other => other.clone(),
    };
    // Up to and including the current row, whatever frame was written.
    let mut over = over.clone();
    if let WindowType::WindowSpec(spec) = &mut over {
        spec.window_frame = Some(WindowFrame {
            units: WindowFrameUnits::Rows,
            start_bound: WindowFrameBound::Preceding(None),
            end_bound: Some(WindowFrameBound::CurrentRow),
        });
    }
    sum.over = Some(over);
    if name == "CONDITIONAL_CHANGE_EVENT" {
        // The list is bound once (as `l`) through a one-element list_transform.
        return parse_expr(&format!(
            "list_transform([list_filter({sum}, lambda v: v IS NOT NULL)], lambda l: \
             len(list_filter(range(2, len(l) + 1), lambda i: l[i] IS DISTINCT FROM l[i - 1])))[1]"
        ));
    }
    Ok(Expr::Function(sum))
}
