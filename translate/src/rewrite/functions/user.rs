//! Calls of user-defined SQL functions (`CREATE FUNCTION ... AS '<expression>'`).
//!
//! The engine keeps each one as a DuckDB macro; the rewriter only has to find which macro a
//! name means in the session's context (the current schema, then PUBLIC, as Snowflake's
//! default search path) and call it by its fully qualified DuckDB name, so that DuckDB's own
//! search path never decides. Built-in functions win over a user function of the same
//! unqualified name, as in Snowflake.

use sqlparser::ast::{Function, FunctionArguments, Ident, ObjectName, TableFactor};

use super::FunctionContext;
use crate::error::{SfError, SfResult};

/// A user-defined function as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFunction {
    /// Database, schema and name, as stored.
    pub database: String,
    pub schema: String,
    pub name: String,
    /// Its arguments' types (Snowflake's overloads are not emulated: one signature).
    pub arguments: Vec<crate::types::SfType>,
    /// A table function (`RETURNS TABLE (...)`), called in FROM as `TABLE(f(...))`.
    pub returns_table: bool,
}

impl UserFunction {
    fn duckdb_name(&self) -> ObjectName {
        ObjectName::from(vec![
            Ident::with_quote('"', &self.database),
            Ident::with_quote('"', &self.schema),
            Ident::with_quote('"', &self.name),
        ])
    }
}

/// The catalog of user functions.
pub trait UserFunctions {
    /// The function stored under exactly this database, schema and name, if any.
    fn find(&self, database: &str, schema: &str, name: &str) -> Option<UserFunction>;
}

/// A context without a catalog: no user functions.
pub struct NoUserFunctions;

impl UserFunctions for NoUserFunctions {
    fn find(&self, _database: &str, _schema: &str, _name: &str) -> Option<UserFunction> {
        None
    }
}

/// The function a one- to three-part name (each part folded as Snowflake folds identifiers)
/// means in the context: a bare name is looked for in the current schema, then in PUBLIC.
fn resolve(parts: &[String], ctx: &FunctionContext<'_>) -> Option<UserFunction> {
    let catalog = ctx.user_functions;
    match parts {
        [name] => {
            let database = ctx.current_database?;
            let current = ctx
                .current_schema
                .and_then(|schema| catalog.find(database, schema, name));
            current.or_else(|| catalog.find(database, "PUBLIC", name))
        }
        [schema, name] => catalog.find(ctx.current_database?, schema, name),
        [database, schema, name] => catalog.find(database, schema, name),
        _ => None,
    }
}

/// The call's name parts, folded: unquoted parts upper-case, quoted ones as written.
fn folded_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part.as_ident() {
            Some(ident) if ident.quote_style.is_some() => ident.value.clone(),
            Some(ident) => ident.value.to_uppercase(),
            None => part.to_string(),
        })
        .collect()
}

fn argument_count(func: &Function) -> usize {
    match &func.args {
        FunctionArguments::List(list) => list.args.len(),
        FunctionArguments::Subquery(_) => 1,
        FunctionArguments::None => 0,
    }
}

/// Points a scalar call at its macro; 002140 when no user function has the name, as for any
/// unknown function.
pub(super) fn call_scalar(func: &mut Function, ctx: &FunctionContext<'_>) -> SfResult<()> {
    let parts = folded_parts(&func.name);
    let unknown = || SfError::unknown_function(&parts.join("."));
    let found = resolve(&parts, ctx).ok_or_else(unknown)?;
    if found.returns_table {
        return Err(unknown());
    }
    check_arity(&found, argument_count(func))?;
    type_null_arguments(func, &found)?;
    func.name = found.duckdb_name();
    Ok(())
}

/// A NULL literal argument becomes a NULL of the argument's type: DuckDB substitutes a macro's
/// arguments into its body, where an untyped NULL can leave an overloaded call ambiguous.
fn type_null_arguments(func: &mut Function, found: &UserFunction) -> SfResult<()> {
    let FunctionArguments::List(list) = &mut func.args else {
        return Ok(());
    };
    for (arg, sf_type) in list.args.iter_mut().zip(&found.arguments) {
        if let sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(
            expr @ sqlparser::ast::Expr::Value(sqlparser::ast::ValueWithSpan {
                value: sqlparser::ast::Value::Null,
                ..
            }),
        )) = arg
        {
            *expr = super::parse_expr(&format!("CAST(NULL AS {})", sf_type.duckdb_type()))?;
        }
    }
    Ok(())
}

/// `TABLE(f(args))` of a user table function → DuckDB's `"DB"."S"."F"(args)` in FROM, with
/// the arguments still in Snowflake's SQL (the rewriter visits them next). `None` when the
/// factor is not a call of one.
pub(crate) fn table_call(
    factor: &TableFactor,
    ctx: &FunctionContext<'_>,
) -> SfResult<Option<TableFactor>> {
    let TableFactor::TableFunction {
        expr: sqlparser::ast::Expr::Function(func),
        alias,
    } = factor
    else {
        return Ok(None);
    };
    let parts = folded_parts(&func.name);
    let Some(found) = resolve(&parts, ctx) else {
        return Ok(None);
    };
    if !found.returns_table {
        return Err(SfError::unknown_function(&parts.join(".")));
    }
    check_arity(&found, argument_count(func))?;
    let args = match &func.args {
        FunctionArguments::List(list) => list
            .args
            .iter()
            .zip(&found.arguments)
            .map(|(arg, sf_type)| match arg.to_string() {
                null if null.eq_ignore_ascii_case("NULL") => format!("CAST(NULL AS {sf_type})"),
                written => written,
            })
            .collect::<Vec<_>>()
            .join(", "),
        FunctionArguments::Subquery(q) => format!("({q})"),
        FunctionArguments::None => String::new(),
    };
    let alias = alias.as_ref().map_or(String::new(), |a| format!(" AS {a}"));
    let sql = format!("SELECT * FROM {}({args}){alias}", found.duckdb_name());
    let statement = super::super::parse(&sql)?.into_iter().next();
    let factor = match statement {
        Some(sqlparser::ast::Statement::Query(query)) => match *query.body {
            sqlparser::ast::SetExpr::Select(select) => {
                select.from.into_iter().next().map(|table| table.relation)
            }
            _ => None,
        },
        _ => None,
    };
    factor
        .map(Some)
        .ok_or_else(|| SfError::internal(format!("table function call did not parse: {sql}")))
}

/// Snowflake's 001044 for a call with the wrong number of arguments (its message lists the
/// argument types; only the count is known here).
fn check_arity(found: &UserFunction, given: usize) -> SfResult<()> {
    if found.arguments.len() == given {
        return Ok(());
    }
    Err(SfError::new(
        "001044",
        "42P13",
        format!(
            "SQL compilation error:\nInvalid argument types for function '{}': {given} argument(s) given, {} expected",
            found.name,
            found.arguments.len()
        ),
    ))
}
