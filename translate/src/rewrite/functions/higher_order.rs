//! Snowflake's higher-order functions over ARRAY values: FILTER, TRANSFORM and REDUCE, as
//! DuckDB's list lambdas over the array's JSON elements, the result turned back into a JSON
//! array. A lambda parameter written with a type (`a INT -> a * 2`) sees each element coerced
//! to that type first, as Snowflake documents; without one it sees the VARIANT element.

use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions_mut, Expr, Function, LambdaFunction, LambdaFunctionParameter, LambdaSyntax,
    OneOrManyWithParens, Value,
};

use super::{check_arity, first_arg_expr};
use crate::error::{SfError, SfResult};
use crate::rewrite::parse_expr;

/// `name(args...)` with its lambda as the last argument (`args`: the rewritten texts, counted).
pub(super) fn higher_order(name: &str, func: &Function, args: &[String]) -> SfResult<Expr> {
    let (arity, lambda_params) = match name {
        "REDUCE" => (3, 2),
        _ => (2, 1),
    };
    check_arity(name, args.len(), arity, arity)?;
    let Some(sqlparser::ast::Expr::Lambda(lambda)) = first_arg_expr(func, arity - 1) else {
        return Err(SfError::syntax(format!(
            "the last argument of {name} must be a lambda expression (x -> ...)"
        )));
    };
    let params = parameters(lambda);
    if params.len() != lambda_params {
        return Err(SfError::syntax(format!(
            "the lambda expression of {name} takes {lambda_params} argument(s), not {}",
            params.len()
        )));
    }
    let element = params[lambda_params - 1];
    let elements = coerced_elements(element)?;
    let sql = match name {
        "FILTER" => format!(
            "CAST(to_json(list_filter({elements}, {} -> {BODY})) AS JSON)",
            element.name
        ),
        "TRANSFORM" => format!(
            "CAST(to_json(list_transform({elements}, {} -> {BODY})) AS JSON)",
            element.name
        ),
        _ => format!(
            "list_reduce({elements}, ({}, {}) -> {BODY}, {INIT})",
            params[0].name, element.name
        ),
    };
    // Snowflake: a NULL array (or a NULL initial value of REDUCE) gives NULL.
    let null_input = match name {
        "REDUCE" => format!("{ARRAY} IS NULL OR {INIT} IS NULL"),
        _ => format!("{ARRAY} IS NULL"),
    };
    let mut expr = parse_expr(&format!(
        "(CASE WHEN {null_input} THEN NULL ELSE {sql} END)"
    ))?;
    let array = first_arg_expr(func, 0)
        .cloned()
        .unwrap_or(Expr::value(Value::Null));
    let init = first_arg_expr(func, 1)
        .cloned()
        .unwrap_or(Expr::value(Value::Null));
    fill_in(&mut expr, &array, &init, &lambda.body);
    Ok(expr)
}

/// Where the template holds the arguments. Their rewritten forms may use syntax only DuckDB
/// reads (its list and struct literals), so they are put in as trees, never re-parsed.
const ARRAY: &str = "mockhaus_hof_array";
const INIT: &str = "mockhaus_hof_init";
const BODY: &str = "mockhaus_hof_body";

/// Puts the arguments into the template and turns its lambdas into DuckDB's syntax.
fn fill_in(expr: &mut Expr, array: &Expr, init: &Expr, body: &Expr) {
    let _ = visit_expressions_mut(expr, |node| {
        match node {
            Expr::Identifier(ident) if ident.value == ARRAY => *node = array.clone(),
            Expr::Identifier(ident) if ident.value == INIT => *node = init.clone(),
            Expr::Identifier(ident) if ident.value == BODY => *node = body.clone(),
            // Written with Snowflake's arrows (what the parser reads); DuckDB wants its
            // `lambda x : ...` form (it refuses the deprecated arrow).
            Expr::Lambda(lambda) => lambda.syntax = LambdaSyntax::LambdaKeyword,
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn parameters(lambda: &LambdaFunction) -> Vec<&LambdaFunctionParameter> {
    match &lambda.params {
        OneOrManyWithParens::One(param) => vec![param],
        OneOrManyWithParens::Many(params) => params.iter().collect(),
    }
}

/// The array's elements as a DuckDB list: JSON values, or each coerced to the parameter's
/// type (through its text, so that a JSON string element becomes the string itself).
fn coerced_elements(element: &LambdaFunctionParameter) -> SfResult<String> {
    let as_json = format!("from_json(CAST({ARRAY} AS JSON), '[\"JSON\"]')");
    let Some(written) = &element.data_type else {
        return Ok(as_json);
    };
    let (_, duck_type) = crate::rewrite::duckdb_data_type(written)?;
    Ok(format!(
        "list_transform({as_json}, e -> CAST(json_extract_string(e, '$') AS {duck_type}))"
    ))
}
