//! SQL user-defined functions: CREATE FUNCTION (parsed in `commands/create_function.rs`),
//! DROP FUNCTION, and the catalog lookup the rewriter resolves calls through
//! (`rewrite/functions/user.rs`).
//!
//! Each function is a DuckDB macro in its database and schema: a scalar macro for
//! `RETURNS <type>`, a table macro for `RETURNS TABLE (...)`. The body is translated once,
//! at creation, like any statement: arguments are cast to their declared types where the
//! body reads them, the result (or each output column) to the declared return type, and
//! unqualified tables are qualified with the function's schema (Snowflake resolves them
//! there, not in the caller's). The Snowflake signature is kept as JSON in the macro's
//! comment for SHOW USER FUNCTIONS and DROP FUNCTION.

use serde::{Deserialize, Serialize};
use sqlparser::ast::{
    Expr, FunctionDesc, Ident, ObjectName, ObjectNamePart, Query, SelectItem, SetExpr, Statement,
    Visit, Visitor,
};
use std::ops::ControlFlow;

use super::namespace::{already_dropped, already_exists};
use super::tables::ensure_namespace;
use super::transactions::implicit_commit;
use super::QualifiedName;
use crate::commands::{CreateFunction, Returns};
use crate::error::{SfError, SfResult};
use crate::result::{QueryResult, StatementKind};
use crate::rewrite::idents::{normalize, quote};
use crate::rewrite::{self, UserFunction, UserFunctions};
use crate::session::Session;
use crate::types::SfType;

/// What the macro's comment records of the Snowflake definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Signature {
    /// Argument names and Snowflake types (`NUMBER(38,0)`).
    pub arguments: Vec<(String, String)>,
    /// The scalar return type (`NUMBER(38,0)`); for a table function, `TABLE`.
    pub returns: String,
    /// A table function's output columns and their types.
    pub columns: Option<Vec<(String, String)>>,
    pub secure: bool,
    pub comment: Option<String>,
    /// The body as written.
    pub body: String,
    /// RETURNS NULL ON NULL INPUT (STRICT).
    pub strict: bool,
    /// IMMUTABLE (VOLATILE otherwise).
    pub immutable: bool,
}

impl Signature {
    fn of(create: &CreateFunction) -> Signature {
        let (returns, columns) = match &create.returns {
            Returns::Scalar(sf_type) => (sf_type.to_string(), None),
            Returns::Table(columns) => (
                "TABLE".to_string(),
                Some(
                    columns
                        .iter()
                        .map(|(name, t)| (name.clone(), t.to_string()))
                        .collect(),
                ),
            ),
        };
        Signature {
            arguments: create
                .arguments
                .iter()
                .map(|(name, sf_type)| (name.clone(), sf_type.to_string()))
                .collect(),
            returns,
            columns,
            secure: create.secure,
            comment: create.comment.clone(),
            body: create.body.clone(),
            strict: create.strict,
            immutable: create.immutable,
        }
    }

    /// SHOW FUNCTIONS' `arguments`, types without their sizes as Snowflake lists them:
    /// `AREA(FLOAT) RETURN FLOAT`, `ORDERS(VARCHAR) RETURN TABLE (ID NUMBER, QTY FLOAT)`.
    pub fn display(&self, name: &str) -> String {
        let types: Vec<&str> = self.arguments.iter().map(|(_, t)| bare_type(t)).collect();
        format!(
            "{name}({}) RETURN {}",
            types.join(", "),
            self.returns_display()
        )
    }

    /// The return type without sizes: `NUMBER`, `TABLE (ID NUMBER, QTY FLOAT)`.
    pub fn returns_display(&self) -> String {
        match &self.columns {
            Some(columns) => {
                let columns: Vec<String> = columns
                    .iter()
                    .map(|(column, t)| format!("{column} {}", bare_type(t)))
                    .collect();
                format!("TABLE ({})", columns.join(", "))
            }
            None => bare_type(&self.returns).to_string(),
        }
    }

    /// INFORMATION_SCHEMA's ARGUMENT_SIGNATURE: `(PRICE NUMBER, RATE NUMBER)`.
    pub fn argument_signature(&self) -> String {
        let arguments: Vec<String> = self
            .arguments
            .iter()
            .map(|(name, t)| format!("{name} {}", bare_type(t)))
            .collect();
        format!("({})", arguments.join(", "))
    }

    pub fn is_table(&self) -> bool {
        self.columns.is_some()
    }

    /// Whether these are the argument types, as Snowflake tells signatures apart: by type,
    /// not size (`NUMBER(10,2)` is a NUMBER).
    fn has_argument_types(&self, types: &[String]) -> bool {
        let bare = |t: &String| bare_type(t).to_string();
        self.arguments
            .iter()
            .map(|(_, t)| bare(t))
            .eq(types.iter().map(bare))
    }
}

/// `NUMBER(38,0)` → `NUMBER`.
fn bare_type(written: &str) -> &str {
    written.split('(').next().unwrap_or(written)
}

pub fn create(session: &mut Session, create: &CreateFunction) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let name = QualifiedName::resolve(session, &create.name, "CREATE FUNCTION")?;
    ensure_namespace(session, &name)?;
    let existing = stored_signature(session, &name)?;
    if let Some(existing) = &existing {
        let new_types: Vec<String> = create
            .arguments
            .iter()
            .map(|(_, t)| t.to_string())
            .collect();
        if !existing.has_argument_types(&new_types) {
            return Err(SfError::unsupported(
                "overloaded user functions (another signature of the same name)",
            ));
        }
        if create.if_not_exists {
            return Ok(already_exists(&name.name));
        }
        if !create.or_replace {
            return Err(SfError::already_exists("Function", &name.name));
        }
    }
    let definition = macro_definition(session, &name, create)?;
    check_binds(session, create, &definition)?;
    // DuckDB keeps scalar and table macros apart: replacing one kind by the other drops it.
    let is_table = matches!(create.returns, Returns::Table(_));
    if let Some(existing) = existing.filter(|e| e.is_table() != is_table) {
        drop_macro(session, &name, existing.is_table())?;
    }
    session.run_internal(&format!(
        "CREATE OR REPLACE MACRO {}{definition}",
        name.duckdb()
    ))?;
    let signature = serde_json::to_string(&Signature::of(create)).map_err(SfError::internal)?;
    session.run_internal(&format!(
        "COMMENT ON {} {} IS '{}'",
        macro_kind(is_table),
        name.duckdb(),
        signature.replace('\'', "''")
    ))?;
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("Function {} successfully created.", name.name),
    ))
}

/// `DROP FUNCTION [IF EXISTS] name(types)`: Snowflake names a function by its argument types.
pub fn drop(
    session: &mut Session,
    if_exists: bool,
    functions: &[FunctionDesc],
) -> SfResult<QueryResult> {
    implicit_commit(session)?;
    let mut last = String::new();
    for function in functions {
        let name = QualifiedName::resolve(session, &function.name, "DROP FUNCTION")?;
        let types = function
            .args
            .iter()
            .flatten()
            .map(|arg| SfType::parse(&arg.data_type.to_string()).map(|t| t.to_string()))
            .collect::<SfResult<Vec<_>>>()?;
        let signature = match signature_of(session, &name, &types) {
            Err(err) if if_exists && err.code == "002003" => {
                return Ok(already_dropped(&name.name))
            }
            found => found?,
        };
        drop_macro(session, &name, signature.is_table())?;
        last = name.name;
    }
    Ok(QueryResult::status(
        StatementKind::Ddl,
        format!("{last} successfully dropped."),
    ))
}

/// DuckDB's word for a scalar or a table macro.
fn macro_kind(is_table: bool) -> &'static str {
    if is_table {
        "MACRO TABLE"
    } else {
        "MACRO"
    }
}

fn drop_macro(session: &Session, name: &QualifiedName, is_table: bool) -> SfResult<()> {
    session.run_internal(&format!("DROP {} {}", macro_kind(is_table), name.duckdb()))
}

/// The signature of the function `name(types)`; 002003 when there is none.
pub(crate) fn signature_of(
    session: &Session,
    name: &QualifiedName,
    types: &[String],
) -> SfResult<Signature> {
    let found = stored_signature(session, name)?.filter(|s| s.has_argument_types(types));
    found.ok_or_else(|| {
        let bare: Vec<&str> = types.iter().map(|t| bare_type(t)).collect();
        SfError::table_not_found(
            "Function",
            &format!("{}({})", name.display(), bare.join(", ")),
        )
    })
}

/// The signature of the function stored under `name`, if there is one.
fn stored_signature(session: &Session, name: &QualifiedName) -> SfResult<Option<Signature>> {
    let sql = "SELECT coalesce(comment, '') FROM duckdb_functions() \
               WHERE database_name = ? AND schema_name = ? AND function_name = ? \
                 AND function_type IN ('macro', 'table_macro') LIMIT 1";
    let rows = session.catalog_rows(sql, &[&name.database, &name.schema, &name.name], 1)?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|row| serde_json::from_str(&row[0]).ok()))
}

impl UserFunctions for Session {
    fn find(&self, database: &str, schema: &str, name: &str) -> Option<UserFunction> {
        let qualified = QualifiedName {
            database: database.into(),
            schema: schema.into(),
            name: name.into(),
        };
        let signature = stored_signature(self, &qualified).ok()??;
        Some(UserFunction {
            database: qualified.database,
            schema: qualified.schema,
            name: qualified.name,
            arguments: signature
                .arguments
                .iter()
                .map(|(_, t)| SfType::parse(t))
                .collect::<SfResult<_>>()
                .ok()?,
            returns_table: signature.is_table(),
        })
    }
}

/// What follows the macro's name: `(params) AS expression` or `(params) AS TABLE query`.
fn macro_definition(
    session: &Session,
    name: &QualifiedName,
    create: &CreateFunction,
) -> SfResult<String> {
    let params = create
        .arguments
        .iter()
        .map(|(arg, _)| quote(arg))
        .collect::<Vec<_>>()
        .join(", ");
    let definition = match &create.returns {
        Returns::Scalar(sf_type) => {
            let sql = format!("SELECT CAST(({}) AS {sf_type})", body_text(create));
            let expr = match translate_body(session, name, create, &sql)? {
                Statement::Query(query) => first_projection(*query)?,
                _ => return Err(not_an_expression()),
            };
            format!("({params}) AS {}", guarded(create, expr.to_string()))
        }
        Returns::Table(columns) => {
            let outputs = columns
                .iter()
                .enumerate()
                .map(|(i, (column, sf_type))| {
                    format!("CAST(__c{i} AS {sf_type}) AS {}", quote(column))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let positions = (0..columns.len())
                .map(|i| format!("__c{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT {outputs} FROM ({}) AS __mockhaus_body({positions})",
                body_text(create)
            );
            let query = translate_body(session, name, create, &sql)?;
            format!("({params}) AS TABLE {query}")
        }
    };
    Ok(definition)
}

/// The body without the semicolon a `$$ ... ; $$` body may end with.
fn body_text(create: &CreateFunction) -> &str {
    create.body.trim().trim_end_matches(';')
}

/// RETURNS NULL ON NULL INPUT and NOT NULL, around the translated expression (DuckDB SQL).
fn guarded(create: &CreateFunction, expr: String) -> String {
    let mut expr = expr;
    if create.strict && !create.arguments.is_empty() {
        let any_null = create
            .arguments
            .iter()
            .map(|(arg, _)| format!("{} IS NULL", quote(arg)))
            .collect::<Vec<_>>()
            .join(" OR ");
        expr = format!("(CASE WHEN {any_null} THEN NULL ELSE {expr} END)");
    }
    if create.not_null {
        expr = format!(
            "coalesce({expr}, error('NULL result in a non-nullable function {}'))",
            create.name.to_string().replace('\'', "''")
        );
    }
    expr
}

/// Parses the wrapped body as Snowflake SQL, casts argument reads to their declared types,
/// qualifies tables with the function's schema and translates it for DuckDB.
fn translate_body(
    session: &Session,
    name: &QualifiedName,
    create: &CreateFunction,
    sql: &str,
) -> SfResult<Statement> {
    let mut statements = rewrite::parse(sql)?;
    if statements.len() != 1 {
        return Err(not_an_expression());
    }
    let mut statement = statements.remove(0);
    cast_arguments(&mut statement, &create.arguments)?;
    qualify_tables(&mut statement, name);
    let ctx = rewrite::FunctionContext {
        current_database: Some(&name.database),
        current_schema: Some(&name.schema),
        ..session.function_context()
    };
    rewrite::rewrite(&mut statement, sql, &ctx)?;
    Ok(statement)
}

fn not_an_expression() -> SfError {
    SfError::syntax("SQL compilation error: the function body is not an expression or a query")
}

fn first_projection(query: Query) -> SfResult<Expr> {
    let SetExpr::Select(select) = *query.body else {
        return Err(not_an_expression());
    };
    match select.projection.into_iter().next() {
        Some(SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. }) => Ok(expr),
        _ => Err(not_an_expression()),
    }
}

/// Each read of an argument becomes `CAST(arg AS <declared type>)`, so a call converts its
/// values as Snowflake converts arguments (a DuckDB macro substitutes them untyped).
fn cast_arguments(statement: &mut Statement, arguments: &[(String, SfType)]) -> SfResult<()> {
    let mut failure = None;
    let _ = sqlparser::ast::visit_expressions_mut(statement, |expr| {
        let Expr::Identifier(ident) = expr else {
            return ControlFlow::Continue(());
        };
        let folded = normalize(ident);
        let Some((_, sf_type)) = arguments.iter().find(|(arg, _)| *arg == folded) else {
            return ControlFlow::Continue(());
        };
        match rewrite::parse_expr(&format!("CAST({} AS {sf_type})", quote(&folded))) {
            Ok(cast) => {
                *expr = cast;
                ControlFlow::Continue(())
            }
            Err(err) => {
                failure = Some(err);
                ControlFlow::Break(())
            }
        }
    });
    failure.map_or(Ok(()), Err)
}

/// Unqualified and schema-qualified tables are the function's database's (and schema's);
/// names of the body's own CTEs are left alone.
fn qualify_tables(statement: &mut Statement, name: &QualifiedName) {
    let mut ctes = CteNames::default();
    let _ = statement.visit(&mut ctes);
    let ctes = ctes.0;
    let _ = sqlparser::ast::visit_relations_mut(statement, |relation| {
        let parts: Vec<Ident> = relation
            .0
            .iter()
            .filter_map(|p| p.as_ident().cloned())
            .collect();
        let is_cte = parts.len() == 1 && ctes.contains(&normalize(&parts[0]));
        let prefix = match parts.len() {
            _ if is_cte => vec![],
            1 => vec![&name.database, &name.schema],
            2 => vec![&name.database],
            _ => vec![],
        };
        let mut qualified: Vec<ObjectNamePart> = prefix
            .into_iter()
            .map(|p| ObjectNamePart::Identifier(Ident::with_quote('"', p)))
            .collect();
        qualified.append(&mut relation.0);
        *relation = ObjectName(qualified);
        ControlFlow::<()>::Continue(())
    });
}

/// The names the statement's WITH clauses define, at any depth.
#[derive(Default)]
struct CteNames(Vec<String>);

impl Visitor for CteNames {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            self.0
                .extend(with.cte_tables.iter().map(|cte| normalize(&cte.alias.name)));
        }
        ControlFlow::Continue(())
    }
}

/// Binds a call of the new definition (through a temporary macro) before the function is
/// created or replaced, so that a body naming a missing column or table fails at CREATE, as
/// in Snowflake, and an existing definition survives the failure.
fn check_binds(session: &Session, create: &CreateFunction, definition: &str) -> SfResult<()> {
    let check = "\"__mockhaus_function_check\"";
    session.run_internal(&format!("CREATE OR REPLACE TEMP MACRO {check}{definition}"))?;
    let nulls = create
        .arguments
        .iter()
        .map(|(_, t)| format!("CAST(NULL AS {})", t.duckdb_type()))
        .collect::<Vec<_>>()
        .join(", ");
    let call = match create.returns {
        Returns::Scalar(_) => format!("SELECT {check}({nulls})"),
        Returns::Table(_) => format!("SELECT * FROM {check}({nulls})"),
    };
    let bound = session.bind_only(&call);
    let kind = macro_kind(matches!(create.returns, Returns::Table(_)));
    session.run_internal(&format!("DROP {kind} IF EXISTS temp.main.{check}"))?;
    bound
}
